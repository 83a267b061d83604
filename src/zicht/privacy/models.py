"""Data-subject requests handled: who did what to whose record, on which legal ground.

Data and invariants only. The person is a plain number, as in the audit log: the
record of an erasure must outlive everything it erased.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zicht.organisations.models import Organisation

from .codes import LegalGround, RequestKind


class PrivacyRequest(models.Model):
    person_id = models.BigIntegerField(_("person"), db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    legal_ground = models.CharField(_("legal ground"), max_length=12,
                                    choices=LegalGround.choices)
    # The controller's own case number for the request. Never a name: it is not encrypted.
    reference = models.CharField(_("request reference"), max_length=64, blank=True)
    # Empty for the system: retention runs without a person at the keyboard.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        permissions = [
            ("handle_requests", _("May export, erase and restrict persons on a lawful request")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of person {self.person_id}"
