"""Suppressed cells cannot be recovered from the published margins.

The attacker here is independent of the suppression code: it writes down every
row and column equation of the published table, moves the published numbers to
the right-hand side and asks, by exact Gaussian elimination, whether any hidden
cell's value is fixed by them.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from zicht.figures.suppression import PRIMARY, SECONDARY, suppress
from zicht.figures.tables import Table


def make_table(cells: list[list[int]]) -> Table:
    rows = [sum(row) for row in cells]
    cols = [sum(col) for col in zip(*cells, strict=True)]
    return Table("sex", "scope", [str(i) for i in range(len(cells))],
                 [str(j) for j in range(len(cells[0]))], cells, rows, cols, sum(rows))


def make_one_way(counts: list[int]) -> Table:
    return Table("sex", None, [str(i) for i in range(len(counts))], ["total"],
                 [[v] for v in counts], counts, [sum(counts)], sum(counts))


def equations(grid: list[list[int]], two_way: bool) -> list[list[tuple[int, int]]]:
    """Each equation as the entries it adds up; the last entry is the total (sign -1)."""
    n_rows, n_cols = len(grid), len(grid[0])
    if not two_way:
        return [[(r, 0) for r in range(n_rows)]]
    rows = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    cols = [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    return rows + cols


def _rank(matrix: list[list[Fraction]]) -> int:
    m = [row[:] for row in matrix]
    rank, width = 0, len(m[0]) if m else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                factor = m[i][col] / m[rank][col]
                m[i] = [a - factor * b for a, b in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def recoverable(published, two_way: bool) -> set[tuple[int, int]]:
    """Hidden entries whose value the published numbers determine exactly."""
    grid = published.grid
    hidden = sorted(published.suppressed())
    if not hidden:
        return set()
    position = {entry: k for k, entry in enumerate(hidden)}
    matrix = []
    for equation in equations(grid, two_way):
        row = [Fraction(0)] * len(hidden)
        for k, entry in enumerate(equation):
            if entry in position:
                row[position[entry]] = Fraction(-1 if k == len(equation) - 1 else 1)
        if any(row):
            matrix.append(row)
    base = _rank(matrix) if matrix else 0
    found = set()
    for entry, k in position.items():
        unit = [Fraction(0)] * len(hidden)
        unit[k] = Fraction(1)
        if _rank([*matrix, unit]) == base:
            found.add(entry)
    return found


small_counts = st.integers(min_value=0, max_value=40) | st.integers(min_value=0, max_value=6)
tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda n_cols: st.lists(st.lists(small_counts, min_size=n_cols, max_size=n_cols),
                            min_size=1, max_size=5))


@settings(max_examples=300, deadline=None)
@given(cells=tables)
def test_no_hidden_cell_of_a_two_way_table_can_be_solved_from_its_margins(cells):
    published = suppress(make_table(cells), threshold=5, show_zeros=True)
    assert recoverable(published, two_way=True) == set()


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(small_counts, min_size=1, max_size=8))
def test_no_hidden_cell_of_a_one_way_table_can_be_solved_from_its_total(counts):
    published = suppress(make_one_way(counts), threshold=5, show_zeros=True)
    assert recoverable(published, two_way=False) == set()


@settings(max_examples=200, deadline=None)
@given(cells=tables)
def test_every_small_count_is_hidden_and_every_large_inner_count_kept_unless_needed(cells):
    published = suppress(make_table(cells), threshold=5, show_zeros=True)
    for r, row in enumerate(published.grid):
        for c, value in enumerate(row):
            if 0 < value < 5:
                assert published.status[r][c] == PRIMARY
            elif published.status[r][c]:
                assert published.status[r][c] == SECONDARY


def test_the_attacker_does_recover_a_lone_hidden_cell():
    # Without secondary suppression the margins give the cell away: the test can fail.
    published = suppress(make_table([[3, 20], [30, 40]]), threshold=5, show_zeros=True)
    published.status = [[PRIMARY if (r, c) == (0, 0) else None for c in range(3)]
                        for r in range(3)]
    assert recoverable(published, two_way=True) == {(0, 0)}


def test_it_hides_the_smallest_cells_that_close_a_rectangle():
    published = suppress(make_table([[3, 20, 50], [30, 12, 60], [40, 41, 42]]), threshold=5)
    assert published.suppressed() == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert published.as_rows()[0] == ["x", "x", 50, 73]


def test_zero_is_hidden_where_zeros_are_not_shown():
    shown = suppress(make_one_way([0, 10, 12]), threshold=5, show_zeros=True)
    hidden = suppress(make_one_way([0, 10, 12]), threshold=5, show_zeros=False)
    assert shown.as_rows()[0] == [0]
    assert hidden.as_rows()[0] == ["x"]
    assert hidden.count(SECONDARY) == 1
