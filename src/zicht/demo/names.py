"""Synthetic names, languages and phone prefixes that fit a citizenship.

Faker supplies the names where it has a locale for the country. Cyrillic names
are transliterated, Chinese names come romanised (pinyin), and for Eritrea,
Syria and Uganda, which Faker lacks, a short list of common given and family
names is combined at random. No combination is meant to be a real person.
"""

from __future__ import annotations

import random
from functools import lru_cache

from faker import Faker

# Faker locales per citizenship; several means one is picked per person.
LOCALES: dict[str, tuple[str, ...]] = {
    "NL": ("nl_NL",),
    "RO": ("ro_RO",),
    "BG": ("bg_BG",),
    "PL": ("pl_PL",),
    "HU": ("hu_HU",),
    "UA": ("uk_UA",),
    "NG": ("yo_NG", "ig_NG", "ha_NG", "en_NG"),
    "CN": ("zh_CN",),
    "VN": ("vi_VN",),
    "BR": ("pt_BR",),
    # Faker has no Moroccan locale; Algerian names in French spelling are the closest.
    "MA": ("fr_DZ",),
}
# Citizenship unknown: the name still comes from somewhere.
UNKNOWN_CITIZENSHIP_LOCALES = ("ro_RO", "pl_PL", "yo_NG", "vi_VN", "pt_BR", "fr_DZ")

# ISO 639-1: the language(s) a person of that citizenship speaks first.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "NL": ("nl",),
    "RO": ("ro",),
    "BG": ("bg",),
    "PL": ("pl",),
    "HU": ("hu",),
    "UA": ("uk", "ru"),
    "NG": ("en", "yo", "ig", "ha"),
    "UG": ("en", "lg"),
    "CN": ("zh",),
    "VN": ("vi",),
    "BR": ("pt",),
    "MA": ("ar", "fr"),
    "ER": ("ti", "ar"),
    "SY": ("ar",),
}
# For Nigeria the second language follows the Faker locale the name came from.
_NIGERIAN_LANGUAGE = {"yo_NG": "yo", "ig_NG": "ig", "ha_NG": "ha", "en_NG": ""}

DIALLING_CODES = {
    "NL": "31",
    "RO": "40",
    "BG": "359",
    "PL": "48",
    "HU": "36",
    "UA": "380",
    "NG": "234",
    "UG": "256",
    "CN": "86",
    "VN": "84",
    "BR": "55",
    "MA": "212",
    "ER": "291",
    "SY": "963",
}

_HAND_LISTS: dict[str, dict[str, tuple[str, ...]]] = {
    "ER": {
        "female": (
            "Senait",
            "Helen",
            "Selam",
            "Rahwa",
            "Freweini",
            "Yodit",
            "Semhar",
            "Luwam",
            "Winta",
            "Mebrat",
            "Saba",
            "Elsa",
        ),
        "male": (
            "Yonas",
            "Tesfay",
            "Dawit",
            "Samuel",
            "Filmon",
            "Habtom",
            "Kibrom",
            "Mehari",
            "Robel",
            "Tekle",
            "Amanuel",
            "Berhane",
        ),
        "family": (
            "Tesfamariam",
            "Gebremedhin",
            "Haile",
            "Kidane",
            "Tekle",
            "Weldemichael",
            "Asmerom",
            "Berhe",
            "Ghebreyesus",
            "Mehari",
            "Negash",
            "Yohannes",
        ),
    },
    "SY": {
        "female": (
            "Rania",
            "Lina",
            "Hala",
            "Nour",
            "Rasha",
            "Dima",
            "Rima",
            "Yasmin",
            "Layla",
            "Hiba",
            "Amal",
            "Reem",
        ),
        "male": (
            "Ahmad",
            "Mohammad",
            "Omar",
            "Khaled",
            "Yusuf",
            "Rami",
            "Bassel",
            "Tarek",
            "Samer",
            "Ali",
            "Hasan",
            "Firas",
        ),
        "family": (
            "Al-Hassan",
            "Haddad",
            "Khalil",
            "Othman",
            "Darwish",
            "Hamdan",
            "Jaber",
            "Kassem",
            "Mansour",
            "Nasser",
            "Saleh",
            "Youssef",
        ),
    },
    "UG": {
        "female": (
            "Nakato",
            "Babirye",
            "Namukasa",
            "Nansubuga",
            "Achieng",
            "Nabirye",
            "Aciro",
            "Nalwoga",
            "Akello",
            "Grace",
            "Sarah",
            "Esther",
        ),
        "male": (
            "Kato",
            "Wasswa",
            "Ssemakula",
            "Mukasa",
            "Okello",
            "Opio",
            "Kizza",
            "Musoke",
            "Ochieng",
            "John",
            "Joseph",
            "Moses",
        ),
        "family": (
            "Ssempala",
            "Mugisha",
            "Byaruhanga",
            "Nsubuga",
            "Tumusiime",
            "Okello",
            "Kaggwa",
            "Mutebi",
            "Atuhaire",
            "Lubega",
            "Kiggundu",
            "Nantongo",
        ),
    },
}

# Bulgarian: the official streamlined system (2009 Transliteration Act).
_BULGARIAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sht",
    "ъ": "a",
    "ь": "y",
    "ю": "yu",
    "я": "ya",
}
# Ukrainian: the national system of 2010 (as in Ukrainian passports).
_UKRAINIAN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
    "ʼ": "",
}
# At the start of a word these Ukrainian letters are written differently.
_UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_TABLES = {"bg_BG": (_BULGARIAN, {}), "uk_UA": (_UKRAINIAN, _UKRAINIAN_INITIAL)}


def transliterate(text: str, locale: str) -> str:
    if locale not in _TABLES:
        return text
    table, initial = _TABLES[locale]
    out: list[str] = []
    word_start = True
    for char in text:
        lower = char.lower()
        latin = (initial.get(lower) if word_start else None) or table.get(lower, char)
        if char != lower and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        word_start = not char.isalpha()
    return "".join(out)


@lru_cache(maxsize=32)
def _faker(locale: str) -> Faker:
    return Faker(locale)


class NameMaker:
    """Deterministic names: every Faker instance is seeded from the demo seed."""

    def __init__(self, seed: int, rng: random.Random):
        self.rng = rng
        self._seed = seed
        self._seeded: set[str] = set()

    def faker(self, locale: str) -> Faker:
        fake = _faker(locale)
        if locale not in self._seeded:
            fake.seed_instance(f"{self._seed}:{locale}")
            self._seeded.add(locale)
        return fake

    def name(self, citizenship: str, sex: str) -> tuple[str, str, str]:
        """(given names, family name, Faker locale or "") for a person."""
        female = sex == "female"
        if citizenship in _HAND_LISTS:
            lists = _HAND_LISTS[citizenship]
            given = self.rng.choice(lists["female" if female else "male"])
            return given, self.rng.choice(lists["family"]), ""
        locale = self.rng.choice(LOCALES.get(citizenship, UNKNOWN_CITIZENSHIP_LOCALES))
        fake = self.faker(locale)
        if locale == "zh_CN":
            return fake.first_romanized_name(), fake.last_romanized_name(), locale
        given = fake.first_name_female() if female else fake.first_name_male()
        family = fake.last_name_female() if female else fake.last_name_male()
        return transliterate(given, locale), transliterate(family, locale), locale

    def alias(self, sex: str) -> str:
        fake = self.faker("en_US")
        return fake.first_name_female() if sex == "female" else fake.first_name_male()

    def languages(self, citizenship: str, locale: str, *, english_share: float) -> list[str]:
        if citizenship == "NG":
            second = _NIGERIAN_LANGUAGE.get(locale, "")
            return ["en", second] if second else ["en"]
        spoken = list(LANGUAGES.get(citizenship, ()))[:1]
        if citizenship in LANGUAGES and len(LANGUAGES[citizenship]) > 1 and self.rng.random() < 0.3:
            spoken.append(LANGUAGES[citizenship][1])
        if (
            spoken
            and "en" not in spoken
            and citizenship != "NL"
            and (self.rng.random() < english_share)
        ):
            spoken.append("en")
        return spoken

    def phone(self, citizenship: str) -> str:
        digits = "".join(str(self.rng.randrange(10)) for _ in range(8))
        if citizenship == "NL" or citizenship not in DIALLING_CODES or self.rng.random() < 0.5:
            # Most people met in the Netherlands carry a Dutch mobile number.
            return f"+31 6 {digits}"
        return f"+{DIALLING_CODES[citizenship]} {self.rng.randrange(1, 10)}{digits}"

    def document_number(self) -> str:
        letters = "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        return letters + "".join(str(self.rng.randrange(10)) for _ in range(7))
