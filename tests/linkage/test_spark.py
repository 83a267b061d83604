from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import make_person
from zicht.linkage.models import Link, LinkageRun

pytest.importorskip("pyspark")
pytestmark = [pytest.mark.spark, pytest.mark.django_db,
              pytest.mark.filterwarnings("ignore::UserWarning")]


@pytest.fixture
def saved_model(db):  # type: ignore[no-untyped-def]
    """The model as `zicht link train` saved it for the synthetic test data (kept in
    tests/linkage/data), so this test spends its time on Spark, not on training."""
    from zicht.linkage.services import model_version_save

    parameters = json.loads((Path(__file__).parent / "data" / "domain_model.json").read_text())
    return model_version_save(actor=None, parameters=parameters, records=800)


@pytest.fixture
def spark_session():  # type: ignore[no-untyped-def]
    from zicht.linkage.model import local_spark_session

    session = local_spark_session()
    yield session
    session.stop()


def test_zicht_link_runs_on_spark_in_local_mode(saved_model, police_officer, shelter_worker,
                                                spark_session, capsys):
    from django.core.management import call_command

    at_police = make_person(police_officer, given_names="Олена", family_name="Коваленко",
                            birth_date="1993-06-21", sex="female", citizenships=["UA"])
    at_shelter = make_person(shelter_worker, given_names="Kovalenko", family_name="Olena",
                             birth_date="1993", sex="female", citizenships=["UA"])
    make_person(shelter_worker, given_names="Wei", family_name="Wang",
                birth_date="1979-01-30", sex="male", citizenships=["CN"])

    call_command("link", "--backend", "spark", "--no-progress")

    run = LinkageRun.objects.get()
    assert run.backend == "spark"
    link = Link.objects.get(person_a=at_police, person_b=at_shelter)
    assert link.band == Link.Band.MATCH
    assert link.model_version == saved_model
    assert "2 persons" in capsys.readouterr().out
