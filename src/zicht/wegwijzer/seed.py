"""Seed data of the Wegwijzer: municipalities, the national services the routing names,
and the first published version of the routing rules (data/default_rules.json).

Used by migration 0002 (with the historical models) and by anything that needs the
defaults back after a database was emptied.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

DATA = Path(__file__).resolve().parent / "data"
ENTRY_FIELDS = ("kind", "scope", "name", "phone", "website", "email", "languages", "forms",
                "target_groups", "anonymous", "hours", "description")


def load_defaults(apps: Any) -> None:
    """Idempotent: municipalities and entries by key; the rules only if there are none."""
    Municipality = apps.get_model("wegwijzer", "Municipality")
    DirectoryEntry = apps.get_model("wegwijzer", "DirectoryEntry")
    RuleSet = apps.get_model("wegwijzer", "RuleSet")
    Question = apps.get_model("wegwijzer", "Question")
    Option = apps.get_model("wegwijzer", "Option")
    Rule = apps.get_model("wegwijzer", "Rule")

    with (DATA / "municipalities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Municipality.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "province": row["province"]})

    data = json.loads((DATA / "default_rules.json").read_text(encoding="utf-8"))
    for entry in data["entries"]:
        DirectoryEntry.objects.update_or_create(
            key=entry["key"], defaults={name: entry[name] for name in ENTRY_FIELDS})

    if RuleSet.objects.exists():
        return
    ruleset = RuleSet.objects.create(version=data["version"], status="published",
                                     note=data["note"], published_at=timezone.now())
    for position, q in enumerate(data["questions"]):
        question = Question.objects.create(
            ruleset=ruleset, key=q["key"], position=position, kind=q["kind"], text=q["text"],
            help=q.get("help") or {}, ask_if=q.get("ask_if") or {})
        for number, o in enumerate(q["options"]):
            Option.objects.create(question=question, key=o["key"], position=number,
                                  label=o["label"], forms=o.get("forms") or [])
    for position, r in enumerate(data["rules"]):
        Rule.objects.create(ruleset=ruleset, key=r["key"], position=position, when=r["when"],
                            entries=r["entries"], regional=r["regional"], urgent=r["urgent"],
                            reason=r["reason"])
