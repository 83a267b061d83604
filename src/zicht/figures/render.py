"""Vega-Lite to SVG with vl-convert, in worker processes when there are many charts.

vl-convert runs one JavaScript engine per process and serialises the calls
made to it, so threads do not draw charts side by side; processes do. This
module imports nothing of Django, so that a freshly spawned worker can load it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

logger = logging.getLogger(__name__)

# Below this many charts starting workers (about a second each) does not pay.
POOL_FROM = 24
MAX_WORKERS = 4


def svg(spec: dict[str, Any] | None) -> str:
    """The chart as SVG, hidden from assistive technology: Vega gives its marks ARIA
    roles without names, and every page puts the chart in a labelled figure (role
    "img") next to the table that holds its numbers."""
    if not spec:
        return ""
    import vl_convert

    drawn = str(vl_convert.vegalite_to_svg(spec))
    return drawn.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def svgs(specs: Sequence[dict[str, Any] | None], *,
         done: Callable[[int], None] | None = None) -> list[str]:
    """Every spec as SVG, in order ("" for None); `done(n)` after each batch."""
    workers = min(MAX_WORKERS, os.cpu_count() or 1)
    if len(specs) >= POOL_FROM and workers > 1:
        try:
            return _in_workers(specs, workers=workers, done=done)
        except (BrokenProcessPool, OSError) as error:  # no processes here: draw them ourselves
            logger.warning("charts drawn in one process: %s", error)
    out = []
    for spec in specs:
        out.append(svg(spec))
        if done and len(out) % 10 == 0:
            done(len(out))
    return out


def _in_workers(specs: Sequence[dict[str, Any] | None], *, workers: int,
                done: Callable[[int], None] | None) -> list[str]:
    chunk = 8
    # "spawn": a fresh interpreter, not a fork of one that holds database connections
    # and vl-convert's engine thread.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        out: list[str] = []
        for drawn in pool.map(svg, specs, chunksize=chunk):
            out.append(drawn)
            if done and len(out) % chunk == 0:
                done(len(out))
    return out
