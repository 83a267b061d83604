from __future__ import annotations

import base64

import pytest

from zicht.linkage import pprl

SECRET = pprl.Secret.from_passphrase("a secret shared among participants")
RECORD = {"given_name": "Yuliia", "family_name": "Shevchenko", "birth_date": "1994-03-12"}


def test_an_encoding_is_1024_bits_and_round_trips_through_base64():
    encoding = pprl.encode(RECORD, SECRET)
    assert len(encoding) == 128
    text = pprl.to_text(encoding)
    assert len(text) == pprl.ENCODING_LENGTH
    assert pprl.from_text(text) == encoding


def test_the_same_record_encodes_identically_and_has_dice_one():
    assert pprl.dice(pprl.encode(RECORD, SECRET), pprl.encode(RECORD, SECRET)) == 1.0


def test_a_transliteration_variant_is_similar_and_another_person_is_not():
    same = pprl.encode({**RECORD, "given_name": "Юлія", "family_name": "Шевченко"}, SECRET)
    variant = pprl.encode({**RECORD, "given_name": "Julia", "birth_date": "1994-12-03"},
                          SECRET)
    other = pprl.encode({"given_name": "Wei", "family_name": "Wang",
                         "birth_date": "1971-08-30"}, SECRET)
    original = pprl.encode(RECORD, SECRET)
    assert pprl.dice(original, same) == 1.0
    assert pprl.dice(original, variant) >= pprl.DEFAULT_THRESHOLD
    assert pprl.dice(original, other) < 0.4


def test_without_the_secret_the_bits_differ():
    other_secret = pprl.Secret.from_passphrase("another secret entirely")
    assert pprl.dice(pprl.encode(RECORD, SECRET), pprl.encode(RECORD, other_secret)) < 0.5


def test_salting_with_the_year_of_birth_separates_namesakes_of_other_cohorts():
    older = {**RECORD, "birth_date": "1961-03-12"}
    plain = pprl.dice(pprl.encode(RECORD, SECRET), pprl.encode(older, SECRET))
    salted = pprl.dice(pprl.encode(RECORD, SECRET, salt_with_year=True),
                       pprl.encode(older, SECRET, salt_with_year=True))
    assert salted < plain


@pytest.mark.parametrize("text", [
    base64.b64encode(bytes(64)).decode(),  # 512 bits
    base64.b64encode(bytes(129)).decode(),
    "not base64 at all!",
    "",
])
def test_it_refuses_an_encoding_of_the_wrong_length_or_alphabet(text):
    with pytest.raises(pprl.EncodingError):
        pprl.from_text(text)


def test_it_finds_similar_pairs_and_assigns_them_one_to_one():
    left = [pprl.encode(RECORD, SECRET),
            pprl.encode({"given_name": "Wei", "family_name": "Wang",
                         "birth_date": "1971-08-30"}, SECRET)]
    right = [pprl.encode({"given_name": "Wang", "family_name": "Wei",
                          "birth_date": "1971-08-30"}, SECRET),
             pprl.encode({**RECORD, "given_name": "Yulia"}, SECRET)]
    pairs = pprl.one_to_one(pprl.similar_pairs(left, right))
    assert sorted((i, j) for i, j, _ in pairs) == [(0, 1), (1, 0)]
