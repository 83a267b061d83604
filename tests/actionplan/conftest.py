"""Fixtures for the programme monitor: the coordinator, a holder organisation and its user,
an outsider, and a small plan with one action, its indicators and an open period."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import OrganisationFactory, UserFactory
from zicht.actionplan import services
from zicht.actionplan.codes import IndicatorKind
from zicht.organisations.models import OrganisationKind, Role


@pytest.fixture
def coordinator(comensha):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=comensha, role=Role.NATIONAL_COORDINATOR,
                       username="coordinator", email="coordinator@example.org")


@pytest.fixture
def admin_user(comensha):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=comensha, role=Role.ADMIN, username="admin")


@pytest.fixture
def holder_org(db):  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Stichting Houder", kind=OrganisationKind.NGO)


@pytest.fixture
def holder(holder_org):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=holder_org, role=Role.CASEWORKER, username="holder",
                       email="holder@example.org")


@pytest.fixture
def outsider(police):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=police, role=Role.CASEWORKER, username="outsider",
                       email="outsider@example.org")


@pytest.fixture
def line(coordinator):  # type: ignore[no-untyped-def]
    return services.action_line_create(actor=coordinator, number=2,
                                       title="Meldingsbereidheid")


@pytest.fixture
def action(coordinator, line, holder_org):  # type: ignore[no-untyped-def]
    created = services.action_create(
        actor=coordinator, line=line.pk, number="2.1", title="Meldpunten in kaart brengen",
        holders=[holder_org.pk], partners=["Onderzoeksbureau"], starts_on=date(2024, 7, 1),
        ends_on=date(2025, 12, 31))
    services.indicator_create(actor=coordinator, action_id=created.pk, code="desks_active",
                              name="Actieve meldpunten", kind=IndicatorKind.INTEGER)
    services.indicator_create(actor=coordinator, action_id=created.pk, code="share_trained",
                              name="Aandeel getraind", kind=IndicatorKind.PERCENTAGE)
    services.indicator_create(actor=coordinator, action_id=created.pk, code="average_score",
                              name="Gemiddelde score", kind=IndicatorKind.DECIMAL)
    services.indicator_create(actor=coordinator, action_id=created.pk, code="finding",
                              name="Bevinding", kind=IndicatorKind.TEXT)
    return created


@pytest.fixture
def period(coordinator):  # type: ignore[no-untyped-def]
    return services.period_create(actor=coordinator, code="2025-H1",
                                  reporting_due_on=date(2025, 6, 15))


@pytest.fixture
def previous_period(coordinator):  # type: ignore[no-untyped-def]
    return services.period_create(actor=coordinator, code="2024-H2",
                                  reporting_due_on=date(2024, 12, 15))
