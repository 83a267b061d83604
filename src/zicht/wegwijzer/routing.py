"""The guide's routing: questions and rules are data (models in the admin, versioned);
this module only evaluates them.

A `RuleBook` is an immutable copy of one published `RuleSet`. Answers travel in
the query string (no session, no cookie), so every step is a plain link that
works without JavaScript and can be walked by a test.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import QuestionKind, RuleSet, RuleSetStatus

DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "data" / "default_rules.json"
# How long one process keeps a published rule set before looking for a newer one.
CACHE_SECONDS = 15.0


@dataclass(frozen=True)
class OptionSpec:
    key: str
    label: dict[str, str]
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    text: dict[str, str]
    help: dict[str, str]
    ask_if: dict[str, tuple[str, ...]]
    options: tuple[OptionSpec, ...]

    def option(self, key: str) -> OptionSpec | None:
        return next((option for option in self.options if option.key == key), None)

    @property
    def is_choice(self) -> bool:
        return self.kind == QuestionKind.CHOICE


@dataclass(frozen=True)
class RuleSpec:
    key: str
    when: dict[str, tuple[str, ...]]
    entries: tuple[str, ...]
    regional: bool
    urgent: bool
    reason: dict[str, str]

    def holds(self, answers: Mapping[str, str]) -> bool:
        return all(answers.get(question) in allowed for question, allowed in self.when.items())


@dataclass(frozen=True)
class Recommendation:
    """One directory entry the advice names, with every reason that led to it."""

    entry_key: str
    urgent: bool
    reasons: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Outcome:
    recommendations: tuple[Recommendation, ...]
    # Reasons of rules that ask for the regional desks of the municipality given.
    regional_reasons: tuple[dict[str, str], ...]
    forms: tuple[str, ...]
    municipality: str

    @property
    def entry_keys(self) -> list[str]:
        return [item.entry_key for item in self.recommendations]


@dataclass(frozen=True)
class RuleBook:
    version: int
    questions: tuple[QuestionSpec, ...]
    rules: tuple[RuleSpec, ...]
    _by_key: dict[str, QuestionSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({question.key: question for question in self.questions})

    # -- building -----------------------------------------------------------

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RuleBook:
        """From the JSON layout of data/default_rules.json (also what `export` writes)."""
        questions = tuple(
            QuestionSpec(
                key=q["key"], kind=q.get("kind", QuestionKind.CHOICE), text=dict(q["text"]),
                help=dict(q.get("help") or {}),
                ask_if={k: tuple(v) for k, v in (q.get("ask_if") or {}).items()},
                options=tuple(OptionSpec(o["key"], dict(o["label"]), tuple(o.get("forms") or ()))
                              for o in q.get("options") or ()),
            )
            for q in data["questions"]
        )
        rules = tuple(
            RuleSpec(key=r["key"], when={k: tuple(v) for k, v in (r.get("when") or {}).items()},
                     entries=tuple(r.get("entries") or ()), regional=bool(r.get("regional")),
                     urgent=bool(r.get("urgent")), reason=dict(r.get("reason") or {}))
            for r in data["rules"]
        )
        return cls(version=int(data.get("version", 0)), questions=questions, rules=rules)

    @classmethod
    def from_ruleset(cls, ruleset: RuleSet) -> RuleBook:
        questions = tuple(
            QuestionSpec(
                key=q.key, kind=q.kind, text=dict(q.text), help=dict(q.help or {}),
                ask_if={k: tuple(v) for k, v in (q.ask_if or {}).items()},
                options=tuple(OptionSpec(o.key, dict(o.label), tuple(o.forms or ()))
                              for o in q.options.all()),
            )
            for q in ruleset.questions.prefetch_related("options").all()
        )
        rules = tuple(
            RuleSpec(key=r.key, when={k: tuple(v) for k, v in (r.when or {}).items()},
                     entries=tuple(r.entries or ()), regional=r.regional, urgent=r.urgent,
                     reason=dict(r.reason or {}))
            for r in ruleset.rules.all()
        )
        return cls(version=ruleset.version, questions=questions, rules=rules)

    # -- walking the questions ---------------------------------------------------

    def question(self, key: str) -> QuestionSpec | None:
        return self._by_key.get(key)

    def asks(self, question: QuestionSpec, answers: Mapping[str, str]) -> bool:
        return all(answers.get(key) in allowed for key, allowed in question.ask_if.items())

    def clean(self, raw: Mapping[str, str]) -> dict[str, str]:
        """The valid answers, in order, up to the first question not (validly) answered.

        Unknown keys and answers to questions that do not apply are dropped, so a
        hand-made address can never reach an advice the questions cannot.
        """
        answers: dict[str, str] = {}
        for question in self.questions:
            if not self.asks(question, answers):
                continue
            if question.key not in raw:
                break
            value = raw[question.key]
            if question.is_choice and question.option(value) is None:
                break
            answers[question.key] = value
        return answers

    def next_question(self, answers: Mapping[str, str]) -> QuestionSpec | None:
        for question in self.questions:
            if self.asks(question, answers) and question.key not in answers:
                return question
        return None

    def asked(self, answers: Mapping[str, str]) -> list[QuestionSpec]:
        return [q for q in self.questions if q.key in answers]

    # -- the advice ---------------------------------------------------------------

    def evaluate(self, answers: Mapping[str, str]) -> Outcome:
        reasons: dict[str, list[dict[str, str]]] = {}
        urgent: dict[str, bool] = {}
        regional: list[dict[str, str]] = []
        for rule in self.rules:
            if not rule.holds(answers):
                continue
            if rule.regional:
                regional.append(rule.reason)
            for key in rule.entries:
                reasons.setdefault(key, []).append(rule.reason)
                urgent[key] = urgent.get(key, False) or rule.urgent
        # Urgent first (112 before anything else); otherwise the order of the rules
        # (sorted() is stable).
        order = sorted(reasons, key=lambda key: not urgent[key])
        forms: list[str] = []
        for question in self.questions:
            option = question.option(answers.get(question.key, "")) if question.is_choice else None
            for form in option.forms if option else ():
                if form not in forms:
                    forms.append(form)
        municipality = next((answers[q.key] for q in self.questions
                             if q.kind == QuestionKind.MUNICIPALITY and answers.get(q.key)), "")
        return Outcome(
            recommendations=tuple(Recommendation(key, urgent[key], tuple(reasons[key]))
                                  for key in order),
            regional_reasons=tuple(regional), forms=tuple(forms), municipality=municipality,
        )

    def paths(self) -> Iterator[dict[str, str]]:
        """Every complete set of answers the questions allow (a municipality skipped)."""

        def walk(answers: dict[str, str]) -> Iterator[dict[str, str]]:
            question = self.next_question(answers)
            if question is None:
                yield dict(answers)
                return
            values = [o.key for o in question.options] if question.is_choice else [""]
            for value in values:
                yield from walk({**answers, question.key: value})

        yield from walk({})

    def problems(self, known_entries: set[str] | None = None) -> list[str]:
        """What makes this rule book unfit to publish, in words an administrator can act on."""
        found: list[str] = []
        seen: dict[str, QuestionSpec] = {}
        for question in self.questions:
            if "nl" not in question.text:
                found.append(f"question {question.key}: no Dutch text")
            if question.is_choice and not question.options:
                found.append(f"question {question.key}: no answers")
            for option in question.options:
                if "nl" not in option.label:
                    found.append(f"question {question.key}, answer {option.key}: no Dutch text")
            for key, allowed in question.ask_if.items():
                earlier = seen.get(key)
                if earlier is None:
                    found.append(f"question {question.key}: 'ask only if' names {key}, "
                                 f"which is not an earlier question")
                    continue
                for value in allowed:
                    if earlier.is_choice and earlier.option(value) is None:
                        found.append(f"question {question.key}: {key} has no answer {value}")
            seen[question.key] = question
        for rule in self.rules:
            if "nl" not in rule.reason:
                found.append(f"rule {rule.key}: no Dutch reason")
            for key, allowed in rule.when.items():
                asked = self._by_key.get(key)
                if asked is None:
                    found.append(f"rule {rule.key}: no question {key}")
                    continue
                for value in allowed:
                    if asked.is_choice and asked.option(value) is None:
                        found.append(f"rule {rule.key}: question {key} has no answer {value}")
            if known_entries is not None:
                for entry in rule.entries:
                    if entry not in known_entries:
                        found.append(f"rule {rule.key}: no directory entry {entry}")
            if not rule.entries and not rule.regional:
                found.append(f"rule {rule.key}: names no directory entry")
        if not found:
            for answers in self.paths():
                if not self.evaluate(answers).recommendations:
                    shown = ", ".join(f"{k}={v}" for k, v in answers.items() if v)
                    found.append(f"the answers {shown} lead to no advice")
                    break
        return found


def default_rule_data() -> dict[str, Any]:
    return json.loads(DEFAULT_RULES_FILE.read_text(encoding="utf-8"))


def count_paths(book: RuleBook) -> int:
    return sum(1 for _ in book.paths())


_cache_lock = threading.Lock()
_cache: dict[str, Any] = {"book": None, "loaded_at": 0.0}


def current_rulebook() -> RuleBook | None:
    """The published rule book; kept per process for CACHE_SECONDS."""
    now = time.monotonic()
    book = _cache["book"]
    if book is not None and now - _cache["loaded_at"] < CACHE_SECONDS:
        return book
    with _cache_lock:
        ruleset = RuleSet.objects.filter(status=RuleSetStatus.PUBLISHED).order_by(
            "-version").first()
        book = RuleBook.from_ruleset(ruleset) if ruleset else None
        _cache.update(book=book, loaded_at=now)
    return book


def forget_cached_rulebook() -> None:
    """After publishing: the next request loads the new version."""
    with _cache_lock:
        _cache.update(book=None, loaded_at=0.0)


def answer_pairs(answers: Mapping[str, str]) -> list[tuple[str, str]]:
    """Answers as hidden fields / query parameters, in question order."""
    return list(answers.items())

