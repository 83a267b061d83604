"""Wegwijzer: directory of desks, routing rules (data, versioned) and anonymous signals.

Data and invariants only. Text that visitors read is stored per language as a
dict {"nl": ..., "en": ...}; `localized` picks the visitor's language and falls
back to Dutch, then English.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zicht.core.crypto import DataKey
from zicht.organisations.models import validate_municipality_code

FALLBACK_LANGUAGES = ("nl", "en")


def localized(texts: dict[str, str] | None, language: str) -> str:
    """The text in `language`, else Dutch, else English, else any; '' when there is none."""
    if not texts:
        return ""
    for code in (language, language.split("-")[0], *FALLBACK_LANGUAGES):
        if texts.get(code):
            return texts[code]
    return next((value for value in texts.values() if value), "")


def validate_texts(value: Any) -> None:
    """Text per language: {"nl": "...", "en": "..."}, with at least Dutch."""
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValidationError(_("Give the text per language, e.g. {\"nl\": \"...\", "
                                "\"en\": \"...\"}."), code="texts")
    if value and not value.get("nl"):
        raise ValidationError(_("Give at least the Dutch text (\"nl\")."), code="texts")


def validate_code_list(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of codes, e.g. [\"labour\", \"sexual\"]."),
                              code="codes")


class Province(models.TextChoices):
    """CBS province codes; the regions of the directory."""

    GRONINGEN = "PV20", "Groningen"
    FRYSLAN = "PV21", "Fryslân"
    DRENTHE = "PV22", "Drenthe"
    OVERIJSSEL = "PV23", "Overijssel"
    FLEVOLAND = "PV24", "Flevoland"
    GELDERLAND = "PV25", "Gelderland"
    UTRECHT = "PV26", "Utrecht"
    NOORD_HOLLAND = "PV27", "Noord-Holland"
    ZUID_HOLLAND = "PV28", "Zuid-Holland"
    ZEELAND = "PV29", "Zeeland"
    NOORD_BRABANT = "PV30", "Noord-Brabant"
    LIMBURG = "PV31", "Limburg"


class Municipality(models.Model):
    """A municipality the guide and the directory know, with its province."""

    code = models.CharField(_("CBS code"), max_length=6, primary_key=True,
                            validators=[validate_municipality_code])
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=4, choices=Province.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class EntryKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency number")
    REPORTING_DESK = "reporting_desk", _("Reporting desk")
    KNOWLEDGE_CENTRE = "knowledge_centre", _("Knowledge centre")


class Scope(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")


class TargetGroup(models.TextChoices):
    VICTIMS = "victims", _("People it happens to")
    WORRIED = "worried", _("People who are worried about someone")
    PROFESSIONALS = "professionals", _("Professionals")
    MINORS = "minors", _("Children and young people")
    MIGRANTS = "migrants", _("Migrant workers")
    LVB = "lvb", _("People with a mild intellectual disability")


class DirectoryEntry(models.Model):
    """A reporting desk, knowledge centre or emergency number, as the public sees it."""

    key = models.SlugField(_("key"), max_length=80, unique=True,
                           help_text=_("Stable name used by routing rules and imports."))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=4, choices=Province.choices, blank=True,
                              help_text=_("Province served; empty for national entries."))
    municipalities = models.JSONField(
        _("municipalities"), default=list, blank=True, validators=[validate_code_list],
        help_text=_("CBS codes served, e.g. [\"GM0363\"]; empty: the whole region."))
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True,
                             validators=[validate_code_list],
                             help_text=_("Codes of the forms handled; empty: all forms."))
    target_groups = models.JSONField(_("target groups"), default=list, blank=True,
                                     validators=[validate_code_list])
    languages = models.JSONField(_("languages"), default=list, blank=True,
                                 validators=[validate_code_list],
                                 help_text=_("ISO 639-1 codes, e.g. [\"nl\", \"en\"]."))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.JSONField(_("opening hours"), default=dict, blank=True,
                             validators=[validate_texts],
                             help_text=_("Per language: {\"nl\": \"...\", \"en\": \"...\"}."))
    description = models.JSONField(_("description"), default=dict, blank=True,
                                   validators=[validate_texts],
                                   help_text=_("Per language: {\"nl\": \"...\", \"en\": \"...\"}."))
    anonymous = models.BooleanField(_("anonymous reporting possible"), default=False)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scope", "name"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        indexes = [models.Index(fields=["kind", "scope", "region"])]

    def __str__(self) -> str:
        return self.name

    def description_in(self, language: str) -> str:
        return localized(self.description, language)

    def hours_in(self, language: str) -> str:
        return localized(self.hours, language)


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class RuleSet(models.Model):
    """One version of the guide's questions and routing rules.

    Exactly one version is published at a time; a published or retired version
    is never edited, so every advice the guide gave can be traced to its rules.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=RuleSetStatus.choices,
                              default=RuleSetStatus.DRAFT)
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_status_display()})"

    @property
    def editable(self) -> bool:
        return self.status == RuleSetStatus.DRAFT


class QuestionKind(models.TextChoices):
    CHOICE = "choice", _("One answer from a list")
    MUNICIPALITY = "municipality", _("Municipality (optional)")


class Question(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices,
                            default=QuestionKind.CHOICE)
    text = models.JSONField(_("question"), default=dict, validators=[validate_texts],
                            help_text=_("Per language: {\"nl\": \"...\", \"en\": \"...\"}."))
    help = models.JSONField(_("explanation"), default=dict, blank=True,
                           validators=[validate_texts])
    ask_if = models.JSONField(
        _("ask only if"), default=dict, blank=True,
        help_text=_("Earlier answers that must hold: {\"danger\": [\"no\"]}; empty: always."))

    class Meta:
        ordering = ["ruleset", "position", "id"]
        unique_together = [("ruleset", "key")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.key


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.JSONField(_("answer"), default=dict, validators=[validate_texts])
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True,
                             help_text=_("Forms this answer points to, for regional desks."))

    class Meta:
        ordering = ["question", "position", "id"]
        unique_together = [("question", "key")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.key


class Rule(models.Model):
    """If every condition holds, the guide names these entries, with this reason."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    when = models.JSONField(
        _("conditions"), default=dict, blank=True,
        help_text=_("{\"question key\": [\"answer key\", ...]}; all must hold. Empty: always."))
    entries = models.JSONField(_("directory entries"), default=list, blank=True,
                               validators=[validate_code_list],
                               help_text=_("Keys of directory entries to name."))
    regional = models.BooleanField(
        _("add regional desks"), default=False,
        help_text=_("Also name the reporting desks of the municipality given."))
    urgent = models.BooleanField(_("urgent: show first"), default=False)
    reason = models.JSONField(_("reason"), default=dict, validators=[validate_texts],
                              help_text=_("Why these fit, per language."))

    class Meta:
        ordering = ["ruleset", "position", "id"]
        unique_together = [("ruleset", "key")]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return self.key


class Reporter(models.TextChoices):
    SELF = "self", _("It happens to me")
    WORRIED = "worried", _("I am worried about someone")
    PROFESSIONAL = "professional", _("I see it in my work")


class Happened(models.TextChoices):
    NOW = "now", _("It is still going on")
    WEEK = "week", _("In the last week")
    MONTH = "month", _("In the last month")
    YEAR = "year", _("In the last year")
    LONGER = "longer", _("Longer ago")
    UNKNOWN = "unknown", _("I do not know")


class SignalStatus(models.TextChoices):
    NEW = "new", _("Received")
    IN_PROGRESS = "in_progress", _("Being looked at")
    CLOSED = "closed", _("Handled")


class AnonymousSignal(models.Model):
    """A signal left without an account. No person, no IP address, no name unless given.

    Free text and the optional contact are encrypted with the signal's own data
    key; the receipt code is kept only as a keyed hash.
    """

    data_key = models.TextField(editable=False)
    narrative_ciphertext = models.TextField(editable=False)
    contact_ciphertext = models.TextField(editable=False, blank=True)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    reporter = models.CharField(_("who reports"), max_length=12, choices=Reporter.choices)
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    municipality = models.CharField(_("municipality"), max_length=6, blank=True)
    happened = models.CharField(_("when"), max_length=8, choices=Happened.choices,
                                default=Happened.UNKNOWN)
    language = models.CharField(_("language of the sender"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SignalStatus.choices,
                              default=SignalStatus.NEW)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("anonymous signal")
        verbose_name_plural = _("anonymous signals")
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def key(self) -> DataKey:
        return DataKey(self.data_key)

    @property
    def narrative(self) -> str:
        return self.key.decrypt_json(self.narrative_ciphertext) or ""

    @property
    def contact(self) -> str:
        return self.key.decrypt_json(self.contact_ciphertext) or ""


class AnonymousSignalAddition(models.Model):
    """Information the sender added later, with the receipt code."""

    signal = models.ForeignKey(AnonymousSignal, on_delete=models.CASCADE,
                               related_name="additions")
    text_ciphertext = models.TextField(editable=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"addition to #{self.signal_id}"

    @property
    def text(self) -> Any:
        return self.signal.key.decrypt_json(self.text_ciphertext) or ""


class RateWindow(models.Model):
    """How often one client did one action in one time window.

    `client` is a keyed HMAC of the address *and the window*, so rows of two
    windows cannot be linked, and rows are deleted once their window is over.
    """

    action = models.CharField(max_length=16)
    client = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("action", "client", "window_start")]

    def __str__(self) -> str:
        return f"{self.action} {self.window_start:%Y-%m-%d %H:%M}"


class SpentChallenge(models.Model):
    """A proof-of-work challenge that has been used; it cannot be used twice."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest[:12]
