"""Pathway outcomes as monitor dimensions: each rule on hand-made cases at the period's edges."""

from __future__ import annotations

import datetime as dt
import random

from zicht.figures import demo, selectors
from zicht.figures.counting import counted_rows, year_bounds
from zicht.figures.tables import build_table
from zicht.organisations.models import Organisation

Y2024 = year_bounds(2024)


def _outcome_of(registry, dim: str) -> dict[int, str]:
    """Per person (by their reference signal), the category counted for 2024."""
    from zicht.registry.models import Signal

    person_of = dict(Signal.objects.values_list("pk", "person_id"))
    return {person_of[row["signal_id"]]: row[dim]
            for row in counted_rows(start=Y2024[0], end=Y2024[1]).rows()}


def _counted(registry, **fields):  # type: ignore[no-untyped-def]
    return registry.person(signals=[{"on": dt.date(2024, 5, 1)}], **fields)


def test_victim_status_is_the_last_decision_by_the_end_of_the_year(registry):
    undecided = _counted(registry)
    identified = _counted(registry)
    registry.decide(identified, "identified", on=dt.date(2024, 12, 31))
    changed = _counted(registry)
    registry.decide(changed, "identified", on=dt.date(2023, 3, 1))
    registry.decide(changed, "not_victim", on=dt.date(2024, 2, 1))
    later = _counted(registry)
    registry.decide(later, "identified", on=dt.date(2025, 1, 1))
    assert _outcome_of(registry, "victim_status") == {
        undecided.pk: "possible", identified.pk: "identified", changed.pk: "not_victim",
        later.pk: "possible"}


def test_a_reflection_period_counts_when_it_ran_on_any_day_of_the_year(registry):
    running_in = _counted(registry)
    registry.deadline(running_in, "reflection_period", starts_on=dt.date(2023, 11, 1),
                      due_on=dt.date(2024, 2, 1))
    ended_before = _counted(registry)
    registry.deadline(ended_before, "reflection_period", starts_on=dt.date(2023, 9, 1),
                      due_on=dt.date(2023, 12, 1), closed_on=dt.date(2023, 12, 31))
    closed_early = _counted(registry)
    # Closed by an aangifte before its due date, which fell in the year.
    registry.deadline(closed_early, "reflection_period", starts_on=dt.date(2023, 10, 1),
                      due_on=dt.date(2024, 1, 1), closed_on=dt.date(2023, 12, 15))
    starts_after = _counted(registry)
    registry.deadline(starts_after, "reflection_period", starts_on=dt.date(2025, 1, 1),
                      due_on=dt.date(2025, 4, 1))
    assert _outcome_of(registry, "reflection_period") == {
        running_in.pk: "granted", ended_before.pk: "not_granted",
        closed_early.pk: "not_granted", starts_after.pk: "not_granted"}


def test_a_b8_permit_counts_while_it_runs_and_not_after_the_case_ended(registry):
    running = _counted(registry)
    registry.deadline(running, "b8_permit", starts_on=dt.date(2022, 6, 1))
    ended_in_year = _counted(registry)
    registry.deadline(ended_in_year, "b8_permit", starts_on=dt.date(2022, 6, 1),
                      closed_on=dt.date(2024, 1, 1))
    ended_before = _counted(registry)
    registry.deadline(ended_before, "b8_permit", starts_on=dt.date(2022, 6, 1),
                      closed_on=dt.date(2023, 12, 31))
    assert _outcome_of(registry, "b8_permit") == {
        running.pk: "granted", ended_in_year.pk: "granted", ended_before.pk: "not_granted"}


def test_an_aangifte_counts_in_the_year_it_was_made(registry):
    made = _counted(registry)
    registry.aangifte(made, on=dt.date(2024, 12, 31))
    before = _counted(registry)
    registry.aangifte(before, on=dt.date(2023, 12, 31))
    assert _outcome_of(registry, "aangifte") == {made.pk: "made", before.pk: "not_made"}


def test_compensation_is_awarded_in_the_year_or_claimed_while_the_claim_was_open(registry):
    awarded = _counted(registry)
    registry.claim(awarded, filed_on=dt.date(2022, 1, 1), outcome="partly_awarded",
                   decided_on=dt.date(2024, 3, 1))
    settled = _counted(registry)
    registry.claim(settled, filed_on=dt.date(2024, 1, 1), outcome="settled",
                   decided_on=dt.date(2024, 2, 1))
    rejected = _counted(registry)
    registry.claim(rejected, filed_on=dt.date(2023, 1, 1), outcome="rejected",
                   decided_on=dt.date(2024, 3, 1))
    pending = _counted(registry)
    registry.claim(pending, filed_on=dt.date(2021, 1, 1))
    decided_before = _counted(registry)
    registry.claim(decided_before, filed_on=dt.date(2023, 1, 1), outcome="awarded",
                   decided_on=dt.date(2023, 12, 31))
    filed_after = _counted(registry)
    registry.claim(filed_after, filed_on=dt.date(2025, 1, 1))
    assert _outcome_of(registry, "compensation") == {
        awarded.pk: "awarded", settled.pk: "awarded", rejected.pk: "claimed",
        pending.pk: "claimed", decided_before.pk: "none", filed_after.pk: "none"}


def test_outcomes_of_any_registration_of_a_linked_person_count(registry):
    counted = _counted(registry)
    # The same person registered again, without a signal in 2024, made the aangifte.
    other = registry.person(signals=[{"on": dt.date(2022, 1, 1)}])
    registry.aangifte(other, on=dt.date(2024, 6, 1))
    registry.decide(other, "identified", on=dt.date(2024, 6, 1))
    registry.link(counted, other, cluster=3)
    (row,) = counted_rows(start=Y2024[0], end=Y2024[1]).rows()
    assert (row["aangifte"], row["victim_status"]) == ("made", "identified")


def test_pathway_outcomes_cross_with_any_other_dimension(registry):
    for form, identified in (("labour", True), ("labour", False), ("sexual", True)):
        person = registry.person(signals=[{"on": dt.date(2024, 5, 1), "forms": [form]}])
        if identified:
            registry.decide(person, "identified", on=dt.date(2024, 6, 1))
            registry.aangifte(person, on=dt.date(2024, 7, 1))
    rows = counted_rows(start=Y2024[0], end=Y2024[1])
    table = build_table(rows, ["form", "victim_status"])
    cell = dict(zip(table.col_keys, table.cells[table.row_keys.index("labour")], strict=True))
    assert (cell["identified"], cell["possible"]) == (1, 1)
    aangifte = build_table(rows, ["victim_status", "aangifte"])
    assert aangifte.cells[aangifte.row_keys.index("identified")][
        aangifte.col_keys.index("made")] == 2


def test_the_funnel_starts_with_signals_then_identified_victims(registry, settings):
    settings.FIGURES = {**settings.FIGURES, "THRESHOLD": 2}
    for n in range(5):
        person = registry.person(signals=[{"on": dt.date(2022, 3, 1), "forms": ["labour"]},
                                          {"on": dt.date(2022, 4, 1), "forms": ["labour"]}])
        if n < 3:
            registry.decide(person, "identified", on=dt.date(2022, 9, 1))
    demo.populate(rng=random.Random(1), organisations=Organisation.objects.all(),
                  today=dt.date(2025, 6, 1))
    funnel = selectors.funnel(actor=None, year=2022, form="labour")
    assert [step.key for step in funnel.steps] == [
        "signals", "identified", "investigations", "om_cases", "rulings", "convictions"]
    assert [step.value for step in funnel.steps[:5]] == [10, 3, 28, 31, 8]
    # 10 signals → 3 identified: 70 % lost; then more investigations and OM cases: rises.
    assert funnel.drop_offs()[:4] == [None, 70, -833, -11]


def test_the_funnel_hides_identified_victims_that_the_published_table_hides(registry):
    for n in range(12):
        person = registry.person(signals=[{"on": dt.date(2024, 3, 1), "forms": ["labour"]}])
        if n < 2:
            registry.decide(person, "identified", on=dt.date(2024, 9, 1))
    funnel = selectors.funnel(actor=None, year=2024, form="labour")
    identified = funnel.steps[1]
    assert identified.suppressed and identified.value is None and identified.shown == "x"
    assert funnel.drop_offs()[1] is None


def test_any_two_dimensions_cross_even_those_the_yearly_monitor_leaves_out(registry):
    registry.person(citizenships=["RO"], signals=[{"on": dt.date(2024, 5, 1), "sector": "A"}])
    table = build_table(counted_rows(start=Y2024[0], end=Y2024[1]), ["citizenship", "sector"])
    assert table.cells[table.row_keys.index("RO")][table.col_keys.index("A")] == 1
