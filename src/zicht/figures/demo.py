"""Demo chain figures: the published labour-exploitation figures with their correction.

Labour exploitation, 2022 → 2023 (Nationaal Rapporteur): investigations started
15 → 8, later corrected by the Labour Inspectorate to 28 → 21 after a
registration error; OM cases 31 → 18; court rulings 8 → 2. Other forms and
years get plausible synthetic figures, smaller at each step of the chain.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from datetime import date

from zicht.organisations.models import Organisation, OrganisationKind

from .codes import Measure
from .models import ChainFigure
from .services import chain_figure_deliver

RAPPORTEUR = "Nationaal Rapporteur, Dadermonitor mensenhandel"
PUBLISHED = [
    # (year, measure, first published, corrected or None)
    (2022, Measure.INVESTIGATIONS, 15, 28),
    (2023, Measure.INVESTIGATIONS, 8, 21),
    (2022, Measure.OM_CASES, 31, None),
    (2023, Measure.OM_CASES, 18, None),
    (2022, Measure.RULINGS, 8, None),
    (2023, Measure.RULINGS, 2, None),
]
CORRECTION = "Registration error at the Labour Inspectorate; corrected figures delivered."
DELIVERER = {Measure.INVESTIGATIONS: OrganisationKind.LABOUR_INSPECTORATE,
             Measure.OM_CASES: OrganisationKind.PROSECUTION,
             Measure.RULINGS: OrganisationKind.PROSECUTION,
             Measure.CONVICTIONS: OrganisationKind.PROSECUTION,
             Measure.SEPOTS: OrganisationKind.PROSECUTION,
             Measure.SUSPECTS: OrganisationKind.POLICE}


def _by_kind(organisations: Iterable[Organisation]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for organisation in organisations:
        found.setdefault(organisation.kind, organisation)
    return found


def _delivered(organisation: Organisation, year: int, form: str, measure: str,
               breakdown: str = "") -> bool:
    return ChainFigure.objects.filter(organisation=organisation, year=year, form=form,
                                      measure=measure, breakdown=breakdown).exists()


def populate(*, rng: random.Random, organisations: Iterable[Organisation] | Mapping[str, Organisation],
             today: date) -> dict[str, int]:
    """Deliver the demo chain figures; safe to run twice (re-deliveries add nothing).

    Uses the first organisation of each kind (labour inspectorate, prosecution,
    police); creates one named as the demo does when a kind is missing.
    """
    orgs = organisations.values() if isinstance(organisations, Mapping) else organisations
    kinds = _by_kind(orgs)
    for kind, name in ((OrganisationKind.LABOUR_INSPECTORATE, "Nederlandse Arbeidsinspectie"),
                       (OrganisationKind.PROSECUTION, "Openbaar Ministerie"),
                       (OrganisationKind.POLICE, "Politie")):
        if kind not in kinds:
            kinds[kind] = Organisation.objects.get_or_create(
                name=name, defaults={"kind": kind, "municipality": "GM0363"})[0]
    before = ChainFigure.objects.count()
    published_on = date(2024, 10, 15)
    for year, measure, first, corrected in PUBLISHED:
        organisation = kinds[DELIVERER[measure]]
        if _delivered(organisation, year, "labour", measure):
            continue
        chain_figure_deliver(actor=None, organisation=organisation, year=year, form="labour",
                             measure=measure, value=first, source=RAPPORTEUR,
                             delivered_on=date(2024, 6, 1), published_on=published_on,
                             published_in=RAPPORTEUR)
        if corrected is not None:
            chain_figure_deliver(actor=None, organisation=organisation, year=year,
                                 form="labour", measure=measure, value=corrected,
                                 source="Nederlandse Arbeidsinspectie, correction",
                                 delivered_on=date(2025, 2, 1), reason=CORRECTION)
    # Synthetic figures for the other years and forms, deterministic per rng.
    for year in range(today.year - 5, today.year):
        for form in ("sexual", "labour", "criminal"):
            if form == "labour" and year in (2022, 2023):
                continue
            suspects = rng.randint(60, 240) if form == "sexual" else rng.randint(15, 90)
            investigations = int(suspects * rng.uniform(0.35, 0.6))
            om_cases = int(investigations * rng.uniform(0.6, 1.1))
            rulings = int(om_cases * rng.uniform(0.3, 0.6))
            convictions = int(rulings * rng.uniform(0.6, 0.9))
            for measure, value in ((Measure.SUSPECTS, suspects),
                                   (Measure.INVESTIGATIONS, investigations),
                                   (Measure.OM_CASES, om_cases), (Measure.RULINGS, rulings),
                                   (Measure.CONVICTIONS, convictions)):
                if _delivered(kinds[DELIVERER[measure]], year, form, measure):
                    continue
                chain_figure_deliver(
                    actor=None, organisation=kinds[DELIVERER[measure]], year=year, form=form,
                    measure=measure, value=value, source=f"{kinds[DELIVERER[measure]].name}, "
                    f"jaarcijfers {year}", delivered_on=date(year + 1, 3, 1))
            sepots = max(0, om_cases - rulings)
            if _delivered(kinds[OrganisationKind.PROSECUTION], year, form, Measure.SEPOTS,
                          "insufficient_evidence"):
                continue
            chain_figure_deliver(
                actor=None, organisation=kinds[OrganisationKind.PROSECUTION], year=year,
                form=form, measure=Measure.SEPOTS, breakdown="insufficient_evidence",
                value=int(sepots * 0.8), source=f"Openbaar Ministerie, jaarcijfers {year}",
                delivered_on=date(year + 1, 3, 1))
    return {"chain_figures": ChainFigure.objects.count() - before}
