"""Two coordinators cannot take the last place at the same time — with real concurrent requests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.shelters.conftest import make_shelter, person_in_need
from zicht.audit.selectors import verify_chain
from zicht.organisations.models import Role
from zicht.organisations.services import token_create
from zicht.shelters.models import Placement

RACERS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_coordinators_racing_for_the_last_place_leave_exactly_one_placed(
        caseworker, shelter_org):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time (BEGIN IMMEDIATE), so requests "
                    "cannot race there; run this with DATABASE_URL on PostgreSQL.")
    shelter = make_shelter(shelter_org, name="Laatste plaats", capacity=3)
    for _ in range(2):  # two of three places taken already
        Placement.objects.create(shelter=shelter, person=person_in_need(caseworker),
                                 started_on="2025-03-01",
                                 placing_organisation=caseworker.organisation)
    persons = [person_in_need(caseworker) for _ in range(RACERS)]
    # Each racer is a different caseworker of the same organisation, with its own token.
    tokens = [token_create(actor=None, user=UserFactory(organisation=caseworker.organisation,
                                                        role=Role.CASEWORKER))
              for _ in range(RACERS)]
    start = threading.Barrier(RACERS)
    statuses: list[int] = []
    bodies: list[dict] = []
    lock = threading.Lock()

    def race(token: str, person_id: int) -> None:
        client = APIClient()  # a thread of its own: Django gives it its own DB connection
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait()
            response = client.post("/api/v1/placements/",
                                   {"person": person_id, "shelter": shelter.pk}, format="json")
            with lock:
                statuses.append(response.status_code)
                bodies.append(response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(token, person.pk))
               for token, person in zip(tokens, persons, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] + [409] * (RACERS - 1), bodies
    assert all("shelter" in body for body, code in zip(bodies, statuses, strict=True)
               if code == 409)
    assert Placement.objects.filter(shelter=shelter, ended_on__isnull=True).count() == 3
    assert verify_chain().ok
