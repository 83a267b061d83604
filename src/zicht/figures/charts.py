"""Charts drawn on the server: Vega-Altair describes, vl-convert renders SVG or PNG.

Readable without colour: lines are black and told apart by point shape and dash
pattern, and carry their category as a label at the end; bars are labelled
with their number. Suppressed counts are left out of a chart (a gap), never
drawn as zero; the table beside every chart shows them as "x".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from .counting import DIMENSIONS
from .selectors import Funnel
from .services import Published

SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "stroke",
          "triangle-left", "triangle-right", "wedge", "arrow"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 2], [4, 4], [3, 1, 1, 1],
          [12, 4], [2, 6], [6, 1]]
INK = "#1a1a1a"


def _top_categories(trend: Mapping[int, Published], limit: int) -> list[str]:
    latest = trend[max(trend)].table
    keys = latest.table.row_keys
    sizes = {k: latest.grid[r][0] for r, k in enumerate(keys)}
    return sorted((k for k in keys if sizes[k] > 0), key=lambda k: -sizes[k])[:limit]


def trend_spec(dim: str, trend: Mapping[int, Published], *, limit: int = 8) -> dict[str, Any]:
    """Counts per year of a one-way table: the `limit` largest categories of the last year."""
    import altair as alt

    dimension = DIMENSIONS[dim]
    keep = _top_categories(trend, limit)
    years = sorted(trend)
    data = []
    for year in years:
        published = trend[year].table
        for r, key in enumerate(published.table.row_keys):
            value = published.shown(r, 0)
            if key in keep and value is not None:
                data.append({"year": str(year), "category": dimension.label_of(key),
                             "count": value, "last": year == years[-1]})
    labels = [dimension.label_of(k) for k in keep]
    x = alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0))
    y = alt.Y("count:Q", title=_("Persons"), axis=alt.Axis(tickMinStep=1))
    shape = alt.Shape("category:N", title=str(dimension.label), sort=labels,
                      scale=alt.Scale(domain=labels, range=SHAPES[:len(labels)]))
    dash = alt.StrokeDash("category:N", sort=labels, legend=None,
                          scale=alt.Scale(domain=labels, range=DASHES[:len(labels)]))
    lines = alt.Chart().mark_line(color=INK, strokeWidth=1.5).encode(x=x, y=y, strokeDash=dash,
                                                                      detail="category:N")
    points = alt.Chart().mark_point(color=INK, filled=True, size=60).encode(
        x=x, y=y, shape=shape, tooltip=["category:N", "year:O", "count:Q"])
    ends = alt.Chart().mark_text(align="left", dx=8, fontSize=11, color=INK).encode(
        x=x, y=y, text="category:N").transform_filter(alt.datum.last)
    chart = alt.layer(lines, points, ends, data=alt.Data(values=data)).properties(
        width=420, height=240,
        title=_("Registered victims per year by %(dimension)s") % {
            "dimension": str(dimension.label).lower()},
    ).configure_view(stroke="#767676").configure_axis(labelFontSize=11, titleFontSize=12)
    return chart.to_dict(validate=False)


def crosstab_spec(published: Published) -> dict[str, Any]:
    """A two-way table as labelled bars in small multiples (one panel per row category)."""
    import altair as alt

    table = published.table.table
    row, col = DIMENSIONS[table.row_dim], DIMENSIONS[table.col_dim or ""]
    data = []
    for r, row_key in enumerate(table.row_keys):
        for c, col_key in enumerate(table.col_keys):
            value = published.table.shown(r, c)
            if value:
                data.append({"row": row.label_of(row_key), "col": col.label_of(col_key),
                             "count": value})
    y = alt.Y("col:N", title=str(col.label))
    x = alt.X("count:Q", title=_("Persons"), axis=alt.Axis(tickMinStep=1))
    bars = alt.Chart().mark_bar(color="#35495e", stroke=INK, strokeWidth=0.5).encode(x=x, y=y)
    text = alt.Chart().mark_text(align="left", dx=3, fontSize=10, color=INK).encode(
        x=x, y=y, text="count:Q")
    chart = alt.layer(bars, text, data=alt.Data(values=data)).properties(
        width=160, height=alt.Step(14)).facet(
        facet=alt.Facet("row:N", title=str(row.label)), columns=3,
    ).configure_view(stroke="#767676")
    return chart.to_dict(validate=False)


def funnel_spec(funnel: Funnel) -> dict[str, Any]:
    import altair as alt

    drops = funnel.drop_offs()
    data: list[dict[str, Any]] = [{"step": step.label, "value": step.value or 0,
             "label": step.shown + _change(drop) + (" *" if step.corrected else "")}
            for step, drop in zip(funnel.steps, drops, strict=True)
            if step.value is not None]
    order = [d["step"] for d in data]
    y = alt.Y("step:N", sort=order, title=None)
    x = alt.X("value:Q", title=_("Count (persons or cases)"), axis=alt.Axis(tickMinStep=1))
    bars = alt.Chart().mark_bar(color="#35495e", stroke=INK, strokeWidth=0.5).encode(x=x, y=y)
    text = alt.Chart().mark_text(align="left", dx=4, fontSize=11, color=INK).encode(
        x=x, y=y, text="label:N")
    chart = alt.layer(bars, text, data=alt.Data(values=data)).properties(
        width=380, height=alt.Step(26),
        title=alt.TitleParams(
            _("Chain funnel %(year)s: %(form)s") % {
                "year": funnel.year, "form": DIMENSIONS["form"].label_of(funnel.form)},
            subtitle=_("* corrected after publication") if any(
                s.corrected for s in funnel.steps) else ""),
    ).configure_view(stroke=None)
    return chart.to_dict(validate=False)


def _change(drop: int | None) -> str:
    """A drop-off as "(−40%)"; a rise (more cases than the step before) as "(+11%)"."""
    if drop is None:
        return ""
    return f"  (−{drop}%)" if drop >= 0 else f"  (+{-drop}%)"


def to_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec))


def to_png(spec: dict[str, Any], *, scale: float = 2) -> bytes:
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))
