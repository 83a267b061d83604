from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_person
from zicht.audit.models import AuditEvent
from zicht.linkage import services
from zicht.linkage.models import ClusterMembership, Link, ReviewDecision

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]


@pytest.fixture
def scored(model_version, police_officer, shelter_worker):  # type: ignore[no-untyped-def]
    """Three records after a run: one certain match and one pair for review."""
    a = make_person(police_officer, given_names="Ioana", family_name="Popa",
                    birth_date="1996-02-14", sex="female", citizenships=["RO"])
    b = make_person(shelter_worker, given_names="Ioana", family_name="Popa",
                    birth_date="1996-02-14", sex="female", citizenships=["RO"])
    c = make_person(shelter_worker, given_names="Bogdan", family_name="Marin",
                    birth_date="1980-09-09", sex="male", citizenships=["RO"])
    services.linkage_run(actor=None)
    # A pair between the thresholds, as the model would leave it for a human.
    review = Link.objects.create(person_a=b, person_b=c, match_weight=3.2,
                                 match_probability=0.9, band=Link.Band.REVIEW,
                                 model_version=model_version, run=Link.objects.first().run,
                                 comparison_levels={"given_name": "different"})
    return a, b, c, review


def _clusters():  # type: ignore[no-untyped-def]
    return dict(ClusterMembership.objects.values_list("person_id", "cluster_id"))


def test_the_coordinator_sees_the_pair_to_review_in_the_queue(api, coordinator, scored):
    *_, review = scored
    response = api.as_user(coordinator).get("/api/v1/linkage/links/?band=review")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [review.pk]


def test_the_pair_shows_both_records_side_by_side_and_the_reads_are_audited(
        api, coordinator, scored):
    _, b, c, review = scored
    response = api.as_user(coordinator).get(f"/api/v1/linkage/links/{review.pk}/")
    assert response.status_code == 200
    fields = {row["field"]: row for row in response.json()["records"]}
    assert fields["given_names"]["a"] == "Ioana" and fields["given_names"]["b"] == "Bogdan"
    assert fields["given_names"]["differs"] is True
    assert fields["citizenships"]["differs"] is False
    read = set(AuditEvent.objects.filter(action="linkage.review.read").values_list(
        "person_id", flat=True))
    assert read == {b.pk, c.pk}


def test_same_merges_the_clusters_and_unmerge_restores_them_exactly(api, coordinator, scored):
    a, b, c, review = scored
    before = _clusters()
    client = api.as_user(coordinator)
    response = client.post("/api/v1/linkage/decisions/",
                           {"link": review.pk, "verdict": "same"}, format="json")
    assert response.status_code == 201, response.json()
    merged = _clusters()
    assert merged[a.pk] == merged[b.pk] == merged[c.pk]
    assert response.json()["clusters_before"] == {str(k): v for k, v in before.items()}
    audited = AuditEvent.objects.filter(action="linkage.decide")
    assert set(audited.values_list("person_id", flat=True)) == {b.pk, c.pk}

    reverted = client.post(f"/api/v1/linkage/decisions/{response.json()['id']}/revert/")
    assert reverted.status_code == 200
    assert _clusters() == before
    assert AuditEvent.objects.filter(action="linkage.revert").count() == 2


def test_different_splits_a_model_match_and_taking_it_back_rejoins(api, coordinator, scored):
    a, b, _, _ = scored
    match = Link.objects.get(person_a=a, person_b=b)
    client = api.as_user(coordinator)
    response = client.post("/api/v1/linkage/decisions/",
                           {"link": match.pk, "verdict": "different"}, format="json")
    assert response.status_code == 201
    assert _clusters()[b.pk] == b.pk
    client.post(f"/api/v1/linkage/decisions/{response.json()['id']}/revert/")
    assert _clusters()[b.pk] == a.pk


def test_a_new_decision_on_the_same_pair_replaces_the_old_one(api, coordinator, scored):
    *_, review = scored
    client = api.as_user(coordinator)
    client.post("/api/v1/linkage/decisions/", {"link": review.pk, "verdict": "unsure"},
                format="json")
    client.post("/api/v1/linkage/decisions/", {"link": review.pk, "verdict": "same"},
                format="json")
    active = ReviewDecision.objects.filter(reverted_at__isnull=True)
    assert list(active.values_list("verdict", flat=True)) == ["same"]
    queue = client.get("/api/v1/linkage/links/?band=review").json()["results"]
    assert queue[0]["decided"] is True


@pytest.mark.parametrize(("body", "field", "status"), [
    ({"verdict": "maybe"}, "verdict", 400),
    ({"model_version": 99}, "model_version", 400),
    ({"link": 999999}, "link", 404),
    ({"link": "abc"}, "link", 400),
])
def test_bad_decisions_name_the_field_and_change_nothing(api, coordinator, scored, body, field,
                                                         status):
    *_, review = scored
    client = api.as_user(coordinator)
    before = _clusters()
    events = AuditEvent.objects.count()
    payload = {"link": review.pk, "verdict": "same", **body}
    response = client.post("/api/v1/linkage/decisions/", payload, format="json")
    assert response.status_code == status
    assert field in response.json()
    assert not ReviewDecision.objects.exists()
    assert _clusters() == before
    assert AuditEvent.objects.count() == events


def test_a_decision_on_a_pair_that_no_longer_exists_is_refused(api, coordinator, scored,
                                                               shelter_worker):
    from zicht.registry.services import person_delete

    _, _, c, review = scored
    person_delete(actor=shelter_worker, person_id=c.pk)
    response = api.as_user(coordinator).post("/api/v1/linkage/decisions/",
                                             {"link": review.pk, "verdict": "same"},
                                             format="json")
    assert response.status_code == 404
    assert "link" in response.json()
    assert not ReviewDecision.objects.exists()


def test_a_decision_scored_by_an_older_model_version_is_a_conflict(api, coordinator, scored,
                                                                   trained_parameters):
    *_, review = scored
    newer = services.model_version_save(actor=None, parameters=trained_parameters, records=1)
    response = api.as_user(coordinator).post(
        "/api/v1/linkage/decisions/",
        {"link": review.pk, "verdict": "same", "model_version": newer.version}, format="json")
    assert response.status_code == 409
    assert "model_version" in response.json()


@pytest.mark.parametrize("who", ["police_officer", "caseworker"])
def test_review_is_for_the_national_coordinator_only(api, request, scored, who):
    user = request.getfixturevalue(who)
    client = api.as_user(user)
    *_, review = scored
    assert client.get("/api/v1/linkage/links/").status_code == 404
    assert client.get(f"/api/v1/linkage/links/{review.pk}/").status_code == 404
    response = client.post("/api/v1/linkage/decisions/", {"link": review.pk, "verdict": "same"},
                           format="json")
    assert response.status_code == 404
    assert not ReviewDecision.objects.exists()


def test_the_review_pages_work_for_the_coordinator(client, coordinator, scored):
    *_, review = scored
    client.force_login(coordinator)
    queue = client.get(reverse("linkage:review"))
    assert queue.status_code == 200
    assert reverse("linkage:review-pair", args=[review.pk]) in queue.content.decode()
    page = client.get(reverse("linkage:review-pair", args=[review.pk]))
    assert page.status_code == 200
    assert "<mark>Bogdan</mark>" in page.content.decode()
    answer = client.post(reverse("linkage:review-pair", args=[review.pk]),
                         {"verdict": "different", "model_version": str(
                             review.model_version.version)})
    assert answer.status_code == 302
    decision = ReviewDecision.objects.get()
    assert decision.verdict == "different"
    listing = client.get(reverse("linkage:decisions"))
    assert listing.status_code == 200
    client.post(reverse("linkage:decision-revert", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.reverted_at is not None


def test_a_bad_verdict_in_the_form_is_answered_with_400(client, coordinator, scored):
    *_, review = scored
    client.force_login(coordinator)
    response = client.post(reverse("linkage:review-pair", args=[review.pk]), {"verdict": "x"})
    assert response.status_code == 400
    assert not ReviewDecision.objects.exists()


def test_the_review_pages_are_not_found_for_a_caseworker(client, caseworker, scored):
    *_, review = scored
    client.force_login(caseworker)
    assert client.get(reverse("linkage:review")).status_code == 404
    assert client.get(reverse("linkage:review-pair", args=[review.pk])).status_code == 404
