"""Code lists of the figures module: chain measures, job kinds and states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """Yearly aggregates that chain organisations keep in their own records."""

    SUSPECTS = "suspects", _("Suspects registered (police)")
    INVESTIGATIONS = "investigations", _("Investigations started")
    OM_CASES = "om_cases", _("Cases registered by the prosecution (OM)")
    SEPOTS = "sepots", _("Decisions not to prosecute (sepots)")
    RULINGS = "rulings", _("Court rulings (first instance)")
    CONVICTIONS = "convictions", _("Convictions")


# The funnel, in order; registry steps first, then the chain's own figures.
FUNNEL_MEASURES = (Measure.INVESTIGATIONS, Measure.OM_CASES, Measure.RULINGS,
                   Measure.CONVICTIONS)


class JobKind(models.TextChoices):
    REPORT = "report", _("Yearly report (HTML and PDF)")
    EXPORT = "export", _("Export")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
