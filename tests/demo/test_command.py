"""`zicht demo --persons 200`: what it creates, and the sound audit log it leaves."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from zicht.audit.models import AuditEvent
from zicht.audit.selectors import verify_chain
from zicht.core.crypto import blind_index
from zicht.demo.catalogue import DEMO_LOGINS, DEMO_URL, ORGANISATIONS
from zicht.organisations.models import DUTY_TO_REGISTER, Organisation, OrganisationKind, Role, User
from zicht.registry.access import persons_visible_to
from zicht.registry.models import AccessReason, Consent, Person, PersonAccess, Signal

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, verbosity=0, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """One load for the whole module; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_demo("--seed", "1", "--persons", "200")
        transaction.set_rollback(True)


def test_it_creates_one_login_per_role(loaded):  # type: ignore[no-untyped-def]
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.role == login.role
        assert user.organisation.name == login.organisation
        assert user.check_password(login.password)
    assert {login.role for login in DEMO_LOGINS} == set(Role.values)


def test_it_puts_the_second_caseworker_at_the_police(loaded):  # type: ignore[no-untyped-def]
    caseworkers = User.objects.filter(
        username__in=[lg.username for lg in DEMO_LOGINS], role=Role.CASEWORKER
    )
    assert sorted(u.organisation.kind for u in caseworkers) == ["municipality", "police"]


def test_it_creates_every_kind_of_organisation(loaded):  # type: ignore[no-untyped-def]
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    assert Organisation.objects.count() == len(ORGANISATIONS)
    amsterdam = Organisation.objects.get(name="Politie eenheid Amsterdam")
    assert amsterdam.municipality == "GM0363"
    assert amsterdam.must_register


def test_it_creates_the_persons_with_encrypted_identities(loaded):  # type: ignore[no-untyped-def]
    assert Person.objects.count() == 200
    for person in Person.objects.all()[:25]:
        identity = person.identity
        assert identity["family_name"]
        assert identity["family_name"] not in person.identity_ciphertext
        assert person.name_birth_index == blind_index(
            given_names=identity["given_names"],
            family_name=identity["family_name"],
            birth_date=identity["birth_date"],
        )


def test_every_person_has_one_to_three_signals_from_different_organisations(loaded):  # type: ignore[no-untyped-def]
    for person in Person.objects.prefetch_related("signals"):
        organisations = [s.reporting_organisation_id for s in person.signals.all()]
        assert 1 <= len(organisations) <= 3
        assert len(set(organisations)) == len(organisations)
    assert Signal.objects.count() > Person.objects.count()


def test_signals_keep_their_narrative_encrypted(loaded):  # type: ignore[no-untyped-def]
    signal = Signal.objects.select_related("person").exclude(text_ciphertext="").first()
    assert signal.narrative
    assert signal.narrative not in signal.text_ciphertext


def test_duty_registrations_come_only_from_police_kmar_and_labour_inspectorate(loaded):  # type: ignore[no-untyped-def]
    duty = Signal.objects.filter(duty_registration=True)
    assert duty.exists()
    kinds = set(duty.values_list("reporting_organisation__kind", flat=True))
    assert kinds <= {str(kind) for kind in DUTY_TO_REGISTER}
    assert not Signal.objects.filter(
        duty_registration=False, reporting_organisation__kind__in=DUTY_TO_REGISTER
    ).exists()


def test_sharing_follows_the_recorded_consent(loaded):  # type: ignore[no-untyped-def]
    shared = PersonAccess.objects.filter(reason=AccessReason.SHARED).select_related("organisation")
    assert shared.filter(organisation__kind=OrganisationKind.MUNICIPALITY).exists()
    for grant in shared:
        purpose = {
            "police": "police",
            "kmar": "police",
            "labour_inspectorate": "police",
            "prosecution": "police",
            "comensha": "registration",
        }.get(grant.organisation.kind, "care")
        assert Consent.objects.filter(
            person_id=grant.person_id, purpose=purpose, state="given"
        ).exists()


def test_some_persons_refused_sharing_with_the_police(loaded):  # type: ignore[no-untyped-def]
    assert Person.objects.filter(consent_police="refused").exists()
    assert Person.objects.filter(consent_registration="given").count() > 150


def test_the_demo_caseworkers_see_persons(loaded):  # type: ignore[no-untyped-def]
    for username in ("caseworker", "police", "coordinator"):
        assert persons_visible_to(User.objects.get(username=username)).exists()


def test_the_analyst_sees_no_person(loaded):  # type: ignore[no-untyped-def]
    assert not persons_visible_to(User.objects.get(username="analyst")).exists()


def test_the_audit_chain_verifies_after_loading(loaded):  # type: ignore[no-untyped-def]
    report = verify_chain()
    assert report.ok, report
    assert report.checked == AuditEvent.objects.count()
    assert AuditEvent.objects.filter(action="person.create").count() == 200
    assert AuditEvent.objects.filter(action="signal.create").count() == Signal.objects.count()


def test_it_prints_the_logins_and_the_address(loaded):  # type: ignore[no-untyped-def]
    for login in DEMO_LOGINS:
        assert login.username in loaded
        assert login.password in loaded
        assert login.organisation in loaded
    assert DEMO_URL in loaded
    assert "200 persons" in loaded


def test_every_demo_login_can_pass_the_second_factor_by_what_is_printed(loaded):  # type: ignore[no-untyped-def]
    """The printed TOTP secret is the one of the login's authenticator; `zicht user totp`
    prints a code that it accepts."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zicht.organisations.selectors import totp_secret_text

    for login in DEMO_LOGINS:
        device = TOTPDevice.objects.get(user__username=login.username, confirmed=True)
        line = next(row for row in loaded.splitlines() if row.split()[1:2] == [login.username])
        assert totp_secret_text(device) in line
        out = StringIO()
        call_command("user", "totp", "--username", login.username, stdout=out)
        assert device.verify_token(out.getvalue().strip())
    assert "zicht user totp --username USERNAME" in loaded


def test_if_empty_does_nothing_the_second_time(loaded):  # type: ignore[no-untyped-def]
    before = (Person.objects.count(), Signal.objects.count(), AuditEvent.objects.count())
    out = run_demo("--seed", "2", "--persons", "50", "--if-empty")
    assert (Person.objects.count(), Signal.objects.count(), AuditEvent.objects.count()) == before
    assert "present already" in out
    for login in DEMO_LOGINS:
        assert login.password in out


def test_it_refuses_to_load_twice_without_if_empty(loaded):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="present already"):
        run_demo("--persons", "10")
    assert Person.objects.count() == 200
