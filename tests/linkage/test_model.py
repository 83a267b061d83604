from __future__ import annotations

import pandas as pd
import pytest

from zicht.linkage import model

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _scored(parameters, rows):
    records = pd.DataFrame([{"record_id": str(i), **row} for i, row in enumerate(rows)])
    scored = model.predict(model.prepare(records), parameters, threshold_weight=-50)
    return {frozenset((a, b)): w for a, b, w in zip(
        scored["unique_id_l"], scored["unique_id_r"], scored["match_weight"], strict=True)}


def test_it_links_a_transliterated_swapped_record_with_year_only(trained_parameters):
    weights = _scored(trained_parameters, [
        {"given_name": "Олександра", "family_name": "Шевченко", "birth_date": "1991-04-07",
         "sex": "F", "nationality": "UA"},
        {"given_name": "Shevchenko", "family_name": "Oleksandra", "birth_year": "1991",
         "sex": "F", "nationality": "UA"},
    ])
    assert weights[frozenset(("0", "1"))] >= model.DEFAULT_UPPER_WEIGHT


def test_it_links_day_and_month_swapped_and_pinyin_in_two_syllables(trained_parameters):
    weights = _scored(trained_parameters, [
        {"given_name": "Xiaoming", "family_name": "Zhao", "birth_date": "1988-03-11"},
        {"given_name": "Xiao Ming", "family_name": "Zhao", "birth_date": "1988-11-03"},
    ])
    assert weights[frozenset(("0", "1"))] >= model.DEFAULT_UPPER_WEIGHT


def test_it_keeps_siblings_sharing_a_phone_apart(trained_parameters):
    weights = _scored(trained_parameters, [
        {"given_name": "Ana", "family_name": "Popescu", "birth_date": "1990-02-01",
         "phone": "+40 721 000 111", "nationality": "RO"},
        {"given_name": "Ioana", "family_name": "Popescu", "birth_date": "1994-07-19",
         "phone": "+40 721 000 111", "nationality": "RO"},
    ])
    assert weights[frozenset(("0", "1"))] < model.DEFAULT_LOWER_WEIGHT


def test_the_trained_model_has_em_estimates_and_a_stable_fingerprint(trained_parameters):
    names = {c["output_column_name"] for c in trained_parameters["comparisons"]}
    assert {"given_name", "family_name", "birth", "sex", "nationality", "phone"} <= names
    levels = trained_parameters["comparisons"][0]["comparison_levels"]
    assert any("m_probability" in level for level in levels)
    assert model.fingerprint(trained_parameters) == model.fingerprint(dict(trained_parameters))


def test_it_explains_a_pair_by_its_comparison_levels(trained_parameters):
    row = {"gamma_given_name": 6, "gamma_family_name": -1, "gamma_birth": 0}
    explained = model.comparison_levels(row, trained_parameters)
    assert explained["given_name"] == "exact"
    assert explained["family_name"] == "null"
    assert explained["birth"] == "different"


def test_it_translates_the_model_for_spark():
    translated = model.for_dialect(model.settings(), "spark")
    conditions = " ".join(level["sql_condition"] for comparison in translated["comparisons"]
                          for level in comparison["comparison_levels"])
    assert "jaro_winkler(" in conditions
    assert '"' not in conditions
    assert translated["sql_dialect"] == "spark"
