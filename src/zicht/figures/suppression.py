"""Disclosure control for published tables: primary and secondary cell suppression.

Primary: a count of 1 to threshold-1 could point at a person, so it is hidden
(and zero too where zeros are not shown, FIGURES["SHOW_ZEROS"]).

Secondary: with the margins published, a lone hidden cell in a row is the total
minus the rest. Seen as a graph (one node per row and per column of the table
with its margins, one edge per hidden cell) the row and column equations fix a
hidden cell's value exactly when its edge lies on no cycle, i.e. is a bridge.
So complementary cells are added until no hidden cell is a bridge, each time
choosing the smallest cell that closes a cycle through it (inner cells before
margins, non-zero before zero). A one-way table has a single equation: two
hidden entries suffice. This protects against exact recovery from the margins;
tests/figures try to solve the equations and fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from .tables import Table

PRIMARY = "primary"
SECONDARY = "secondary"
SUPPRESSED_MARK = "x"

Entry = tuple[int, int]


def threshold_setting() -> int:
    return int(getattr(settings, "FIGURES", {}).get("THRESHOLD", 5))


def show_zeros_setting() -> bool:
    return bool(getattr(settings, "FIGURES", {}).get("SHOW_ZEROS", True))


@dataclass
class SuppressedTable:
    table: Table
    grid: list[list[int]]
    status: list[list[str | None]]
    threshold: int

    def shown(self, r: int, c: int) -> int | None:
        return None if self.status[r][c] else self.grid[r][c]

    def shown_grid(self) -> list[list[int | None]]:
        return [[self.shown(r, c) for c in range(len(row))] for r, row in enumerate(self.grid)]

    def suppressed(self) -> set[Entry]:
        return {(r, c) for r, row in enumerate(self.status) for c, s in enumerate(row) if s}

    def count(self, kind: str) -> int:
        return sum(1 for row in self.status for s in row if s == kind)

    def as_rows(self, *, mark: str = SUPPRESSED_MARK) -> list[list[Any]]:
        return [[mark if v is None else v for v in row] for row in self.shown_grid()]


def suppress(table: Table, *, threshold: int | None = None, show_zeros: bool | None = None,
             extra_primary: Iterable[Entry] = ()) -> SuppressedTable:
    """The table with primary and secondary suppression applied."""
    threshold = threshold_setting() if threshold is None else threshold
    show_zeros = show_zeros_setting() if show_zeros is None else show_zeros
    grid = table.grid()
    status: list[list[str | None]] = [[None] * len(row) for row in grid]
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if 0 < value < threshold or (value == 0 and not show_zeros):
                status[r][c] = PRIMARY
    for r, c in extra_primary:
        status[r][c] = PRIMARY
    if table.col_dim is None:
        _protect_line(grid, status)
    else:
        _protect_two_way(grid, status)
    return SuppressedTable(table=table, grid=grid, status=status, threshold=threshold)


def _cost(grid: list[list[int]], entry: Entry) -> tuple[Any, ...]:
    """Information lost by hiding an entry: margins last, zeros after counts, small first."""
    r, c = entry
    last_r, last_c = len(grid) - 1, len(grid[0]) - 1
    margin = (r == last_r) + (c == last_c)
    value = grid[r][c]
    return (margin, value == 0, value, r, c)


def _protect_line(grid: list[list[int]], status: list[list[str | None]]) -> None:
    hidden = [r for r in range(len(grid)) if status[r][0]]
    if len(hidden) == 1:
        free = [(r, 0) for r in range(len(grid)) if not status[r][0]]
        if free:
            r, c = min(free, key=lambda e: _cost(grid, e))
            status[r][c] = SECONDARY


def _protect_two_way(grid: list[list[int]], status: list[list[str | None]]) -> None:
    n_rows, n_cols = len(grid), len(grid[0])
    while True:
        hidden = {(r, c) for r in range(n_rows) for c in range(n_cols) if status[r][c]}
        bridge = next(iter(sorted(bridges(hidden))), None)
        if bridge is None:
            return
        r, c = bridge
        component = _components(hidden - {bridge}, n_rows, n_cols)
        side_r, side_c = component[("r", r)], component[("c", c)]
        free = [(i, j) for i in range(n_rows) for j in range(n_cols) if not status[i][j]]
        closing = [(i, j) for i, j in free
                   if {component[("r", i)], component[("c", j)]} == {side_r, side_c}]
        if closing:
            pick = min(closing, key=lambda e: _cost(grid, e))
        else:
            # No single cell closes a cycle: widen the smaller side and try again.
            size_r = sum(1 for node, comp in component.items() if comp == side_r)
            size_c = sum(1 for node, comp in component.items() if comp == side_c)
            line = ([(r, j) for j in range(n_cols)] if size_r <= size_c
                    else [(i, c) for i in range(n_rows)])
            options = [e for e in line if not status[e[0]][e[1]]]
            if not options:
                options = free
            pick = min(options, key=lambda e: _cost(grid, e))
        status[pick[0]][pick[1]] = SECONDARY


def _components(edges: set[Entry], n_rows: int, n_cols: int) -> dict[tuple[str, int], int]:
    parent: dict[tuple[str, int], tuple[str, int]] = {}
    nodes = [("r", i) for i in range(n_rows)] + [("c", j) for j in range(n_cols)]
    for node in nodes:
        parent[node] = node

    def find(node: tuple[str, int]) -> tuple[str, int]:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for r, c in edges:
        a, b = find(("r", r)), find(("c", c))
        if a != b:
            parent[a] = b
    roots = {node: find(node) for node in nodes}
    numbering = {root: n for n, root in enumerate(dict.fromkeys(roots.values()))}
    return {node: numbering[root] for node, root in roots.items()}


def bridges(edges: set[Entry]) -> set[Entry]:
    """Hidden cells that lie on no cycle of the row/column graph (Tarjan, iterative)."""
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], Entry]]] = {}
    for r, c in edges:
        adjacency.setdefault(("r", r), []).append((("c", c), (r, c)))
        adjacency.setdefault(("c", c), []).append((("r", r), (r, c)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: set[Entry] = set()
    counter = 0
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[tuple[str, int], Entry | None, int]] = [(root, None, 0)]
        while stack:
            node, via, index = stack[-1]
            if index < len(adjacency[node]):
                stack[-1] = (node, via, index + 1)
                neighbour, edge = adjacency[node][index]
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge, 0))
            else:
                stack.pop()
                if stack and via is not None:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(via)
    return found
