"""`python -m benchmarks.run --quick` works and writes its results; timings are not checked."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from benchmarks.load_mix import ADMIN_URL

ROOT = Path(__file__).resolve().parents[2]
# The benchmarks of the registry; others' benchmarks have tests of their own.
NAMES = ["import", "audit"]


def test_a_quick_run_writes_results_with_the_expected_keys(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgres://must-not-be-used.invalid/none"}
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", *NAMES, "--quick",
         "--results-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]

    for name in NAMES:
        (json_file,) = tmp_path.glob(f"{name}-*.json")
        assert json_file.with_suffix(".txt").read_text().strip()
        record = json.loads(json_file.read_text())
        assert record["benchmark"] == name and record["quick"] is True
        assert {"python", "sqlite", "platform", "cpus"} <= set(record["machine"])
        assert record["summary"] in completed.stdout
        result = record["result"]
        assert {"ratio", "target_ratio", "meets_target", "audit_chain_ok"} <= set(result)
        assert result["audit_chain_ok"] is True

    imported = json.loads(next(tmp_path.glob("import-*.json")).read_text())["result"]
    assert {"import_rows_per_second", "raw_rows_per_second", "import_seconds", "raw_seconds",
            "rows_in_file", "stored"} <= set(imported)
    assert imported["stored"]["signals"] == imported["rows_in_file"]
    audited = json.loads(next(tmp_path.glob("audit-*.json")).read_text())["result"]
    assert {"audited_seconds", "unaudited_seconds", "reads_per_mode"} <= set(audited)
    # The audited blocks wrote one row per read, the unaudited ones none.
    assert audited["audit_rows_written"] == audited["reads_per_mode"]


def test_it_refuses_an_unknown_benchmark(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "no-such-benchmark", "--results-dir",
         str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 2
    assert "no-such-benchmark" in completed.stderr
    assert not list(tmp_path.iterdir())


def _postgres_answers() -> bool:
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def test_a_quick_load_run_loses_no_write_and_drops_its_database(tmp_path):
    """The mixed load needs wrk and the PostgreSQL server on 127.0.0.1:5432 (make bench)."""
    if shutil.which("wrk") is None or not _postgres_answers():
        pytest.skip("needs wrk and PostgreSQL on 127.0.0.1:5432")
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "load", "--quick", "--results-dir",
         str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]

    (json_file,) = tmp_path.glob("load-*.json")
    result = json.loads(json_file.read_text())["result"]
    assert set(result["per_type"]) == {"worklist", "persons", "person", "signal", "placement"}
    for figures in result["per_type"].values():
        assert figures["requests"] > 0
        assert {"requests_per_second", "p50_ms", "p95_ms", "p99_ms", "errors"} <= set(figures)
    assert result["errors"] == 0
    assert result["writes_accepted"]["signals"] > 0
    assert result["writes_accepted"]["placements"] > 0
    assert result["writes_missing"] == {"signals": 0, "placements": 0}
    assert result["audited_writes"] == result["writes_stored"]
    assert result["audit_chain_ok"] is True
    assert result["throwaway_database"].startswith("zicht_load_")
    with psycopg.connect(ADMIN_URL) as connection:
        left = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [result["throwaway_database"]]).fetchall()
    assert left == []
