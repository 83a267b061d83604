from __future__ import annotations

import pandas as pd
import pytest

from zicht.linkage import model
from zicht.linkage.comparisons import name_key

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
    row = {"gamma_given_name": 5, "gamma_family_name": -1, "gamma_birth": 0}
    explained = model.comparison_levels(row, trained_parameters)
    assert explained["given_name"] == "exact (or given and family swapped)"
    assert explained["family_name"] == "null"
    assert explained["birth"] == "different"


def test_it_translates_the_model_for_spark():
    translated = model.for_dialect(model.settings(), "spark")
    conditions = " ".join(level["sql_condition"] for comparison in translated["comparisons"]
                          for level in comparison["comparison_levels"])
    assert "jaro_winkler(" in conditions
    assert '"' not in conditions
    assert translated["sql_dialect"] == "spark"


def test_it_weighs_swapped_names_no_higher_than_names_in_order(trained_parameters):
    in_order = {"given_name": "Angela", "family_name": "Okonkwo", "birth_year": "1990",
                "sex": "F", "nationality": "NG"}
    swapped = {**in_order, "given_name": "Okonkwo", "family_name": "Angela"}
    weights = _scored(trained_parameters, [in_order, in_order, swapped])
    assert weights[frozenset(("0", "2"))] <= weights[frozenset(("0", "1"))]
    assert weights[frozenset(("0", "2"))] >= model.DEFAULT_UPPER_WEIGHT


def test_a_shared_phone_with_another_given_name_neither_joins_nor_parts(trained_parameters):
    sister = {"given_name": "Ana", "family_name": "Popescu", "birth_date": "1990-02-01",
              "phone": "+40 721 000 111", "nationality": "RO"}
    brother = {"given_name": "Mihai", "family_name": "Popescu", "birth_date": "1990-11-19",
               "phone": "+40 721 000 111", "nationality": "RO"}
    weights = _scored(trained_parameters, [sister, brother, {**brother, "phone": ""}])
    assert weights[frozenset(("0", "1"))] == pytest.approx(weights[frozenset(("0", "2"))])


def test_it_scores_a_typo_in_one_name_with_a_year_off(trained_parameters):
    weights = _scored(trained_parameters, [
        {"given_name": "Bianka", "family_name": "Varga", "birth_date": "1969-06-02"},
        {"given_name": "Bianka", "family_name": "Vara", "birth_date": "1968-06-02"},
    ])
    assert frozenset(("0", "1")) in weights


def _names(rows):
    records = pd.DataFrame([{"record_id": str(i), "given_name": given, "family_name": family,
                             "birth_year": year} for i, (given, family, year) in enumerate(rows)])
    frequencies = model.name_pair_frequencies(model.prepare(records))
    return dict(zip(frequencies["name_pair"], frequencies["tf_name_pair"], strict=True))


def _others(count):
    """Distinct made-up names (name keys drop digits, so no "Given1", "Given2")."""
    return [(f"Ta{consonant}{vowel}o", f"Ve{consonant}{vowel}s", 1960)
            for consonant in "bdklmnprt" for vowel in "aeiou"][:count]


def test_a_full_name_of_many_persons_is_weighed_by_its_own_frequency():
    rows = [("Min", "Zhang", year) for year in (1970, 1970, 1980, 1990, 2000)] + _others(21)
    frequency = _names(rows)[f"{name_key('Min')}|{name_key('Zhang')}"]
    # Four persons share the name; for a fifth record the other three make
    # "Min" as good as certain among the Zhangs: 3/4, far above 5/26 for "Min".
    assert frequency == pytest.approx(0.75)
    assert frequency > 3 * 5 / len(rows)


def test_a_rare_persons_own_reports_do_not_make_the_name_common():
    rows = [("Romina", "Aanei", 1990), ("Romina", "Aanei", 1991), ("Aanei", "Romina", 1990)]
    rows += _others(17)
    # Three reports, one person (a year off counts once): the given name's own frequency.
    frequency = _names(rows)[f"{name_key('Romina')}|{name_key('Aanei')}"]
    assert frequency == pytest.approx(2 / len(rows))


@pytest.mark.parametrize(("years", "persons"), [
    ([None], 1), ([1990, 1990, 1991], 1), ([1989, 1990, 1991], 1), ([1970, 1980, 1981], 2),
    ([None, 1990, 1995], 2),
])
def test_it_counts_persons_with_a_name_by_runs_of_birth_years(years, persons):
    names = pd.DataFrame({"name_sorted": ["a|b"] * len(years) + ["c|d"],
                          "birth_year": pd.array([*years, 1990], dtype="Int64")})
    assert model.persons_by_name(names).to_dict() == {"a|b": persons, "c|d": 1}
