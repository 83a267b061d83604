"""Small-cell suppression for the aggregates the programme monitor shows.

A count below the threshold could point at one person, so it is shown as "<5";
a cell hidden only to protect another one is shown as "×".
The figures module is to own disclosure control for all of zicht; until then the
regional page uses this helper, with the same threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

THRESHOLD = 5


def suppress(count: int, *, threshold: int = THRESHOLD) -> str:
    """The count as shown: "<5" for 0–4 (zero included, so a gap is no clue), else the number."""
    if count < threshold:
        return f"<{threshold}"
    return str(count)


def suppress_row(counts: Mapping[Any, int], *, threshold: int = THRESHOLD) -> dict[Any, str]:
    """Cells of one row shown next to its total.

    When exactly one cell is small, the total minus the others would give it away,
    so the smallest other cell is hidden too (secondary suppression).
    """
    shown = {key: suppress(value, threshold=threshold) for key, value in counts.items()}
    small = [key for key, value in counts.items() if value < threshold]
    large = sorted((value, str(key), key) for key, value in counts.items() if value >= threshold)
    if len(small) == 1 and large and sum(counts.values()) >= threshold:
        key = large[0][2]
        shown[key] = "×"
    return shown


def suppressed_total(counts: Mapping[Any, int], *, threshold: int = THRESHOLD) -> str:
    """A total is suppressed on its own value; cells are never summed back from shown values."""
    return suppress(sum(counts.values()), threshold=threshold)
