"""Every write to the pathway. Keyword-only, actor named, atomic, audited with the person.

The rules themselves (terms, who may decide, what a sepot does) are in rules.py;
these functions check access and input, ask the rules, and store the answer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from zicht.audit.services import Entry, audit_record, audit_record_many
from zicht.core.crypto import DataKey
from zicht.core.exceptions import ApplicationError, ConflictError, NotFound
from zicht.organisations.models import Organisation, OrganisationKind, User
from zicht.registry.access import (
    CONSENT_ENDED,
    access_person,
    access_person_for_write,
    sharing_purpose,
)
from zicht.registry.codes import ConsentState, Purpose
from zicht.registry.countries import COUNTRIES
from zicht.registry.models import AccessReason, Person, PersonAccess
from zicht.registry.validation import clean_text

from . import conf, rules
from .access import access_claim, access_deadline, access_referral, require_writer
from .codes import (
    AWARDING_OUTCOMES,
    CLOSED_CASE_STATUSES,
    CaseStatus,
    ConsentBasis,
    CriminalCaseOutcome,
    DeadlineKind,
    RedressOutcome,
    RedressRoute,
    ReferralChannel,
    ReferralPurpose,
    ReferralStatus,
    ResidenceStatus,
    StageKind,
    Urgency,
    VictimStatus,
)
from .models import (
    CriminalCase,
    Deadline,
    DeadlineExtension,
    Pathway,
    RedressClaim,
    Referral,
    Stage,
    VictimStatusDecision,
)
from .selectors import person_is_minor

# Organisations that take an aangifte or investigate trafficking.
INVESTIGATING_KINDS = frozenset({OrganisationKind.POLICE, OrganisationKind.KMAR,
                                 OrganisationKind.LABOUR_INSPECTORATE})
# The reflection period is offered by police or KMar (DOMAIN.md).
REFLECTION_OFFER_KINDS = frozenset({OrganisationKind.POLICE, OrganisationKind.KMAR})


def _today() -> date:
    return timezone.localdate()


# --- small checks shared by the services ----------------------------------------------------

def _choice(value: Any, choices: list[str], field: str) -> str:
    if value not in choices:
        raise ApplicationError(
            _("Unknown value “%(value)s”. Use one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(choices)}, field=field)
    return str(value)


def _date(value: date | str | None, field: str, *, default: date | None = None,
          not_future: bool = True) -> date:
    if value in (None, ""):
        if default is None:
            raise ApplicationError(_("Give a date."), field=field)
        return default
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise ApplicationError(_("Give a real date as YYYY-MM-DD."), field=field) from None
    if not_future and value > _today():
        raise ApplicationError(_("This date lies in the future."), field=field)
    if value.year < 2000:
        raise ApplicationError(_("This date lies before 2000."), field=field)
    return value


def _reason(value: str | None, field: str = "reason", *, required: bool = True) -> str:
    text = clean_text(value, field, max_length=2000)
    if required and not text:
        raise ApplicationError(_("Give a reason."), field=field)
    return text


def _organisation(pk: Any, field: str) -> Organisation:
    try:
        organisation = Organisation.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        organisation = None
    if organisation is None:
        raise ApplicationError(_("No such organisation."), field=field)
    return organisation


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("Give an amount in euro, e.g. 1250.00."), field=field) from None
    if not amount.is_finite() or amount < 0:
        raise ApplicationError(_("The amount cannot be negative."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(_("Give the amount in whole cents."), field=field)
    if amount >= Decimal("10000000000"):
        raise ApplicationError(_("This amount is too large."), field=field)
    return amount.quantize(Decimal("0.01"))


def _writable_person(actor: User, person_id: int | str) -> Person:
    person = access_person_for_write(actor, person_id)
    return person


def _ensure_pathway(actor: User, person: Person) -> Pathway:
    """A person's pathway, made on first use. It starts in "identify" on the date of
    their first signal, under the registering organisation."""
    pathway = Pathway.objects.filter(person=person).first()
    if pathway is not None:
        return pathway
    pathway = Pathway.objects.create(person=person)
    first_signal = person.signals.aggregate(first=Min("signalled_on"))["first"]
    stage = Stage.objects.create(
        pathway=pathway, kind=StageKind.IDENTIFY, started_on=first_signal or _today(),
        responsible_organisation_id=person.registering_organisation_id, started_by=actor,
    )
    audit_record_many(actor=actor, entries=[
        Entry("pathway.create", "pathway.pathway", pathway.pk, person.pk),
        Entry("stage.start", "pathway.stage", stage.pk, person.pk, {"kind": stage.kind}),
    ])
    return pathway


def _open_stage(*, actor: User, pathway: Pathway, kind: str, started_on: date,
                organisation: Organisation) -> Stage | None:
    """Open a stage unless one of its kind is open already (events open stages too)."""
    if pathway.stages.filter(kind=kind, ended_on__isnull=True).exists():
        return None
    stage = Stage.objects.create(pathway=pathway, kind=kind, started_on=started_on,
                                 responsible_organisation=organisation, started_by=actor)
    audit_record(actor=actor, action="stage.start", obj=stage, person_id=pathway.person_id,
                 detail={"kind": kind})
    return stage


def _add_deadline(*, actor: User | None, pathway: Pathway, spec: rules.DeadlineSpec,
                  organisation: Organisation, case: CriminalCase | None = None,
                  title: str = "") -> Deadline:
    deadline = Deadline.objects.create(
        person_id=pathway.person_id, pathway=pathway, kind=spec.kind, rule=spec.rule,
        starts_on=spec.starts_on, due_on=spec.due_on, responsible_organisation=organisation,
        criminal_case=case, created_by=actor, title=title,
    )
    audit_record(actor=actor, action="deadline.create", obj=deadline,
                 person_id=pathway.person_id,
                 detail={"kind": spec.kind, "rule": spec.rule,
                         "due_on": spec.due_on.isoformat() if spec.due_on else None})
    return deadline


def _close_deadline(*, actor: User | None, deadline: Deadline, closed_on: date,
                    reason: str) -> None:
    deadline.closed_on = max(closed_on, deadline.starts_on)
    deadline.close_reason = reason
    deadline.save(update_fields=["closed_on", "close_reason"])
    audit_record(actor=actor, action="deadline.close", obj=deadline,
                 person_id=deadline.person_id, detail={"reason": reason})


def _care_organisation(pathway: Pathway, actor: User) -> Organisation:
    """Who follows up residence deadlines: the organisation responsible for protection."""
    stage = pathway.stages.filter(kind=StageKind.PROTECT, ended_on__isnull=True).select_related(
        "responsible_organisation").first()
    if stage is not None:
        return stage.responsible_organisation
    assert actor.organisation is not None
    return actor.organisation


# --- Pathway, stages, status ------------------------------------------------------------

@transaction.atomic
def pathway_update(*, actor: User, person_id: int, changes: dict[str, Any]) -> Pathway:
    """Residence status and the minors' flow (guardian, youth care)."""
    person = _writable_person(actor, person_id)
    pathway = _ensure_pathway(actor, person)
    fields = []
    if "residence_status" in changes:
        pathway.residence_status = _choice(changes["residence_status"], ResidenceStatus.values,
                                           "residence_status")
        fields.append("residence_status")
    if "guardian" in changes:
        guardian = clean_text(changes["guardian"], "guardian", max_length=200)
        pathway.guardian_ciphertext = (
            DataKey(person.data_key).encrypt_json(guardian) if guardian else "")
        fields.append("guardian_ciphertext")
    if "youth_care_organisation" in changes:
        raw = changes["youth_care_organisation"]
        organisation = None if raw in (None, "") else _organisation(raw, "youth_care_organisation")
        if organisation is not None and organisation.kind != OrganisationKind.YOUTH_CARE:
            raise ApplicationError(_("Choose a youth care organisation."),
                                   field="youth_care_organisation")
        pathway.youth_care_organisation = organisation
        fields.append("youth_care_organisation")
        if organisation is not None:
            pathway.youth_care_involved = True
            fields.append("youth_care_involved")
    if "youth_care_involved" in changes:
        involved = changes["youth_care_involved"]
        if not isinstance(involved, bool):
            raise ApplicationError(_("Answer yes or no."), field="youth_care_involved")
        if not involved and pathway.youth_care_organisation_id is not None:
            pathway.youth_care_organisation = None
            fields.append("youth_care_organisation")
        pathway.youth_care_involved = involved
        fields.append("youth_care_involved")
    if fields:
        pathway.save(update_fields=sorted(set(fields)) + ["updated_at"])
    audit_record(actor=actor, action="pathway.update", obj=pathway, person_id=person.pk,
                 detail={"fields": sorted(changes)})
    return pathway


@transaction.atomic
def stage_start(*, actor: User, person_id: int, kind: str, started_on: date | str | None = None,
                responsible_organisation_id: int | None = None) -> Stage:
    person = _writable_person(actor, person_id)
    kind = _choice(kind, StageKind.values, "kind")
    started_on = _date(started_on, "started_on", default=_today())
    organisation = (actor.organisation if responsible_organisation_id in (None, "")
                    else _organisation(responsible_organisation_id, "responsible_organisation"))
    assert organisation is not None
    pathway = _ensure_pathway(actor, person)
    if pathway.stages.filter(kind=kind, ended_on__isnull=True).exists():
        raise ConflictError(_("This stage is open already; end it before starting it again."),
                            field="kind")
    stage = _open_stage(actor=actor, pathway=pathway, kind=kind, started_on=started_on,
                        organisation=organisation)
    assert stage is not None
    return stage


@transaction.atomic
def stage_end(*, actor: User, person_id: int, stage_id: int,
              ended_on: date | str | None = None, reason: str = "") -> Stage:
    person = _writable_person(actor, person_id)
    stage = (Stage.objects.select_for_update(of=("self",)).select_related("pathway")
             .filter(pk=stage_id, pathway__person=person).first())
    if stage is None:
        raise NotFound()
    if stage.ended_on is not None:
        raise ConflictError(_("This stage has ended already."), field="ended_on")
    ended_on = _date(ended_on, "ended_on", default=_today())
    if ended_on < stage.started_on:
        raise ApplicationError(
            _("The end date lies before the start of the stage (%(start)s).")
            % {"start": stage.started_on.isoformat()}, field="ended_on")
    stage.ended_on = ended_on
    stage.end_reason = _reason(reason, required=False)
    stage.save(update_fields=["ended_on", "end_reason"])
    audit_record(actor=actor, action="stage.end", obj=stage, person_id=stage.pathway.person_id,
                 detail={"kind": stage.kind})
    return stage


@transaction.atomic
def victim_status_decide(*, actor: User, person_id: int, status: str, reason: str,
                         decided_on: date | str | None = None) -> VictimStatusDecision:
    """Possible → identified / not a victim, by an organisation authorised to decide."""
    person = _writable_person(actor, person_id)
    status = _choice(status, VictimStatus.values, "status")
    organisation = actor.organisation
    assert organisation is not None
    allowed = conf.victim_status_deciders()
    if not rules.may_decide_victim_status(organisation_kind=organisation.kind,
                                          authorised_kinds=allowed):
        raise ApplicationError(
            _("Your organisation (%(kind)s) may not decide on victim status; organisations "
              "of these kinds may: %(allowed)s.")
            % {"kind": organisation.get_kind_display(), "allowed": ", ".join(sorted(allowed))},
            field="status")
    reason = _reason(reason)
    decided_on = _date(decided_on, "decided_on", default=_today())
    pathway = _ensure_pathway(actor, person)
    if pathway.victim_status == status:
        raise ConflictError(_("The victim status is already “%(status)s”.")
                            % {"status": pathway.get_victim_status_display()}, field="status")
    decision = VictimStatusDecision.objects.create(
        pathway=pathway, status=status, organisation=organisation, decided_on=decided_on,
        reason=reason, decided_by=actor)
    pathway.victim_status = status
    pathway.victim_status_organisation = organisation
    pathway.victim_status_decided_on = decided_on
    pathway.victim_status_reason = reason
    pathway.save(update_fields=["victim_status", "victim_status_organisation",
                                "victim_status_decided_on", "victim_status_reason",
                                "updated_at"])
    audit_record(actor=actor, action="victim_status.decide", obj=decision, person_id=person.pk,
                 detail={"status": status})
    return decision


@transaction.atomic
def case_status_set(*, actor: User, person_id: int, status: str, closing_reason: str = "",
                    closed_on: date | str | None = None) -> Pathway:
    """HTCDS case status; closing needs a reason (cas_ReasonForCaseClosure)."""
    person = _writable_person(actor, person_id)
    status = _choice(status, CaseStatus.values, "status")
    pathway = _ensure_pathway(actor, person)
    if status in CLOSED_CASE_STATUSES:
        pathway.closing_reason = _reason(closing_reason, "closing_reason")
        pathway.case_closed_on = _date(closed_on, "closed_on", default=_today())
    else:
        pathway.closing_reason = ""
        pathway.case_closed_on = None
    pathway.case_status = status
    pathway.save(update_fields=["case_status", "closing_reason", "case_closed_on", "updated_at"])
    audit_record(actor=actor, action="case_status.set", obj=pathway, person_id=person.pk,
                 detail={"status": status})
    return pathway


# --- Deadlines -------------------------------------------------------------------------------

@transaction.atomic
def reflection_period_offer(*, actor: User, person_id: int, offered_on: date | str | None = None,
                            offered_by_id: int | None = None) -> Deadline:
    person = _writable_person(actor, person_id)
    offered_by = (actor.organisation if offered_by_id in (None, "")
                  else _organisation(offered_by_id, "offered_by"))
    assert offered_by is not None
    if offered_by.kind not in REFLECTION_OFFER_KINDS:
        raise ApplicationError(_("The reflection period is offered by police or KMar."),
                               field="offered_by")
    offered_on = _date(offered_on, "offered_on", default=_today())
    pathway = _ensure_pathway(actor, person)
    spec = rules.reflection_period(residence_status=pathway.residence_status,
                                   citizenships=list(person.citizenships), offered_on=offered_on)
    if pathway.deadlines.filter(kind=DeadlineKind.REFLECTION_PERIOD,
                                closed_on__isnull=True).exists():
        raise ConflictError(_("A reflection period is running already; extend it instead."),
                            field="offered_on")
    return _add_deadline(actor=actor, pathway=pathway, spec=spec,
                         organisation=_care_organisation(pathway, actor))


@transaction.atomic
def deadline_create(*, actor: User, person_id: int, title: str, due_on: date | str,
                    starts_on: date | str | None = None,
                    responsible_organisation_id: int | None = None) -> Deadline:
    """A task with a date, set by hand (legal terms come from the rules)."""
    person = _writable_person(actor, person_id)
    title = clean_text(title, "title", max_length=200)
    if not title:
        raise ApplicationError(_("Say what has to be done."), field="title")
    starts_on = _date(starts_on, "starts_on", default=_today(), not_future=False)
    due_on = _date(due_on, "due_on", not_future=False)
    if due_on < starts_on:
        raise ApplicationError(
            _("The due date lies before the start (%(start)s).") % {"start": starts_on},
            field="due_on")
    organisation = (actor.organisation if responsible_organisation_id in (None, "")
                    else _organisation(responsible_organisation_id, "responsible_organisation"))
    assert organisation is not None
    pathway = _ensure_pathway(actor, person)
    spec = rules.DeadlineSpec(DeadlineKind.TASK, "", starts_on, due_on)
    return _add_deadline(actor=actor, pathway=pathway, spec=spec, organisation=organisation,
                         title=title)


@transaction.atomic
def deadline_extend(*, actor: User, deadline_id: int, due_on: date | str,
                    reason: str) -> Deadline:
    deadline = access_deadline(actor, deadline_id)
    _writable_person(actor, deadline.person_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.closed_on is not None:
        raise ConflictError(_("This deadline is closed."), field="due_on")
    new_due_on = rules.extended_due_on(
        kind=deadline.kind, current_due_on=deadline.due_on,
        new_due_on=_date(due_on, "due_on", not_future=False), reason=reason)
    assert deadline.due_on is not None
    DeadlineExtension.objects.create(deadline=deadline, previous_due_on=deadline.due_on,
                                     new_due_on=new_due_on, reason=reason.strip(),
                                     extended_by=actor)
    previous = deadline.due_on
    deadline.due_on = new_due_on
    deadline.save(update_fields=["due_on"])
    audit_record(actor=actor, action="deadline.extend", obj=deadline,
                 person_id=deadline.person_id,
                 detail={"from": previous.isoformat(), "to": new_due_on.isoformat()})
    return deadline


@transaction.atomic
def deadline_close(*, actor: User, deadline_id: int, reason: str,
                   closed_on: date | str | None = None) -> Deadline:
    deadline = access_deadline(actor, deadline_id)
    _writable_person(actor, deadline.person_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.closed_on is not None:
        raise ConflictError(_("This deadline is closed already."), field="closed_on")
    closed_on = _date(closed_on, "closed_on", default=_today())
    if closed_on < deadline.starts_on:
        raise ApplicationError(_("The closing date lies before the start."), field="closed_on")
    _close_deadline(actor=actor, deadline=deadline, closed_on=closed_on,
                    reason=_reason(reason))
    return deadline


# --- Criminal procedure --------------------------------------------------------------------

@transaction.atomic
def criminal_case_open(*, actor: User, person_id: int, aangifte_on: date | str,
                       police_organisation_id: int | None = None,
                       reference: str = "") -> CriminalCase:
    """An aangifte: opens the criminal stage and sets the residence deadlines it brings."""
    person = _writable_person(actor, person_id)
    police = (actor.organisation if police_organisation_id in (None, "")
              else _organisation(police_organisation_id, "police_organisation"))
    assert police is not None
    if police.kind not in INVESTIGATING_KINDS:
        raise ApplicationError(
            _("An aangifte is taken by police, KMar or the Labour Inspectorate."),
            field="police_organisation")
    aangifte_on = _date(aangifte_on, "aangifte_on")
    pathway = _ensure_pathway(actor, person)
    case = CriminalCase.objects.create(
        pathway=pathway, aangifte_on=aangifte_on, police_organisation=police,
        reference=clean_text(reference, "reference", max_length=64), created_by=actor)
    audit_record(actor=actor, action="criminal_case.open", obj=case, person_id=person.pk)
    _open_stage(actor=actor, pathway=pathway, kind=StageKind.CRIMINAL, started_on=aangifte_on,
                organisation=police)
    # The reflection period is for deciding about an aangifte: it is made.
    for running in pathway.deadlines.filter(kind=DeadlineKind.REFLECTION_PERIOD,
                                            closed_on__isnull=True):
        _close_deadline(actor=actor, deadline=running, closed_on=aangifte_on,
                        reason="aangifte made")
    care = _care_organisation(pathway, actor)
    residence = pathway.residence_status
    dublin = rules.dublin_aangifte_decision(residence_status=residence, aangifte_on=aangifte_on)
    if dublin is not None:
        _add_deadline(actor=actor, pathway=pathway, spec=dublin, organisation=police, case=case)
    b8 = rules.b8_permit(residence_status=residence, aangifte_on=aangifte_on)
    if b8 is not None:
        _add_deadline(actor=actor, pathway=pathway, spec=b8, organisation=care, case=case)
    permanent = rules.non_temporary_permit(residence_status=residence, aangifte_on=aangifte_on)
    if permanent is not None:
        _add_deadline(actor=actor, pathway=pathway, spec=permanent, organisation=care, case=case)
    return case


# Which decision may follow which: a case is prosecuted or dropped, then judged.
_NEXT_OUTCOMES: dict[str, set[str]] = {
    CriminalCaseOutcome.INVESTIGATION: {CriminalCaseOutcome.PROSECUTED, CriminalCaseOutcome.SEPOT},
    CriminalCaseOutcome.PROSECUTED: {CriminalCaseOutcome.CONVICTED, CriminalCaseOutcome.ACQUITTED,
                                     CriminalCaseOutcome.SEPOT},
}


@transaction.atomic
def criminal_case_decide(*, actor: User, person_id: int, case_id: int, outcome: str,
                         decided_on: date | str | None = None, reason: str = "") -> CriminalCase:
    """Prosecution, sepot or judgment, and what each does to the residence deadlines."""
    person = _writable_person(actor, person_id)
    case = (CriminalCase.objects.select_for_update(of=("self",)).select_related("pathway")
            .filter(pk=case_id, pathway__person=person).first())
    if case is None:
        raise NotFound()
    outcome = _choice(outcome, CriminalCaseOutcome.values, "outcome")
    if outcome not in _NEXT_OUTCOMES.get(case.outcome, set()):
        raise ConflictError(
            _("A case that is “%(current)s” cannot become “%(next)s”.")
            % {"current": case.get_outcome_display(),
               "next": CriminalCaseOutcome(outcome).label}, field="outcome")
    decided_on = _date(decided_on, "decided_on", default=_today())
    earliest = case.prosecuted_on or case.aangifte_on
    if decided_on < earliest:
        raise ApplicationError(
            _("The decision date lies before %(date)s.") % {"date": earliest.isoformat()},
            field="decided_on")
    reason = _reason(reason, required=outcome == CriminalCaseOutcome.SEPOT)
    case.outcome = outcome
    if outcome == CriminalCaseOutcome.PROSECUTED:
        case.prosecuted_on = decided_on
    else:
        case.decided_on = decided_on
    case.decision_reason = reason
    case.save()
    pathway = case.pathway
    audit_record(actor=actor, action="criminal_case.decide", obj=case,
                 person_id=pathway.person_id, detail={"outcome": outcome})

    open_deadlines = {d.kind: d for d in case.deadlines.filter(closed_on__isnull=True)}
    dublin = open_deadlines.get(DeadlineKind.DUBLIN_AANGIFTE_DECISION)
    if dublin is not None:
        _close_deadline(actor=actor, deadline=dublin, closed_on=decided_on,
                        reason=f"decided: {outcome}")
    permanent = open_deadlines.get(DeadlineKind.NON_TEMPORARY_PERMIT)
    if permanent is not None and outcome in (CriminalCaseOutcome.PROSECUTED,
                                             CriminalCaseOutcome.CONVICTED):
        due_on = rules.non_temporary_permit_from(
            aangifte_on=case.aangifte_on, prosecuted_on=case.prosecuted_on,
            convicted_on=decided_on if outcome == CriminalCaseOutcome.CONVICTED else None)
        if due_on != permanent.due_on:
            permanent.due_on = due_on
            permanent.save(update_fields=["due_on"])
            audit_record(actor=actor, action="deadline.reschedule", obj=permanent,
                         person_id=pathway.person_id, detail={"due_on": due_on.isoformat()})
    effect = rules.criminal_case_decision(outcome=outcome, decided_on=decided_on,
                                          review_days=conf.other_grounds_review_days())
    b8 = open_deadlines.get(DeadlineKind.B8_PERMIT)
    if effect.ends_b8_on is not None and b8 is not None:
        _close_deadline(actor=actor, deadline=b8, closed_on=effect.ends_b8_on,
                        reason=f"criminal case ended: {outcome}")
    if effect.ends_three_year_route and permanent is not None:
        _close_deadline(actor=actor, deadline=permanent, closed_on=decided_on,
                        reason="criminal case no longer runs (sepot)")
    if effect.review is not None and b8 is not None:
        _add_deadline(actor=actor, pathway=pathway, spec=effect.review,
                      organisation=_care_organisation(pathway, actor), case=case)
    return case


# --- Referrals ---------------------------------------------------------------------------------

def _consent_basis(person: Person, *, sender: Organisation, receiver: Organisation) -> str:
    """Sharing follows the person's consent for the receiver's purpose; police, KMar and
    the Labour Inspectorate may pass on without it, unless it was refused (seed 001)."""
    purpose = sharing_purpose(receiver)
    state = person.consent(purpose)
    if state == ConsentState.GIVEN:
        return ConsentBasis.CONSENT
    if purpose == Purpose.POLICE and sender.must_register and state not in CONSENT_ENDED:
        return ConsentBasis.DUTY_TO_REGISTER
    purpose_label = Purpose(purpose).label
    raise ApplicationError(
        _("The person has not consented to %(purpose)s (consent: %(state)s), so this "
          "referral to %(receiver)s cannot be made. Record their consent first.")
        % {"purpose": str(purpose_label).lower(), "state": ConsentState(state).label,
           "receiver": receiver.name},
        field="to_organisation")


def _grant_referred(person: Person, organisation: Organisation) -> None:
    grant, created = PersonAccess.objects.get_or_create(
        person=person, organisation=organisation, reason=AccessReason.REFERRED)
    if not created and grant.revoked_at is not None:
        grant.revoked_at = None
        grant.save(update_fields=["revoked_at"])


@transaction.atomic
def referral_propose(
    *, actor: User, person_id: int, purpose: str, to_organisation_id: int | None = None,
    urgency: str = Urgency.NORMAL, note: str = "", country: str = "",
    foreign_organisation: str = "", channel: str = "", now: datetime | None = None,
) -> Referral:
    """Propose a referral to another organisation, or record one abroad."""
    person = access_person(actor, person_id)
    require_writer(actor)
    sender = actor.organisation
    assert sender is not None
    now = now or timezone.now()
    purpose = _choice(purpose, ReferralPurpose.values, "purpose")
    urgency = _choice(urgency or Urgency.NORMAL, Urgency.values, "urgency")
    note = clean_text(note, "note", max_length=4000)
    country = (country or "").strip().upper()
    abroad = bool(country or foreign_organisation or channel)
    if abroad and to_organisation_id not in (None, ""):
        raise ApplicationError(
            _("Refer either to an organisation in zicht or to one abroad, not both."),
            field="country")
    common = {
        "person": person, "from_organisation": sender, "proposed_by": actor, "purpose": purpose,
        "urgency": urgency, "proposed_at": now,
        "note_ciphertext": DataKey(person.data_key).encrypt_json(note) if note else "",
    }
    if abroad:
        if country not in COUNTRIES or country == "NL":
            raise ApplicationError(_("Give the ISO 3166-1 code of a country abroad, e.g. RO."),
                                   field="country")
        foreign_organisation = clean_text(foreign_organisation, "foreign_organisation",
                                          max_length=200)
        if not foreign_organisation:
            raise ApplicationError(_("Name the organisation abroad."),
                                   field="foreign_organisation")
        channel = _choice(channel, ReferralChannel.values, "channel")
        pathway = _ensure_pathway(actor, person)
        # Recorded only: zicht grants nobody abroad any access.
        referral = Referral.objects.create(
            **common, country=country, foreign_organisation=foreign_organisation,
            channel=channel, status=ReferralStatus.SENT_ABROAD, closed_at=now,
            consent_basis=ConsentBasis.NONE_NEEDED)
        audit_record(actor=actor, action="referral.abroad", obj=referral, person_id=person.pk,
                     detail={"country": country, "channel": channel, "pathway": pathway.pk})
        return referral

    if to_organisation_id in (None, ""):
        raise ApplicationError(_("Choose the organisation to refer to."), field="to_organisation")
    receiver = _organisation(to_organisation_id, "to_organisation")
    if receiver.pk == sender.pk:
        raise ApplicationError(_("You cannot refer to your own organisation."),
                               field="to_organisation")
    rules.check_minor_referral(minor=person_is_minor(person), purpose=purpose,
                               receiver_kind=receiver.kind)
    basis = _consent_basis(person, sender=sender, receiver=receiver)
    if Referral.objects.filter(person=person, to_organisation=receiver, purpose=purpose,
                               status=ReferralStatus.PROPOSED).exists():
        raise ConflictError(_("An open referral for this purpose to this organisation exists "
                              "already."), field="to_organisation")
    _ensure_pathway(actor, person)
    referral = Referral.objects.create(
        **common, to_organisation=receiver, consent_basis=basis,
        answer_due_at=rules.referral_answer_due(
            proposed_at=now, urgent=urgency == Urgency.URGENT,
            working_days=conf.referral_answer_working_days(),
            urgent_hours=conf.referral_urgent_answer_hours()),
    )
    audit_record(actor=actor, action="referral.propose", obj=referral, person_id=person.pk,
                 detail={"to": receiver.pk, "purpose": purpose, "urgency": urgency,
                         "basis": basis})
    return referral


def _open_referral_for_answer(actor: User, referral_id: int, *, side: str) -> Referral:
    """The referral, locked, if the actor's organisation is on the right side of it."""
    referral = access_referral(actor, referral_id)
    require_writer(actor)
    if side == "to" and referral.to_organisation_id != actor.organisation_id:
        raise ApplicationError(_("Only the organisation the person is referred to can answer."),
                               field="to_organisation")
    if side == "from" and referral.from_organisation_id != actor.organisation_id:
        raise ApplicationError(_("Only the referring organisation can withdraw."),
                               field="from_organisation")
    referral = Referral.objects.select_for_update(of=("self",)).select_related(
        "person", "from_organisation", "to_organisation").get(pk=referral.pk)
    if referral.status != ReferralStatus.PROPOSED:
        raise ConflictError(_("This referral is no longer open (it is “%(status)s”).")
                            % {"status": referral.get_status_display()}, field="status")
    return referral


def _close_referral(referral: Referral, *, actor: User, status: str, reason: str,
                    now: datetime) -> None:
    referral.status = status
    referral.closed_at = now
    referral.answered_by = actor
    referral.answer_reason = reason
    referral.save(update_fields=["status", "closed_at", "answered_by", "answer_reason"])


@transaction.atomic
def referral_accept(*, actor: User, referral_id: int, reason: str = "",
                    now: datetime | None = None) -> Referral:
    """The receiver takes the person up and may see them from now on."""
    now = now or timezone.now()
    referral = _open_referral_for_answer(actor, referral_id, side="to")
    if now >= rules.referral_expires_at(proposed_at=referral.proposed_at,
                                        expire_days=conf.referral_expire_days()):
        raise ConflictError(_("This referral has expired; ask for a new one."), field="status")
    assert referral.to_organisation is not None
    # Consent may have been withdrawn since the proposal: check it again.
    _consent_basis(referral.person, sender=referral.from_organisation,
                   receiver=referral.to_organisation)
    _close_referral(referral, actor=actor, status=ReferralStatus.ACCEPTED,
                    reason=_reason(reason, required=False), now=now)
    _grant_referred(referral.person, referral.to_organisation)
    audit_record(actor=actor, action="referral.accept", obj=referral,
                 person_id=referral.person_id)
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral_id: int, reason: str = "",
                     now: datetime | None = None) -> Referral:
    referral = _open_referral_for_answer(actor, referral_id, side="to")
    _close_referral(referral, actor=actor, status=ReferralStatus.DECLINED,
                    reason=_reason(reason), now=now or timezone.now())
    audit_record(actor=actor, action="referral.decline", obj=referral,
                 person_id=referral.person_id)
    return referral


@transaction.atomic
def referral_withdraw(*, actor: User, referral_id: int, reason: str = "",
                      now: datetime | None = None) -> Referral:
    referral = _open_referral_for_answer(actor, referral_id, side="from")
    _close_referral(referral, actor=actor, status=ReferralStatus.WITHDRAWN,
                    reason=_reason(reason, required=False), now=now or timezone.now())
    audit_record(actor=actor, action="referral.withdraw", obj=referral,
                 person_id=referral.person_id)
    return referral


@transaction.atomic
def referrals_escalate(*, actor: User | None = None, now: datetime | None = None) -> list[Referral]:
    """Mark open referrals past their answer time as escalated to the national coordinator.
    Run it often (cron); the worklist flags an overdue referral even before it runs."""
    now = now or timezone.now()
    overdue = list(Referral.objects.select_for_update(of=("self",)).filter(
        status=ReferralStatus.PROPOSED, escalated_at__isnull=True, answer_due_at__lt=now,
        # A restricted person (GDPR art. 18) is not put before the coordinator; their
        # referral may still lapse, which ends its processing.
        person__restricted_at__isnull=True,
    ).select_related("from_organisation", "to_organisation").order_by("answer_due_at", "pk"))
    if not overdue:
        return []
    Referral.objects.filter(pk__in=[r.pk for r in overdue]).update(escalated_at=now)
    for referral in overdue:
        referral.escalated_at = now
    audit_record_many(actor=actor, entries=[
        Entry("referral.escalate", "pathway.referral", r.pk, r.person_id,
              {"answer_due_at": r.answer_due_at.isoformat() if r.answer_due_at else None})
        for r in overdue])
    return overdue


@transaction.atomic
def referrals_expire(*, actor: User | None = None, now: datetime | None = None) -> int:
    """Referrals left unanswered for PATHWAY_REFERRAL_EXPIRE_DAYS lapse; they grant nothing."""
    now = now or timezone.now()
    # The same term as rules.referral_expires_at, turned round for one indexed filter.
    cutoff = now - timedelta(days=conf.referral_expire_days())
    lapsed = list(Referral.objects.select_for_update().filter(
        status=ReferralStatus.PROPOSED, proposed_at__lte=cutoff).values_list("pk", "person_id"))
    if not lapsed:
        return 0
    Referral.objects.filter(pk__in=[pk for pk, _ in lapsed]).update(
        status=ReferralStatus.EXPIRED, closed_at=now)
    audit_record_many(actor=actor, entries=[
        Entry("referral.expire", "pathway.referral", pk, person_id) for pk, person_id in lapsed])
    return len(lapsed)


# --- Redress --------------------------------------------------------------------------------------

@transaction.atomic
def redress_claim_create(
    *, actor: User, person_id: int, route: str, amount_claimed: Decimal | str,
    filed_on: date | str | None = None, responsible_organisation_id: int | None = None,
    criminal_case_id: int | None = None,
) -> RedressClaim:
    person = _writable_person(actor, person_id)
    route = _choice(route, RedressRoute.values, "route")
    amount = _amount(amount_claimed, "amount_claimed")
    filed_on = _date(filed_on, "filed_on", default=_today())
    organisation = (actor.organisation if responsible_organisation_id in (None, "")
                    else _organisation(responsible_organisation_id, "responsible_organisation"))
    assert organisation is not None
    pathway = _ensure_pathway(actor, person)
    case = None
    if criminal_case_id not in (None, ""):
        case = pathway.criminal_cases.filter(pk=criminal_case_id).first()
        if case is None:
            raise ApplicationError(_("This person has no such criminal case."),
                                   field="criminal_case")
    if route == RedressRoute.INJURED_PARTY and case is None:
        raise ApplicationError(
            _("A claim as injured party belongs to a criminal case: choose it."),
            field="criminal_case")
    claim = RedressClaim.objects.create(
        person=person, pathway=pathway, route=route, criminal_case=case,
        responsible_organisation=organisation, amount_claimed=amount, filed_on=filed_on,
        created_by=actor)
    audit_record(actor=actor, action="redress.create", obj=claim, person_id=person.pk,
                 detail={"route": route})
    _open_stage(actor=actor, pathway=pathway, kind=StageKind.REDRESS, started_on=filed_on,
                organisation=organisation)
    return claim


@transaction.atomic
def redress_claim_update(*, actor: User, claim_id: int, changes: dict[str, Any]) -> RedressClaim:
    """Record the outcome: amount awarded, dates. Checked as a whole after the change."""
    claim = access_claim(actor, claim_id)
    _writable_person(actor, claim.person_id)
    claim = RedressClaim.objects.select_for_update().get(pk=claim.pk)
    if "amount_claimed" in changes:
        claim.amount_claimed = _amount(changes["amount_claimed"], "amount_claimed")
    if "outcome" in changes:
        claim.outcome = _choice(changes["outcome"], RedressOutcome.values, "outcome")
    if "amount_awarded" in changes:
        raw = changes["amount_awarded"]
        claim.amount_awarded = None if raw in (None, "") else _amount(raw, "amount_awarded")
    for field in ("decided_on", "paid_on"):
        if field in changes:
            claim_value = changes[field]
            setattr(claim, field, None if claim_value in (None, "") else _date(claim_value, field))
    if claim.outcome != RedressOutcome.PENDING and claim.decided_on is None:
        claim.decided_on = _today()
    if claim.outcome == RedressOutcome.PENDING and claim.decided_on is not None:
        raise ApplicationError(_("A pending claim has no decision date."), field="decided_on")
    if claim.decided_on is not None and claim.decided_on < claim.filed_on:
        raise ApplicationError(_("The decision date lies before the filing date."),
                               field="decided_on")
    if claim.outcome in AWARDING_OUTCOMES and claim.amount_awarded is None:
        raise ApplicationError(_("Give the amount awarded."), field="amount_awarded")
    if claim.outcome not in AWARDING_OUTCOMES and claim.amount_awarded:
        raise ApplicationError(_("Only an award or settlement has an amount awarded."),
                               field="amount_awarded")
    if claim.outcome == RedressOutcome.AWARDED and claim.amount_awarded != claim.amount_claimed:
        raise ApplicationError(
            _("Awarded in full means the amount claimed; use “partly awarded” otherwise."),
            field="amount_awarded")
    if claim.paid_on is not None and (claim.decided_on is None or claim.paid_on < claim.decided_on):
        raise ApplicationError(_("Payment comes after the decision."), field="paid_on")
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise ApplicationError(_("These values do not fit together."), field="outcome") from None
    audit_record(actor=actor, action="redress.update", obj=claim, person_id=claim.person_id,
                 detail={"fields": sorted(changes), "outcome": claim.outcome})
    return claim
