"""Shelter locations with their places, and placements of persons. Data and invariants only.

Free places are computed — capacity minus active placements — rather than kept in
a counter: a person erased from the registry takes their placements with them
(CASCADE), and a counter would then drift. Placing is made safe against races by
locking the shelter's row (services.placement_create), not by the counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from zicht.organisations.models import Organisation
from zicht.registry.models import Person

from .codes import EndReason, SafetyLevel, SexServed, ShelterKind

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ACTIVE = Q(ended_on__isnull=True)


class Occupancy(TypedDict):
    occupied: int


class ShelterQuerySet(models.QuerySet["Shelter"]):
    def with_occupancy(self) -> models.QuerySet[WithAnnotations[Shelter, Occupancy]]:
        """Annotate `occupied` (active placements) — counted now, never cached."""
        annotated = self.annotate(
            occupied=Count("placements", filter=Q(placements__ended_on__isnull=True)))
        # The checker names the annotation's TypedDict itself; this is the same shape.
        return cast("models.QuerySet[WithAnnotations[Shelter, Occupancy]]", annotated)


class Shelter(models.Model):
    """One location's places of one kind, run by a shelter or youth-care organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="shelters",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ShelterKind.choices)
    sex_served = models.CharField(_("sex served"), max_length=8, choices=SexServed.choices,
                                  default=SexServed.ANY)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )
    # Empty list: every form of exploitation (registry.codes.Form).
    forms = models.JSONField(_("forms of exploitation served"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken (ISO 639-1)"), default=list)
    safety_level = models.CharField(_("safety level"), max_length=16,
                                    choices=SafetyLevel.choices, default=SafetyLevel.NORMAL)
    municipality = models.CharField(_("municipality"), max_length=6,
                                    help_text=_("CBS municipality code, e.g. GM0363."))
    capacity = models.PositiveIntegerField(_("capacity (places)"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShelterQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=0), name="shelter_capacity_not_negative"),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__gte=F("min_age")),
                name="shelter_age_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A person staying in a shelter; active while `ended_on` is empty."""

    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="placements",
                                verbose_name=_("shelter"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placements",
                               verbose_name=_("person"))
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=12,
                                  choices=EndReason.choices, blank=True)
    safety_need = models.CharField(_("safety need"), max_length=16,
                                   choices=SafetyLevel.choices, default=SafetyLevel.NORMAL)
    placing_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                             related_name="+")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            # A person sleeps in one shelter at a time.
            models.UniqueConstraint(fields=["person"], condition=ACTIVE,
                                    name="one_active_placement_per_person"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="placement_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["shelter", "ended_on"])]

    def __str__(self) -> str:
        return f"Placement {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None
