from __future__ import annotations

import pytest

from tests.factories import UserFactory, make_person
from tests.privacy.conftest import make_officer
from zicht.audit.models import AuditEvent
from zicht.core.exceptions import ApplicationError
from zicht.linkage import selectors, services
from zicht.linkage.models import ClusterMembership, Link, LinkageRun
from zicht.organisations.models import Role
from zicht.privacy.services import person_erase

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]


@pytest.fixture
def same_person_twice(police_officer, shelter_worker):  # type: ignore[no-untyped-def]
    """One woman registered by the police (Cyrillic) and a shelter (romanised, swapped)."""
    at_police = make_person(police_officer, given_names="Олена", family_name="Коваленко",
                            birth_date="1993-06-21", sex="female", citizenships=["UA"],
                            phone="+380 67 123 4567")
    at_shelter = make_person(shelter_worker, given_names="Kovalenko", family_name="Olena",
                             birth_date="1993", sex="female", citizenships=["UA"],
                             phone="+380671234567")
    other = make_person(shelter_worker, given_names="Wei", family_name="Wang",
                        birth_date="1979-01-30", sex="male", citizenships=["CN"])
    return at_police, at_shelter, other


def test_a_run_links_records_of_one_person_across_organisations(model_version,
                                                                 same_person_twice):
    at_police, at_shelter, other = same_person_twice
    run = services.linkage_run(actor=None)
    link = Link.objects.get(person_a=at_police, person_b=at_shelter)
    assert link.band == Link.Band.MATCH
    assert link.model_version == model_version
    assert link.match_weight >= model_version.upper_weight
    assert link.comparison_levels["given_name"] == "exact (or given and family swapped)"
    clusters = dict(ClusterMembership.objects.values_list("person_id", "cluster_id"))
    assert clusters[at_police.pk] == clusters[at_shelter.pk] == at_police.pk
    assert clusters[other.pk] == other.pk
    assert run.clusters == selectors.person_count() == 2


def test_every_decrypted_record_is_an_audited_read(model_version, same_person_twice):
    services.linkage_run(actor=None)
    read = set(AuditEvent.objects.filter(action="linkage.read").values_list("person_id",
                                                                             flat=True))
    assert read == {person.pk for person in same_person_twice}
    assert AuditEvent.objects.filter(action="linkage.run").count() == 1


def test_a_second_run_compares_only_new_records(model_version, same_person_twice,
                                                 police_officer):
    services.linkage_run(actor=None)
    newcomer = make_person(police_officer, given_names="Wang", family_name="Wei",
                           birth_date="1979-01-30", sex="male", citizenships=["CN"])
    run = services.linkage_run(actor=None)
    assert run.mode == LinkageRun.Mode.INCREMENTAL
    assert run.new_records == 1
    other = same_person_twice[2]
    assert Link.objects.filter(person_a=other, person_b=newcomer).exists()
    # The pair of old records was not scored again, and its link is still there.
    assert run.pairs_scored == Link.objects.filter(run=run).count() >= 1
    assert Link.objects.filter(person_a=same_person_twice[0]).exists()


def test_an_erased_person_stays_in_their_cluster_after_a_full_run(model_version,
                                                                   same_person_twice):
    at_police, at_shelter, _other = same_person_twice
    services.linkage_run(actor=None)
    officer = make_officer(UserFactory(organisation=at_shelter.registering_organisation,
                                       role=Role.CASEWORKER, username="fg"))
    person_erase(actor=officer, person_id=at_shelter.pk, legal_ground="art17_1_b")

    run = services.linkage_run(actor=None, full=True)

    assert run.mode == LinkageRun.Mode.FULL and run.records == 2
    clusters = dict(ClusterMembership.objects.values_list("person_id", "cluster_id"))
    assert clusters[at_shelter.pk] == clusters[at_police.pk]
    assert selectors.person_count() == 2


def test_the_caseworker_learns_only_that_a_person_is_known_elsewhere(
        model_version, same_person_twice, police_officer, shelter_worker, caseworker):
    at_police, at_shelter, other = same_person_twice
    services.linkage_run(actor=None)
    assert selectors.known_elsewhere(police_officer, at_police) is True
    assert selectors.known_elsewhere(shelter_worker, at_shelter) is True
    assert selectors.known_elsewhere(shelter_worker, other) is False
    # Not the caseworker's person: no answer either way.
    assert selectors.known_elsewhere(caseworker, at_police) is False


def test_before_any_run_nobody_is_known_elsewhere(same_person_twice, police_officer):
    assert selectors.known_elsewhere(police_officer, same_person_twice[0]) is False


def test_an_unknown_model_version_is_refused_and_changes_nothing(model_version,
                                                                 same_person_twice):
    with pytest.raises(ApplicationError) as error:
        services.linkage_run(actor=None, model_version=99)
    assert error.value.field == "model_version"
    assert not LinkageRun.objects.exists()
    assert not Link.objects.exists()


def test_the_link_command_runs_and_counts(model_version, same_person_twice, capsys):
    from django.core.management import call_command

    call_command("link", "--no-progress")
    call_command("link", "review")
    out = capsys.readouterr().out
    assert "2 persons" in out
    assert "records: 3" in out and "persons: 2" in out


def test_zicht_link_train_saves_a_new_model_version_from_the_registry(police_officer,
                                                                     shelter_worker, capsys):
    from django.core.management import call_command

    from zicht.linkage import synthetic
    from zicht.linkage.models import ModelVersion

    records = synthetic.domain_records(40, seed=4)
    sexes = {"F": "female", "M": "male"}
    for index, row in enumerate(records.itertuples()):
        make_person(police_officer if index % 2 else shelter_worker,
                    given_names=row.given_name, family_name=row.family_name,
                    birth_date=row.birth_date or row.birth_year or None,
                    sex=sexes.get(row.sex, "unknown"),
                    citizenships=[row.nationality] if row.nationality else [])
    call_command("link", "--no-progress", "train")
    version = ModelVersion.objects.get()
    assert version.version == 1
    assert version.trained_on_records == len(records)
    assert f"saved model version 1 ({version.fingerprint})" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="linkage.model.save").count() == 1
