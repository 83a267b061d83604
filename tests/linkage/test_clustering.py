from __future__ import annotations

from zicht.linkage.clustering import accepted_edges, clusters, pairs_from_clusters


def test_it_makes_one_cluster_per_connected_group_named_after_its_smallest_id():
    assignment = clusters([3, 1, 2, 4, 5], [(1, 2), (2, 3), (4, 5)])
    assert assignment == {1: 1, 2: 1, 3: 1, 4: 4, 5: 4}


def test_a_record_without_links_is_its_own_person():
    assert clusters(["a", "b"], []) == {"a": "a", "b": "b"}


def test_reviewers_decisions_override_the_model():
    scored = [(1, 2, 9.0), (2, 3, 2.0), (3, 4, 8.0)]
    edges = accepted_edges(scored, threshold=6.0, same=[(2, 3)], different=[(3, 4)])
    assert sorted(edges) == [(1, 2), (2, 3)]
    assert clusters([1, 2, 3, 4], edges) == {1: 1, 2: 1, 3: 1, 4: 4}


def test_it_lists_every_pair_inside_a_cluster():
    pairs = pairs_from_clusters({"a": 1, "b": 1, "c": 1, "d": 2})
    assert pairs == {frozenset("ab"), frozenset("ac"), frozenset("bc")}
