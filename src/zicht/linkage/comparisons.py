"""Name and birth-date normalisation, and the Splink comparisons built on it.

The same person is written down by police, shelters, NGOs and municipalities in
different ways: Cyrillic or one of several romanisations (Ukrainian national
system, Russian passport/ICAO, Bulgarian Streamlined System, German or French
spellings), Chinese names in pinyin with the family name first or last and the
given name in one or two syllables, diacritics dropped, a nickname instead of the
given name, and a birth year instead of a full date. Everything here turns those
variants into comparable keys *before* Splink sees the data, so that the SQL the
model runs stays simple and runs the same on DuckDB and Spark.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

from text_unidecode import unidecode

# One table for Ukrainian, Russian and Bulgarian Cyrillic. Letters that differ
# between the languages (г, и, щ, ъ) get the reading that the folding in
# `name_key` maps all romanisations onto anyway.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ё": "io", "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "a", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ʼ": "", "'": "",
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj",
}
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")

# Romanisation folding, applied in order to lower-case ASCII. Each rule merges
# spellings that the transliteration systems in use produce for one Cyrillic
# letter or cluster (e.g. Щ: shch/sht/schtsch; Х: kh/h/ch; Ж: zh/j/sch; Я: ya/ia/ja).
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # Upper-case placeholders keep a folded cluster out of the later rules.
        (r"schtsch|shtch|shch|sht|szcz", "S"),
        (r"tsch|tch|cz|ç", "C"),
        (r"sch|sh|sz|ş|ș", "S"),
        (r"ch", "C"),
        (r"zh|zs|ž", "J"),
        (r"kh", "h"),
        (r"x", "ks"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"tz|ts|tc", "Z"),
        (r"dj|dzh|dž", "J"),
        (r"ou", "u"),
        (r"ck|q|c(?=[aou])", "k"),
        # Я, Ю, Є, Ї and Й are written with y, i or j: collapse to i.
        (r"[yj]", "i"),
        (r"ie\b|iy\b|ii\b|yi\b|ij\b", "i"),
        # Ukrainian Г is h where Russian and Bulgarian Г is g (Serhii / Sergei), and
        # Bulgarian Х is h where the others write kh (Hristo / Khristo).
        (r"g", "h"),
        (r"ei\b|ai\b", "i"),
        (r"(.)\1+", r"\1"),
    )
)

# Short, hand-written list of nicknames and cross-language forms of the same
# given name, for the languages in DOMAIN.md. Keys and values are already folded.
_NICKNAMES_RAW = {
    "oleksandr": ("sasha", "sashko", "aleksandr", "alexander", "alexandru", "alex", "oleksa",
                  "aleksandar", "sanya", "shura", "aleksander"),
    "oleksandra": ("sasha", "aleksandra", "alexandra", "sandra", "lesia", "olesia"),
    "mykola": ("nikolai", "nikolay", "kolia", "kolya", "nikola", "mikolaj", "nicolae"),
    "dmytro": ("dmitry", "dmitri", "dmitrii", "dima", "dimitar", "mitko"),
    "serhii": ("sergei", "sergey", "sergii", "serhiy", "seriozha", "sergiu", "serghei"),
    "yurii": ("yuri", "yury", "iurii", "jurij", "yura", "georgi", "george", "jerzy"),
    "ivan": ("vanya", "vania", "ivo", "ioan", "ion", "jan", "john", "johannes"),
    "kateryna": ("ekaterina", "yekaterina", "katia", "katya", "katerina", "katarzyna",
                 "katarina", "katalin", "caterina", "kate"),
    "tetiana": ("tatiana", "tatyana", "tania", "tanya", "tatjana"),
    "olena": ("elena", "yelena", "helen", "helena", "lena", "ilona"),
    "yuliia": ("yulia", "julia", "iuliia", "yuliya", "julija", "iulia", "yulya"),
    "nataliia": ("natalia", "natalya", "natasha", "natalie", "natalja"),
    "mariia": ("maria", "mariya", "masha", "marija", "mary", "marie"),
    "anastasiia": ("anastasia", "nastia", "nastya", "nastja"),
    "viktoriia": ("victoria", "viktoria", "vika"),
    "hanna": ("anna", "ania", "anya", "hanka", "ana"),
    "mykhailo": ("mikhail", "michal", "mihail", "mihai", "misha", "michael"),
    "petro": ("pyotr", "petar", "petr", "piotr", "petru", "peter", "pieter"),
    "vasyl": ("vasily", "vasilii", "vasil", "vasile", "vasya"),
    "yevhen": ("evgeni", "evgeny", "evgenii", "yevgeny", "zhenia", "zhenya", "eugen"),
    "volodymyr": ("vladimir", "volodia", "vova", "wlodzimierz"),
    "iryna": ("irina", "ira", "irena", "irene"),
    "liudmyla": ("ludmila", "lyudmila", "liudmila", "mila", "luda"),
    "andrii": ("andrei", "andrey", "andrzej", "andrei", "andras", "andrew", "andries"),
    "oleh": ("oleg",),
    "halyna": ("galina", "halina", "galia", "galya"),
    "todor": ("teodor", "tudor", "fedor", "fyodor", "teo"),
    "georgi": ("gheorghe", "georgios", "gosho", "jorge"),
    "stefan": ("stephan", "stepan", "stefanos", "stephen", "steven", "stefano"),
    "gabriela": ("gabi", "gabriella"),
    "mohammed": ("muhammad", "mohamed", "mohammad", "muhammed", "mohamad"),
    "yusuf": ("youssef", "yousef", "joseph", "josef", "iosif", "jozsef"),
    "ahmed": ("ahmad", "ahmet"),
    "ibrahim": ("abraham", "ebrahim"),
    "chukwuemeka": ("emeka",),
    "oluwaseun": ("seun",),
    "oluwatobi": ("tobi",),
    "elizabeth": ("liz", "lisa", "beth", "eliza", "elisabeta", "elzbieta", "erzsebet"),
    "william": ("bill", "will", "willem", "wim"),
    "robert": ("bob", "rob", "robbie"),
    "margaret": ("maggie", "meg", "peggy", "margareta", "malgorzata", "margit"),
    "katherine": ("kathy", "katie", "catherine", "kate"),
}


def fold(text: str) -> str:
    """Collapse romanisation variants of one Latin-script token."""
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return text.lower()


def to_latin(text: str | None) -> str:
    """Lower-case ASCII letters and single spaces: Cyrillic and Chinese romanised,
    diacritics dropped, punctuation and hyphens turned into spaces."""
    if not text:
        return ""
    text = str(text).strip().lower()
    if _CYRILLIC_RE.search(text):
        text = "".join(_CYRILLIC.get(ch, ch) for ch in text)
    text = text.replace("ß", "ss").replace("ł", "l").replace("ø", "o").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if not text.isascii():
        # Chinese characters come out as space-separated pinyin syllables.
        text = unidecode(text)
    text = re.sub(r"[^a-z]+", " ", text.lower())
    return text.strip()


@lru_cache(maxsize=200_000)
def name_key(text: str | None) -> str:
    """Comparable key for one name field: romanised, folded, syllables joined.

    Spaces and hyphens inside a name part are removed, so "Xiao Ming",
    "Xiao-Ming" and "Xiaoming" (pinyin written in one, two or hyphenated
    syllables) give the same key, as do "Mariia" and "Maria"."""
    latin = to_latin(text)
    if not latin:
        return ""
    return "".join(fold(token) for token in latin.split())


def _build_nicknames() -> dict[str, str]:
    canonical: dict[str, str] = {}
    for name, variants in _NICKNAMES_RAW.items():
        root = name_key(name)
        canonical.setdefault(root, root)
        for variant in variants:
            canonical.setdefault(name_key(variant), root)
    return canonical


_NICKNAMES = _build_nicknames()


def canonical_given(text: str | None) -> str:
    """The name key of the first given name, mapped through the nickname list."""
    latin = to_latin(text)
    if not latin:
        return ""
    whole = "".join(fold(token) for token in latin.split())
    if whole in _NICKNAMES:
        return _NICKNAMES[whole]
    first = fold(latin.split()[0])
    return _NICKNAMES.get(first, whole)


@lru_cache(maxsize=200_000)
def phonetic_key(text: str | None) -> str:
    """A coarse consonant skeleton of the name key, for the sound-alike level and
    blocking: velars and h merge (Hrechko, Grechko, Gretschko), vowels
    after the first letter drop, repeats collapse. Metaphone assumes English
    spelling, which most of these names are not."""
    key = name_key(text)
    if not key:
        return ""
    skeleton = re.sub(r"[ghkq]", "k", key)
    skeleton = skeleton.replace("z", "s").replace("v", "f").replace("d", "t").replace("b", "p")
    skeleton = skeleton[0] + re.sub(r"[aeiouy]", "", skeleton[1:])
    return re.sub(r"(.)\1+", r"\1", skeleton)[:8]


def digits(text: str | None) -> str:
    """The last nine digits of a phone number: drops country codes and a leading 0."""
    only = re.sub(r"\D", "", str(text or ""))
    return only[-9:] if len(only) >= 6 else ""


def parse_birth(birth_date: Any, birth_year: Any = None) -> tuple[str, int | None]:
    """(ISO date or "", year or None) from a full date, a partial date or a year."""
    text = "" if birth_date is None else str(birth_date).strip()
    if text.lower() in {"nan", "nat", "none"}:
        text = ""
    year: int | None = None
    iso = ""
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", text)
    if match:
        y, m, d = (int(part) for part in match.groups())
        try:
            iso = date(y, m, d).isoformat()
        except ValueError:
            # Day and month typed the wrong way round still carry information.
            iso = f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 31 and 1 <= d <= 31 else ""
        year = y
    elif re.fullmatch(r"\d{4}", text):
        year = int(text)
    elif re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        d, m, y = (int(part) for part in re.split(r"[-/.]", text))
        iso, year = f"{y:04d}-{m:02d}-{d:02d}", y
    if year is None and birth_year not in (None, ""):
        try:
            year = int(float(birth_year))
        except (TypeError, ValueError):
            year = None
    if year is not None and not 1900 <= year <= 2100:
        return "", None
    return iso, year


# --- Splink comparisons -------------------------------------------------------


def name_comparison(part: str) -> dict[str, Any]:
    """Given or family name, robust to the two being swapped (part: given/family).

    Each level also accepts the swapped reading (given on the left against
    family on the right and vice versa) so that "Wang Xiaoming" and
    "Xiaoming Wang" agree on both names."""
    key = f"{part}_key"
    other = "family_key" if part == "given" else "given_key"
    swapped_exact = f'("{key}_l" = "{other}_r" AND "{other}_l" = "{key}_r")'
    levels: list[dict[str, Any]] = [
        {
            "sql_condition": f'"{key}_l" IS NULL OR "{key}_r" IS NULL',
            "label_for_charts": "null",
            "is_null_level": True,
        },
        # Swapped names are one event seen by both name comparisons: with a level
        # of its own in each, its (tiny) chance among non-matches would be counted
        # twice and a swapped pair would outscore an exact one. As part of the
        # exact level, each comparison weighs only its own name.
        {
            "sql_condition": f'"{key}_l" = "{key}_r" OR {swapped_exact}',
            "label_for_charts": "exact (or given and family swapped)",
            # The given name is weighed by its frequency among records with the
            # same family name (`model.name_pair_frequencies`), the family name by
            # its own: together, the frequency of the full name.
            "tf_adjustment_column": "name_pair" if part == "given" else key,
            "tf_adjustment_weight": 1.0,
            "disable_tf_exact_match_detection": True,
        },
    ]
    if part == "given":
        levels.append({
            "sql_condition": (
                '"given_canon_l" = "given_canon_r" OR "alias_key_l" = "given_key_r" '
                'OR "alias_key_r" = "given_key_l" OR "alias_key_l" = "alias_key_r"'
            ),
            "label_for_charts": "nickname or alias",
        })
    for threshold in (0.92, 0.85):
        direct = f'jaro_winkler_similarity("{key}_l", "{key}_r") >= {threshold}'
        swapped = (
            f'(jaro_winkler_similarity("{key}_l", "{other}_r") >= {threshold} AND '
            f'jaro_winkler_similarity("{other}_l", "{key}_r") >= {threshold})'
        )
        levels.append({
            "sql_condition": f"{direct} OR {swapped}",
            "label_for_charts": f"Jaro-Winkler >= {threshold} (or swapped)",
        })
    levels.append({
        "sql_condition": f'"{part}_sound_l" = "{part}_sound_r"',
        "label_for_charts": "sounds alike (metaphone)",
    })
    levels.append({"sql_condition": "ELSE", "label_for_charts": "different"})
    return {"output_column_name": f"{part}_name", "comparison_levels": levels,
            "comparison_description": f"{part} name, swap- and transliteration-aware"}


def birth_comparison() -> dict[str, Any]:
    """Partial birth dates: full date, year only, day/month swapped, one year off."""
    d_l, d_r, y_l, y_r = '"birth_date_l"', '"birth_date_r"', '"birth_year_l"', '"birth_year_r"'
    levels: list[dict[str, Any]] = [
        {"sql_condition": f"{y_l} IS NULL OR {y_r} IS NULL",
         "label_for_charts": "null", "is_null_level": True},
        {"sql_condition": f"{d_l} = {d_r}", "label_for_charts": "exact date",
         "tf_adjustment_column": "birth_date", "tf_adjustment_weight": 0.5},
        {"sql_condition": (
            f"substr({d_l}, 1, 4) = substr({d_r}, 1, 4) AND "
            f"substr({d_l}, 6, 2) = substr({d_r}, 9, 2) AND "
            f"substr({d_l}, 9, 2) = substr({d_r}, 6, 2)"),
         "label_for_charts": "day and month swapped"},
        {"sql_condition": f"({d_l} IS NULL OR {d_r} IS NULL) AND {y_l} = {y_r}",
         "label_for_charts": "same year, one side year only"},
        {"sql_condition": f"levenshtein({d_l}, {d_r}) <= 1",
         "label_for_charts": "one digit different"},
        {"sql_condition": (
            f"substr({d_l}, 6, 5) = substr({d_r}, 6, 5) AND abs({y_l} - {y_r}) = 1"),
         "label_for_charts": "same day and month, one year off"},
        {"sql_condition": f"({d_l} IS NULL OR {d_r} IS NULL) AND abs({y_l} - {y_r}) = 1",
         "label_for_charts": "one year off, year only"},
        {"sql_condition": f"{y_l} = {y_r}", "label_for_charts": "same year, other date"},
        {"sql_condition": "ELSE", "label_for_charts": "different"},
    ]
    return {"output_column_name": "birth", "comparison_levels": levels,
            "comparison_description": "birth date, partial dates allowed"}


def exact_comparison(column: str, *, tf: bool = False) -> dict[str, Any]:
    exact: dict[str, Any] = {"sql_condition": f'"{column}_l" = "{column}_r"',
                             "label_for_charts": "exact"}
    if tf:
        exact["tf_adjustment_column"] = column
        exact["tf_adjustment_weight"] = 1.0
    return {
        "output_column_name": column,
        "comparison_levels": [
            {"sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
             "label_for_charts": "null", "is_null_level": True},
            exact,
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    }


# Any equal pair of values makes the household level's weight 0.
HOUSEHOLD_PROBABILITY = 1e-4


def phone_comparison() -> dict[str, Any]:
    return {
        "output_column_name": "phone",
        "comparison_levels": [
            {"sql_condition": '"phone_l" IS NULL OR "phone_r" IS NULL',
             "label_for_charts": "null", "is_null_level": True},
            # A shared phone with a different given name is a household (siblings,
            # a partner), not the same person: its own level keeps the two apart.
            {"sql_condition": (
                '"phone_l" = "phone_r" AND '
                'jaro_winkler_similarity("given_key_l", "given_key_r") < 0.8 AND '
                'jaro_winkler_similarity("given_key_l", "family_key_r") < 0.8 AND '
                'coalesce("given_canon_l" <> "given_canon_r", TRUE)'),
             "label_for_charts": "same phone, other given name",
             # Neutral by definition (m = u, weight 0): the given-name comparison already
             # weighs the other name. Left to training it would keep Splink's default m,
             # because the training blocks (same birth date; same names and phone)
             # hardly ever hold a household, and a shared phone would then merge them.
             "m_probability": HOUSEHOLD_PROBABILITY, "u_probability": HOUSEHOLD_PROBABILITY,
             "fix_m_probability": True, "fix_u_probability": True},
            {"sql_condition": '"phone_l" = "phone_r"', "label_for_charts": "exact"},
            {"sql_condition": 'levenshtein("phone_l", "phone_r") <= 1',
             "label_for_charts": "one digit different"},
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    }


def string_comparison(column: str) -> dict[str, Any]:
    """A plain fuzzy comparison for extra columns (address fields in FEBRL)."""
    return {
        "output_column_name": column,
        "comparison_levels": [
            {"sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
             "label_for_charts": "null", "is_null_level": True},
            {"sql_condition": f'"{column}_l" = "{column}_r"', "label_for_charts": "exact",
             "tf_adjustment_column": column, "tf_adjustment_weight": 1.0},
            {"sql_condition": f'jaro_winkler_similarity("{column}_l", "{column}_r") >= 0.9',
             "label_for_charts": "Jaro-Winkler >= 0.9"},
            {"sql_condition": f'levenshtein("{column}_l", "{column}_r") <= 2',
             "label_for_charts": "Levenshtein <= 2"},
            {"sql_condition": "ELSE", "label_for_charts": "different"},
        ],
    }
