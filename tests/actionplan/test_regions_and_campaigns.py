from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import OrganisationFactory, UserFactory, make_person, make_signal
from zicht.actionplan import selectors, services, suppression
from zicht.actionplan.charts import campaign_chart_svg
from zicht.actionplan.codes import RegionalRole
from zicht.organisations.models import OrganisationKind, Role
from zicht.pathway import services as pathway_services
from zicht.registry import services as registry_services
from zicht.shelters import services as shelter_services


def test_small_counts_are_shown_as_under_five():
    assert [suppression.suppress(n) for n in (0, 1, 4, 5, 17)] == ["<5", "<5", "<5", "5", "17"]


def test_one_small_cell_next_to_a_total_hides_the_next_smallest_too():
    assert suppression.suppress_row({"a": 3, "b": 9, "c": 12}) == {"a": "<5", "b": "×", "c": "12"}
    assert suppression.suppress_row({"a": 3, "b": 2, "c": 12}) == {"a": "<5", "b": "<5", "c": "12"}


@given(st.dictionaries(st.integers(0, 9), st.integers(0, 40), min_size=1, max_size=8))
def test_a_single_small_cell_can_never_be_worked_out_from_the_total(counts):
    shown = suppression.suppress_row(counts)
    hidden = [k for k, v in shown.items() if not v.isdigit()]
    small = [k for k, v in counts.items() if v < suppression.THRESHOLD]
    assert set(small) <= set(hidden)
    if sum(counts.values()) >= suppression.THRESHOLD and small:
        assert len(hidden) != 1 or len(counts) == 1


@pytest.fixture
def region(coordinator):  # type: ignore[no-untyped-def]
    return services.region_create(actor=coordinator, kind="care", code="ZR09",
                                  name="Zorgregio Utrecht", coordinating_municipality="GM0344",
                                  municipalities=["GM0307"], riec="RIEC Midden-Nederland",
                                  safety_and_care_house="Zorg- en Veiligheidshuis Utrecht")


def test_the_regional_page_shows_coordination_and_organisations(coordinator, region):
    municipality = OrganisationFactory(name="Gemeente Utrecht", kind=OrganisationKind.MUNICIPALITY,
                                       municipality="GM0344")
    seated = OrganisationFactory(name="GGD Amersfoort", kind=OrganisationKind.HEALTH,
                                 municipality="GM0307")
    services.region_member_add(actor=coordinator, region_id=region.pk,
                               organisation=municipality.pk, role=RegionalRole.CARE_COORDINATOR)
    page = selectors.region_page(actor=coordinator, region_id=region.pk)
    assert [m.organisation for m in page.care_coordinators] == [municipality]
    assert page.seated == [seated]


def test_regional_signal_figures_are_suppressed_below_five(coordinator, region, caseworker):
    for index in range(7):
        person = make_person(caseworker, given_names=f"Persoon{index}")
        make_signal(caseworker, person, municipality="GM0344", forms=["labour"],
                    signalled_on=date(2025, 3, 1))
    person = make_person(caseworker, given_names="Ander")
    make_signal(caseworker, person, municipality="GM0307", forms=["sexual"],
                signalled_on=date(2025, 4, 1))
    page = selectors.region_page(actor=coordinator, region_id=region.pk, today=date(2025, 6, 1))
    rows = {row.label: row for row in page.figure_rows}
    year = page.figure_years.index(2025)
    labour = next(r for label, r in rows.items() if "labour" in label.lower()
                  or "arbeid" in label.lower())
    sexual = next(r for label, r in rows.items() if "sexual" in label.lower()
                  or "seksuele" in label.lower())
    assert labour.cells[year] == "7"
    assert sexual.cells[year] == "<5" and sexual.total == "<5"
    assert page.signals_total == "8"


def test_the_regional_page_counts_open_referrals_and_shelter_places(
        coordinator, region, caseworker, comensha):
    shelter_org = OrganisationFactory(name="Opvang Domstad", kind=OrganisationKind.SHELTER,
                                      municipality="GM0344")
    shelter_admin = UserFactory(organisation=shelter_org, role=Role.ADMIN)
    shelter_services.shelter_create(actor=shelter_admin, name="Opvang Domstad Oost",
                                    kind="womens", languages=["nl"], municipality="GM0344",
                                    capacity=12)
    for index in range(2):
        person = make_person(caseworker, given_names=f"Verwezen{index}")
        make_signal(caseworker, person, municipality="GM0344")
        registry_services.consent_record(actor=caseworker, person_id=person.pk, purpose="care",
                                         state="given")
        pathway_services.referral_propose(actor=caseworker, person_id=person.pk, purpose="shelter",
                                          to_organisation_id=shelter_org.pk)
    page = selectors.region_page(actor=coordinator, region_id=region.pk)
    assert page.capacity == {"shelters": 1, "capacity": 12, "free": 12}
    assert page.open_referrals == "<5"
    assert page.referral_scope == "all"


def test_an_analyst_sees_no_referral_or_capacity_figures(region, comensha):
    analyst = UserFactory(organisation=comensha, role=Role.ANALYST)
    page = selectors.region_page(actor=analyst, region_id=region.pk)
    assert page.open_referrals is None and page.capacity is None


def _campaign(coordinator, year, groups, **extra):  # type: ignore[no-untyped-def]
    return services.campaign_create(actor=coordinator, title=f"C {year}",
                                    organisation_name="Rijksoverheid", target_groups=groups,
                                    forms=["general"], starts_on=date(year, 5, 1), **extra)


def test_campaign_counts_per_year_and_target_group(coordinator):
    _campaign(coordinator, 2020, ["professionals"])
    _campaign(coordinator, 2020, ["professionals", "general_public"])
    _campaign(coordinator, 2022, ["labour_migrants"], measured_effect="Meer meldingen")
    counts = selectors.campaign_counts(selectors.campaign_list(actor=coordinator))
    assert [(c.year, c.target_group, c.campaigns) for c in counts] == [
        (2020, "general_public", 1), (2020, "professionals", 2), (2022, "labour_migrants", 1)]
    measured = selectors.campaign_list(actor=coordinator, filters={"measured": True})
    assert [c.title for c in measured] == ["C 2022"]


def test_the_chart_is_an_svg_with_labels_per_group_and_year(coordinator):
    _campaign(coordinator, 2021, ["professionals"])
    _campaign(coordinator, 2021, ["professionals"])
    counts = selectors.campaign_counts(selectors.campaign_list(actor=coordinator))
    svg = campaign_chart_svg(counts, years=[2020, 2021, 2022])
    assert svg.startswith("<svg")
    assert "2021" in svg and "2020" in svg
    assert ">2<" in svg or "2</text>" in svg  # the bar carries its number
    assert campaign_chart_svg([], years=[2020]) == ""
