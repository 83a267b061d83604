"""Chain-figure deliveries with their revisions, published tables, and background jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zicht.organisations.models import Organisation

from .codes import JobKind, JobState, Measure


class ChainFigure(models.Model):
    """One revision of one yearly aggregate delivered by a chain organisation.

    Rows are never changed: a correction is a new row with the next revision
    number and a reason, so every report can say which revision it used.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    form = models.CharField(_("form of exploitation"), max_length=20)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    # e.g. the reason for a sepot; empty for the measure as a whole.
    breakdown = models.CharField(_("breakdown"), max_length=64, blank=True, default="")
    revision = models.PositiveSmallIntegerField(_("revision"))
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=300)
    delivered_on = models.DateField(_("delivered on"))
    reason = models.TextField(_("reason for the correction"), blank=True)
    # Set when a report or publication used this revision.
    published_on = models.DateField(_("first published on"), null=True, blank=True)
    published_in = models.CharField(_("published in"), max_length=300, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "form", "measure", "breakdown", "organisation_id", "revision"]
        verbose_name = _("chain figure")
        verbose_name_plural = _("chain figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "form", "measure", "breakdown", "revision"],
                name="one_chain_figure_per_revision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.form} {self.measure} r{self.revision}: {self.value}"


class PublishedTable(models.Model):
    """A table as it left zicht (suppressed), kept for the differencing guard."""

    key = models.CharField(max_length=64, db_index=True)
    spec = models.JSONField()
    cells = models.JSONField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"table {','.join(self.spec.get('by', []))} {self.spec.get('start')}"


class Job(models.Model):
    """A long report or export, run in the background; progress is shown while it runs."""

    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    params = models.JSONField(_("parameters"))
    # The same parameters give the same job: asking twice does not run twice.
    params_key = models.CharField(max_length=64, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices,
                             default=JobState.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    output = models.CharField(_("output"), max_length=500, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.params}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
