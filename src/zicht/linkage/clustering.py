"""Clusters (persons) from pairwise links: connected components over accepted links.

A reviewer's decision overrides the model: "same" adds the edge whatever the
score, "different" removes it. Cluster ids are the smallest record id in the
component, so re-running on unchanged links gives the same ids.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def clusters(
    record_ids: Sequence[Hashable],
    edges: Iterable[tuple[Hashable, Hashable]],
) -> dict[Hashable, Hashable]:
    """{record id: cluster id} for every record; singletons are their own cluster."""
    ids = list(record_ids)
    index = {record: position for position, record in enumerate(ids)}
    left: list[int] = []
    right: list[int] = []
    for a, b in edges:
        if a in index and b in index:
            left.append(index[a])
            right.append(index[b])
    size = len(ids)
    if size == 0:
        return {}
    graph = coo_matrix(
        (np.ones(len(left), dtype=np.int8), (np.array(left, dtype=np.int64),
                                             np.array(right, dtype=np.int64))),
        shape=(size, size),
    )
    _, labels = connected_components(graph, directed=False)
    # The smallest id (by sort order) represents its component: stable across runs.
    order = sorted(range(size), key=lambda position: _sort_key(ids[position]))
    representative: dict[int, Hashable] = {}
    for position in order:
        representative.setdefault(int(labels[position]), ids[position])
    return {ids[position]: representative[int(labels[position])] for position in range(size)}


def _sort_key(value: Hashable) -> tuple[int, str]:
    text = str(value)
    return (0, f"{int(text):020d}") if text.isdigit() else (1, text)


def accepted_edges(
    scored: Iterable[tuple[Hashable, Hashable, float]],
    *,
    threshold: float,
    same: Iterable[tuple[Hashable, Hashable]] = (),
    different: Iterable[tuple[Hashable, Hashable]] = (),
) -> list[tuple[Hashable, Hashable]]:
    """Edges at or above the threshold, with reviewers' decisions applied."""
    forbidden = {frozenset(pair) for pair in different}
    edges = [
        (a, b) for a, b, weight in scored
        if weight >= threshold and frozenset((a, b)) not in forbidden
    ]
    edges += [(a, b) for a, b in same if frozenset((a, b)) not in forbidden]
    return edges


def pairs_from_clusters(assignment: dict[Hashable, Hashable]) -> set[frozenset[Hashable]]:
    """Every within-cluster pair (for pairwise precision and recall)."""
    members: dict[Hashable, list[Hashable]] = {}
    for record, cluster in assignment.items():
        members.setdefault(cluster, []).append(record)
    pairs: set[frozenset[Hashable]] = set()
    for group in members.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                pairs.add(frozenset((a, b)))
    return pairs
