"""Monitor tables: counts of units by one or two dimensions, with margins.

A table's margins count distinct units. For every dimension but the form that
is the sum of the cells; a person with two forms is counted under both forms,
so a total over forms counts that person once (docs/figures.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from zicht.core.exceptions import ApplicationError

from .counting import DIMENSIONS, CountedRows

TOTAL = "total"
# Crossed with each other these give a table of hundreds of mostly small cells: it can
# be asked for, but the yearly monitor leaves it out.
NOT_IN_MONITOR = frozenset({("citizenship", "sector")})


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
    if len(dims) == 2 and dims[0] == dims[1]:
        raise ApplicationError(f"{dims[0]} cannot be crossed with itself.", field="by")
    return dims


def _keys(dim: str, seen: set[str]) -> list[str]:
    dimension = DIMENSIONS[dim]
    listed = [key for key, _label in dimension.categories]
    if dimension.open_ended:
        return sorted(seen)
    return listed + sorted(seen - set(listed))


def _ordered(dim: str, counts: np.ndarray, categories: list[str]
             ) -> tuple[list[str], np.ndarray]:
    """The table's keys for a dimension, and per key the position among `categories`
    (-1: a listed category that did not occur)."""
    seen = {category for category, count in zip(categories, counts.tolist(), strict=True)
            if count}
    keys = _keys(dim, seen)
    position = {category: i for i, category in enumerate(categories)}
    return keys, np.array([position.get(key, -1) for key in keys], dtype=np.int64)


def _take(counts: np.ndarray, index: np.ndarray) -> list[int]:
    """counts[index], with 0 where the index is -1."""
    if not len(index):
        return []
    padded = np.append(counts, 0)
    return [int(v) for v in padded[index]]


def build_table(rows: CountedRows, dims: Sequence[str]) -> Table:
    """Counts by one or two dimensions, with integer codes and numpy (one bincount a table).

    A pair with the form counts over the (unit, form) entries: the other
    dimension's code is repeated for each form of the unit.
    """
    dims = parse_dims(dims)
    if len(dims) == 1:
        codes, categories = rows.coded(dims[0])
        counts = np.bincount(codes, minlength=len(categories))
        keys, index = _ordered(dims[0], counts, categories)
        cells = [[value] for value in _take(counts, index)]
        return Table(dims[0], None, keys, [TOTAL], cells, [c[0] for c in cells],
                     [len(rows)], len(rows))
    row_dim, col_dim = dims
    row_codes, row_categories = rows.coded(row_dim)
    col_codes, col_categories = rows.coded(col_dim)
    # Margins count distinct units: along the form that is not the sum of the cells.
    row_counts = np.bincount(row_codes, minlength=len(row_categories))
    col_counts = np.bincount(col_codes, minlength=len(col_categories))
    if row_dim == "form":
        col_codes = col_codes[rows.form_row]
    elif col_dim == "form":
        row_codes = row_codes[rows.form_row]
    n_cols = len(col_categories)
    pairs = np.bincount(row_codes * n_cols + col_codes,
                        minlength=len(row_categories) * n_cols).reshape(-1, n_cols) \
        if n_cols else np.zeros((len(row_categories), 0), dtype=np.int64)
    row_keys, row_index = _ordered(row_dim, row_counts, row_categories)
    col_keys, col_index = _ordered(col_dim, col_counts, col_categories)
    padded = np.zeros((pairs.shape[0] + 1, pairs.shape[1] + 1), dtype=np.int64)
    padded[:-1, :-1] = pairs
    grid = padded[row_index][:, col_index] if len(row_index) and len(col_index) else \
        np.zeros((len(row_index), len(col_index)), dtype=np.int64)
    return Table(row_dim, col_dim, row_keys, col_keys, grid.tolist(),
                 _take(row_counts, row_index), _take(col_counts, col_index), len(rows))


def monitor_specs() -> list[tuple[str, ...]]:
    """Every table of the yearly monitor: each dimension alone, and every pair."""
    singles: list[tuple[str, ...]] = [(d,) for d in DIMENSIONS]
    pairs: list[tuple[str, ...]] = [
        pair for pair in combinations(DIMENSIONS, 2) if tuple(sorted(pair)) not in NOT_IN_MONITOR]
    return singles + pairs


def monitor_tables(rows: CountedRows) -> dict[tuple[str, ...], Table]:
    return {dims: build_table(rows, dims) for dims in monitor_specs()}


def labels(table: Table) -> dict[str, Any]:
    """Human labels for a table's keys."""
    row = DIMENSIONS[table.row_dim]
    out: dict[str, Any] = {"row_title": str(row.label),
                           "rows": [row.label_of(k) for k in table.row_keys]}
    if table.col_dim:
        col = DIMENSIONS[table.col_dim]
        out.update(col_title=str(col.label), cols=[col.label_of(k) for k in table.col_keys])
    return out
