"""A synthetic data set that looks like this domain, with ground truth.

Persons get names from the citizenships in DOMAIN.md (Faker locales and short
hand-written lists), then are reported by several organisations, each writing
the name down its own way: another romanisation of a Cyrillic name (or the
Cyrillic itself), a Chinese name in either order and split into syllables or
not, given and family name swapped, diacritics dropped, a typo, a nickname,
only a year of birth, day and month swapped, a year off. Hard negatives make
it honest: siblings (same family name, phone and nationality, close birth
years) and very common names with different birth dates. No record is a real
person.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pandas as pd
from faker import Faker
from text_unidecode import unidecode

from .comparisons import _NICKNAMES_RAW

# Citizenship → (Faker locale or None for the hand lists, share of persons).
CITIZENSHIPS: dict[str, tuple[str | None, float]] = {
    "UA": ("uk_UA", 0.14), "BG": ("bg_BG", 0.10), "RU": ("ru_RU", 0.05),
    "CN": ("zh_CN", 0.10), "RO": ("ro_RO", 0.12), "PL": ("pl_PL", 0.08),
    "HU": ("hu_HU", 0.05), "NG": ("en_NG", 0.10), "VN": ("vi_VN", 0.07),
    "NL": ("nl_NL", 0.10), "BR": ("pt_BR", 0.03), "ER": (None, 0.03), "SY": (None, 0.03),
}
_HAND = {
    "ER": (("Senait", "Selam", "Rahwa", "Yodit", "Luwam", "Winta", "Saba", "Mebrat"),
           ("Yonas", "Tesfay", "Dawit", "Filmon", "Habtom", "Kibrom", "Robel", "Amanuel"),
           ("Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Tekle", "Weldemichael",
            "Asmerom", "Berhe", "Ghebreyesus", "Negash", "Yohannes", "Mehari")),
    "SY": (("Rania", "Lina", "Hala", "Nour", "Rasha", "Dima", "Yasmin", "Layla", "Hiba"),
           ("Ahmad", "Mohammad", "Omar", "Khaled", "Yusuf", "Rami", "Bassel", "Tarek", "Ali"),
           ("Al-Hassan", "Haddad", "Khalil", "Othman", "Darwish", "Hamdan", "Jaber",
            "Kassem", "Mansour", "Nasser", "Saleh", "Youssef")),
}
ORGANISATIONS = ("police", "kmar", "labour-inspectorate", "shelter", "ngo", "municipality",
                 "coa", "comensha")

# Romanisation systems in use for the same Cyrillic letters.
_SYSTEMS: dict[str, dict[str, str]] = {
    "ua_national": {"г": "h", "и": "y", "й": "i", "х": "kh", "щ": "shch", "я": "ia",
                    "ю": "iu", "є": "ie", "ї": "i", "ж": "zh", "ц": "ts", "е": "e"},
    "icao": {"г": "g", "и": "i", "й": "i", "х": "kh", "щ": "shch", "я": "ia", "ю": "iu",
             "є": "ie", "ї": "i", "ж": "zh", "ц": "ts", "е": "e"},
    "bgn": {"г": "g", "и": "i", "й": "y", "х": "kh", "щ": "shch", "я": "ya", "ю": "yu",
            "є": "ye", "ї": "yi", "ж": "zh", "ц": "ts", "е": "e"},
    "german": {"г": "g", "и": "i", "й": "j", "х": "ch", "щ": "schtsch", "я": "ja",
               "ю": "ju", "є": "je", "ї": "ji", "ж": "sh", "ц": "z", "е": "e", "ш": "sch",
               "ч": "tsch", "в": "w", "с": "s"},
    "bg_streamlined": {"г": "g", "и": "i", "й": "y", "х": "h", "щ": "sht", "я": "ya",
                       "ю": "yu", "ъ": "a", "ж": "zh", "ц": "ts", "е": "e"},
}
_BASE = {
    "а": "a", "б": "b", "в": "v", "ґ": "g", "д": "d", "ё": "e", "з": "z", "і": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "ч": "ch", "ш": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "'": "",
    "ʼ": "",
}
_DIACRITIC_LOCALES = {"RO", "PL", "HU", "VN", "BR"}
_COMMON = {"CN": (("Wei", "Wang"), ("Fang", "Li"), ("Min", "Zhang"), ("Jing", "Liu")),
           "VN": (("Anh", "Nguyen"), ("Linh", "Nguyen"), ("Huong", "Tran"))}


def romanise(text: str, system: str) -> str:
    table = {**_BASE, **_SYSTEMS[system]}
    out = []
    for ch in text:
        lower = ch.lower()
        latin = table.get(lower, ch)
        out.append(latin.capitalize() if ch != lower and latin else latin)
    return "".join(out)


class _NamePool:
    """Names drawn once per locale from Faker, then sampled: fast for a million."""

    def __init__(self, rng: random.Random, size: int = 400) -> None:
        self.rng = rng
        self.pools: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self.size = size

    def get(self, citizenship: str) -> tuple[list[str], list[str], list[str]]:
        if citizenship not in self.pools:
            locale = CITIZENSHIPS[citizenship][0]
            if locale is None:
                female, male, family = _HAND[citizenship]
                self.pools[citizenship] = (list(female), list(male), list(family))
            else:
                fake = Faker(locale)
                fake.seed_instance(self.rng.randrange(1 << 30))
                self.pools[citizenship] = (
                    [fake.first_name_female() for _ in range(self.size)],
                    [fake.first_name_male() for _ in range(self.size)],
                    [fake.last_name() for _ in range(self.size)],
                )
        return self.pools[citizenship]


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1:]
    if kind < 0.7:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice("aeiounrstl") + text[i + 1:]


def _strip_diacritics(text: str) -> str:
    return unidecode(text)


_NICK_BY_NAME: dict[str, list[str]] = {}
for _root, _variants in _NICKNAMES_RAW.items():
    for _name in (_root, *_variants):
        _NICK_BY_NAME.setdefault(_name, []).extend(v for v in (_root, *_variants) if v != _name)


def _person(rng: random.Random, pool: _NamePool, citizenship: str, *,
            family: str | None = None, phone: str | None = None) -> dict[str, Any]:
    female_names, male_names, family_names = pool.get(citizenship)
    sex = "F" if rng.random() < 0.7 else "M"
    if citizenship in _COMMON and rng.random() < 0.25:
        given, family_name = rng.choice(_COMMON[citizenship])
    else:
        given = rng.choice(female_names if sex == "F" else male_names)
        family_name = family or rng.choice(family_names)
    if family:
        family_name = family
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 45))
    return {
        "given": given, "family": family_name, "sex": sex, "born": born,
        "nationality": citizenship,
        "phone": phone or f"+{rng.randrange(30, 390)}{rng.randrange(10**8, 10**9)}",
    }


def _report(rng: random.Random, person: dict[str, Any], *, first: bool) -> dict[str, Any]:
    """One organisation's record of the person."""
    given, family = person["given"], person["family"]
    citizenship = person["nationality"]
    cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in given + family)
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in given + family)
    noisy = not first
    if cyrillic and not (noisy and rng.random() < 0.1):
        system = rng.choice(list(_SYSTEMS))
        given, family = romanise(given, system), romanise(family, system)
    if chinese:
        given_syllables = unidecode(given).split()
        family = unidecode(family).strip().title()
        style = rng.random() if noisy else 0.0
        if style < 0.5:
            given = "".join(given_syllables).title()
        elif style < 0.8:
            given = " ".join(s.title() for s in given_syllables)
        else:
            given = "-".join(s.title() for s in given_syllables)
    if noisy and citizenship in _DIACRITIC_LOCALES and rng.random() < 0.6:
        given, family = _strip_diacritics(given), _strip_diacritics(family)
    alias = ""
    if noisy and rng.random() < 0.12:
        options = _NICK_BY_NAME.get(given.lower())
        if options:
            nickname = rng.choice(options).title()
            if rng.random() < 0.5:
                given = nickname
            else:
                alias = nickname
    if noisy and rng.random() < 0.12:
        if rng.random() < 0.5:
            given = _typo(rng, given)
        else:
            family = _typo(rng, family)
    if noisy and rng.random() < 0.12:
        given, family = family, given
    born: date = person["born"]
    birth_date, birth_year = born.isoformat(), ""
    roll = rng.random() if noisy else 1.0
    if roll < 0.2:
        birth_date, birth_year = "", str(born.year)
    elif roll < 0.25 and born.day <= 12 and born.day != born.month:
        birth_date = f"{born.year:04d}-{born.day:02d}-{born.month:02d}"
    elif roll < 0.30:
        birth_date, birth_year = "", str(born.year + rng.choice((-1, 1)))
    elif roll < 0.34:
        birth_date = f"{born.year + rng.choice((-1, 1)):04d}-{born.month:02d}-{born.day:02d}"
    elif roll < 0.39:
        birth_date = ""
    return {
        "given_name": given, "family_name": family, "alias": alias,
        "birth_date": birth_date, "birth_year": birth_year,
        "sex": "" if noisy and rng.random() < 0.1 else person["sex"],
        "nationality": "" if noisy and rng.random() < 0.15 else citizenship,
        "phone": person["phone"] if rng.random() < (0.6 if first else 0.4) else "",
    }


def _persons(rng: random.Random, pool: _NamePool, count: int) -> Iterator[dict[str, Any]]:
    codes = list(CITIZENSHIPS)
    weights = [CITIZENSHIPS[code][1] for code in codes]
    made = 0
    while made < count:
        citizenship = rng.choices(codes, weights)[0]
        person = _person(rng, pool, citizenship)
        yield person
        made += 1
        # Hard negatives: a sibling with the same family name, phone and citizenship.
        if rng.random() < 0.12 and made < count:
            sibling = _person(rng, pool, citizenship, family=person["family"],
                              phone=person["phone"])
            while sibling["given"] == person["given"]:
                sibling = _person(rng, pool, citizenship, family=person["family"],
                                  phone=person["phone"])
            sibling["born"] = person["born"] + timedelta(days=rng.choice((-1, 1)) *
                                                         rng.randrange(300, 2500))
            yield sibling
            made += 1


def domain_records(persons: int, *, seed: int = 7, duplicates: float = 1.0) -> pd.DataFrame:
    """Records with columns INPUT_COLUMNS plus `person` (the ground truth).

    Each person is reported once, plus on average `duplicates` more times by
    other organisations (geometric, so most persons have 1–3 records)."""
    rng = random.Random(seed)
    pool = _NamePool(rng)
    rows: list[dict[str, Any]] = []
    stop = 1 / (1 + duplicates)
    for number, person in enumerate(_persons(rng, pool, persons)):
        organisations = rng.sample(ORGANISATIONS, len(ORGANISATIONS))
        first = True
        for organisation in organisations:
            record = _report(rng, person, first=first)
            record["reporting_org"] = organisation
            record["person"] = number
            rows.append(record)
            first = False
            if rng.random() < stop:
                break
    frame = pd.DataFrame(rows)
    frame.insert(0, "record_id", [f"r{index}" for index in range(len(frame))])
    return frame
