"""Charts drawn on the server: Vega-Altair describes, vl-convert renders SVG or PNG.

Readable without colour: trend lines are black and told apart by point shape and
dash pattern, and carry their category as a label at the end; a cross table is a
balloon plot (dot area for the count, "×" for a suppressed cell); funnel bars
carry their number. Suppressed counts are never drawn as zero; the table beside
every chart shows them as "x".

Altair builds each kind of chart once per language, with placeholders where a
table's data, labels and titles go (`_template`); a chart is that template
filled in. Building a chart object in Altair costs about as much as drawing it,
and the yearly report has more than a hundred.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import render
from .counting import DIMENSIONS
from .selectors import Funnel
from .services import Published

SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "stroke",
          "triangle-left", "triangle-right", "wedge", "arrow"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 2], [4, 4], [3, 1, 1, 1],
          [12, 4], [2, 6], [6, 1]]
INK = "#1a1a1a"


def _filled(template: Any, values: Mapping[str, Any]) -> Any:
    """The template with every placeholder ("@name@") replaced by its value.

    A list placeholder is written as a list of one placeholder (["@labels@"]), since
    Altair checks that a scale's domain is a list even in a template.
    """
    if isinstance(template, str):
        return values.get(template, template)
    if isinstance(template, list):
        if len(template) == 1 and isinstance(template[0], str) and isinstance(
                values.get(template[0]), list):
            return values[template[0]]
        return [_filled(item, values) for item in template]
    if isinstance(template, dict):
        return {key: _filled(item, values) for key, item in template.items()}
    return template


@functools.lru_cache(maxsize=16)
def _template(kind: str, language: str | None) -> dict[str, Any]:
    """The Vega-Lite spec of a kind of chart with placeholders, in the active language."""
    import altair as alt

    if kind == "trend":
        x = alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0))
        y = alt.Y("count:Q", title=_("Persons"), axis=alt.Axis(tickMinStep=1))
        shape = alt.Shape("category:N", title="@dimension@", sort=["@labels@"],
                          scale=alt.Scale(domain=["@labels@"], range=["@shapes@"]))
        dash = alt.StrokeDash("category:N", sort=["@labels@"], legend=None,
                              scale=alt.Scale(domain=["@labels@"], range=["@dashes@"]))
        lines = alt.Chart().mark_line(color=INK, strokeWidth=1.5).encode(
            x=x, y=y, strokeDash=dash, detail="category:N")
        points = alt.Chart().mark_point(color=INK, filled=True, size=60).encode(
            x=x, y=y, shape=shape, tooltip=["category:N", "year:O", "count:Q"])
        ends = alt.Chart().mark_text(align="left", dx=8, fontSize=11, color=INK).encode(
            x=x, y=y, text="category:N").transform_filter(alt.datum.last)
        chart = alt.layer(lines, points, ends, data=alt.Data(values=["@data@"])).properties(
            width=420, height=240, title="@title@",
        ).configure(aria=False).configure_view(stroke="#767676").configure_axis(
            labelFontSize=11, titleFontSize=12)
        return dict(chart.to_dict(validate=False))
    # "crosstab": a balloon plot, one panel, no text mark per cell.
    x = alt.X(field="@x_field@", type="nominal", sort=["@x_sort@"], title="@x_title@",
              axis=alt.Axis(labelAngle=-40, labelLimit=160, orient="top"))
    y = alt.Y(field="@y_field@", type="nominal", sort=["@y_sort@"], title="@y_title@",
              axis=alt.Axis(labelLimit=220))
    dots = alt.Chart().mark_circle(color=INK, opacity=0.9).encode(
        x=x, y=y, size=alt.Size("count:Q", title=_("Persons"),
                                scale=alt.Scale(range=[4, 420], zero=True)),
        tooltip=["row:N", "col:N", "count:Q"]).transform_filter("!datum.hidden")
    hidden = alt.Chart().mark_point(shape="cross", angle=45, size=40, color=INK).encode(
        x=x, y=y).transform_filter("datum.hidden")
    chart = alt.layer(dots, hidden, data=alt.Data(values=["@data@"])).properties(
        width=alt.Step(24), height=alt.Step(20),
        title=alt.TitleParams("@title@", subtitle=_(
            "Dot area: persons; × suppressed; no dot: none")),
    ).configure(aria=False).configure_view(stroke="#767676").configure_axis(
        grid=True, gridColor="#d0d0d0")
    return dict(chart.to_dict(validate=False))


def _top_categories(trend: Mapping[int, Published], limit: int) -> list[str]:
    latest = trend[max(trend)].table
    keys = latest.table.row_keys
    sizes = {k: latest.grid[r][0] for r, k in enumerate(keys)}
    return sorted((k for k in keys if sizes[k] > 0), key=lambda k: -sizes[k])[:limit]


def trend_spec(dim: str, trend: Mapping[int, Published], *, limit: int = 8) -> dict[str, Any]:
    """Counts per year of a one-way table: the `limit` largest categories of the last year."""
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
    return dict(_filled(_template("trend", get_language()), {
        "@data@": data, "@labels@": labels, "@shapes@": SHAPES[:len(labels)],
        "@dashes@": DASHES[:len(labels)], "@dimension@": str(dimension.label),
        "@title@": _("Registered victims per year by %(dimension)s") % {
            "dimension": str(dimension.label).lower()},
    }))


def crosstab_spec(published: Published) -> dict[str, Any]:
    """A two-way table as a balloon plot: one dot per cell, its area the count.

    Black dots on a grid of the two dimensions' categories read without colour;
    a suppressed cell is an "×" (as "x" in the table), an empty one has no dot.
    The dimension with more categories runs down, so that long labels stay
    readable. One panel and no text marks per cell: drawing is cheap, which
    matters with a hundred and more cross tables in the yearly report.
    """
    table = published.table.table
    row, col = DIMENSIONS[table.row_dim], DIMENSIONS[table.col_dim or ""]
    data = []
    for r, row_key in enumerate(table.row_keys):
        for c, col_key in enumerate(table.col_keys):
            value = published.table.shown(r, c)
            if value != 0:
                data.append({"row": row.label_of(row_key), "col": col.label_of(col_key),
                             "count": value, "hidden": value is None})
    rows = [row.label_of(k) for k in table.row_keys]
    cols = [col.label_of(k) for k in table.col_keys]
    across, down = ("col", cols, col), ("row", rows, row)
    if len(cols) > len(rows):
        across, down = down, across
    return dict(_filled(_template("crosstab", get_language()), {
        "@data@": data, "@x_field@": across[0], "@x_sort@": across[1],
        "@x_title@": str(across[2].label), "@y_field@": down[0], "@y_sort@": down[1],
        "@y_title@": str(down[2].label), "@title@": f"{row.label} × {col.label}",
    }))


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
    ).configure(aria=False).configure_view(stroke=None)
    return chart.to_dict(validate=False)


def _change(drop: int | None) -> str:
    """A drop-off as "(−40%)"; a rise (more cases than the step before) as "(+11%)"."""
    if drop is None:
        return ""
    return f"  (−{drop}%)" if drop >= 0 else f"  (+{-drop}%)"


def to_svg(spec: dict[str, Any]) -> str:
    return render.svg(spec)


def to_png(spec: dict[str, Any], *, scale: float = 2) -> bytes:
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, scale=scale))
