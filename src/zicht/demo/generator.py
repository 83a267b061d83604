"""Synthetic demo data: first a plan drawn from the seed, then loaded the way real data comes in.

The plan is plain data and depends only on the seed, the number of persons and
the day it is drawn (signals never lie in the future), so the same seed gives
the same persons, names, blind indexes and signals.

Loading uses the application's own write paths, so encryption, access grants
and audit rows are the real ones. Each organisation's first signals arrive as a
CSV file through the bulk import (`registry.importer`, the path a chain partner
uses for its backlog); everything that follows — sharing with another
organisation, that organisation's own signal, a passport added later, consent
withdrawn — goes through `registry.services`, in batches of persons per
transaction. Calling the services for every person too would take about
twenty milliseconds each, too slow for a demo of thousands.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from zicht.core.crypto import blind_index, normalise_name
from zicht.organisations import services as organisation_services
from zicht.organisations.models import (
    DUTY_TO_REGISTER,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from zicht.registry import services as registry_services
from zicht.registry.access import sharing_purpose
from zicht.registry.importer import import_signals
from zicht.registry.models import Person

from . import distributions as d
from .catalogue import (
    DEMO_LOGINS,
    LABOUR_NGO,
    ORGANISATIONS,
    OUTREACH_NGO,
    OrganisationSpec,
)
from .names import NameMaker
from .narratives import narrative
from .places import REGION_BY_KEY, REGIONS, Region

T = TypeVar("T")

# Each organisation reports through one staff account without a password; the
# demo logins are separate, so what they see is what their organisation reported.
STAFF_PREFIX = "staff."
CSV_COLUMNS = (
    "external_ref",
    "given_names",
    "family_name",
    "aliases",
    "birth_date",
    "sex",
    "citizenships",
    "languages",
    "phone",
    "signalled_on",
    "forms",
    "indicators",
    "sector",
    "municipality",
    "scope",
    "source",
    "exploitation_started_on",
    "exploitation_ended_on",
    "narrative",
    "consent_registration",
    "consent_care",
    "consent_police",
)


@dataclass(frozen=True)
class SignalPlan:
    organisation: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class PersonPlan:
    ref: str
    identity: dict[str, Any]
    sex: str
    citizenships: list[str]
    languages: list[str]
    consents: list[tuple[str, str]]
    signals: list[SignalPlan]
    # Added by the first organisation after registration (person_update).
    documents: list[dict[str, str]] = field(default_factory=list)
    # Organisations the first one shares the person with after the signals.
    shares: list[str] = field(default_factory=list)
    # (purpose, date): consent withdrawn after all signals.
    withdrawals: list[tuple[str, date]] = field(default_factory=list)

    @property
    def creator(self) -> str:
        return self.signals[0].organisation


@dataclass(frozen=True)
class DemoResult:
    organisations: int
    users: int
    persons: int
    signals: int
    consents: int
    shares: int
    seconds: float


def _pick(rng: random.Random, weights: Mapping[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sample(rng: random.Random, weights: Mapping[str, float], count: int) -> list[str]:
    """`count` distinct keys, drawn by weight without replacement."""
    pool = dict(weights)
    chosen: list[str] = []
    while pool and len(chosen) < count:
        key = _pick(rng, pool)
        chosen.append(key)
        del pool[key]
    return chosen


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


_PURPOSE_OF_KIND = {
    kind: str(sharing_purpose(Organisation(kind=kind))) for kind in OrganisationKind.values
}


class Planner:
    """Draws persons and their signals from the distributions, one after another."""

    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed)
        self.names = NameMaker(seed, self.rng)
        self.today = today
        self.regional: dict[tuple[str, str], list[OrganisationSpec]] = {}
        self.national: dict[str, list[OrganisationSpec]] = {}
        self.care_coordinator: dict[str, str] = {}
        for spec in ORGANISATIONS:
            if spec.region is None:
                self.national.setdefault(spec.kind, []).append(spec)
            else:
                self.regional.setdefault((spec.kind, spec.region), []).append(spec)
            if spec.kind == OrganisationKind.MUNICIPALITY and spec.region:
                self.care_coordinator[spec.region] = spec.name
        self.region_weights = {r.key: sum(m.weight for m in r.municipalities) for r in REGIONS}
        # Name and birth date identify a person in the import (its blind index), so
        # two planned persons never share both.
        self.identities: set[tuple[str, str, str]] = set()
        self.count = 0

    # -- organisations --------------------------------------------------------
    def _candidates(self, kind: str, region: str, family: str) -> list[OrganisationSpec]:
        regional = self.regional.get((kind, region), [])
        national = self.national.get(kind, [])
        if kind == OrganisationKind.NGO:
            wanted = LABOUR_NGO if family == "labour" else OUTREACH_NGO
            national = [spec for spec in national if spec.name == wanted]
            share = d.LABOUR_NGO_SHARE if family == "labour" else d.NATIONAL_SHARE
        else:
            share = d.NATIONAL_SHARE
        if regional and national:
            return national if self.rng.random() < share else regional
        return regional or national

    def _organisation(
        self,
        *,
        family: str,
        region: str,
        minor: bool,
        allowed: Callable[[str], bool],
        used: Sequence[str],
    ) -> str | None:
        weights = dict(d.REPORTER_KIND[family])
        if minor:
            weights["youth_care"] *= d.YOUTH_CARE_FACTOR_FOR_MINORS
        weights = {kind: w for kind, w in weights.items() if allowed(kind)}
        for _ in range(8):
            if not weights:
                return None
            kind = _pick(self.rng, weights)
            names = [
                spec.name
                for spec in self._candidates(kind, region, family)
                if spec.name not in used
            ]
            if names:
                return self.rng.choice(names)
            del weights[kind]
        return None

    # -- one person -------------------------------------------------------------
    def _form(self) -> tuple[str, str]:
        """(family, form key): form key is a Form value or "begging"."""
        family = _pick(self.rng, d.FORM_FAMILY)
        if family == "other":
            return family, _pick(self.rng, d.OTHER_FORMS)
        return family, family

    def _signal_date(self) -> date:
        span = (self.today - d.FIRST_SIGNAL_FROM).days
        if self.rng.random() < d.RECENT_TREND_SHARE:
            offset = int(self.rng.triangular(0, span, span))
        else:
            offset = self.rng.randrange(span + 1)
        return d.FIRST_SIGNAL_FROM + timedelta(days=offset)

    def _birth(self, *, form_key: str, minor: bool, first_signal: date) -> str:
        if minor:
            bands = d.ADOPTION_AGES if form_key == "illegal_adoption" else d.MINOR_AGES
            precision = _pick(self.rng, d.BIRTH_PRECISION_MINOR)
        else:
            bands = d.ADULT_AGES
            precision = _pick(self.rng, d.BIRTH_PRECISION_ADULT)
        low, high = _pick(self.rng, bands)
        age = self.rng.randint(low, high)
        born = _years_before(first_signal, age) - timedelta(days=self.rng.randrange(365))
        if precision == "unknown":
            return ""
        # A year alone counts as the lower bound of the age, which for a baby
        # signalled in its birth year would be below zero: give the full date.
        if precision == "year" and born.year < first_signal.year:
            return str(born.year)
        return born.isoformat()

    def _signal(
        self,
        *,
        organisation: str,
        kind: str,
        family: str,
        form_key: str,
        signalled_on: date,
        region: Region,
        scope_group: str,
    ) -> SignalPlan:
        rng = self.rng
        forms = ["labour" if form_key == "begging" else form_key]
        if rng.random() < d.SECOND_FORM_SHARE:
            second = rng.choice(d.SECOND_FORMS[family])
            if second not in forms:
                forms.append(second)
        indicator_family = "labour" if form_key == "begging" else family
        indicators = _sample(rng, d.INDICATORS[indicator_family], _pick(rng, d.INDICATOR_COUNT))
        sector = _pick(rng, d.SECTOR) if form_key == "labour" else ""
        municipality = _pick(rng, {m.code: m.weight for m in region.municipalities})
        source_group = (
            "duty"
            if kind in DUTY_TO_REGISTER
            else "comensha"
            if kind == OrganisationKind.COMENSHA
            else "other"
        )
        started = ended = None
        if rng.random() < d.EXPLOITATION_KNOWN:
            started = signalled_on - timedelta(days=rng.randint(*d.EXPLOITATION_DAYS_BEFORE))
            if rng.random() < d.EXPLOITATION_ENDED:
                ended = started + timedelta(days=rng.randrange((signalled_on - started).days + 1))
        return SignalPlan(
            organisation,
            {
                "signalled_on": signalled_on,
                "forms": forms,
                "indicators": indicators,
                "sector": sector,
                "municipality": municipality,
                "scope": _pick(rng, d.SCOPE[scope_group]),
                "source": _pick(rng, d.SOURCE[source_group]),
                "exploitation_started_on": started,
                "exploitation_ended_on": ended,
                "narrative": narrative(
                    rng, form_key=form_key, sector=sector, indicators=indicators
                ),
            },
        )

    def person(self, kinds: dict[str, str]) -> PersonPlan:
        rng = self.rng
        family, form_key = self._form()
        sex = "female" if rng.random() < d.FEMALE_SHARE[form_key] else "male"
        minor = rng.random() < d.MINOR_SHARE[form_key]
        citizenship = _pick(rng, d.CITIZENSHIP[family])
        region = REGION_BY_KEY[_pick(rng, self.region_weights)]
        first_signal = self._signal_date()
        birth_date = self._birth(form_key=form_key, minor=minor, first_signal=first_signal)

        while True:
            given, family_name, locale = self.names.name(citizenship, sex)
            key = (normalise_name(given), normalise_name(family_name), birth_date)
            if key not in self.identities:
                self.identities.add(key)
                break
        citizenships = [citizenship] if citizenship else []
        if citizenship and rng.random() < d.DUAL_WITH_NL.get(citizenship, 0):
            citizenships.append("NL")
        identity: dict[str, Any] = {
            "given_names": given,
            "family_name": family_name,
            "birth_date": birth_date,
            "aliases": [],
            "phone": "",
        }
        if rng.random() < d.ALIAS_SHARE[family]:
            identity["aliases"] = [self.names.alias(sex)]
        if rng.random() < d.PHONE_SHARE:
            identity["phone"] = self.names.phone(citizenship)
        documents = []
        if citizenship and rng.random() < d.DOCUMENT_SHARE:
            documents = [
                {
                    "kind": "id_card" if citizenship == "NL" else "passport",
                    "number": self.names.document_number(),
                    "country": citizenship,
                }
            ]
        languages = self.names.languages(
            citizenship, locale, english_share=d.ENGLISH_AS_SECOND_LANGUAGE
        )

        consents = {purpose: _pick(rng, weights) for purpose, weights in d.CONSENT.items()}
        scope_group = (
            "national" if citizenship == "NL" else "unknown" if not citizenship else "foreign"
        )

        creator = self._organisation(
            family=family, region=region.key, minor=minor, allowed=lambda kind: True, used=()
        )
        assert creator is not None  # every kind exists in every region or nationally
        signals = [
            self._signal(
                organisation=creator,
                kind=kinds[creator],
                family=family,
                form_key=form_key,
                signalled_on=first_signal,
                region=region,
                scope_group=scope_group,
            )
        ]

        # Later signals come from other organisations the person is shared with,
        # so only where the consent for that organisation's purpose was given.
        def shareable(kind: str) -> bool:
            return consents[_PURPOSE_OF_KIND[kind]] == "given"

        signalled_on = first_signal
        for _ in range(_pick(rng, d.SIGNALS_PER_PERSON) - 1):
            later_family, later_form = (
                (family, form_key) if rng.random() < d.SAME_FORM_LATER else self._form()
            )
            used = [s.organisation for s in signals]
            organisation = self._organisation(
                family=later_family, region=region.key, minor=minor, allowed=shareable, used=used
            )
            if organisation is None:
                break
            signalled_on = min(
                self.today, signalled_on + timedelta(days=rng.randint(*d.LATER_SIGNAL_DAYS))
            )
            signals.append(
                self._signal(
                    organisation=organisation,
                    kind=kinds[organisation],
                    family=later_family,
                    form_key=later_form,
                    signalled_on=signalled_on,
                    region=region,
                    scope_group=scope_group,
                )
            )
        shares = []
        coordinator = self.care_coordinator[region.key]
        if (
            consents["care"] == "given"
            and rng.random() < d.SHARE_WITH_CARE_COORDINATOR
            and coordinator not in [s.organisation for s in signals]
        ):
            shares.append(coordinator)
        withdrawals = []
        if consents["care"] == "given" and rng.random() < d.CARE_CONSENT_WITHDRAWN_LATER:
            withdrawn_on = min(
                self.today, signalled_on + timedelta(days=rng.randint(*d.LATER_SIGNAL_DAYS))
            )
            withdrawals.append(("care", withdrawn_on))
        self.count += 1
        return PersonPlan(
            ref=f"DEMO-{self.count:05d}",
            identity=identity,
            sex=sex,
            citizenships=citizenships,
            languages=languages,
            consents=[(p, s) for p, s in consents.items() if s != "unknown"],
            signals=signals,
            documents=documents,
            shares=shares,
            withdrawals=withdrawals,
        )


def build_plan(*, seed: int, persons: int, today: date | None = None) -> list[PersonPlan]:
    """The persons the demo loads for this seed; pure, touches no database."""
    planner = Planner(seed=seed, today=today or timezone.localdate())
    kinds = {spec.name: spec.kind for spec in ORGANISATIONS}
    return [planner.person(kinds) for _ in range(persons)]


# -- the database side ---------------------------------------------------------------

Progress = Callable[[str, int, int], None]


def demo_state() -> str:
    """ "empty", "present" (a finished load) or "partial" (an interrupted one)."""
    usernames = [login.username for login in DEMO_LOGINS]
    logins = User.objects.filter(username__in=usernames).count()
    if logins == len(usernames):
        return "present"
    if logins or Organisation.objects.filter(name__in=[s.name for s in ORGANISATIONS]).exists():
        return "partial"
    return "empty"


def _batches(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _create_organisations() -> tuple[dict[str, Organisation], dict[str, User]]:
    organisations: dict[str, Organisation] = {}
    staff: dict[str, User] = {}
    with transaction.atomic():
        for spec in ORGANISATIONS:
            organisation = organisation_services.organisation_create(
                actor=None, name=spec.name, kind=spec.kind, municipality=spec.municipality
            )
            role = (
                Role.NATIONAL_COORDINATOR
                if spec.kind == OrganisationKind.COMENSHA
                else Role.CASEWORKER
            )
            staff[spec.name] = organisation_services.user_create(
                actor=None,
                organisation=organisation,
                role=role,
                username=STAFF_PREFIX + slugify(spec.name),
            )
            organisations[spec.name] = organisation
    return organisations, staff


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _import_first_signals(
    plan: Sequence[PersonPlan], staff: dict[str, User], progress: Progress | None
) -> dict[str, int]:
    """Register every person with their first signal, one CSV import per organisation.

    Returns the new person's id per plan reference.
    """
    by_creator: dict[str, list[PersonPlan]] = {}
    for person in plan:
        by_creator.setdefault(person.creator, []).append(person)
    columns = list(CSV_COLUMNS)
    person_ids: dict[str, int] = {}
    done = 0
    with tempfile.TemporaryDirectory(prefix="zicht-demo-") as folder:
        for number, (name, persons) in enumerate(by_creator.items()):
            path = Path(folder) / f"organisation-{number}.csv"
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for person in persons:
                    values = {
                        "external_ref": person.ref,
                        "sex": person.sex,
                        "citizenships": person.citizenships,
                        "languages": person.languages,
                        **person.identity,
                        **person.signals[0].fields,
                        **{f"consent_{p}": s for p, s in person.consents},
                    }
                    writer.writerow([_csv_value(values.get(c)) for c in columns])
            result = import_signals(actor=staff[name], path=path, progress=False)
            if result.rejections:
                first = result.rejections[0]
                raise RuntimeError(
                    f"demo import of {name} rejected line {first.line}: "
                    f"{first.field}: {first.reason}"
                )
            indexes = {_index(person.identity): person.ref for person in persons}
            for pk, index in Person.objects.filter(
                registering_organisation=staff[name].organisation,
                name_birth_index__in=list(indexes),
            ).values_list("pk", "name_birth_index"):
                person_ids[indexes[index]] = pk
            done += len(persons)
            if progress:
                progress("registering", done, len(plan))
    return person_ids


def _index(identity: dict[str, Any]) -> str:
    return blind_index(
        given_names=identity["given_names"],
        family_name=identity["family_name"],
        birth_date=identity["birth_date"],
    )


def _follow_up(
    plan: PersonPlan,
    person_id: int,
    staff: dict[str, User],
    organisations: dict[str, Organisation],
    counts: dict[str, int],
) -> None:
    """What happens after registration, through the services."""
    creator = staff[plan.creator]
    if plan.documents:
        registry_services.person_update(
            actor=creator, person_id=person_id, changes={"identity_documents": plan.documents}
        )
    shared = {plan.creator}
    for number, signal in enumerate(plan.signals[1:], start=2):
        if signal.organisation not in shared:
            registry_services.person_share(
                actor=creator,
                person_id=person_id,
                organisation_id=organisations[signal.organisation].pk,
            )
            shared.add(signal.organisation)
            counts["shares"] += 1
        registry_services.signal_create(
            actor=staff[signal.organisation],
            person_id=person_id,
            external_ref=f"{plan.ref}-{number}",
            **signal.fields,
        )
        counts["signals"] += 1
    for name in plan.shares:
        if name not in shared:
            registry_services.person_share(
                actor=creator, person_id=person_id, organisation_id=organisations[name].pk
            )
            shared.add(name)
            counts["shares"] += 1
    for purpose, withdrawn_on in plan.withdrawals:
        registry_services.consent_record(
            actor=creator,
            person_id=person_id,
            purpose=purpose,
            state="withdrawn",
            recorded_on=withdrawn_on,
        )
        counts["consents"] += 1


def _create_logins(organisations: dict[str, Organisation]) -> None:
    with transaction.atomic():
        for login in DEMO_LOGINS:
            user = organisation_services.user_create(
                actor=None,
                organisation=organisations[login.organisation],
                role=login.role,
                username=login.username,
                password=login.password,
            )
            # Set up already: the demo prints each secret, and `zicht user totp` the code.
            organisation_services.totp_device_create(actor=None, user=user, confirmed=True)


# How many persons get a worked-out pathway (stages, status, referrals, deadlines,
# redress): enough for every worklist to be busy; each costs tens of milliseconds.
PATHWAY_PERSONS = 300


def _populate_other_parts(*, seed: int, organisations: dict[str, Organisation],
                          today: date, progress: Progress | None) -> dict[str, Any]:
    """The demo of every other part of zicht, on top of the registry's persons."""
    from zicht.actionplan import demo as actionplan_demo
    from zicht.figures import demo as figures_demo
    from zicht.pathway import demo as pathway_demo
    from zicht.shelters import demo as shelters_demo
    from zicht.wegwijzer import demo as wegwijzer_demo

    # One generator per part, so adding data to one part leaves the others unchanged.
    rngs = {name: random.Random(f"{seed}-{name}") for name in
            ("pathway", "shelters", "actionplan", "wegwijzer", "figures")}
    orgs = list(organisations.values())
    persons = list(Person.objects.order_by("pk"))
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("shelters", lambda: shelters_demo.populate(
            rng=rngs["shelters"], organisations=orgs, persons=persons, today=today)),
        ("pathways", lambda: pathway_demo.populate(
            rng=rngs["pathway"], organisations=orgs, today=today,
            persons=pathway_demo.sample_persons(persons, rng=rngs["pathway"],
                                                count=PATHWAY_PERSONS))),
        ("programme", lambda: actionplan_demo.populate(
            rng=rngs["actionplan"], organisations=orgs, today=today)),
        ("directory", lambda: wegwijzer_demo.populate(rng=rngs["wegwijzer"])),
        ("chain figures", lambda: figures_demo.populate(
            rng=rngs["figures"], organisations=orgs, today=today)),
    ]
    results = {}
    for number, (name, step) in enumerate(steps, start=1):
        results[name] = step()
        if progress:
            progress("other parts", number, len(steps))
    return results


def load_demo(
    *,
    seed: int,
    persons: int,
    today: date | None = None,
    batch_size: int = 250,
    progress: Progress | None = None,
) -> DemoResult:
    """Create the organisations, `persons` persons with their signals, then the logins."""
    started = time.perf_counter()
    plan = build_plan(seed=seed, persons=persons, today=today)
    organisations, staff = _create_organisations()
    person_ids = _import_first_signals(plan, staff, progress)
    counts = {"signals": len(plan), "consents": sum(len(p.consents) for p in plan), "shares": 0}
    busy = [p for p in plan if len(p.signals) > 1 or p.documents or p.shares or p.withdrawals]
    done = 0
    for batch in _batches(busy, batch_size):
        with transaction.atomic():
            for person in batch:
                _follow_up(person, person_ids[person.ref], staff, organisations, counts)
        done += len(batch)
        if progress:
            progress("following up", done, len(busy))
    _populate_other_parts(seed=seed, organisations=organisations,
                                  today=today or timezone.localdate(),
                                  progress=progress)
    # Last, so that the logins existing means the load finished.
    _create_logins(organisations)
    return DemoResult(
        organisations=len(organisations),
        users=len(staff) + len(DEMO_LOGINS),
        persons=len(plan),
        seconds=time.perf_counter() - started,
        **counts,
    )
