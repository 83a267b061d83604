from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from zicht.core.management.base import ZichtCommand
from zicht.organisations.models import User


class Command(ZichtCommand):
    help = ("Find the same person across organisations (docs/linkage.md). "
            "`zicht link`: score new records of the registry and update persons; "
            "`zicht link dedupe --input records.csv --output clusters.csv`: a list from "
            "outside the registry; `zicht link review`: what waits for review; "
            "`zicht link train`: train and save a new model version.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb",
                            help="duckdb on one machine (default) or spark.")
        parser.add_argument("--model-version", type=int,
                            help="Saved model version to use (default: the latest).")
        parser.add_argument("--full", action="store_true",
                            help="Rescore everything instead of only new records.")
        parser.add_argument("--user", help="Username recorded as the actor in the audit log.")
        parser.add_argument("--no-progress", action="store_true", help="No progress lines.")
        sub = parser.add_subparsers(dest="subcommand")
        dedupe = sub.add_parser("dedupe", help="Deduplicate a CSV file with the same model.")
        dedupe.add_argument("--input", type=Path, required=True)
        dedupe.add_argument("--output", type=Path, required=True)
        dedupe.add_argument("--model", type=Path,
                            help="Model JSON file (default: latest saved version, or train "
                                 "on the input when none is saved).")
        dedupe.add_argument("--backend", choices=["duckdb", "spark"], default=argparse.SUPPRESS,
                            help="As before the subcommand.")
        dedupe.add_argument("--threshold", type=float,
                            help="Match weight at or above which records are one person.")
        sub.add_parser("review", help="Counts of links, decisions and pairs to review.")
        sub.add_parser("train", help="Train on the registry and save a new model version.")

    def handle(self, *args: Any, subcommand: str | None = None, **options: Any) -> None:
        if subcommand == "dedupe":
            self._dedupe(options)
            return
        from zicht.linkage import selectors, services

        actor = self._actor(options.get("user"))
        progress = None if options["no_progress"] else self._progress
        if subcommand == "review":
            for key, value in selectors.review_counts().items():
                self.stdout.write(f"{key}: {value}")
            return
        if subcommand == "train":
            version = services.model_train(actor=actor, backend=options["backend"],
                                           progress=progress)
            self.stdout.write(f"saved model version {version.version} ({version.fingerprint})")
            return
        run = services.linkage_run(actor=actor, backend=options["backend"],
                                   model_version=options.get("model_version"),
                                   full=options["full"], progress=progress)
        self.stdout.write(
            f"run {run.pk} ({run.mode}, model v{run.model_version.version}): "
            f"{run.records} records, {run.new_records} new, {run.pairs_scored} pairs scored, "
            f"{run.links_stored} links, {run.clusters} persons")

    def _actor(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--user: no user {username!r}.", returncode=2)
        return user

    def _progress(self, stage: str, done: int, total: int) -> None:
        sys.stderr.write(f"\r{stage}: {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _dedupe(self, options: dict[str, Any]) -> None:
        import pandas as pd

        from zicht.linkage import clustering
        from zicht.linkage import model as linkage_model

        source: Path = options["input"]
        if not source.is_file():
            raise CommandError(f"--input: no file {source}.", returncode=2)
        try:
            records = pd.read_csv(source, dtype=str, keep_default_na=False, sep=None,
                                  engine="python", encoding="utf-8-sig")
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
            raise CommandError(f"--input: cannot read {source}: {error}", returncode=2) from None
        records.columns = [column.strip().lower() for column in records.columns]
        if "record_id" not in records.columns:
            raise CommandError("--input: the column record_id is missing.", returncode=2)
        ids = records["record_id"].str.strip()
        if (ids == "").any() or ids.duplicated().any():
            raise CommandError("--input: record_id must be filled in and unique.", returncode=2)
        records["record_id"] = ids
        parameters, threshold, origin = self._model(options, records)
        prepared = linkage_model.prepare(records)
        db_api = linkage_model.database_api(options["backend"])
        if parameters is None:
            parameters = linkage_model.train(prepared, linkage_model.settings(), db_api=db_api)
            db_api = linkage_model.database_api(options["backend"])
        scored = linkage_model.predict(prepared, parameters, db_api=db_api,
                                       threshold_weight=threshold)
        edges = zip(scored["unique_id_l"], scored["unique_id_r"], strict=True)
        assignment = clustering.clusters(prepared["unique_id"].tolist(), edges)
        with options["output"].open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["record_id", "cluster_id"])
            for record_id in records["record_id"]:
                writer.writerow([record_id, assignment[record_id]])
        self.stdout.write(
            f"{len(records)} records, {len(set(assignment.values()))} persons "
            f"({origin}, threshold {threshold}) -> {options['output']}")

    def _model(self, options: dict[str, Any], records: Any
               ) -> tuple[dict[str, Any] | None, float, str]:
        from zicht.linkage import model as linkage_model

        threshold = options.get("threshold")
        if options.get("model"):
            try:
                parameters = json.loads(options["model"].read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"--model: {error}", returncode=2) from None
            return (parameters, linkage_model.DEFAULT_UPPER_WEIGHT if threshold is None
                    else threshold, f"model file {options['model']}")
        from zicht.linkage.models import ModelVersion
        from zicht.linkage.services import model_version_get

        version: ModelVersion | None = (
            model_version_get(options["model_version"])
            if options.get("model_version") is not None
            else ModelVersion.objects.order_by("-version").first())
        if version is None:
            return (None, linkage_model.DEFAULT_UPPER_WEIGHT if threshold is None
                    else threshold, "trained on the input")
        return (version.parameters, version.upper_weight if threshold is None else threshold,
                f"model v{version.version}")
