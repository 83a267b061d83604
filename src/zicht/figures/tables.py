"""Monitor tables: counts of units by one or two dimensions, with margins.

A table's margins count distinct units. For every dimension but the form that
is the sum of the cells; a person with two forms is counted under both forms,
so a total over forms counts that person once (docs/figures.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from zicht.core.exceptions import ApplicationError

from .counting import DIMENSIONS, CountedRows

TOTAL = "total"
# Crossed with each other these give tables of thousands of mostly empty cells.
NOT_CROSSED = frozenset({("citizenship", "sector")})


@dataclass
class Table:
    """Counts by `row_dim` (and `col_dim`); `cells[r][c]`, margins as distinct units."""

    row_dim: str
    col_dim: str | None
    row_keys: list[str]
    col_keys: list[str]
    cells: list[list[int]]
    row_totals: list[int]
    col_totals: list[int]
    total: int

    @property
    def dims(self) -> tuple[str, ...]:
        return (self.row_dim,) if self.col_dim is None else (self.row_dim, self.col_dim)

    @property
    def name(self) -> str:
        return "x".join(self.dims)

    def grid(self) -> list[list[int]]:
        """The table extended with its margins: last row and column are totals.

        A one-way table has one column (the counts) and a total row.
        """
        if self.col_dim is None:
            return [[row[0]] for row in self.cells] + [[self.total]]
        rows = [list(row) + [total] for row, total in zip(self.cells, self.row_totals,
                                                          strict=True)]
        return rows + [list(self.col_totals) + [self.total]]


def parse_dims(by: str | Sequence[str]) -> tuple[str, ...]:
    dims = tuple(d.strip() for d in (by.split(",") if isinstance(by, str) else by) if d.strip())
    if not 1 <= len(dims) <= 2:
        raise ApplicationError("Choose one or two dimensions.", field="by")
    for dim in dims:
        if dim not in DIMENSIONS:
            raise ApplicationError(
                f"Unknown dimension {dim!r}; choose from {', '.join(DIMENSIONS)}.", field="by")
    if len(dims) == 2 and (dims[0] == dims[1] or tuple(sorted(dims)) in NOT_CROSSED):
        raise ApplicationError(f"{dims[0]} cannot be crossed with {dims[1]}.", field="by")
    return dims


def _keys(dim: str, seen: set[str]) -> list[str]:
    dimension = DIMENSIONS[dim]
    listed = [key for key, _label in dimension.categories]
    if dimension.open_ended:
        return sorted(seen)
    return listed + sorted(seen - set(listed))


class _Exploded:
    """Columns repeated once per form of each unit: what form tables count over."""

    def __init__(self, rows: CountedRows):
        self.index = [i for i, forms in enumerate(rows.forms) for _ in forms]
        self.form = [form for forms in rows.forms for form in forms]
        self._rows = rows
        self._cache: dict[str, list[str]] = {}

    def column(self, dim: str) -> list[str]:
        if dim == "form":
            return self.form
        if dim not in self._cache:
            values = self._rows.values(dim)
            self._cache[dim] = [values[i] for i in self.index]
        return self._cache[dim]


def build_table(rows: CountedRows, dims: Sequence[str], *,
                exploded: _Exploded | None = None) -> Table:
    dims = parse_dims(dims)
    if "form" in dims:
        exploded = exploded or _Exploded(rows)
    if len(dims) == 1:
        dim = dims[0]
        # `exploded` is set above whenever the form is a dimension.
        counts = Counter(exploded.column(dim) if dim == "form" and exploded
                         else rows.values(dim))
        keys = _keys(dim, set(counts))
        cells = [[counts.get(k, 0)] for k in keys]
        return Table(dim, None, keys, [TOTAL], cells, [c[0] for c in cells],
                     [len(rows)], len(rows))
    row_dim, col_dim = dims
    if "form" in dims:
        assert exploded is not None  # set above whenever the form is a dimension
        pairs = Counter(zip(exploded.column(row_dim), exploded.column(col_dim), strict=True))
    else:
        pairs = Counter(zip(rows.values(row_dim), rows.values(col_dim), strict=True))
    row_keys = _keys(row_dim, {r for r, _c in pairs})
    col_keys = _keys(col_dim, {c for _r, c in pairs})
    cells = [[pairs.get((r, c), 0) for c in col_keys] for r in row_keys]
    # Margins: distinct units. Along the form they are not the sum of the cells.
    row_totals = _margin(rows, row_dim, row_keys, exploded)
    col_totals = _margin(rows, col_dim, col_keys, exploded)
    return Table(row_dim, col_dim, row_keys, col_keys, cells, row_totals, col_totals, len(rows))


def _margin(rows: CountedRows, dim: str, keys: list[str], exploded: _Exploded | None
            ) -> list[int]:
    counts = Counter(exploded.column(dim) if dim == "form" and exploded else rows.values(dim))
    return [counts.get(k, 0) for k in keys]


def monitor_specs() -> list[tuple[str, ...]]:
    """Every table of the yearly monitor: each dimension alone, and every pair."""
    singles: list[tuple[str, ...]] = [(d,) for d in DIMENSIONS]
    pairs: list[tuple[str, ...]] = [
        pair for pair in combinations(DIMENSIONS, 2) if tuple(sorted(pair)) not in NOT_CROSSED]
    return singles + pairs


def monitor_tables(rows: CountedRows) -> dict[tuple[str, ...], Table]:
    exploded = _Exploded(rows)
    return {dims: build_table(rows, dims, exploded=exploded) for dims in monitor_specs()}


def labels(table: Table) -> dict[str, Any]:
    """Human labels for a table's keys."""
    row = DIMENSIONS[table.row_dim]
    out: dict[str, Any] = {"row_title": str(row.label),
                           "rows": [row.label_of(k) for k in table.row_keys]}
    if table.col_dim:
        col = DIMENSIONS[table.col_dim]
        out.update(col_title=str(col.label), cols=[col.label_of(k) for k in table.col_keys])
    return out
