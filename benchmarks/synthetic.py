"""Synthetic signal rows for the import benchmark: Faker, fixed seed, no real people.

The mix follows the published picture roughly: most signals concern sexual or
labour exploitation, citizens of Romania, Bulgaria, Poland, Ukraine, the
Netherlands, Nigeria and China are frequent, a quarter are minors, and some
persons are signalled more than once.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from zicht.registry.importer import COLUMNS

# citizenship: (weight, Faker locale, languages)
CITIZENSHIPS = {
    "NL": (22, "nl_NL", ["nl"]),
    "RO": (14, "ro_RO", ["ro"]),
    "PL": (10, "pl_PL", ["pl"]),
    "BG": (8, "bg_BG", ["bg"]),
    "UA": (8, "uk_UA", ["uk", "ru"]),
    "NG": (7, "en_NG", ["en"]),
    "CN": (5, "zh_CN", ["zh"]),
    "HU": (4, "hu_HU", ["hu"]),
    "VN": (4, "vi_VN", ["vi"]),
    "IN": (3, "en_IN", ["hi", "en"]),
    "BR": (3, "pt_BR", ["pt"]),
    "SK": (3, "sk_SK", ["sk"]),
    "TH": (3, "th_TH", ["th"]),
    "LT": (2, "lt_LT", ["lt"]),
    "TR": (2, "tr_TR", ["tr"]),
    "GH": (2, "tw_GH", ["en"]),
}
FORMS = [("sexual", 45), ("labour", 35), ("criminal", 12), ("servitude", 3),
         ("forced_marriage", 2), ("slavery", 1), ("organs", 1), ("illegal_adoption", 1)]
SECTORS = ["A", "C", "F", "I", "T", "H", "N", "S", "G"]
INDICATORS = [
    "abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
    "physical_sexual_violence", "intimidation_threats", "retention_of_documents",
    "withholding_of_wages", "debt_bondage", "abusive_conditions", "excessive_overtime",
]
MUNICIPALITIES = ["GM0363", "GM0599", "GM0518", "GM0344", "GM0772", "GM0855", "GM0014",
                  "GM0034", "GM0758", "GM0268", "GM0202", "GM0193", "GM0153", "GM0935"]
SOURCES = ["own_observation", "self_report", "third_party", "anonymous"]
SCOPES = ["domestic", "cross_border", "unknown"]
FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2025, 6, 30)


def write_signals_csv(path: Path, *, rows: int, seed: int = 20250312,
                      delimiter: str = ",") -> int:
    """Write `rows` synthetic signals to `path`; returns the number of distinct persons."""
    rng = random.Random(seed)
    locales = sorted({locale for _, locale, _ in CITIZENSHIPS.values()})
    fake = Faker(locales)
    Faker.seed(seed)
    codes = list(CITIZENSHIPS)
    weights = [CITIZENSHIPS[c][0] for c in codes]
    forms, form_weights = zip(*FORMS, strict=True)
    narrator = fake["nl_NL"]
    persons: list[dict[str, str]] = []
    span = (LAST_DAY - FIRST_DAY).days
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=delimiter)
        writer.writeheader()
        for n in range(rows):
            signalled_on = FIRST_DAY + timedelta(days=rng.randrange(span))
            if persons and rng.random() < 0.12:
                person = rng.choice(persons)  # signalled again, maybe elsewhere
            else:
                person = _person(rng, fake, codes, weights, signalled_on)
                persons.append(person)
            form = rng.choices(forms, form_weights)[0]
            extra_form = [rng.choice(("labour", "criminal"))] if rng.random() < 0.08 else []
            started = (signalled_on - timedelta(days=rng.randrange(1, 900))
                       if rng.random() < 0.4 else None)
            ended = (started + timedelta(days=rng.randrange(0, (signalled_on - started).days + 1))
                     if started and rng.random() < 0.5 else None)
            row = {
                **person,
                "external_ref": f"AD-{seed}-{n:07d}" if rng.random() < 0.85 else "",
                "signalled_on": signalled_on.isoformat(),
                "forms": ";".join(dict.fromkeys([form, *extra_form])),
                "indicators": ";".join(rng.sample(INDICATORS, rng.randint(0, 4))),
                "indicators_other": narrator.sentence(nb_words=6) if rng.random() < 0.1 else "",
                "sector": rng.choice(SECTORS) if form == "labour" else "",
                "municipality": rng.choice(MUNICIPALITIES),
                "scope": rng.choice(SCOPES),
                "source": rng.choice(SOURCES),
                "exploitation_started_on": started.isoformat() if started else "",
                "exploitation_ended_on": ended.isoformat() if ended else "",
                "narrative": (narrator.paragraph(nb_sentences=rng.randint(1, 4))
                              if rng.random() < 0.7 else ""),
                "consent_registration": _consent(rng, 0.45),
                "consent_care": _consent(rng, 0.25),
                "consent_police": _consent(rng, 0.12),
            }
            writer.writerow(row)
    return len(persons)


def _person(rng: random.Random, fake: Faker, codes: list[str], weights: list[int],
            signalled_on: date) -> dict[str, str]:
    citizenship = rng.choices(codes, weights)[0]
    _, locale, languages = CITIZENSHIPS[citizenship]
    local = fake[locale]
    sex = rng.choices(["female", "male", "other", "unknown"], [60, 37, 1, 2])[0]
    if sex == "male":
        given = local.first_name_male()
    elif sex == "female":
        given = local.first_name_female()
    else:
        given = local.first_name()
    age = rng.randint(12, 17) if rng.random() < 0.25 else rng.randint(18, 60)
    born = signalled_on - timedelta(days=age * 365 + rng.randrange(365))
    precision = rng.random()
    birth_date = born.isoformat() if precision < 0.8 else (
        str(born.year) if precision < 0.92 else "")
    return {
        "given_names": given,
        "family_name": local.last_name(),
        "aliases": local.first_name() if rng.random() < 0.1 else "",
        "birth_date": birth_date,
        "sex": sex,
        "citizenships": citizenship if rng.random() < 0.97 else f"{citizenship};NL",
        "languages": ";".join(languages),
        "phone": f"+31 6 {rng.randrange(10_000_000, 99_999_999)}" if rng.random() < 0.3 else "",
    }


def _consent(rng: random.Random, asked: float) -> str:
    if rng.random() >= asked:
        return ""
    return "given" if rng.random() < 0.8 else "refused"
