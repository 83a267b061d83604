"""Every write to the registry. Keyword-only, actor named, atomic, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import Entry, audit_record, audit_record_many
from zicht.core.crypto import DataKey, blind_index
from zicht.core.exceptions import ApplicationError, ConflictError
from zicht.organisations.models import Organisation, Role, User

from . import validation as v
from .access import (
    access_person,
    access_person_for_delete,
    access_person_for_write,
    access_signal_for_write,
    require_may_report,
    sharing_purpose,
)
from .codes import ConsentState, Purpose, age_group_for
from .models import AccessReason, Consent, Person, PersonAccess, Signal


def _today() -> date:
    return timezone.localdate()


def build_identity(
    *, given_names: str = "", family_name: str = "", aliases: list[str] | None = None,
    birth_date: str | date | None = None, phone: str = "",
    identity_documents: list[dict] | None = None, today: date,
) -> tuple[dict[str, Any], int | None, str]:
    """Validated identity dict, birth year and precision (shared with bulk intake)."""
    given = v.clean_text(given_names, "given_names", max_length=200)
    family = v.clean_text(family_name, "family_name", max_length=200)
    if not given and not family and not aliases:
        raise ApplicationError(
            _("Give at least a given name, a family name or an alias."), field="family_name"
        )
    birth_text, birth_year, precision = v.clean_birth_date(birth_date, today=today)
    identity = {
        "given_names": given,
        "family_name": family,
        "aliases": [v.clean_text(a, "aliases", max_length=200) for a in aliases or [] if a],
        "birth_date": birth_text,
        "phone": v.clean_phone(phone),
        "identity_documents": v.clean_identity_documents(identity_documents),
    }
    return identity, birth_year, precision


def _identity_index(identity: dict[str, Any]) -> str:
    return blind_index(
        given_names=identity["given_names"], family_name=identity["family_name"],
        birth_date=identity["birth_date"],
    )


@transaction.atomic
def person_create(
    *, actor: User, sex: str | None = None, citizenships: list[str] | None = None,
    languages: list[str] | None = None, **identity_fields: Any,
) -> Person:
    require_may_report(actor)
    assert actor.organisation is not None  # require_may_report: content roles have one
    identity, birth_year, precision = build_identity(today=_today(), **identity_fields)
    key = DataKey.generate()
    person = Person.objects.create(
        data_key=key.wrapped,
        identity_ciphertext=key.encrypt_json(identity),
        name_birth_index=_identity_index(identity),
        sex=v.clean_sex(sex),
        birth_year=birth_year,
        birth_date_precision=precision,
        citizenships=v.clean_citizenships(citizenships),
        languages=v.clean_languages(languages),
        registering_organisation=actor.organisation,
        created_by=actor,
    )
    PersonAccess.objects.create(
        person=person, organisation=actor.organisation, reason=AccessReason.REPORTED
    )
    audit_record(actor=actor, action="person.create", obj=person, person_id=person.pk)
    return person


@transaction.atomic
def person_update(*, actor: User, person_id: int, changes: dict[str, Any]) -> Person:
    person = access_person_for_write(actor, person_id)
    identity = {**person.identity}
    for field in ("given_names", "family_name", "aliases", "birth_date", "phone",
                  "identity_documents"):
        if field in changes:
            identity[field] = changes[field]
    identity, birth_year, precision = build_identity(today=_today(), **identity)
    key = DataKey(person.data_key)
    person.identity_ciphertext = key.encrypt_json(identity)
    person.name_birth_index = _identity_index(identity)
    person.birth_year, person.birth_date_precision = birth_year, precision
    if "sex" in changes:
        person.sex = v.clean_sex(changes["sex"])
    if "citizenships" in changes:
        person.citizenships = v.clean_citizenships(changes["citizenships"])
    if "languages" in changes:
        person.languages = v.clean_languages(changes["languages"])
    person.save()
    person.__dict__.pop("identity", None)
    if "birth_date" in changes:
        _refresh_ages_at_signals(person)
    audit_record(actor=actor, action="person.update", obj=person, person_id=person.pk,
                 detail={"fields": sorted(changes)})
    return person


@transaction.atomic
def person_delete(*, actor: User, person_id: int) -> None:
    person = access_person_for_delete(actor, person_id)
    pk = person.pk
    entries = [Entry("signal.delete", "registry.signal", s, pk)
               for s in person.signals.values_list("pk", flat=True)]
    entries.append(Entry("person.delete", "registry.person", pk, pk))
    person.delete()
    audit_record_many(actor=actor, entries=entries)


def _grant(person: Person, organisation: Organisation, reason: str) -> None:
    grant, created = PersonAccess.objects.get_or_create(
        person=person, organisation=organisation, reason=reason
    )
    if not created and grant.revoked_at is not None:
        grant.revoked_at = None
        grant.save(update_fields=["revoked_at"])


def _age_fields(person: Person, signalled_on: date) -> dict[str, Any]:
    birth = person.identity.get("birth_date") or ""
    if birth and signalled_on.isoformat()[: len(birth)] < birth:
        raise ApplicationError(_("The signal date lies before the person's birth date."),
                               field="signalled_on")
    age = person.age_on(signalled_on)
    return {
        "age_at_signal": age,
        "age_group": age_group_for(age),
        # A person whose age is uncertain is treated as a minor (DOMAIN.md).
        "minor_at_signal": age is None or age < 18,
    }


def _refresh_ages_at_signals(person: Person) -> None:
    """Figures count minors by the age at each signal: a corrected birth date must reach them."""
    signals = list(person.signals.all())
    for signal in signals:
        try:
            fields = _age_fields(person, signal.signalled_on)
        except ApplicationError:
            raise ApplicationError(
                _("The person has a signal dated before this birth date."), field="birth_date"
            ) from None
        for name, value in fields.items():
            setattr(signal, name, value)
    Signal.objects.bulk_update(signals, ["age_at_signal", "age_group", "minor_at_signal"])


def signal_fields(
    *, person: Person, organisation: Organisation, signalled_on: date, forms: list[str],
    indicators: list[str] | None = None, indicators_other: str = "", sector: str = "",
    municipality: str, scope: str | None = None, source: str,
    exploitation_started_on: date | None = None, exploitation_ended_on: date | None = None,
    narrative: str = "", today: date,
) -> dict[str, Any]:
    """Validated column values for a new signal (shared with bulk intake)."""
    v.clean_signal_dates(signalled_on=signalled_on, started=exploitation_started_on,
                         ended=exploitation_ended_on, today=today)
    ages = _age_fields(person, signalled_on)
    texts = {
        "narrative": v.clean_text(narrative, "narrative", max_length=10_000),
        "indicators_other": v.clean_text(indicators_other, "indicators_other", max_length=1000),
    }
    return {
        "signalled_on": signalled_on,
        "exploitation_started_on": exploitation_started_on,
        "exploitation_ended_on": exploitation_ended_on,
        "forms": v.clean_forms(forms),
        "indicators": v.clean_indicators(indicators),
        "sector": v.clean_sector(sector),
        "municipality": v.clean_municipality(municipality),
        "scope": v.clean_scope(scope),
        "source": v.clean_source(source),
        "text_ciphertext": (
            DataKey(person.data_key).encrypt_json(texts) if any(texts.values()) else ""
        ),
        **ages,
        "duty_registration": organisation.must_register,
    }


@transaction.atomic
def signal_create(*, actor: User, person_id: int, external_ref: str | None = None,
                  **fields: Any) -> Signal:
    require_may_report(actor)
    person = access_person(actor, person_id)
    organisation = actor.organisation
    assert organisation is not None
    if external_ref and Signal.objects.filter(
        reporting_organisation=organisation, external_ref=external_ref
    ).exists():
        raise ConflictError(
            _("Your organisation already reported a signal with this reference."),
            field="external_ref",
        )
    values = signal_fields(person=person, organisation=organisation, today=_today(), **fields)
    signal = Signal.objects.create(
        person=person, reporting_organisation=organisation, reported_by=actor,
        external_ref=external_ref or None, **values,
    )
    _grant(person, organisation, AccessReason.REPORTED)
    if organisation.must_register and not person.duty_registered:
        Person.objects.filter(pk=person.pk).update(duty_registered=True)
    audit_record(actor=actor, action="signal.create", obj=signal, person_id=person.pk)
    return signal


@transaction.atomic
def signal_update(*, actor: User, signal_id: int, changes: dict[str, Any]) -> Signal:
    signal = access_signal_for_write(actor, signal_id)
    current = {
        "signalled_on": signal.signalled_on, "forms": signal.forms,
        "indicators": signal.indicators, "indicators_other": signal.indicators_other,
        "sector": signal.sector, "municipality": signal.municipality, "scope": signal.scope,
        "source": signal.source, "exploitation_started_on": signal.exploitation_started_on,
        "exploitation_ended_on": signal.exploitation_ended_on, "narrative": signal.narrative,
    }
    current.update({k: val for k, val in changes.items() if k in current})
    values = signal_fields(person=signal.person, organisation=signal.reporting_organisation,
                           today=_today(), **current)
    for name, value in values.items():
        setattr(signal, name, value)
    signal.save()
    signal.__dict__.pop("texts", None)
    audit_record(actor=actor, action="signal.update", obj=signal, person_id=signal.person_id,
                 detail={"fields": sorted(changes)})
    return signal


@transaction.atomic
def signal_delete(*, actor: User, signal_id: int) -> None:
    signal = access_signal_for_write(actor, signal_id)
    person_id, pk = signal.person_id, signal.pk
    signal.delete()
    audit_record_many(actor=actor, entries=[Entry("signal.delete", "registry.signal", pk, person_id)])


@transaction.atomic
def consent_record(*, actor: User, person_id: int, purpose: str, state: str,
                   recorded_on: date | None = None) -> Consent:
    """Record a consent statement; it is in force at once (withdrawal included)."""
    require_may_report(actor)
    assert actor.organisation is not None  # require_may_report: content roles have one
    person = access_person(actor, person_id)
    purpose = v.clean_choice(purpose, Purpose.values, "purpose", "")
    if not purpose:
        raise ApplicationError(_("Say which purpose this consent is for."), field="purpose")
    state = v.clean_choice(state, [ConsentState.GIVEN, ConsentState.REFUSED,
                                   ConsentState.WITHDRAWN], "state", "")
    if not state:
        raise ApplicationError(_("Say whether consent was given, refused or withdrawn."),
                               field="state")
    recorded_on = recorded_on or _today()
    if recorded_on > _today():
        raise ApplicationError(_("The consent date lies in the future."), field="recorded_on")
    consent = Consent.objects.create(
        person=person, purpose=purpose, state=state, recorded_on=recorded_on,
        organisation=actor.organisation, recorded_by=actor,
    )
    # In force is the latest statement by date: a late-entered older form changes nothing.
    in_force = Consent.objects.filter(person=person, purpose=purpose).order_by(
        "-recorded_on", "-created_at", "-id").values_list("state", flat=True).first()
    Person.objects.filter(pk=person.pk).update(**{f"consent_{purpose}": in_force})
    audit_record(actor=actor, action="consent.create", obj=consent, person_id=person.pk,
                 detail={"purpose": purpose, "state": state})
    return consent


@transaction.atomic
def person_share(*, actor: User, person_id: int, organisation_id: int) -> PersonAccess:
    """Share a person with another organisation, as far as consent allows."""
    person = access_person(actor, person_id)
    if actor.role not in (Role.CASEWORKER, Role.NATIONAL_COORDINATOR):
        raise PermissionDenied(_("Only caseworkers and the national coordinator may share."))
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise ApplicationError(_("No such organisation."), field="organisation")
    if organisation.pk == actor.organisation_id:
        raise ApplicationError(_("You cannot share with your own organisation."),
                               field="organisation")
    purpose = sharing_purpose(organisation)
    state = person.consent(purpose)
    duty_sender = actor.organisation is not None and actor.organisation.must_register
    allowed = state == ConsentState.GIVEN or (
        purpose == Purpose.POLICE and duty_sender and state not in (
            ConsentState.REFUSED, ConsentState.WITHDRAWN)
    )
    if not allowed:
        raise ApplicationError(
            _("The person has not consented to sharing for %(purpose)s (consent: %(state)s). "
              "Record their consent first.") % {"purpose": purpose, "state": state},
            field="organisation",
        )
    _grant(person, organisation, AccessReason.SHARED)
    grant = PersonAccess.objects.get(person=person, organisation=organisation,
                                     reason=AccessReason.SHARED)
    audit_record(actor=actor, action="person.share", obj=person, person_id=person.pk,
                 detail={"organisation": organisation.pk})
    return grant


def keys_rotate(*, actor: User | None, data_keys: bool = False, batch_size: int = 500,
                progress: Any = None) -> int:
    """Re-wrap (and optionally replace) every person's data key, batch by batch.

    Each batch is one transaction, so an interrupted rotation can simply be run
    again: a key already wrapped with the newest master key is re-wrapped harmlessly.
    """
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            # An erased person has no data key left to rotate (zicht.privacy).
            batch = list(Person.objects.filter(pk__gt=last_pk, erased_at__isnull=True)
                         .order_by("pk")[:batch_size])
            if not batch:
                break
            for person in batch:
                old = DataKey(person.data_key)
                if data_keys:
                    new = DataKey.generate()
                    person.identity_ciphertext = new.encrypt_json(old.decrypt_json(
                        person.identity_ciphertext))
                    signals = list(person.signals.exclude(text_ciphertext=""))
                    for signal in signals:
                        signal.text_ciphertext = new.encrypt_json(
                            old.decrypt_json(signal.text_ciphertext))
                    Signal.objects.bulk_update(signals, ["text_ciphertext"])
                else:
                    new = old.rewrapped()
                person.data_key = new.wrapped
            Person.objects.bulk_update(batch, ["data_key", "identity_ciphertext"])
            audit_record(actor=actor, action="keys.rotate",
                         detail={"persons": [p.pk for p in batch], "data_keys": data_keys})
            last_pk = batch[-1].pk
            done += len(batch)
        if progress:
            progress(done)
    return done
