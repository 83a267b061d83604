"""Demo directory: the published counts with invented names and contacts.

95 reporting desks (6 national, 89 regional) and 39 knowledge centres (17
national, 22 regional), DOMAIN.md. The 6 national desks are the real services
the default routing rules name (seeded by migration 0002); this module adds the
89 regional desks and the 39 knowledge centres. Every name, number and address
here is invented: web addresses end in example.org, numbers are made up.

    from zicht.wegwijzer.demo import populate
    populate(rng=random.Random(1))
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from zicht.registry.codes import Form

from . import services
from .models import DirectoryEntry, EntryKind, Municipality, Province, Scope, TargetGroup

DEMO_PREFIX = "demo-"
REGIONAL_DESKS_PER_PROVINCE = {
    Province.GRONINGEN: 5, Province.FRYSLAN: 5, Province.DRENTHE: 4, Province.OVERIJSSEL: 8,
    Province.FLEVOLAND: 4, Province.GELDERLAND: 11, Province.UTRECHT: 8,
    Province.NOORD_HOLLAND: 12, Province.ZUID_HOLLAND: 14, Province.ZEELAND: 3,
    Province.NOORD_BRABANT: 10, Province.LIMBURG: 5,
}
NATIONAL_KNOWLEDGE_CENTRES = 17
REGIONAL_KNOWLEDGE_CENTRES = 22

HOURS = [
    {"nl": "Maandag tot en met vrijdag, 9.00–17.00 uur", "en": "Monday to Friday, 9:00–17:00",
     "ro": "Luni–vineri, 9:00–17:00", "bg": "Понеделник–петък, 9:00–17:00",
     "pl": "Poniedziałek–piątek, 9:00–17:00", "uk": "Понеділок–п'ятниця, 9:00–17:00"},
    {"nl": "Maandag tot en met donderdag, 10.00–16.00 uur",
     "en": "Monday to Thursday, 10:00–16:00", "ro": "Luni–joi, 10:00–16:00",
     "bg": "Понеделник–четвъртък, 10:00–16:00", "pl": "Poniedziałek–czwartek, 10:00–16:00",
     "uk": "Понеділок–четвер, 10:00–16:00"},
    {"nl": "Elke werkdag, 8.30–20.00 uur", "en": "Every working day, 8:30–20:00",
     "ro": "În fiecare zi lucrătoare, 8:30–20:00", "bg": "Всеки работен ден, 8:30–20:00",
     "pl": "W każdy dzień roboczy, 8:30–20:00", "uk": "Кожного робочого дня, 8:30–20:00"},
]

DESK_TYPES: list[dict[str, Any]] = [
    {"name": "Meldpunt Mensenhandel", "forms": [], "groups": ["victims", "worried",
                                                              "professionals"],
     "description": {
         "nl": "Regionaal meldpunt voor alle vormen van mensenhandel. Advies en doorverwijzing.",
         "en": "Regional desk for all forms of human trafficking. Advice and referral.",
         "ro": "Punct regional pentru toate formele de trafic de persoane. Sfaturi și îndrumare.",
         "bg": "Регионален пункт за всички форми на трафик на хора. Съвети и насочване.",
         "pl": "Regionalny punkt dla wszystkich form handlu ludźmi. Porady i skierowanie.",
         "uk": "Регіональний пункт щодо всіх форм торгівлі людьми. Порада й направлення."}},
    {"name": "Zorgcoördinatie Mensenhandel", "forms": [], "groups": ["victims", "professionals"],
     "description": {
         "nl": "Regelt zorg, opvang en begeleiding voor slachtoffers in de regio.",
         "en": "Arranges care, shelter and support for victims in the region.",
         "ro": "Organizează îngrijire, adăpost și sprijin pentru victimele din regiune.",
         "bg": "Урежда грижа, подслон и подкрепа за жертвите в региона.",
         "pl": "Organizuje opiekę, schronienie i wsparcie dla ofiar w regionie.",
         "uk": "Організовує догляд, притулок і супровід для постраждалих у регіоні."}},
    {"name": "Steunpunt Arbeidsuitbuiting", "forms": [Form.LABOUR], "groups": ["victims",
                                                                              "migrants"],
     "description": {
         "nl": "Hulp bij uitbuiting op het werk, ook voor arbeidsmigranten.",
         "en": "Help with exploitation at work, also for migrant workers.",
         "ro": "Ajutor în caz de exploatare la muncă, inclusiv pentru lucrătorii migranți.",
         "bg": "Помощ при експлоатация на работа, също и за работници мигранти.",
         "pl": "Pomoc przy wyzysku w pracy, także dla pracowników migrujących.",
         "uk": "Допомога при експлуатації на роботі, також для трудових мігрантів."}},
    {"name": "Meldpunt Seksuele Uitbuiting", "forms": [Form.SEXUAL], "groups": ["victims",
                                                                               "worried"],
     "description": {
         "nl": "Melden van seksuele uitbuiting, ook via internet.",
         "en": "Report sexual exploitation, also online.",
         "ro": "Raportați exploatarea sexuală, inclusiv online.",
         "bg": "Съобщете за сексуална експлоатация, също и онлайн.",
         "pl": "Zgłoś wykorzystywanie seksualne, także w internecie.",
         "uk": "Повідомте про сексуальну експлуатацію, також онлайн."}},
    {"name": "Jongerenpunt Uitbuiting", "forms": [Form.SEXUAL, Form.CRIMINAL],
     "groups": ["minors", "worried", "professionals"],
     "description": {
         "nl": "Voor jongeren die worden uitgebuit, en voor wie zich zorgen maakt.",
         "en": "For young people who are exploited, and for those who are worried.",
         "ro": "Pentru tinerii exploatați și pentru cei îngrijorați.",
         "bg": "За младежи, които са експлоатирани, и за тези, които се тревожат.",
         "pl": "Dla młodych ludzi, którzy są wyzyskiwani, i dla tych, którzy się martwią.",
         "uk": "Для молоді, яку експлуатують, і для тих, хто хвилюється."}},
]

KNOWLEDGE_TOPICS: list[tuple[str, list[str]]] = [
    ("Kenniscentrum Arbeidsuitbuiting", [Form.LABOUR]),
    ("Expertisecentrum Seksuele Uitbuiting", [Form.SEXUAL]),
    ("Kenniscentrum Criminele Uitbuiting", [Form.CRIMINAL]),
    ("Expertisepunt Huwelijksdwang", [Form.FORCED_MARRIAGE]),
    ("Kennisnetwerk Draagmoederschap en Uitbuiting", [Form.SURROGACY]),
    ("Kenniscentrum Adoptie en Kinderhandel", [Form.ILLEGAL_ADOPTION]),
    ("Expertisecentrum Orgaanhandel", [Form.ORGANS]),
    ("Kennisplatform Moderne Slavernij", [Form.SLAVERY, Form.SERVITUDE]),
    ("Expertisecentrum Jeugd en Uitbuiting", [Form.SEXUAL, Form.CRIMINAL]),
    ("Kenniscentrum Licht Verstandelijke Beperking en Uitbuiting", []),
    ("Kennispunt Arbeidsmigratie", [Form.LABOUR]),
    ("Expertisecentrum Online Uitbuiting", [Form.SEXUAL, Form.CRIMINAL]),
    ("Kenniscentrum Mannelijke Slachtoffers", []),
    ("Kennisnetwerk Schadevergoeding Slachtoffers", []),
    ("Expertisepunt Bedelarij en Gedwongen Dienstverlening", [Form.LABOUR, Form.SERVITUDE]),
    ("Kenniscentrum Zorg en Opvang Mensenhandel", []),
    ("Kennisbank Signalering Mensenhandel", []),
]

KNOWLEDGE_DESCRIPTION = {
    "nl": "Kennis en advies voor professionals. Geen meldpunt voor slachtoffers.",
    "en": "Knowledge and advice for professionals. Not a desk for victims.",
    "ro": "Cunoștințe și sfaturi pentru profesioniști. Nu este un punct pentru victime.",
    "bg": "Знания и съвети за специалисти. Не е пункт за жертви.",
    "pl": "Wiedza i porady dla profesjonalistów. To nie jest punkt dla ofiar.",
    "uk": "Знання та поради для фахівців. Це не пункт для постраждалих.",
}
EXTRA_LANGUAGES = ["en", "pl", "ro", "bg", "uk", "ar", "tr", "pt", "es", "hu"]


def _phone(rng: random.Random) -> str:
    # Invented numbers in the 0800/0900 style of Dutch service lines.
    return f"{rng.choice(['0800', '0900'])}-{rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def _languages(rng: random.Random) -> list[str]:
    return ["nl", *rng.sample(EXTRA_LANGUAGES, rng.randint(1, 4))]


def _row(*, key: str, kind: str, scope: str, name: str, region: str, municipalities: list[str],
         forms: list[str], groups: list[str], description: dict[str, str],
         rng: random.Random) -> dict[str, Any]:
    domain = f"{key.removeprefix(DEMO_PREFIX)}.example.org"
    return {
        "key": key, "kind": kind, "scope": scope, "name": name, "region": region,
        "municipalities": municipalities, "forms": list(forms), "target_groups": list(groups),
        "languages": _languages(rng), "phone": _phone(rng), "email": f"info@{domain}",
        "website": f"https://{domain}", "hours": rng.choice(HOURS), "description": description,
        "anonymous": rng.random() < 0.4, "active": True,
    }


def plan(*, rng: random.Random) -> list[dict[str, Any]]:
    """The demo rows, without touching the database except to read municipalities."""
    by_province: dict[str, list[Municipality]] = {code: [] for code in Province.values}
    for municipality in Municipality.objects.order_by("code"):
        by_province[municipality.province].append(municipality)
    rows: list[dict[str, Any]] = []
    used: set[str] = set()

    def unique_key(name: str) -> str:
        base = DEMO_PREFIX + slugify(name)
        key, number = base, 2
        while key in used:
            key, number = f"{base}-{number}", number + 1
        used.add(key)
        return key

    province_names = dict(Province.choices)
    for province, count in REGIONAL_DESKS_PER_PROVINCE.items():
        places = by_province[province]
        for number in range(count):
            kind = DESK_TYPES[number % len(DESK_TYPES)]
            # The first desk of a province serves all of it; the others a few municipalities.
            if number == 0 or not places:
                served, place = [], province_names[province]
            else:
                chosen = rng.sample(places, min(len(places), rng.randint(1, 3)))
                served, place = sorted(m.code for m in chosen), chosen[0].name
            name = f"{kind['name']} {place}"
            rows.append(_row(key=unique_key(name), kind=EntryKind.REPORTING_DESK,
                             scope=Scope.REGIONAL, name=name, region=province,
                             municipalities=served, forms=kind["forms"], groups=kind["groups"],
                             description=kind["description"], rng=rng))
    for name, forms in KNOWLEDGE_TOPICS[:NATIONAL_KNOWLEDGE_CENTRES]:
        rows.append(_row(key=unique_key(name), kind=EntryKind.KNOWLEDGE_CENTRE,
                         scope=Scope.NATIONAL, name=name, region="", municipalities=[],
                         forms=forms, groups=[TargetGroup.PROFESSIONALS],
                         description=KNOWLEDGE_DESCRIPTION, rng=rng))
    provinces = list(REGIONAL_DESKS_PER_PROVINCE)
    for number in range(REGIONAL_KNOWLEDGE_CENTRES):
        province = provinces[number % len(provinces)]
        places = by_province[province]
        place = places[(number // len(provinces)) % len(places)].name if places else (
            province_names[province])
        name = f"Regionaal Kenniscentrum Mensenhandel {place}"
        rows.append(_row(key=unique_key(name), kind=EntryKind.KNOWLEDGE_CENTRE,
                         scope=Scope.REGIONAL, name=name, region=province, municipalities=[],
                         forms=[], groups=[TargetGroup.PROFESSIONALS],
                         description=KNOWLEDGE_DESCRIPTION, rng=rng))
    return rows


@transaction.atomic
def populate(*, rng: random.Random) -> dict[str, int]:
    """Add the demo directory; does nothing when it is there already. Returns counts."""
    if DirectoryEntry.objects.filter(key__startswith=DEMO_PREFIX).exists():
        return {"created": 0, "updated": 0}
    result = services.directory_import(actor=None, rows=plan(rng=rng))
    return {"created": result.created, "updated": result.updated}
