"""The Fellegi–Sunter model: features, Splink settings, EM training, scoring.

One model definition runs on DuckDB (one machine) and on Spark (national
scale); only the database API differs (`database_api`). Django is not needed
here, so `zicht link dedupe`, the benchmarks and the registry run share it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import comparisons as c

# The columns of `zicht link dedupe --input`; any of them may be blank.
INPUT_COLUMNS = (
    "record_id", "reporting_org", "given_name", "family_name", "alias", "birth_date",
    "birth_year", "sex", "nationality", "phone",
)
# Match weight at or above which two records are the same person, and the
# lower bound of the band that goes to clerical review: match probability
# 8/9 ≈ 0.89 and 1/9 ≈ 0.11 (weight = log2 of the odds). Chosen on generated
# data sets other than the benchmark's (docs/linkage.md): below about 3 pairwise
# F1 still rises a little, but persons (clusters) lose more to chaining.
DEFAULT_UPPER_WEIGHT = 3.0
DEFAULT_LOWER_WEIGHT = -3.0
DUCKDB_MEMORY_LIMIT = "3GB"
# Below this many records, name frequencies are not estimated from the input.
TF_MIN_RECORDS = 1000

_BLANK = {"", "nan", "none", "null", "unknown", "u", "nat"}


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if text.lower() in _BLANK else text


def prepare(records: pd.DataFrame, *, extra_columns: Sequence[str] = ()) -> pd.DataFrame:
    """Model features for records with (some of) INPUT_COLUMNS.

    Name normalisation runs once per distinct value: names repeat a lot, which
    keeps a million records to seconds."""
    frame = records.copy()
    for column in INPUT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    out = pd.DataFrame({"unique_id": frame["record_id"].astype(str)})
    if "source_dataset" in frame.columns:
        out["source_dataset"] = frame["source_dataset"].astype(str)
    out["reporting_org"] = frame["reporting_org"].map(_clean)

    def mapped(column: str, function: Any) -> pd.Series:
        values = frame[column].map(_clean)
        uniques = {value: (function(value) or None) for value in values.dropna().unique()}
        return values.map(uniques)

    out["given_key"] = mapped("given_name", c.name_key)
    out["family_key"] = mapped("family_name", c.name_key)
    out["given_canon"] = mapped("given_name", c.canonical_given)
    out["alias_key"] = mapped("alias", c.name_key)
    out["given_sound"] = mapped("given_name", c.phonetic_key)
    out["family_sound"] = mapped("family_name", c.phonetic_key)
    births = [
        c.parse_birth(_clean(bd), _clean(by))
        for bd, by in zip(frame["birth_date"], frame["birth_year"], strict=True)
    ]
    out["birth_date"] = [iso or None for iso, _ in births]
    out["birth_year"] = pd.array([year for _, year in births], dtype="Int64")
    # Unknown birth: its own "decade", so records without any birth information
    # still meet each other in the name-only blocking rules.
    out["birth_decade"] = [year // 10 if year else -1 for _, year in births]
    out["sex"] = frame["sex"].map(_clean).str.lower().str[:1]
    out["nationality"] = frame["nationality"].map(_clean).str.upper()
    out["phone"] = mapped("phone", c.digits)
    for column in extra_columns:
        out[column] = frame[column].map(_clean).str.lower()
    out["names_block"] = _capped_key(out, ["given_key", "family_key"])
    out["sounds_block"] = _capped_key(out, ["family_sound", "given_sound"])
    out["given_family_sound_block"] = _capped_key(out, ["given_key", "family_sound"])
    # A name key built from both parts in sorted order: blocks swapped names together.
    out["name_sorted"] = [
        "|".join(sorted(p for p in (g, f) if isinstance(p, str) and p)) or None
        for g, f in zip(out["given_key"], out["family_key"], strict=True)
    ]
    out["sorted_block"] = _capped_key(out, ["name_sorted"])
    # The full name, for the frequency that the given-name comparison uses
    # (`name_pair_frequencies`).
    out["name_pair"] = out["given_key"].str.cat(out["family_key"], sep="|")
    # One name exact and the other's first letter: a typo in the other name
    # (rarely in its first letter) with a year off or no birth information.
    # The two keys meet each other too, for swapped names, so they share one cap.
    out["given_initial"] = out["given_key"].str[:1]
    out["family_initial"] = out["family_key"].str[:1]
    out["given_family_initial_block"], out["family_given_initial_block"] = _capped_keys(
        out, [["given_key", "family_initial"], ["family_key", "given_initial"]])
    return out.astype(object).where(out.notna(), None).astype(
        {"birth_year": "Int64", "birth_decade": "int64"})


# A name combination shared by more records than this is blocked per decade of birth.
COMMON_NAME_RECORDS = 50


def _capped_key(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """`a|b` for the columns, with `|decade` appended where that combination is
    common; missing when any part is missing."""
    return _capped_keys(frame, [columns])[0]


def _capped_keys(frame: pd.DataFrame, column_sets: list[list[str]]) -> list[pd.Series]:
    """One capped key per column set; a value is common when it is common
    across all the keys together, so keys that are joined to each other cap alike."""
    keys = []
    for columns in column_sets:
        parts = frame[columns].astype("string")
        keys.append(parts.iloc[:, 0].str.cat([parts[c] for c in columns[1:]], sep="|")
                    if len(columns) > 1 else parts.iloc[:, 0])
    counts = pd.concat(keys).value_counts()
    decade = frame["birth_decade"].astype("string")
    capped = []
    for key in keys:
        common = key.map(counts) > COMMON_NAME_RECORDS
        capped.append(key.where(~common, key + "|" + decade).astype(object).where(
            key.notna(), None))
    return capped


def name_pair_frequencies(prepared: pd.DataFrame) -> pd.DataFrame:
    """The frequency a match on the given name is weighed by: one row per full
    name (`name_pair`, given|family) with `tf_name_pair`.

    Splink's own term frequency counts each name apart, and the product of two
    frequencies says "Min Zhang" or "Huong Tran" are rare when as full names they
    are among the most common in the data. This is the frequency of the given
    name *among records with the same family name*, P(given | family), taken from
    the full name's frequency, so that the two name comparisons together weigh
    P(given and family) rather than P(given) × P(family). The full name's
    frequency counts only the records of *other* persons: the data holds
    duplicates (that is why it is linked), and three reports of one rare person
    make the name look common. The number of persons with a full name is
    estimated from its birth years (a run of consecutive years counts once, as
    reports a year off are common). Never below the given name's own frequency,
    which is what a rare full name falls back to."""
    names = prepared[["given_key", "family_key", "name_sorted", "name_pair", "birth_year"]]
    names = names[names["name_pair"].notna()]
    if names.empty:
        return pd.DataFrame({"name_pair": pd.Series(dtype=object),
                             "tf_name_pair": pd.Series(dtype=float)})
    total = len(names)
    given = names["given_key"].map(names["given_key"].value_counts()) / total
    family = names["family_key"].map(names["family_key"].value_counts()) / total
    records = names["name_sorted"].map(names["name_sorted"].value_counts())
    persons = names["name_sorted"].map(persons_by_name(names))
    others = records / total * (persons - 1) / persons
    conditional = (others / family).clip(upper=1.0)
    frequency = pd.concat([given, conditional], axis=1).max(axis=1)
    table = pd.DataFrame({"name_pair": names["name_pair"], "tf_name_pair": frequency})
    return table.drop_duplicates("name_pair").reset_index(drop=True)


def persons_by_name(names: pd.DataFrame) -> pd.Series:
    """{name_sorted: estimated number of persons}: the runs of consecutive birth
    years among its records (1990, 1991 and 1995 are two persons), at least one."""
    years = (names[["name_sorted", "birth_year"]].dropna().drop_duplicates()
             .sort_values(["name_sorted", "birth_year"]))
    before = years.groupby("name_sorted")["birth_year"].shift()
    starts = (before.isna() | (years["birth_year"] - before > 1)).astype(int)
    runs = starts.groupby(years["name_sorted"]).sum()
    return runs.reindex(names["name_sorted"].unique(), fill_value=0).clip(lower=1)


def blocking_rules(extra_blocking: Sequence[str] = ()) -> list[str]:
    """Pairs the model scores. Each rule is cheap on its own; together they catch
    typos in either name, swapped names, transliteration and partial dates."""
    # The name-only rules block on keys that add the decade of birth only for
    # very common names (`_capped_key`): "Wang Wei" or "Nguyen Anh" alone would
    # block tens of millions of pairs at a million records, a rare name never.
    rules = [
        'l."family_key" = r."family_key" AND l."birth_year" = r."birth_year"',
        'l."names_block" = r."names_block"',
        'l."sorted_block" = r."sorted_block"',
        'l."birth_date" = r."birth_date"',
        'l."given_canon" = r."given_canon" AND l."birth_year" = r."birth_year"',
        'l."given_key" = r."family_key" AND l."birth_year" = r."birth_year"',
        'l."family_key" = r."given_key" AND l."birth_year" = r."birth_year"',
        'l."sounds_block" = r."sounds_block"',
        'l."given_family_sound_block" = r."given_family_sound_block"',
        'l."phone" = r."phone"',
        'l."given_family_initial_block" = r."given_family_initial_block"',
        'l."family_given_initial_block" = r."family_given_initial_block"',
        'l."given_family_initial_block" = r."family_given_initial_block"',
        'l."family_given_initial_block" = r."given_family_initial_block"',
    ]
    return rules + list(extra_blocking)


def settings(
    *,
    link_type: str = "dedupe_only",
    extra_columns: Sequence[str] = (),
    extra_blocking: Sequence[str] = (),
    use_sex: bool = True,
    use_nationality: bool = True,
    use_phone: bool = True,
) -> dict[str, Any]:
    comparisons_: list[dict[str, Any]] = [
        c.name_comparison("given"),
        c.name_comparison("family"),
        c.birth_comparison(),
    ]
    if use_sex:
        comparisons_.append(c.exact_comparison("sex"))
    if use_nationality:
        comparisons_.append(c.exact_comparison("nationality"))
    if use_phone:
        comparisons_.append(c.phone_comparison())
    comparisons_ += [c.string_comparison(column) for column in extra_columns]
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons_,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in blocking_rules(extra_blocking)
        ],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.0001,
        "additional_columns_to_retain": ["reporting_org"],
    }


def database_api(backend: str = "duckdb", *, spark_session: Any = None) -> Any:
    """The Splink database API for a backend name: duckdb or spark."""
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        # A cap well under the machine's memory: DuckDB spills to disk beyond it.
        connection = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT})
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        if spark_session is None:
            spark_session = local_spark_session()
        return SparkAPI(spark_session=spark_session, break_lineage_method="persist",
                        num_partitions_on_repartition=int(
                            spark_session.conf.get("spark.sql.shuffle.partitions", "200")))
    raise ValueError(f"unknown backend {backend!r}; choose duckdb or spark")


def local_spark_session() -> Any:
    """A small local-mode Spark session (tests, laptops); a cluster passes its own."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master("local[2]")
        .config("spark.jars", similarity_jar_location())
        .appName("zicht-linkage")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        # Small local jobs: the JIT's quick tier and no adaptive re-planning start faster.
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )


def for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The model's SQL (written for DuckDB) in another backend's dialect.

    Comparisons and blocking rules are transpiled with sqlglot; Splink's Spark
    jar names Jaro-Winkler `jaro_winkler`."""
    if dialect == "duckdb":
        return model
    import sqlglot

    def translate(sql: str) -> str:
        if sql.strip().upper() == "ELSE":
            return sql
        out = sqlglot.transpile(sql, read="duckdb", write=dialect)[0]
        return re.sub(r"jaro_?winkler_similarity\(", "jaro_winkler(", out, flags=re.IGNORECASE)

    converted = json.loads(json.dumps(model))
    converted["sql_dialect"] = dialect
    for comparison in converted["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = translate(level["sql_condition"])
            level.pop("sql_dialect", None)
    for rule in converted["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = translate(rule["blocking_rule"])
        rule.pop("sql_dialect", None)
    return converted


def _linker(frames: Sequence[pd.DataFrame], model: dict[str, Any], db_api: Any) -> Any:
    from splink import Linker

    model = for_dialect(model, db_api.sql_dialect.sql_dialect_str)
    if db_api.sql_dialect.sql_dialect_str == "spark":
        # Spark wants one type per column; pandas' nullable ints and None do.
        frames = [frame.astype({"birth_year": "float64"}) if "birth_year" in frame else frame
                  for frame in frames]

    tables = [
        db_api.register(frame, dataset_display_name=f"records_{index}")
        for index, frame in enumerate(frames)
    ]
    linker = Linker(tables if len(tables) > 1 else tables[0], model, log_level=logging.WARNING)
    if _uses_frequency_of(model, "name_pair"):
        frequencies = name_pair_frequencies(
            frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True))
        linker.table_management.register_term_frequency_lookup(
            db_api.register(frequencies), "name_pair")
    return linker


def _uses_frequency_of(model: dict[str, Any], column: str) -> bool:
    return any(level.get("tf_adjustment_column") == column
               for comparison in model["comparisons"]
               for level in comparison["comparison_levels"])


def train(
    frames: Sequence[pd.DataFrame] | pd.DataFrame,
    model_settings: dict[str, Any],
    *,
    db_api: Any = None,
    seed: int = 1,
    u_max_pairs: float = 2e6,
) -> dict[str, Any]:
    """Estimate the parameters: λ from near-certain matches, u by random sampling,
    m by expectation maximisation in two sessions with different blocking, so
    every comparison gets an m estimate from pairs not selected on it."""
    frames = [frames] if isinstance(frames, pd.DataFrame) else list(frames)
    db_api = db_api or database_api()
    linker = _linker(frames, model_settings, db_api)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        ['l."given_key" = r."given_key" AND l."family_key" = r."family_key" '
         'AND l."birth_date" = r."birth_date"'],
        recall=0.6,
    )
    training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
    # Why these rules: pairs sharing a birth date are rarely siblings, so the
    # name m-values are learnt from persons, not households; pairs sharing both
    # names *and* a phone number are rarely namesakes, so the birth-date
    # m-values are not dragged towards "different" by common names.
    uses_phone = any(comparison["output_column_name"] == "phone"
                     for comparison in model_settings["comparisons"])
    names = 'l."family_key" = r."family_key" AND l."given_key" = r."given_key"'
    rules = ['l."birth_date" = r."birth_date"', f'{names} AND l."phone" = r."phone"'
             if uses_phone else names]
    from splink.internals.exceptions import EMTrainingException

    for rule in rules:
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except EMTrainingException:
            # Small inputs may have no pair under one rule; the other still trains,
            # and untrained levels keep Splink's defaults (reported in the model).
            continue
    return linker.misc.save_model_to_json()


def predict(
    frames: Sequence[pd.DataFrame] | pd.DataFrame,
    model: dict[str, Any],
    *,
    db_api: Any = None,
    threshold_weight: float = DEFAULT_LOWER_WEIGHT,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Scored pairs at or above `threshold_weight` as a pandas frame; with
    `columns`, only those (a million records make tens of millions of pairs)."""
    frames = [frames] if isinstance(frames, pd.DataFrame) else list(frames)
    if sum(len(frame) for frame in frames) < TF_MIN_RECORDS:
        model = without_term_frequencies(model)
    db_api = db_api or database_api()
    linker = _linker(frames, model, db_api)
    scored = linker.inference.predict(threshold_match_weight=threshold_weight)
    if columns:
        selected = ", ".join(f'"{column}"' for column in columns)
        return linker.misc.query_sql(
            f"SELECT {selected} FROM {scored.physical_name}",  # noqa: S608 (our names)
            output_type="pandas")
    return scored.as_pandas_dataframe()


def predict_counted(
    frames: Sequence[pd.DataFrame] | pd.DataFrame,
    model: dict[str, Any],
    *,
    threshold_weight: float,
    columns: Sequence[str],
    db_api: Any = None,
) -> tuple[int, pd.DataFrame]:
    """(every scored pair, the pairs at or above the threshold): for measuring
    scoring speed without holding all scored pairs in Python."""
    frames = [frames] if isinstance(frames, pd.DataFrame) else list(frames)
    db_api = db_api or database_api()
    linker = _linker(frames, model, db_api)
    scored = linker.inference.predict()
    counted = linker.misc.query_sql(
        f"SELECT count(*) AS n FROM {scored.physical_name}",  # noqa: S608 (our names)
        output_type="pandas")
    selected = ", ".join(f'"{column}"' for column in columns)
    kept = linker.misc.query_sql(
        f"SELECT {selected} FROM {scored.physical_name} "  # noqa: S608 (our names)
        f"WHERE match_weight >= {float(threshold_weight)}", output_type="pandas")
    return int(counted["n"].iloc[0]), kept


def without_term_frequencies(model: dict[str, Any]) -> dict[str, Any]:
    """The model without term-frequency adjustments. Splink takes name
    frequencies from the data being scored; in a handful of records they are
    noise (every name looks rare or ubiquitous), so small inputs go without."""
    stripped = json.loads(json.dumps(model))
    for comparison in stripped["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return stripped


def fingerprint(model: dict[str, Any]) -> str:
    """A short content hash: two runs with the same parameters share it."""
    canonical = json.dumps(model, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def comparison_levels(row: pd.Series | dict[str, Any], model: dict[str, Any]) -> dict[str, str]:
    """{comparison: level label} for one scored pair, for the review screen."""
    levels: dict[str, str] = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        gamma = row.get(f"gamma_{name}")
        if gamma is None or pd.isna(gamma):
            continue
        # Splink numbers the non-null levels from the bottom up: ELSE is 0, null is -1.
        labelled = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        labels = [lv.get("label_for_charts", "") for lv in reversed(labelled)]
        levels[name] = "null" if int(gamma) < 0 else labels[int(gamma)]
    return levels
