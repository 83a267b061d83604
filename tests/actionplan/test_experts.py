from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from tests.factories import UserFactory
from zicht.actionplan import selectors, services
from zicht.actionplan.access import access_expert
from zicht.actionplan.codes import AssignmentStatus, ConsentState, ConsentUse
from zicht.actionplan.models import Expert, ExpertConsent, Feedback
from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.core.exceptions import ApplicationError, ConflictError, NotFound
from zicht.organisations.models import Role

BASE = "/api/v1/programme"
NAME = "Fenna Brouwersma"


@pytest.fixture
def expert(coordinator):  # type: ignore[no-untyped-def]
    return services.expert_create(
        actor=coordinator, name=NAME, email="fenna@example.org", phone="0612345678",
        expertise=["labour", "training"], languages=["nl", "pl"], fee_basis="hourly",
        fee_rate_eur="55.00", pool_consent_on=date(2025, 1, 10))


@pytest.fixture
def request_by_holder(holder):  # type: ignore[no-untyped-def]
    return services.assignment_request(actor=holder, title="Gastles voor wijkteams",
                                       starts_on=date(2025, 9, 1), expertise_needed=["training"])


@pytest.fixture
def engaged(coordinator, expert, request_by_holder):  # type: ignore[no-untyped-def]
    return services.assignment_assign(actor=coordinator, assignment_id=request_by_holder.pk,
                                      expert=expert.pk, consent_recorded_on=date(2025, 8, 1),
                                      hours="4")


def test_the_identity_is_encrypted_at_rest(expert):
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_ciphertext, data_key FROM actionplan_expert WHERE id = %s",
                       [expert.pk])
        ciphertext, data_key = cursor.fetchone()
    assert NAME not in ciphertext and "fenna@example.org" not in ciphertext
    assert NAME not in data_key
    assert Expert.objects.get(pk=expert.pk).identity["name"] == NAME


def test_each_expert_has_its_own_data_key(coordinator, expert):
    other = services.expert_create(actor=coordinator, name="Tweede", expertise=["policy"],
                                   fee_basis="declined", pool_consent_on=date(2025, 1, 1))
    assert other.data_key != expert.data_key


def test_writes_and_reads_are_audited_in_the_same_chain(coordinator, expert):
    selectors.expert_get(actor=coordinator, expert_id=expert.pk)
    services.expert_update(actor=coordinator, expert_id=expert.pk,
                           changes={"phone": "0687654321"})
    rows = list(AuditEvent.objects.filter(object_type="actionplan.expert", object_id=expert.pk)
                .values_list("action", flat=True))
    assert rows == ["expert.create", "expert.read", "expert.update"]
    assert verify_chain().ok


def test_adding_an_expert_needs_their_consent_to_be_in_the_pool(coordinator):
    with pytest.raises(ApplicationError) as refused:
        services.expert_create(actor=coordinator, name="X", expertise=["policy"],
                               fee_basis="hourly")
    assert refused.value.field == "pool_consent_on"
    assert not Expert.objects.exists()


def test_only_the_coordinator_keeps_the_pool(holder, admin_user):
    for actor in (holder, admin_user):
        with pytest.raises(PermissionDenied):
            services.expert_create(actor=actor, name="X", expertise=["policy"],
                                   fee_basis="hourly", pool_consent_on=date(2025, 1, 1))


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ADMIN, Role.ANALYST, Role.AUDITOR,
                                  Role.REPORTER])
def test_outsiders_get_404_for_an_expert(api, police, expert, role):
    user = UserFactory(organisation=police, role=role)
    with pytest.raises(NotFound):
        access_expert(user, expert.pk)
    client = api.as_user(user)
    assert client.get(f"{BASE}/experts/{expert.pk}/").status_code == 404
    assert client.get(f"{BASE}/experts/999999/").status_code == 404
    assert client.patch(f"{BASE}/experts/{expert.pk}/", {"name": "Y"},
                        format="json").status_code == 404
    assert client.get(f"{BASE}/experts/").json()["count"] == 0


def test_a_request_does_not_show_the_pool(holder, expert, request_by_holder):
    with pytest.raises(NotFound):
        access_expert(holder, expert.pk)


def test_the_engaging_organisation_sees_the_expert_once_matched_with_consent(
        api, holder, expert, engaged):
    assert access_expert(holder, expert.pk) == expert
    client = api.as_user(holder)
    data = client.get(f"{BASE}/experts/{expert.pk}/").json()
    assert data["name"] == NAME
    assignment = client.get(f"{BASE}/expert-assignments/{engaged.pk}/").json()
    assert assignment["expert"] == {"id": expert.pk, "name": NAME}
    reads = AuditEvent.objects.filter(action="expert.read", actor_id=holder.pk).count()
    assert reads == 2


def test_withdrawn_consent_ends_the_organisations_access_at_once(
        api, coordinator, holder, expert, engaged):
    services.expert_consent_record(actor=coordinator, expert_id=expert.pk,
                                   use=ConsentUse.ASSIGNMENT, state=ConsentState.WITHDRAWN,
                                   assignment=engaged.pk)
    client = api.as_user(holder)
    assert client.get(f"{BASE}/experts/{expert.pk}/").status_code == 404
    assert client.get(f"{BASE}/expert-assignments/{engaged.pk}/").json()["expert"] is None


def test_a_match_needs_consent_to_share_with_the_organisation(coordinator, expert,
                                                              request_by_holder):
    with pytest.raises(ApplicationError) as refused:
        services.assignment_assign(actor=coordinator, assignment_id=request_by_holder.pk,
                                   expert=expert.pk)
    assert refused.value.field == "consent_recorded_on"
    request_by_holder.refresh_from_db()
    assert request_by_holder.expert is None
    assert not ExpertConsent.objects.filter(use=ConsentUse.ASSIGNMENT).exists()


def test_an_expert_who_left_the_pool_is_not_matched(coordinator, expert, request_by_holder):
    services.expert_consent_record(actor=coordinator, expert_id=expert.pk, use=ConsentUse.POOL,
                                   state=ConsentState.WITHDRAWN)
    with pytest.raises(ApplicationError) as refused:
        services.assignment_assign(actor=coordinator, assignment_id=request_by_holder.pk,
                                   expert=expert.pk, consent_recorded_on=date(2025, 8, 1))
    assert refused.value.field == "expert"


def test_feedback_is_kept_only_with_consent_and_encrypted(coordinator, holder, expert, engaged):
    with pytest.raises(ConflictError):
        services.feedback_record(actor=holder, assignment_id=engaged.pk, given_by="organisation",
                                 rating=5, text="Sterk verhaal")
    services.expert_consent_record(actor=coordinator, expert_id=expert.pk,
                                   use=ConsentUse.FEEDBACK, state=ConsentState.GIVEN)
    feedback = services.feedback_record(actor=holder, assignment_id=engaged.pk,
                                        given_by="organisation", rating=5, text="Sterk verhaal")
    assert "Sterk" not in Feedback.objects.get(pk=feedback.pk).text_ciphertext
    assert feedback.text == "Sterk verhaal"


def test_a_rating_outside_one_to_five_names_the_field(api, coordinator, holder, expert, engaged):
    services.expert_consent_record(actor=coordinator, expert_id=expert.pk,
                                   use=ConsentUse.FEEDBACK, state=ConsentState.GIVEN)
    response = api.as_user(holder).post(f"{BASE}/expert-assignments/{engaged.pk}/feedback/",
                                        {"given_by": "organisation", "rating": 9}, format="json")
    assert response.status_code == 400 and "rating" in response.json()


def test_an_assignment_moves_from_agreed_to_done_but_not_back(holder, engaged):
    done = services.assignment_update(actor=holder, assignment_id=engaged.pk,
                                      changes={"status": AssignmentStatus.DONE})
    assert done.status == AssignmentStatus.DONE
    with pytest.raises(ConflictError):
        services.assignment_update(actor=holder, assignment_id=engaged.pk,
                                   changes={"status": AssignmentStatus.CANCELLED})


def test_other_organisations_do_not_see_a_request(api, outsider, request_by_holder):
    response = api.as_user(outsider).get(f"{BASE}/expert-assignments/{request_by_holder.pk}/")
    assert response.status_code == 404


def test_listing_experts_audits_each_one_shown(api, coordinator, expert):
    api.as_user(coordinator).get(f"{BASE}/experts/")
    assert AuditEvent.objects.filter(action="expert.list", object_id=expert.pk).count() == 1


def test_erasing_an_expert_shreds_their_data(api, coordinator, holder, expert, engaged):
    services.expert_consent_record(actor=coordinator, expert_id=expert.pk,
                                   use=ConsentUse.FEEDBACK, state=ConsentState.GIVEN)
    services.feedback_record(actor=holder, assignment_id=engaged.pk, given_by="organisation",
                             rating=4, text="Goed")
    response = api.as_user(coordinator).delete(f"{BASE}/experts/{expert.pk}/")
    assert response.status_code == 204
    assert not Expert.objects.filter(pk=expert.pk).exists()
    assert Feedback.objects.get().text_ciphertext == ""
    engaged.refresh_from_db()
    assert engaged.expert is None
    assert AuditEvent.objects.filter(action="expert.erase", object_id=expert.pk).exists()


def test_expert_input_errors_name_the_field(api, coordinator):
    client = api.as_user(coordinator)
    response = client.post(f"{BASE}/experts/", {
        "name": "X", "expertise": ["policy"], "fee_basis": "hourly", "email": "geen adres",
        "pool_consent_on": "2025-01-01"}, format="json")
    assert response.status_code == 400 and "email" in response.json()
    response = client.post(f"{BASE}/experts/", {
        "name": "X", "expertise": ["policy"], "fee_basis": "hourly", "languages": ["xx"],
        "pool_consent_on": "2025-01-01"}, format="json")
    assert response.status_code == 400 and "languages" in response.json()
    assert not Expert.objects.exists()
