from __future__ import annotations

import pytest

from zicht.linkage.comparisons import (
    canonical_given,
    digits,
    name_key,
    parse_birth,
    phonetic_key,
    to_latin,
)


@pytest.mark.parametrize("variants", [
    # Ukrainian national system, Russian passport, Cyrillic itself.
    ("Олександр", "Oleksandr"),
    ("Юлія", "Yuliia", "Iuliia", "Julia", "Yulia"),
    ("Сергій", "Serhii", "Sergii", "Sergey", "Sergei"),
    ("Щербак", "Shcherbak", "Scherbak"),
    ("Шевченко", "Shevchenko", "Schewtschenko"),
    ("Жаклина", "Zhaklina"),
    ("Христов", "Hristov", "Khristov"),
    # Pinyin in one, two or hyphenated syllables, and the characters.
    ("Xiaoming", "Xiao Ming", "Xiao-Ming", "小明"),
    # Diacritics dropped.
    ("Ştefănescu", "Stefanescu"),
    ("Wołoszyn", "Woloszyn"),
    ("Nguyễn", "Nguyen"),
])
def test_it_gives_romanisation_variants_of_one_name_the_same_key(variants):
    keys = {name_key(variant) for variant in variants}
    assert len(keys) == 1, keys


def test_it_keeps_different_names_apart():
    assert name_key("Olena") != name_key("Oleksandra")
    assert name_key("Ivanova") != name_key("Ivanov")


def test_it_maps_nicknames_and_cross_language_forms_to_one_given_name():
    assert canonical_given("Sasha") == canonical_given("Oleksandr") == canonical_given(
        "Aleksandr")
    assert canonical_given("Kateryna") == canonical_given("Ekaterina")
    assert canonical_given("Mariia") != canonical_given("Kateryna")


def test_it_gives_sound_alike_spellings_one_phonetic_key():
    assert phonetic_key("Hrechko") == phonetic_key("Gretschko")
    assert phonetic_key("Ivanov") != phonetic_key("Petrov")


def test_it_romanises_cyrillic_and_drops_punctuation():
    assert to_latin("Анна-Марія") == "anna mariia"
    assert to_latin(None) == ""


@pytest.mark.parametrize(("birth_date", "birth_year", "expected"), [
    ("1990-05-17", None, ("1990-05-17", 1990)),
    ("1990", None, ("", 1990)),
    ("", "1985", ("", 1985)),
    ("17/05/1990", None, ("1990-05-17", 1990)),
    ("19900517", None, ("1990-05-17", 1990)),
    # Month 17 cannot be: kept so that the day/month-swapped level can see it.
    ("1990-17-05", None, ("1990-17-05", 1990)),
    ("0190-01-01", None, ("", None)),
    ("not a date", None, ("", None)),
])
def test_it_reads_full_and_partial_birth_dates(birth_date, birth_year, expected):
    assert parse_birth(birth_date, birth_year) == expected


def test_it_keeps_the_last_nine_digits_of_a_phone_number():
    assert digits("+31 6 1234 5678") == digits("06-12345678") == "612345678"
    assert digits("123") == ""
