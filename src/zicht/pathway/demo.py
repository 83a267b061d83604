"""Demo pathways: every stage, open and overdue referrals, running reflection periods,
Dublin decisions, B8 permits, sepots, redress claims — made through the services, so
access grants, deadlines and audit rows are the real ones.

    populate(rng=random.Random(1), persons=[...], organisations=[...], today=date.today())

`persons` are registered persons (their registering organisation acts for them);
`organisations` are all demo organisations (a list, or a mapping name → organisation).
Each service call costs some milliseconds, so pass a few hundred persons, not thousands.
Steps the rules refuse for a person (no consent for the receiver, say) are skipped and
counted, as they would be in real life.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import slugify

from zicht.core.exceptions import ApplicationError
from zicht.organisations import services as organisation_services
from zicht.organisations.models import Organisation, OrganisationKind, Role, User
from zicht.registry.access import persons_visible_to
from zicht.registry.codes import ConsentState
from zicht.registry.countries import EU_MEMBER_STATES
from zicht.registry.models import Person, Signal

from . import services
from .codes import ReferralPurpose, ResidenceStatus, StageKind, VictimStatus
from .selectors import person_is_minor

# Free movement: EU, EEA and Switzerland need no residence permit.
EU = EU_MEMBER_STATES | {"IS", "LI", "NO", "CH"}
DECLINE_REASONS = ["No capacity this week", "Outside our region", "Needs a specialised shelter",
                   "Person already in care elsewhere"]
CLOSING_REASONS = ["Returned to country of origin with IOM", "Care completed, living "
                   "independently", "Moved abroad, no further contact"]


def populate(*, rng: random.Random, persons: Sequence[Person],
             organisations: Sequence[Organisation] | Mapping[str, Organisation],
             today: date) -> dict[str, int]:
    """Give each person a pathway; returns counts of what was made (and skipped)."""
    orgs = list(organisations.values()) if isinstance(organisations, Mapping) else list(
        organisations)
    demo = _Demo(rng=rng, organisations=orgs, today=min(today, timezone.localdate()))
    first_signals = dict(Signal.objects.filter(person__in=persons).values("person_id")
                         .annotate(first=Min("signalled_on")).values_list("person_id", "first"))
    for person in persons:
        with transaction.atomic():
            demo.person(person, first_signals.get(person.pk) or demo.today - timedelta(60))
    with transaction.atomic():
        demo.counts["escalated"] = len(services.referrals_escalate(actor=None))
    return dict(demo.counts)


class _Demo:
    def __init__(self, *, rng: random.Random, organisations: list[Organisation], today: date):
        self.rng = rng
        self.today = today
        self.counts: Counter[str] = Counter()
        self.by_kind: dict[str, list[Organisation]] = {}
        for organisation in organisations:
            self.by_kind.setdefault(organisation.kind, []).append(organisation)
        self._staff: dict[int, User] = {}

    # --- actors ------------------------------------------------------------------------------

    def staff(self, organisation: Organisation) -> User:
        """A caseworker (the national coordinator at CoMensha) of the organisation."""
        if organisation.pk not in self._staff:
            role = (Role.NATIONAL_COORDINATOR if organisation.kind == OrganisationKind.COMENSHA
                    else Role.CASEWORKER)
            user = User.objects.filter(organisation=organisation, role=role,
                                       is_active=True).order_by("pk").first()
            if user is None:
                user = organisation_services.user_create(
                    actor=None, organisation=organisation, role=role,
                    username=f"pathway.{slugify(organisation.name)}"[:150])
            self._staff[organisation.pk] = user
        return self._staff[organisation.pk]

    def some(self, *kinds: str) -> Organisation | None:
        choices = [o for kind in kinds for o in self.by_kind.get(kind, [])]
        return self.rng.choice(choices) if choices else None

    def moment(self, day: date) -> datetime:
        """A working-hours moment on `day`, in the past."""
        moment = timezone.make_aware(datetime.combine(day, time(self.rng.randrange(8, 18),
                                                                self.rng.randrange(60))))
        return min(moment, timezone.now() - timedelta(minutes=5))

    def day_after(self, start: date, low: int, high: int) -> date:
        return min(start + timedelta(days=self.rng.randrange(low, high)), self.today)

    def step(self, name: str, call: Callable[[], Any]) -> Any:
        """Run one service call; a refusal by the rules is skipped and counted."""
        try:
            with transaction.atomic():
                result = call()
        except (ApplicationError, PermissionDenied) as error:
            self.counts[f"skipped:{name}:{error.field or 'rule'}"
                        if isinstance(error, ApplicationError) else f"skipped:{name}"] += 1
            return None
        self.counts[name] += 1
        return result

    # --- one person -----------------------------------------------------------------------------

    def person(self, person: Person, first_signal: date) -> None:
        owner = person.registering_organisation
        actor = self.staff(owner)
        rng = self.rng
        minor = person_is_minor(person, self.today)
        foreign = bool(person.citizenships) and not set(person.citizenships) & EU

        # Identify, then protect for most; some stop after identification.
        protect_on = self.day_after(first_signal, 0, 21)
        if rng.random() < 0.8:
            carer = self.some("municipality", "shelter", "ngo") or owner
            self.step("stage:protect", lambda: services.stage_start(
                actor=actor, person_id=person.pk, kind=StageKind.PROTECT, started_on=protect_on,
                responsible_organisation_id=carer.pk))
        if minor:
            self.minor(person, actor)
        if foreign:
            residence = (ResidenceStatus.DUBLIN_CLAIMANT if rng.random() < 0.15
                         else ResidenceStatus.NO_LEGAL_RESIDENCE)
            self.step("residence", lambda: services.pathway_update(
                actor=actor, person_id=person.pk, changes={"residence_status": residence}))
        elif rng.random() < 0.5:
            self.step("residence", lambda: services.pathway_update(
                actor=actor, person_id=person.pk,
                changes={"residence_status": ResidenceStatus.NATIONAL_OR_EU}))

        self.referrals(person, actor, first_signal, minor)
        case = None
        if foreign:
            case = self.residence_terms(person, actor, first_signal)
        elif rng.random() < 0.15:
            case = self.criminal_case(person, actor, self.day_after(first_signal, 10, 120))
        self.victim_status(person, first_signal)
        if case is not None and rng.random() < 0.4:
            self.redress(person, actor, case)
        if rng.random() < 0.12:
            status = rng.choice(["closed", "closed_referred", "follow_up"])
            self.step("case_status", lambda: services.case_status_set(
                actor=actor, person_id=person.pk, status=status,
                closing_reason=rng.choice(CLOSING_REASONS) if status != "follow_up" else "",
                closed_on=self.day_after(first_signal, 120, 400)))

    def minor(self, person: Person, actor: User) -> None:
        changes: dict[str, Any] = {}
        if self.rng.random() < 0.75:
            changes["guardian"] = self.rng.choice(["Nidos (voogd: S. Bakker)",
                                                   "Nidos (voogd: R. Yilmaz)",
                                                   "Nidos, voorlopige voogdij"])
        youth = self.some("youth_care")
        if youth is not None and self.rng.random() < 0.8:
            changes["youth_care_organisation"] = youth.pk
        if changes:
            self.step("minor_flow", lambda: services.pathway_update(
                actor=actor, person_id=person.pk, changes=changes))

    def referrals(self, person: Person, actor: User, first_signal: date, minor: bool) -> None:
        rng = self.rng
        wanted: list[tuple[str, Organisation | None]] = []
        if rng.random() < 0.55:
            wanted.append((ReferralPurpose.CARE_COORDINATION, self.some("municipality")))
        if rng.random() < 0.35:
            wanted.append((ReferralPurpose.SHELTER,
                           self.some("youth_care") if minor else self.some("shelter")))
        if rng.random() < 0.2 and person.consent_police == ConsentState.GIVEN:
            wanted.append((ReferralPurpose.AANGIFTE, self.some("police")))
        if rng.random() < 0.15:
            wanted.append((ReferralPurpose.LEGAL_AID, self.some("ngo", "victim_support")))
        for purpose, receiver in wanted:
            if receiver is None or receiver.pk == person.registering_organisation_id:
                continue
            self.referral(person, actor, purpose, receiver, first_signal)
        if rng.random() < 0.04:
            self.step("referral:abroad", lambda: services.referral_propose(
                actor=actor, person_id=person.pk, purpose=ReferralPurpose.RETURN,
                country=rng.choice([c for c in person.citizenships if c not in ("NL",)] or ["RO"]),
                foreign_organisation="National anti-trafficking office", channel="iom",
                now=self.moment(self.day_after(first_signal, 30, 200))))

    def referral(self, person: Person, actor: User, purpose: str, receiver: Organisation,
                 first_signal: date) -> None:
        rng = self.rng
        fate = rng.choices(["accepted", "declined", "open", "overdue", "withdrawn"],
                           [55, 12, 12, 16, 5])[0]
        if fate == "open":
            proposed_at = timezone.now() - timedelta(hours=rng.randrange(1, 20))
        elif fate == "overdue":
            proposed_at = timezone.now() - timedelta(days=rng.randrange(3, 12))
        else:
            proposed_at = self.moment(self.day_after(first_signal, 1, 60))
        urgency = "urgent" if rng.random() < 0.2 else "normal"
        referral = self.step(f"referral:{purpose}", lambda: services.referral_propose(
            actor=actor, person_id=person.pk, purpose=purpose, to_organisation_id=receiver.pk,
            urgency=urgency, now=proposed_at,
            note=rng.choice(["", "Speaks little Dutch; interpreter needed.",
                             "Needs a safe (secret) address.", "Medical follow-up running."])))
        if referral is None or fate in ("open", "overdue"):
            return
        answered_at = min(proposed_at + timedelta(hours=rng.randrange(2, 60)),
                          timezone.now() - timedelta(minutes=1))
        if fate == "accepted":
            self.step("referral:accepted", lambda: services.referral_accept(
                actor=self.staff(receiver), referral_id=referral.pk, now=answered_at))
        elif fate == "declined":
            self.step("referral:declined", lambda: services.referral_decline(
                actor=self.staff(receiver), referral_id=referral.pk, now=answered_at,
                reason=rng.choice(DECLINE_REASONS)))
        else:
            self.step("referral:withdrawn", lambda: services.referral_withdraw(
                actor=actor, referral_id=referral.pk, now=answered_at,
                reason="Person found another place"))

    def residence_terms(self, person: Person, actor: User, first_signal: date) -> Any:
        """Reflection period (or the Dublin route), aangifte, and what follows."""
        rng = self.rng
        police = self.some("police", "kmar")
        if police is None:
            return None
        recent = self.today - timedelta(days=rng.randrange(3, 85))
        running = rng.random() < 0.45 and recent >= first_signal
        # Offered soon after the signal, or (for some) at a recent police contact, so
        # that reflection periods run now; a few older ones ran out without a decision.
        offered_on = recent if running else self.day_after(first_signal, 0, 14)
        self.step("reflection_period", lambda: services.reflection_period_offer(
            actor=actor, person_id=person.pk, offered_on=offered_on, offered_by_id=police.pk))
        if running or rng.random() < 0.15:
            return None
        return self.criminal_case(person, actor, self.day_after(offered_on, 10, 95), police)

    def criminal_case(self, person: Person, actor: User, aangifte_on: date,
                      police: Organisation | None = None) -> Any:
        rng = self.rng
        police = police or self.some("police", "kmar", "labour_inspectorate")
        if police is None:
            return None
        case = self.step("criminal_case", lambda: services.criminal_case_open(
            actor=actor, person_id=person.pk, aangifte_on=aangifte_on,
            police_organisation_id=police.pk, reference=f"PL{rng.randrange(10**9):09d}"))
        if case is None:
            return None
        roll = rng.random()
        if roll < 0.45:
            return case  # still under investigation
        if roll < 0.7:
            self.step("decision:sepot", lambda: services.criminal_case_decide(
                actor=actor, person_id=person.pk, case_id=case.pk, outcome="sepot",
                decided_on=self.day_after(aangifte_on, 60, 400),
                reason="Insufficient evidence (technisch sepot)"))
            return case
        prosecuted_on = self.day_after(aangifte_on, 60, 300)
        self.step("decision:prosecuted", lambda: services.criminal_case_decide(
            actor=actor, person_id=person.pk, case_id=case.pk, outcome="prosecuted",
            decided_on=prosecuted_on))
        if rng.random() < 0.5:
            outcome = "convicted" if rng.random() < 0.75 else "acquitted"
            self.step(f"decision:{outcome}", lambda: services.criminal_case_decide(
                actor=actor, person_id=person.pk, case_id=case.pk, outcome=outcome,
                decided_on=self.day_after(prosecuted_on, 60, 400)))
        return case

    def victim_status(self, person: Person, first_signal: date) -> None:
        """Decided by an authorised organisation that can see the person."""
        if self.rng.random() > 0.45:
            return
        deciders = [self.staff(o) for kind in ("police", "kmar", "labour_inspectorate",
                                               "comensha") for o in self.by_kind.get(kind, [])]
        decider = next((user for user in deciders
                        if persons_visible_to(user).filter(pk=person.pk).exists()), None)
        if decider is None:
            return
        identified = self.rng.random() < 0.8
        self.step("victim_status", lambda: services.victim_status_decide(
            actor=decider, person_id=person.pk,
            status=VictimStatus.IDENTIFIED if identified else VictimStatus.NOT_VICTIM,
            decided_on=self.day_after(first_signal, 7, 120),
            reason="Indicators confirmed in intake interview" if identified
            else "Exploitation not plausible after interview"))

    def redress(self, person: Person, actor: User, case: Any) -> None:
        rng = self.rng
        route = rng.choice(["injured_party", "injured_party", "schadefonds", "civil"])
        filed_on = self.day_after(case.aangifte_on, 30, 300)
        claimed = f"{rng.randrange(15, 400) * 100}.00"
        claim = self.step(f"redress:{route}", lambda: services.redress_claim_create(
            actor=actor, person_id=person.pk, route=route, amount_claimed=claimed,
            filed_on=filed_on, criminal_case_id=case.pk if route == "injured_party" else None))
        if claim is None or rng.random() < 0.5:
            return
        outcome = rng.choice(["awarded", "partly_awarded", "rejected"])
        awarded = {"awarded": claimed, "rejected": None}.get(
            outcome, f"{int(float(claimed) * rng.uniform(0.2, 0.9))}.00")
        self.step("redress:decided", lambda: services.redress_claim_update(
            actor=actor, claim_id=claim.pk, changes={
                "outcome": outcome, "amount_awarded": awarded,
                "decided_on": self.day_after(filed_on, 30, 300)}))


def sample_persons(persons: Iterable[Person], *, rng: random.Random, count: int) -> list[Person]:
    """A reproducible sample of persons for `populate`."""
    pool = sorted(persons, key=lambda p: p.pk)
    return rng.sample(pool, min(count, len(pool)))
