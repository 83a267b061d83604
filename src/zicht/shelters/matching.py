"""Which shelters fit a person, and why — pure Python, no database.

Hard criteria decide whether a shelter fits at all: a free place, age (minors and
persons of uncertain age go to child-specific shelter only, DOMAIN.md), sex,
form of exploitation and safety. Soft criteria rank the shelters that fit: a
common language (otherwise an interpreter is needed) and distance from the
municipality of the latest signal. Every criterion gives a reason, so a
coordinator sees why a shelter is offered or not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from zicht.registry.codes import Form, Sex

from .codes import (
    ADULT_AGE,
    KIND_SHORT,
    SAFETY_RANK,
    SafetyLevel,
    SexServed,
    ShelterKind,
)
from .geography import distance_km, municipality_name

OK, WARN, FAIL = "ok", "warn", "fail"

CAPACITY, AGE, SEX, FORMS, SAFETY, LANGUAGE, DISTANCE = (
    "capacity", "age", "sex", "forms", "safety", "language", "distance",
)
CRITERIA = (CAPACITY, AGE, SEX, FORMS, SAFETY, LANGUAGE, DISTANCE)
HARD_CRITERIA = frozenset({CAPACITY, AGE, SEX, FORMS, SAFETY})


@dataclass(frozen=True)
class Need:
    """What is known about the person who needs a place."""

    sex: str = Sex.UNKNOWN
    age: int | None = None  # None: uncertain, treated as a minor
    forms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    safety: str = SafetyLevel.NORMAL
    municipality: str | None = None  # of the latest signal

    @property
    def minor(self) -> bool:
        return self.age is None or self.age < ADULT_AGE


@dataclass(frozen=True)
class Offer:
    """A shelter location as matching sees it."""

    shelter_id: int
    name: str
    kind: str
    sex_served: str
    min_age: int
    max_age: int | None
    forms: tuple[str, ...]
    languages: tuple[str, ...]
    safety_level: str
    municipality: str
    capacity: int
    occupied: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.occupied)


@dataclass(frozen=True)
class Reason:
    criterion: str
    verdict: str  # ok, warn or fail
    message: str


@dataclass(frozen=True)
class Match:
    offer: Offer
    reasons: tuple[Reason, ...]
    distance_km: float | None = field(default=None)

    @property
    def fits(self) -> bool:
        return all(reason.verdict != FAIL for reason in self.reasons)

    @property
    def failures(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.verdict == FAIL)

    @property
    def warnings(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.verdict == WARN)

    def reason(self, criterion: str) -> Reason:
        return next(reason for reason in self.reasons if reason.criterion == criterion)


def _form_labels(codes: Iterable[str]) -> str:
    labels = dict(Form.choices)
    return ", ".join(str(labels.get(code, code)).lower() for code in codes)


def _age_range(offer: Offer) -> str:
    if offer.max_age is None:
        return _("%(min)s and older") % {"min": offer.min_age}
    return _("%(min)s to %(max)s") % {"min": offer.min_age, "max": offer.max_age}


def _capacity(offer: Offer) -> Reason:
    if offer.free > 0:
        return Reason(CAPACITY, OK, _("%(free)s of %(capacity)s places free.")
                      % {"free": offer.free, "capacity": offer.capacity})
    return Reason(CAPACITY, FAIL, _("Full: all %(capacity)s places are taken.")
                  % {"capacity": offer.capacity})


def _age(need: Need, offer: Offer) -> Reason:
    youth = offer.kind == ShelterKind.YOUTH_CARE
    if need.age is None:
        if youth:
            return Reason(AGE, OK, _("Age uncertain: treated as a minor, and this is "
                                     "child-specific shelter."))
        return Reason(AGE, FAIL, _("Age uncertain: treated as a minor, who gets "
                                   "child-specific shelter only."))
    if need.minor and not youth:
        return Reason(AGE, FAIL, _("A minor (%(age)s) gets child-specific shelter only.")
                      % {"age": need.age})
    if not need.minor and youth:
        return Reason(AGE, FAIL, _("Youth care is for minors only; the person is %(age)s.")
                      % {"age": need.age})
    if need.age < offer.min_age or (offer.max_age is not None and need.age > offer.max_age):
        return Reason(AGE, FAIL, _("Takes ages %(range)s; the person is %(age)s.")
                      % {"range": _age_range(offer), "age": need.age})
    return Reason(AGE, OK, _("Age %(age)s is within %(range)s.")
                  % {"age": need.age, "range": _age_range(offer)})


def _sex(need: Need, offer: Offer) -> Reason:
    if offer.sex_served == SexServed.ANY:
        return Reason(SEX, OK, _("Takes persons of any sex."))
    served = {str(SexServed.FEMALE): Sex.FEMALE, str(SexServed.MALE): Sex.MALE}[offer.sex_served]
    label = dict(SexServed.choices)[offer.sex_served]
    if need.sex == served:
        return Reason(SEX, OK, _("Takes %(served)s.") % {"served": str(label).lower()})
    if need.sex in (Sex.FEMALE, Sex.MALE):
        return Reason(SEX, FAIL, _("Takes %(served)s only.") % {"served": str(label).lower()})
    return Reason(SEX, WARN, _("Takes %(served)s only; the person's sex is not recorded as "
                               "such, so check with the shelter.")
                  % {"served": str(label).lower()})


def _forms(need: Need, offer: Offer) -> Reason:
    if not need.forms:
        return Reason(FORMS, WARN, _("No form of exploitation recorded yet."))
    if not offer.forms:
        return Reason(FORMS, OK, _("Serves every form of exploitation."))
    served = [form for form in need.forms if form in offer.forms]
    missing = [form for form in need.forms if form not in offer.forms]
    if not served:
        return Reason(FORMS, FAIL, _("Does not serve %(forms)s.")
                      % {"forms": _form_labels(need.forms)})
    if missing:
        return Reason(FORMS, WARN, _("Serves %(served)s, but not %(missing)s.")
                      % {"served": _form_labels(served), "missing": _form_labels(missing)})
    return Reason(FORMS, OK, _("Serves %(forms)s.") % {"forms": _form_labels(served)})


def _safety(need: Need, offer: Offer) -> Reason:
    labels = dict(SafetyLevel.choices)
    if SAFETY_RANK.get(offer.safety_level, 0) < SAFETY_RANK.get(need.safety, 0):
        return Reason(SAFETY, FAIL, _("Needs: %(need)s; this shelter offers: %(offer)s.")
                      % {"need": str(labels[need.safety]).lower(),
                         "offer": str(labels[offer.safety_level]).lower()})
    return Reason(SAFETY, OK, _("Safety level: %(offer)s.")
                  % {"offer": str(labels[offer.safety_level]).lower()})


def _language(need: Need, offer: Offer) -> Reason:
    if not need.languages:
        return Reason(LANGUAGE, WARN, _("The person's languages are not recorded."))
    common = [code for code in need.languages if code in offer.languages]
    if common:
        return Reason(LANGUAGE, OK, _("Staff speak %(languages)s.")
                      % {"languages": ", ".join(common)})
    return Reason(LANGUAGE, WARN, _("No common language (the person speaks %(languages)s): "
                                    "an interpreter is needed.")
                  % {"languages": ", ".join(need.languages)})


def _distance(need: Need, offer: Offer) -> tuple[Reason, float | None]:
    km = distance_km(need.municipality, offer.municipality)
    if km is None:
        if not need.municipality:
            return Reason(DISTANCE, WARN, _("No municipality of a signal to measure from.")), None
        return Reason(DISTANCE, WARN, _("Distance unknown.")), None
    return Reason(DISTANCE, OK, _("%(km)s km from %(place)s.")
                  % {"km": round(km), "place": municipality_name(need.municipality)}), km


def assess(need: Need, offer: Offer) -> Match:
    """Every criterion's verdict on one shelter for one person."""
    distance_reason, km = _distance(need, offer)
    reasons = (
        _capacity(offer), _age(need, offer), _sex(need, offer), _forms(need, offer),
        _safety(need, offer), _language(need, offer), distance_reason,
    )
    return Match(offer=offer, reasons=reasons, distance_km=km)


def _rank_key(match: Match) -> tuple:
    # Fitting first; then fewer doubts; then nearer; then more room; name breaks ties.
    return (
        not match.fits,
        len(match.failures),
        len(match.warnings),
        match.distance_km if match.distance_km is not None else float("inf"),
        -match.offer.free,
        match.offer.name,
    )


def rank(need: Need, offers: Sequence[Offer]) -> list[Match]:
    """All shelters assessed, best first."""
    return sorted((assess(need, offer) for offer in offers), key=_rank_key)


def kind_label(kind: str) -> str:
    return str(KIND_SHORT.get(kind, kind))
