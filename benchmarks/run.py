"""Run the benchmarks: `python -m benchmarks.run [name ...] [--quick]` (docs/benchmarks.md).

Each benchmark runs in its own child process with its own temporary SQLite
database (DATABASE_URL and ZICHT_VAR_DIR point into a fresh temporary
directory before Django starts), so the demo database is never touched. Results
are printed and written to benchmarks/results/NAME-YYYYMMDD-HHMMSS.{json,txt}.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

BENCHMARKS = {
    "import": "benchmarks.import_signals",
    "audit": "benchmarks.audit_overhead",
    "wegwijzer": "benchmarks.wegwijzer_load",
    "worklist": "benchmarks.worklist_pathway",
    "figures": "benchmarks.figures_monitor",
    "linkage": "benchmarks.linkage_quality",
    "load": "benchmarks.load_mix",
}
ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="name",
                        help=f"Benchmarks to run (default: all): {', '.join(BENCHMARKS)}.")
    parser.add_argument("--quick", action="store_true",
                        help="Tiny sizes: a smoke run that checks the benchmarks work.")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR,
                        help="Where to write the results (default: benchmarks/results).")
    parser.add_argument("--profile", action="store_true",
                        help="Also write a cProfile report of the timed part per benchmark.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child, quick=args.quick, out=args.out)

    names = args.names or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; "
                     f"choose from {', '.join(BENCHMARKS)}")
    args.results_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        record = _run_in_child(name, quick=args.quick, profile_dir=(
            args.results_dir if args.profile else None))
        stamp = record["started_at"].replace("-", "").replace(":", "").replace("T", "-")[:15]
        base = args.results_dir / f"{name}-{stamp}"
        base.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n")
        machine = record["machine"]
        text = (f"{record['summary']}\n  machine: {machine['cpus']} CPUs, load average "
                f"{machine['load_average'][0]} at the start, Python {machine['python']}, "
                f"SQLite {machine['sqlite']}")
        base.with_suffix(".txt").write_text(text + "\n")
        print(text)
        print(f"  -> {base}.json")
    return 0


def _run_in_child(name: str, *, quick: bool, profile_dir: Path | None) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix=f"zicht-bench-{name}-"))
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "zicht.settings",
            "ZICHT_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "ZICHT_DEBUG": "0",
        }
        out = workdir / "result.json"
        command = [sys.executable, "-m", "benchmarks.run", "--child", name, "--out", str(out)]
        if quick:
            command.append("--quick")
        if profile_dir:
            env["ZICHT_BENCH_PROFILE"] = str(profile_dir)
        started_at = datetime.now().isoformat(timespec="seconds")
        load_at_start = os.getloadavg()
        subprocess.run(command, env=env, cwd=ROOT, check=True)
        child = json.loads(out.read_text())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "benchmark": name,
        "started_at": started_at,
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            # Other work on the machine at the start: timings on a busy machine say less.
            "load_average": [round(x, 2) for x in load_at_start],
        },
        "result": child["result"],
        "summary": child["summary"],
    }


def _child(name: str, *, quick: bool, out: Path) -> int:
    import django

    workdir = Path(os.environ["ZICHT_VAR_DIR"])
    (workdir / "static").mkdir(exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
    django.setup()
    from django.conf import settings

    database = Path(settings.DATABASES["default"]["NAME"])
    # Never the demo database: only a file inside this run's temporary directory.
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" or (
            workdir not in database.parents):
        raise SystemExit(f"refusing to benchmark against {database}")
    module = importlib.import_module(BENCHMARKS[name])
    profile_dir = os.environ.get("ZICHT_BENCH_PROFILE")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    profile_to = Path(profile_dir) / f"{name}-{stamp}.profile.txt" if profile_dir else None
    result = module.run(quick=quick, workdir=workdir, profile_to=profile_to)
    out.write_text(json.dumps({"result": result, "summary": module.summary(result)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
