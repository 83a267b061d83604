"""Charts as SVG, drawn on the server: Vega-Altair describes, vl-convert renders, no browser.

Readable without colour: one bar per year in small multiples per target group,
each bar labelled with its number. Pages put the same numbers in a table next to
the chart, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from .codes import TargetGroup
from .selectors import CampaignCount


def campaign_chart_spec(counts: Sequence[CampaignCount], *, years: Sequence[int]) -> dict:
    import altair as alt

    labels = dict(TargetGroup.choices)
    groups = [str(labels[g]) for g in TargetGroup.values if any(c.target_group == g for c in counts)]
    found = {(c.year, c.target_group): c.campaigns for c in counts}
    # Every year of every group, zeros included: a bar of 0 is labelled "0", not left blank.
    data = [{"year": str(year), "group": str(labels[group]), "campaigns": found.get((year, group), 0)}
            for group in TargetGroup.values if str(labels[group]) in groups for year in years]
    year_axis = alt.X("year:O", title=_("Year"), sort=[str(y) for y in years],
                      scale=alt.Scale(domain=[str(y) for y in years]),
                      axis=alt.Axis(labelAngle=0, labelFontSize=10))
    count_axis = alt.Y("campaigns:Q", title=_("Campaigns"), axis=alt.Axis(tickMinStep=1))
    # Dark grey on white: contrast above 4.5:1, and no meaning carried by colour.
    bars = alt.Chart().mark_bar(color="#35495e", stroke="#000000", strokeWidth=0.5).encode(
        x=year_axis, y=count_axis)
    labels_layer = alt.Chart().mark_text(dy=-6, fontSize=12, color="#000000").encode(
        x=year_axis, y=count_axis, text="campaigns:Q")
    chart = alt.layer(bars, labels_layer, data=alt.Data(values=data)).properties(
        width=150, height=120,
    ).facet(
        facet=alt.Facet("group:N", title=None, sort=groups,
                        header=alt.Header(labelFontSize=13, labelFontWeight="bold")),
        columns=3,
    ).resolve_axis(
        # Each small chart carries its own year axis, so no chart has to be read from another.
        x="independent",
    ).properties(
        title=_("Campaigns per year and target group"),
    ).configure_view(stroke="#767676").configure_axis(labelFontSize=11, titleFontSize=12)
    return chart.to_dict()


def campaign_chart_svg(counts: Sequence[CampaignCount], *, years: Sequence[int]) -> str:
    """The chart as an SVG document; empty string when there is nothing to draw."""
    if not counts:
        return ""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(campaign_chart_spec(counts, years=years)))
