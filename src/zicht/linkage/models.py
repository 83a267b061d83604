"""Linkage runs, trained model versions, scored links, persons (clusters) and
reviewers' decisions. Data and invariants only; every write is in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zicht.organisations.models import Organisation
from zicht.registry.models import Person


class ModelVersion(models.Model):
    """Trained Fellegi–Sunter parameters, saved so every link can name them."""

    version = models.PositiveIntegerField(unique=True)
    fingerprint = models.CharField(max_length=16)
    # Splink's model JSON: comparisons, levels, m and u probabilities, λ.
    parameters = models.JSONField()
    upper_weight = models.FloatField()
    lower_weight = models.FloatField()
    trained_on_records = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"model v{self.version} ({self.fingerprint})"


class LinkageRun(models.Model):
    class Mode(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("Incremental")

    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="runs")
    mode = models.CharField(max_length=12, choices=Mode.choices)
    backend = models.CharField(max_length=8, default="duckdb")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    new_records = models.PositiveIntegerField(default=0)
    pairs_scored = models.PositiveIntegerField(default=0)
    links_stored = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.mode}, v{self.model_version.version})"


class Link(models.Model):
    """A scored pair of person records, the lower id first."""

    class Band(models.TextChoices):
        MATCH = "match", _("Match")
        REVIEW = "review", _("To review")

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    match_weight = models.FloatField()
    match_probability = models.FloatField()
    band = models.CharField(max_length=8, choices=Band.choices)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT,
                                      related_name="links")
    run = models.ForeignKey(LinkageRun, on_delete=models.PROTECT, related_name="links")
    # {comparison: level label}: what drove the score, shown to the reviewer.
    comparison_levels = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="link_pair_unique"),
            models.CheckConstraint(condition=models.Q(person_a__lt=models.F("person_b")),
                                   name="link_lower_id_first"),
        ]
        indexes = [models.Index(fields=["band", "-match_weight"])]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} ({self.match_weight:.1f})"


class ClusterMembership(models.Model):
    """Which person (cluster) a record belongs to; figures count cluster ids."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True,
                                  related_name="cluster_membership")
    cluster_id = models.BigIntegerField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cluster_id}"


class ReviewDecision(models.Model):
    """A reviewer's verdict on a pair; overrides the model until reverted."""

    class Verdict(models.TextChoices):
        SAME = "same", _("Same person")
        DIFFERENT = "different", _("Different persons")
        UNSURE = "unsure", _("Unsure")

    # Plain ids, not foreign keys: the decision outlives a deleted record.
    person_a_id = models.BigIntegerField()
    person_b_id = models.BigIntegerField()
    link = models.ForeignKey(Link, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="decisions")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    note = models.TextField(blank=True)
    match_weight = models.FloatField(null=True, blank=True)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")
    # {person id: cluster id} of every record in the clusters touched, before.
    clusters_before = models.JSONField(default=dict)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    reverted_at = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["person_a_id", "person_b_id"])]
        constraints = [
            # At most one decision in force per pair.
            models.UniqueConstraint(fields=["person_a_id", "person_b_id"],
                                    condition=models.Q(reverted_at__isnull=True),
                                    name="one_active_decision_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id}: {self.verdict}"


class PprlEncoding(models.Model):
    """A Bloom-filter encoding uploaded by an organisation that may not share
    identities (ADR 0006). Only the 1024 bits; no name, no birth date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    record_ref = models.CharField(max_length=64)
    encoding = models.BinaryField(max_length=128)
    cluster_ref = models.CharField(max_length=80, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "record_ref"],
                                    name="pprl_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.record_ref}"
