"""Demo data for the programme monitor: the action plan as the July 2025 progress letter
describes it (titles summarised, not quoted), plausible half-year progress, the 54 awareness
campaigns of 2020–2024, a small pool of experts by experience, and the regions.

Call `populate(rng=..., organisations=..., today=...)` after the organisations exist. Each
part is skipped when it is already there, so a second call adds nothing. Rows are written
directly, with the audit rows the services would write (actor: the system).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from zicht.audit.services import Entry, audit_record_many
from zicht.core.crypto import DataKey
from zicht.demo.catalogue import LABOUR_NGO, OUTREACH_NGO
from zicht.demo.places import REGIONS
from zicht.organisations.models import Organisation, OrganisationKind, Role, User

from .codes import (
    GENERAL_FORM,
    ActionStatus,
    AssignmentStatus,
    Availability,
    Channel,
    ConsentState,
    ConsentUse,
    ExpertiseArea,
    FeeBasis,
    FeedbackFrom,
    IndicatorKind,
    RegionalRole,
    RegionKind,
    TargetGroup,
)
from .models import (
    Action,
    ActionLine,
    Assignment,
    Campaign,
    Expert,
    ExpertConsent,
    Feedback,
    Indicator,
    IndicatorValue,
    Milestone,
    ProgressReport,
    Region,
    RegionOrganisation,
    ReportingPeriod,
)
from .validation import period_bounds

# --- The plan, after the progress letter of 4 July 2025 -----------------------------------------

LINES = (
    (1, "Brede bewustwording", "Mensen en professionals herkennen mensenhandel en weten wat ze "
        "kunnen doen."),
    (2, "Meldingsbereidheid en centraal informatiepunt", "Slachtoffers, professionals en burgers "
        "vinden makkelijk de weg naar het juiste loket."),
    (3, "Vaststelling van slachtofferschap, opvang en bescherming", "Slachtoffers worden eerder "
        "herkend en krijgen passende opvang en zorg."),
    (4, "(Boven)regionale samenwerking", "Gemeenten, zorg en veiligheid werken in elke regio "
        "volgens heldere afspraken samen."),
    (5, "Informatiedeling en gegevensverwerking", "Partners delen gegevens AVG-proof, op basis van "
        "gedeelde bouwstenen; ook datagestuurde signalering."),
    (6, "Minderjarige slachtoffers", "Signalering, bescherming en steun voor minderjarigen worden "
        "overal op dezelfde, sterkere manier geregeld."),
)


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    kind: str
    unit: str = ""
    # Values per half year, oldest first; the last one repeats for later periods.
    values: tuple[Any, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class ActionSpec:
    number: str
    title: str
    holders: tuple[str, ...]  # keys of `_Holders`
    partners: tuple[str, ...]
    starts_on: date
    ends_on: date
    # Status in the latest report; earlier reports say "on track" (or "not started").
    status: str
    milestones: tuple[tuple[str, date], ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()


D = date
ON, LATE, DONE, NEW, STOP = (ActionStatus.ON_TRACK, ActionStatus.DELAYED, ActionStatus.DONE,
                             ActionStatus.NOT_STARTED, ActionStatus.STOPPED)
INT, DEC, PCT, TXT = (IndicatorKind.INTEGER, IndicatorKind.DECIMAL, IndicatorKind.PERCENTAGE,
                      IndicatorKind.TEXT)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("1.1", "Overzicht maken van bewustwordingscampagnes over mensenhandel (2020–2024)",
               ("coordinator",), ("Ministerie van Justitie en Veiligheid", "extern adviesbureau"),
               D(2024, 7, 1), D(2025, 6, 30), DONE,
               (("Inventarisatie opgeleverd", D(2025, 5, 15)),
                ("Rapport en factsheet met voortgangsbrief naar de Kamer", D(2025, 6, 30))),
               (IndicatorSpec("campaigns_inventoried", "Campagnes in de inventarisatie", INT, "",
                              (31, 54), "Inventarisatierapport"),)),
    ActionSpec("1.2", "Landelijke communicatiestrategie ontwikkelen op basis van het overzicht",
               ("coordinator",), ("Ministerie van Justitie en Veiligheid",),
               D(2025, 7, 1), D(2026, 12, 31), NEW,
               (("Uitgangspunten strategie vastgesteld", D(2025, 12, 15)),
                ("Strategie gereed", D(2026, 9, 30)))),
    ActionSpec("1.3", "Professionals in onderwijs, (jeugd)zorg en veiligheidsketen handelings"
               "perspectief bieden, ook bij seksuele uitbuiting door ouders",
               ("outreach",), ("onderwijskoepels", "jeugdzorgaanbieders"),
               D(2024, 9, 1), D(2026, 12, 31), ON,
               (("Lesmateriaal voor professionals beschikbaar", D(2025, 3, 1)),
                ("Thema uitbuiting door ouders opgenomen", D(2025, 12, 1))),
               (IndicatorSpec("people_trained", "Getrainde professionals", INT, "personen",
                              (140, 410, 690), "Presentielijsten trainingen"),)),
    ActionSpec("1.4", "Fieldlab over de aanpak van klanten van slachtoffers",
               ("coordinator",), ("gemeenten", "politie"),
               D(2025, 3, 1), D(2025, 12, 31), ON,
               (("Voorbereiding afgerond", D(2025, 6, 1)), ("Fieldlab gehouden", D(2025, 11, 15)))),
    ActionSpec("2.1", "Overzicht maken van meldpunten en kenniscentra mensenhandel",
               ("coordinator",), ("extern adviesbureau",),
               D(2024, 7, 1), D(2025, 6, 30), DONE,
               (("Overzicht opgeleverd", D(2025, 5, 15)),),
               (IndicatorSpec("desks_active", "Actieve meldpunten (landelijk en regionaal)", INT,
                              "meldpunten", (88, 95), "Inventarisatierapport"),
                IndicatorSpec("knowledge_centres", "Kenniscentra (landelijk en regionaal)", INT,
                              "kenniscentra", (36, 39), "Inventarisatierapport"))),
    ActionSpec("2.2", "Centraal informatiepunt mensenhandel verkennen en opzetten; de wegwijzer "
               "is als eerste stap op de site van CoMensha gezet",
               ("coordinator",), ("Rijksoverheid",),
               D(2024, 7, 1), D(2026, 12, 31), ON,
               (("Wegwijzer op de nieuwe website", D(2025, 6, 1)),
                ("Verkenning informatiepunt afgerond", D(2025, 12, 31)),
                ("Informatiepunt open", D(2026, 10, 1))),
               (IndicatorSpec("guide_visits", "Bezoeken wegwijzer", INT, "bezoeken",
                              (0, 5200, 9800), "Webstatistiek"),)),
    ActionSpec("2.3", "Slachtoffers van arbeidsuitbuiting bereiken onder kwetsbare groepen "
               "(24-uurszorg, au pairs, huishoudelijk werk)",
               ("labour_ngo",), ("sociaal advocatenkantoor",),
               D(2024, 1, 1), D(2025, 12, 31), ON,
               (("Online campagne op sociale media", D(2024, 10, 1)),),
               (IndicatorSpec("reports_received", "Meldingen uit de doelgroep", INT, "meldingen",
                              (21, 44, 29), "Eigen registratie"),
                IndicatorSpec("campaign_reach", "Bereik online campagne", INT, "personen",
                              (0, 16915, 16915), "Advertentiestatistiek"))),
    ActionSpec("2.4", "Achterstallig loon opeisen voor slachtoffers via brieven en procedures",
               ("labour_ngo",), ("sociaal advocatenkantoor",),
               D(2024, 1, 1), D(2025, 12, 31), ON, (),
               (IndicatorSpec("back_pay_recovered", "Werknemers met nabetaling", INT, "personen",
                              (6, 17, 9), "Dossieradministratie"),)),
    ActionSpec("3.1", "Onderzoek naar de huidige opvangcapaciteit voor slachtoffers",
               ("coordinator",), ("onderzoeksbureau", "Ministerie van VWS"),
               D(2024, 9, 1), D(2025, 6, 30), LATE,
               (("Tussenrapportage", D(2025, 2, 1)), ("Eindrapport", D(2025, 6, 30)))),
    ActionSpec("3.2", "Scenario's voor een beter opvanglandschap (schaal, sturing)",
               ("coordinator", "shelter"), ("Ministerie van VWS", "gemeenten"),
               D(2025, 1, 1), D(2026, 6, 30), ON,
               (("Scenario's beschreven", D(2025, 12, 1)), ("Keuze voorgelegd", D(2026, 6, 1)))),
    ActionSpec("3.3", "Dossieronderzoek bij drie opvanginstellingen naar instroom en knelpunten",
               ("shelter",), ("onderzoeksbureau",),
               D(2025, 1, 1), D(2025, 12, 31), ON,
               (("Dossiers geselecteerd", D(2025, 3, 1)), ("Bevindingen", D(2025, 11, 1))),
               (IndicatorSpec("files_studied", "Onderzochte dossiers", INT, "dossiers",
                              (0, 48, 90), "Onderzoeksadministratie"),)),
    ActionSpec("3.4", "Ervaringsdeskundigen duurzaam inzetten: spiegelgroep en poule, met een "
               "passende vergoeding",
               ("coordinator",), ("ervaringsdeskundigen",),
               D(2024, 7, 1), D(2026, 12, 31), ON,
               (("Werkwijze vastgesteld", D(2025, 3, 1)),
                ("Spiegelgroep eerste keer bijeen", D(2025, 9, 1))),
               (IndicatorSpec("mirror_group_members", "Leden spiegelgroep", INT, "personen",
                              (0, 6, 8), "Ledenlijst"),
                IndicatorSpec("pool_assignments", "Opdrachten via de poule", INT, "opdrachten",
                              (0, 3, 7), "Pouleadministratie"))),
    ActionSpec("4.1", "Bouwstenen voor regionale samenwerking: taken voor regiehouders, "
               "coördinatoren en portefeuillehouders",
               ("municipality",), ("VNG", "CCV", "onderzoeksbureau"),
               D(2024, 7, 1), D(2025, 12, 31), LATE,
               (("Documentonderzoek en interviews", D(2024, 12, 1)),
                ("Actiedagen in de regio's", D(2025, 4, 1)),
                ("Bouwstenen opgeleverd", D(2025, 12, 31)))),
    ActionSpec("4.2", "Gezamenlijke leerlijn voor professionals in de keten",
               ("municipality",), ("CCV",),
               D(2024, 10, 1), D(2026, 6, 30), LATE,
               (("Leerlijn ontworpen", D(2025, 4, 1)), ("Structurele borging geregeld",
                                                        D(2026, 3, 1))),
               (IndicatorSpec("learners", "Deelnemers leerlijn", INT, "personen",
                              (0, 85, 120), "Inschrijvingen"),
                IndicatorSpec("regions_joined", "Regio's die meedoen", PCT, "",
                              (0, 40, 55), "Deelnemerslijst"))),
    ActionSpec("4.3", "Extra bouwsteen voor monitoring en evaluatie van de regionale aanpak",
               ("municipality",), ("VNG",),
               D(2025, 4, 1), D(2026, 3, 31), NEW,
               (("Opzet monitoring", D(2025, 12, 1)),)),
    ActionSpec("4.4", "Oefenprogramma voor multidisciplinaire samenwerking beproefd met een RIEC",
               ("riec",), ("gemeenten", "politie"),
               D(2024, 7, 1), D(2025, 6, 30), DONE,
               (("Oefensessies gehouden", D(2025, 2, 1)), ("Evaluatierapport", D(2025, 6, 1))),
               (IndicatorSpec("exercise_score", "Gemiddelde waardering deelnemers", DEC, "op 10",
                              (Decimal("7.4"), Decimal("7.9")), "Evaluatieformulieren"),)),
    ActionSpec("5.1", "Werkgroep informatiedeling: werkwijzen, rollen en processen in beeld",
               ("coordinator",), ("kennisnetwerk privacy en gegevensdeling",),
               D(2024, 7, 1), D(2025, 6, 30), DONE,
               (("Bijeenkomsten met de regio's", D(2025, 2, 1)),)),
    ActionSpec("5.2", "Generieke bouwstenen voor gegevensdeling schetsen en in de praktijk toetsen",
               ("coordinator", "municipality"), ("kennisnetwerk privacy en gegevensdeling",),
               D(2025, 1, 1), D(2025, 12, 31), ON,
               (("Eerste schets bouwstenen", D(2025, 6, 30)), ("Getoetst in de praktijk",
                                                               D(2025, 11, 1)))),
    ActionSpec("5.3", "Gegevensverwerking AVG-proof inrichten; kennisproducten voor het veld",
               ("coordinator",), ("Ministerie van Justitie en Veiligheid",),
               D(2025, 4, 1), D(2025, 12, 31), ON,
               (("Juridische analyse rollen", D(2025, 9, 1)), ("Kennisproducten", D(2025, 12, 1)))),
    ActionSpec("5.4", "Pilot datagestuurde signalering met enkele gemeenten",
               ("municipality", "police"), ("politie",),
               D(2025, 1, 1), D(2026, 6, 30), ON,
               (("Pilotgemeenten gekozen", D(2025, 3, 1)),),
               (IndicatorSpec("pilot_municipalities", "Gemeenten in de pilot", INT, "gemeenten",
                              (0, 3, 4), "Projectplan"),
                IndicatorSpec("pilot_finding", "Belangrijkste bevinding", TXT, "",
                              ("", "Werkwijze lijkt toepasbaar; juridische basis vraagt aandacht",
                               "Eerste signalen opgevolgd; evaluatie loopt"), "Pilotverslag"))),
    ActionSpec("6.1", "Totaalbeeld van wie minderjarigen beschermt tegen seksuele en criminele "
               "uitbuiting",
               ("outreach", "youth_care"), ("kenniscentra", "zorgorganisaties", "onderwijs"),
               D(2024, 3, 1), D(2025, 12, 31), ON,
               (("Gesprekken met partners", D(2024, 12, 1)), ("Totaalbeeld en adviezen",
                                                              D(2025, 12, 1)))),
    ActionSpec("6.2", "Gesprekken met jongeren en ervaringsdeskundigen over drempels om hulp te "
               "zoeken en te bieden",
               ("outreach",), ("ervaringsdeskundigen",),
               D(2024, 3, 1), D(2025, 12, 31), ON, (),
               (IndicatorSpec("conversations", "Gevoerde gesprekken", INT, "gesprekken",
                              (18, 41, 60), "Gespreksverslagen"),)),
    ActionSpec("6.3", "Signalering onder alleenstaande minderjarige vreemdelingen versterken",
               ("youth_care", "coa"), ("voogdij-instelling",),
               D(2025, 1, 1), D(2026, 12, 31), ON,
               (("Afspraken met twee landelijke organisaties", D(2025, 6, 1)),
                ("Meer organisaties aangesloten", D(2026, 6, 1)))),
    ActionSpec("6.4", "Campagne die professionals naar de gratis e-learning over uitbuiting "
               "van jongeren leidt",
               ("outreach",), ("Samen tegen mensenhandel", "Zorg voor Jeugd"),
               D(2025, 3, 1), D(2025, 12, 31), ON,
               (("Campagne gelanceerd", D(2025, 5, 12)),),
               (IndicatorSpec("elearning_completed", "Afgeronde e-learnings", INT, "personen",
                              (0, 950, 2100), "Leeromgeving"),)),
    ActionSpec("6.5", "Fieldlab signalerings- en hulpplan voor kinderen uitgebuit door ouders",
               ("outreach",), (), D(2025, 7, 1), D(2025, 12, 31), STOP,
               (("Besluit over vorm", D(2025, 9, 1)),)),
)

# --- Campaigns ----------------------------------------------------------------------------------

CAMPAIGNS_PER_YEAR = {2020: 9, 2021: 10, 2022: 11, 2023: 12, 2024: 12}  # 54, as inventoried
PUBLIC_CAMPAIGNERS = (
    "Rijksoverheid", "Politie", "Nederlandse Arbeidsinspectie", "Koninklijke Marechaussee",
    "Meld Misdaad Anoniem", "CoMensha",
)
TOPICS: dict[str, tuple[str, ...]] = {
    TargetGroup.GENERAL_PUBLIC: ("Zie jij het ook?", "Mensenhandel gebeurt om de hoek",
                                 "Kijk niet weg"),
    TargetGroup.PROFESSIONALS: ("Herken de signalen", "Signaleren in de wijk",
                                "Handelen bij uitbuiting"),
    TargetGroup.POTENTIAL_VICTIMS: ("Jij bepaalt", "Werk je onder dwang?", "Hulp is dichtbij"),
    TargetGroup.YOUNG_PEOPLE: ("Loverboy of uitbuiter?", "Te mooi om waar te zijn",
                               "Geen geld voor je grenzen"),
    TargetGroup.LABOUR_MIGRANTS: ("Ken je rechten", "Eerlijk werk in Nederland",
                                  "Je paspoort is van jou"),
    TargetGroup.CLIENTS: ("Klant of dader?", "Vrijwillig of niet?"),
    TargetGroup.EMPLOYERS: ("Goed werkgeverschap", "Weet wie er voor je werkt"),
}
EFFECTS = (
    "Meldingen bij het meldpunt stegen van {a} naar {b} in de drie maanden erna.",
    "Bekendheid met signalen (enquête): van {a}% naar {b}%.",
    "{b} professionals volgden daarna de training, tegen {a} het jaar ervoor.",
)


@dataclass
class DemoProgramme:
    lines: int = 0
    actions: int = 0
    periods: list[str] = field(default_factory=list)
    reports: int = 0
    campaigns: int = 0
    regions: int = 0
    experts: int = 0
    assignments: int = 0


class _Holders:
    """Demo organisations by role in the plan, each falling back on the coordinator."""

    def __init__(self, organisations: list[Organisation]):
        by_kind: dict[str, list[Organisation]] = {}
        for organisation in organisations:
            by_kind.setdefault(organisation.kind, []).append(organisation)
        self.by_kind = by_kind
        self.coordinator = (by_kind.get(OrganisationKind.COMENSHA) or organisations)[0]
        named = {o.name: o for o in organisations}
        ngos = by_kind.get(OrganisationKind.NGO, [])
        self.keys: dict[str, Organisation] = {
            "coordinator": self.coordinator,
            "labour_ngo": named.get(LABOUR_NGO) or (ngos[0] if ngos else self.coordinator),
            "outreach": named.get(OUTREACH_NGO) or (ngos[-1] if ngos else self.coordinator),
        }
        for key, kind in (("shelter", OrganisationKind.SHELTER),
                          ("municipality", OrganisationKind.MUNICIPALITY),
                          ("riec", OrganisationKind.RIEC), ("police", OrganisationKind.POLICE),
                          ("youth_care", OrganisationKind.YOUTH_CARE),
                          ("coa", OrganisationKind.COA)):
            found = by_kind.get(kind)
            self.keys[key] = found[0] if found else self.coordinator

    def get(self, key: str) -> Organisation:
        return self.keys[key]


def _periods_until(today: date) -> list[tuple[int, int]]:
    """Half years from the strengthened plan (second half of 2024) up to today's."""
    current = (today.year, 1 if today.month <= 6 else 2)
    first = min((2024, 2), current)
    halves = []
    year, half = first
    while (year, half) <= current:
        halves.append((year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return halves


def _value(spec: IndicatorSpec, index: int) -> tuple[Decimal | None, str]:
    raw = spec.values[min(index, len(spec.values) - 1)]
    if spec.kind == IndicatorKind.TEXT:
        return None, str(raw)
    return Decimal(raw), ""


def _plan(rng: random.Random, holders: _Holders, today: date, user: User | None,
          result: DemoProgramme, entries: list[Entry]) -> None:
    lines = {}
    for number, title, description in LINES:
        lines[number] = ActionLine.objects.create(number=number, title=title,
                                                  description=description)
        entries.append(Entry("actionline.create", "actionplan.actionline", lines[number].pk))
    periods = []
    for year, half in _periods_until(today):
        starts_on, ends_on = period_bounds(year, half)
        due_on = ends_on - timedelta(days=14)
        # The letter to parliament goes out about a month after the reporting date.
        closed = timezone.now() if due_on + timedelta(days=30) < today else None
        period = ReportingPeriod.objects.create(
            code=f"{year}-H{half}", year=year, half=half, starts_on=starts_on, ends_on=ends_on,
            reporting_due_on=due_on, closed_at=closed)
        periods.append(period)
        entries.append(Entry("period.create", "actionplan.reportingperiod", period.pk))
    result.periods = [p.code for p in periods]
    for spec in ACTIONS:
        line = lines[int(spec.number.split(".")[0])]
        action = Action.objects.create(
            line=line, number=spec.number, title=spec.title, partners=list(spec.partners),
            starts_on=spec.starts_on, ends_on=spec.ends_on, status=ActionStatus.NOT_STARTED)
        action.holders.set({holders.get(key) for key in spec.holders})
        entries.append(Entry("action.create", "actionplan.action", action.pk))
        result.actions += 1
        indicators = [Indicator.objects.create(action=action, code=i.code, name=i.name,
                                               kind=i.kind, unit=i.unit)
                      for i in spec.indicators]
        # Holders report in the two months before a period's reporting date, not earlier.
        due = [p for p in periods if action.starts_on <= p.ends_on
               and action.ends_on >= p.starts_on
               and p.reporting_due_on - timedelta(days=60) <= today]
        reported: list[tuple[int, ReportingPeriod]] = []
        for index, period in enumerate(due):
            # Closed periods are complete; in the open ones about a third is still missing.
            if not period.is_closed and rng.random() < 0.35:
                continue
            reported.append((index, period))
        latest = reported[-1][0] if reported else None
        for index, period in reported:
            status = _status_in(spec, period, latest=index == latest)
            holder = holders.get(spec.holders[0])
            report = ProgressReport.objects.create(
                action=action, period=period, status=status, organisation=holder,
                submitted_by=user, text=_progress_text(spec, status, period.code),
                submitted_at=timezone.make_aware(datetime.combine(
                    min(period.reporting_due_on, today), time(12, 0))))
            for indicator_spec, indicator in zip(spec.indicators, indicators, strict=True):
                value_number, text = _value(indicator_spec, index)
                IndicatorValue.objects.create(report=report, indicator=indicator,
                                              value_number=value_number, value_text=text,
                                              source=indicator_spec.source)
            entries.append(Entry("progress.create", "actionplan.progressreport", report.pk))
            result.reports += 1
        if latest is not None:
            action.status = _status_in(spec, reported[-1][1], latest=True)
            action.save(update_fields=["status"])
        for title, due_on in spec.milestones:
            # Actions under way reach their milestones on time; delayed ones late or not yet.
            under_way = action.status in (ActionStatus.ON_TRACK, ActionStatus.DONE)
            reached = due_on if due_on <= today and under_way else None
            if spec.status == ActionStatus.DELAYED and due_on <= today - timedelta(days=120):
                reached = due_on + timedelta(days=rng.randint(10, 60))
                reached = reached if reached <= today else None
            Milestone.objects.create(action=action, title=title, due_on=due_on,
                                     reached_on=reached)
    result.lines = len(lines)


def _status_in(spec: ActionSpec, period: ReportingPeriod, *, latest: bool) -> str:
    """The status reported for a period: the letter's status in the latest report, "on track"
    before it; an action is only done once its end is near, and "not started" only at first."""
    started_before = period.starts_on > spec.starts_on
    if not latest:
        return ActionStatus.NOT_STARTED if (spec.status == ActionStatus.NOT_STARTED
                                            and not started_before) else ActionStatus.ON_TRACK
    if spec.status == ActionStatus.NOT_STARTED and started_before:
        return ActionStatus.ON_TRACK
    if spec.status == ActionStatus.DONE and period.ends_on < spec.ends_on - timedelta(days=183):
        return ActionStatus.ON_TRACK
    return spec.status


def _progress_text(spec: ActionSpec, status: str, code: str) -> str:
    if status == ActionStatus.DELAYED:
        return (f"Uitloop in {code}: de planning schuift op, oplevering naar verwachting later "
                "dan gepland. Oorzaak: afstemming met partners kost meer tijd.")
    if status == ActionStatus.DONE:
        return f"Afgerond in {code}. Resultaten worden gedeeld met de partners."
    if status == ActionStatus.STOPPED:
        return "Gestopt: na verkenning met het veld blijkt een andere vorm passender."
    if status == ActionStatus.NOT_STARTED:
        return "Nog niet gestart; voorbereiding loopt."
    return f"Loopt volgens planning in {code}."


def _campaigns(rng: random.Random, organisations: list[Organisation], user: User | None,
               result: DemoProgramme, entries: list[Entry]) -> None:
    campaigners = list(PUBLIC_CAMPAIGNERS) + [o.name for o in organisations if o.kind in (
        OrganisationKind.NGO, OrganisationKind.MUNICIPALITY, OrganisationKind.YOUTH_CARE)][:12]
    forms = [GENERAL_FORM, "sexual", "labour", "criminal", "labour", "sexual", GENERAL_FORM]
    languages = ["en", "pl", "ro", "bg", "uk", "es", "pt", "ar", "tr"]
    channels = Channel.values
    created = []
    for year, count in CAMPAIGNS_PER_YEAR.items():
        for _index in range(count):
            groups = [rng.choice(TargetGroup.values)]
            if rng.random() < 0.3:
                groups.append(rng.choice([g for g in TargetGroup.values if g != groups[0]]))
            starts_on = date(year, rng.randint(1, 12), rng.randint(1, 28))
            effect = ""
            if rng.random() < 0.25:
                a = rng.randint(10, 40)
                effect = rng.choice(EFFECTS).format(a=a, b=a + rng.randint(5, 30))
            campaign_languages = ["nl"] + rng.sample(languages, rng.choice([0, 0, 1, 2, 4]))
            created.append(Campaign(
                title=rng.choice(TOPICS[groups[0]]) + f" ({year})",
                organisation_name=rng.choice(campaigners), target_groups=groups,
                forms=[rng.choice(forms)], languages=campaign_languages,
                channels=rng.sample(channels, rng.randint(1, 3)), starts_on=starts_on,
                ends_on=starts_on + timedelta(days=rng.choice([30, 60, 90, 180, 365])),
                reach=round(10 ** rng.uniform(2.7, 5.4)) if rng.random() < 0.65 else None,
                measured_effect=effect, created_by=user))
    # The labour-exploitation outreach the letter reports, with its measured effect.
    created[-1] = Campaign(
        title="Online campagne voor huishoudelijk werkers en au pairs",
        organisation_name=LABOUR_NGO, target_groups=[TargetGroup.POTENTIAL_VICTIMS,
                                                     TargetGroup.LABOUR_MIGRANTS],
        forms=["labour"], languages=["nl", "en", "es", "tl"],
        channels=[Channel.SOCIAL_MEDIA, Channel.EVENTS], starts_on=date(2024, 3, 1),
        ends_on=date(2024, 12, 31), reach=16915,
        measured_effect="Meldingen uit de doelgroep verdubbelden: van 21 in 2023 naar 44 in 2024.",
        created_by=user)
    # And the 2025 campaign for professionals working with young people.
    created.append(Campaign(
        title="#GeenBUIT: doe de gratis e-learning", organisation_name="Samen tegen mensenhandel",
        target_groups=[TargetGroup.PROFESSIONALS], forms=["sexual", "criminal"], languages=["nl"],
        channels=[Channel.SOCIAL_MEDIA, Channel.NEWSLETTERS, Channel.E_LEARNING],
        starts_on=date(2025, 5, 12), ends_on=None, reach=None, measured_effect="",
        created_by=user))
    for campaign in Campaign.objects.bulk_create(created):
        entries.append(Entry("campaign.create", "actionplan.campaign", campaign.pk))
    result.campaigns = len(created)


# Veiligheidsregio's (numbered as usual), with municipalities zicht knows; first is the seat.
SAFETY_REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("VR01", "Groningen", ("GM0014", "GM0047", "GM1952", "GM1950")),
    ("VR02", "Fryslân", ("GM0080", "GM0074", "GM0090")),
    ("VR03", "Drenthe", ("GM0106", "GM0114", "GM0118", "GM0119")),
    ("VR04", "IJsselland", ("GM0193", "GM0150", "GM0166")),
    ("VR05", "Twente", ("GM0153", "GM0164", "GM0141")),
    ("VR06", "Noord- en Oost-Gelderland", ("GM0200", "GM0222", "GM0301", "GM0243")),
    ("VR07", "Gelderland-Midden", ("GM0202", "GM0228")),
    ("VR08", "Gelderland-Zuid", ("GM0268", "GM0281")),
    ("VR09", "Utrecht", ("GM0344", "GM0307", "GM0355", "GM0356", "GM0345")),
    ("VR10", "Noord-Holland Noord", ("GM0361", "GM0405", "GM0400")),
    ("VR11", "Zaanstreek-Waterland", ("GM0479", "GM0439")),
    ("VR12", "Kennemerland", ("GM0392", "GM0394", "GM0453")),
    ("VR13", "Amsterdam-Amstelland", ("GM0363", "GM0362", "GM0384")),
    ("VR14", "Gooi en Vechtstreek", ("GM0402",)),
    ("VR15", "Haaglanden", ("GM0518", "GM0503", "GM0637", "GM0603", "GM1783")),
    ("VR16", "Hollands Midden", ("GM0546", "GM0513")),
    ("VR17", "Rotterdam-Rijnmond", ("GM0599", "GM0606", "GM0622")),
    ("VR18", "Zuid-Holland Zuid", ("GM0505",)),
    ("VR19", "Zeeland", ("GM0687", "GM0718", "GM0715", "GM0664")),
    ("VR20", "Midden- en West-Brabant", ("GM0855", "GM0758", "GM1674", "GM0748")),
    ("VR21", "Brabant-Noord", ("GM0796", "GM0828")),
    ("VR22", "Brabant-Zuidoost", ("GM0772", "GM0794")),
    ("VR23", "Limburg-Noord", ("GM0983", "GM0957")),
    ("VR24", "Zuid-Limburg", ("GM0935", "GM0917", "GM1883")),
    ("VR25", "Flevoland", ("GM0034", "GM0995")),
)

_ROLE_OF_KIND: dict[str, RegionalRole] = {
    OrganisationKind.NGO: RegionalRole.REPORTING_DESK,
    OrganisationKind.VICTIM_SUPPORT: RegionalRole.REPORTING_DESK,
    OrganisationKind.HEALTH: RegionalRole.KNOWLEDGE_CENTRE,
    OrganisationKind.RIEC: RegionalRole.RIEC,
}


def _regions(organisations: list[Organisation], result: DemoProgramme,
             entries: list[Entry]) -> None:
    regions = []
    for code, name, municipalities in SAFETY_REGIONS:
        regions.append(Region.objects.create(
            kind=RegionKind.SAFETY, code=code, name=f"Veiligheidsregio {name}",
            coordinating_municipality=municipalities[0], municipalities=list(municipalities),
            safety_and_care_house=f"Zorg- en Veiligheidshuis {name}"))
    for number, place in enumerate(REGIONS, start=1):
        codes = [m.code for m in place.municipalities]
        region = Region.objects.create(
            kind=RegionKind.CARE, code=f"ZR{number:02d}", name=f"Zorgregio {place.name}",
            coordinating_municipality=place.seat.code, municipalities=codes,
            riec=f"RIEC {place.name}",
            safety_and_care_house=f"Zorg- en Veiligheidshuis {place.seat.name}")
        regions.append(region)
        for organisation in organisations:
            if organisation.municipality not in codes:
                continue
            role = (RegionalRole.CARE_COORDINATOR
                    if organisation.kind == OrganisationKind.MUNICIPALITY
                    else _ROLE_OF_KIND.get(organisation.kind))
            if role:
                RegionOrganisation.objects.create(region=region, organisation=organisation,
                                                  role=role)
    entries.extend(Entry("region.create", "actionplan.region", r.pk) for r in regions)
    result.regions = len(regions)


def _experts(rng: random.Random, organisations: list[Organisation], coordinator_user: User,
             today: date, result: DemoProgramme, entries: list[Entry]) -> None:
    faker = Faker("nl_NL")
    faker.seed_instance(rng.randint(0, 2**31))
    regions = list(Region.objects.filter(kind=RegionKind.CARE))
    experts = []
    for index in range(12):
        name = faker.name()
        key = DataKey.generate()
        identity = {"name": name, "email": f"ervaringsdeskundige{index + 1}@example.org",
                    "phone": f"06{rng.randint(10000000, 99999999)}"}
        expert = Expert.objects.create(
            data_key=key.wrapped, identity_ciphertext=key.encrypt_json(identity),
            expertise=rng.sample([ExpertiseArea.SEXUAL, ExpertiseArea.LABOUR,
                                  ExpertiseArea.CRIMINAL, ExpertiseArea.MINORS], 1)
            + rng.sample([ExpertiseArea.TRAINING, ExpertiseArea.POLICY, ExpertiseArea.PEER_SUPPORT,
                          ExpertiseArea.CAMPAIGNS, ExpertiseArea.RESEARCH], rng.randint(1, 3)),
            languages=["nl"] + rng.sample(["en", "ro", "bg", "pl", "es", "uk"], rng.randint(0, 2)),
            availability=rng.choice([Availability.AVAILABLE, Availability.AVAILABLE,
                                     Availability.LIMITED, Availability.UNAVAILABLE]),
            hours_per_month=rng.choice([4, 8, 12, 16]),
            fee_basis=rng.choice([FeeBasis.HOURLY, FeeBasis.HOURLY, FeeBasis.PER_ASSIGNMENT]),
            fee_rate_eur=Decimal(rng.choice([45, 55, 65])), fee_agreed_on=today - timedelta(
                days=rng.randint(30, 400)),
            consent_pool=ConsentState.GIVEN, created_by=coordinator_user)
        if regions:
            expert.regions.set(rng.sample(regions, min(len(regions), rng.randint(1, 3))))
        consented = today - timedelta(days=rng.randint(30, 400))
        ExpertConsent.objects.create(expert=expert, use=ConsentUse.POOL,
                                     state=ConsentState.GIVEN, recorded_on=consented,
                                     recorded_by=coordinator_user)
        if rng.random() < 0.7:
            ExpertConsent.objects.create(expert=expert, use=ConsentUse.FEEDBACK,
                                         state=ConsentState.GIVEN, recorded_on=consented,
                                         recorded_by=coordinator_user)
        entries.append(Entry("expert.create", "actionplan.expert", expert.pk))
        experts.append(expert)
    result.experts = len(experts)
    askers = [o for o in organisations if o.kind in (
        OrganisationKind.MUNICIPALITY, OrganisationKind.NGO, OrganisationKind.POLICE,
        OrganisationKind.YOUTH_CARE)] or organisations
    requester = User.objects.filter(organisation__in=askers).first() or coordinator_user
    available = [e for e in experts if e.availability != Availability.UNAVAILABLE]
    tasks = ("Gastles voor wijkteams over signalen", "Meelezen met voorlichtingsmateriaal",
             "Inbreng in de spiegelgroep", "Training voor jeugdprofessionals",
             "Advies over de opzet van de opvang", "Interview voor het dossieronderzoek",
             "Gesprek met de gemeenteraad")
    for index, title in enumerate(tasks):
        organisation = rng.choice(askers)
        starts_on = today - timedelta(days=rng.randint(-30, 200))
        assignment = Assignment.objects.create(
            organisation=organisation, requested_by=requester, title=title,
            expertise_needed=[rng.choice(ExpertiseArea.values)], languages_needed=["nl"],
            starts_on=starts_on, ends_on=starts_on + timedelta(days=rng.randint(1, 60)))
        entries.append(Entry("assignment.request", "actionplan.assignment", assignment.pk))
        if index < 2 or not available:
            continue  # still waiting for a match
        expert = rng.choice(available)
        done = assignment.ends_on is not None and assignment.ends_on < today
        assignment.expert = expert
        assignment.status = AssignmentStatus.DONE if done else AssignmentStatus.AGREED
        assignment.consent_state = ConsentState.GIVEN
        assignment.hours = Decimal(rng.choice([2, 4, 6, 8]))
        assignment.fee_eur = (assignment.hours * (expert.fee_rate_eur or Decimal(50))).quantize(
            Decimal("0.01"))
        assignment.save()
        ExpertConsent.objects.create(expert=expert, use=ConsentUse.ASSIGNMENT,
                                     assignment=assignment, state=ConsentState.GIVEN,
                                     recorded_on=min(starts_on, today),
                                     recorded_by=coordinator_user)
        entries.append(Entry("assignment.assign", "actionplan.assignment", assignment.pk))
        feedback_allowed = expert.consents.filter(use=ConsentUse.FEEDBACK,
                                                  state=ConsentState.GIVEN).exists()
        if done and feedback_allowed:
            text = rng.choice(["Sterke, eerlijke inbreng; deelnemers noemden het een eyeopener.",
                               "Goede voorbereiding, graag een vervolg.",
                               "Waardevol perspectief op drempels om hulp te vragen."])
            feedback = Feedback.objects.create(
                assignment=assignment, given_by=FeedbackFrom.ORGANISATION,
                rating=rng.randint(4, 5), recorded_by=requester,
                text_ciphertext=DataKey(expert.data_key).encrypt_json(text))
            entries.append(Entry("feedback.create", "actionplan.feedback", feedback.pk))
        result.assignments += 1


@transaction.atomic
def populate(*, rng: random.Random, organisations: Iterable[Organisation],
             today: date) -> DemoProgramme:
    """Create the demo programme. Needs at least one organisation; experts also need a user
    (the national coordinator's, or any). Parts already present are left as they are."""
    organisations = list(organisations)
    result = DemoProgramme()
    if not organisations:
        return result
    holders = _Holders(organisations)
    users = User.objects.filter(organisation__in=organisations, is_active=True)
    coordinator_user = (users.filter(role=Role.NATIONAL_COORDINATOR).first()
                        or users.order_by("pk").first())
    entries: list[Entry] = []
    if not ActionLine.objects.exists():
        _plan(rng, holders, today, coordinator_user, result, entries)
    if not Campaign.objects.exists():
        _campaigns(rng, organisations, coordinator_user, result, entries)
    if not Region.objects.exists():
        _regions(organisations, result, entries)
    if coordinator_user is not None and not Expert.objects.exists():
        _experts(rng, organisations, coordinator_user, today, result, entries)
    audit_record_many(actor=None, entries=entries)
    return result
