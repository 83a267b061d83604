"""Append-only, hash-chained audit log (ADR 0003)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
# The canonical JSON of a row. One encoder for all rows: json.dumps with options
# builds a new one per call, a cost a bulk import pays for every audit row.
CANONICAL_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class AuditEvent(models.Model):
    # `seq` is ours, not the database's: the hash covers it and the unique
    # constraint makes a fork in the chain impossible.
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.BigIntegerField(null=True)
    # Plain numbers, not foreign keys: the log outlives what it describes.
    person_id = models.BigIntegerField(null=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        payload = CANONICAL_JSON.encode(
            [
                self.prev_hash,
                self.seq,
                self.at.astimezone(UTC).isoformat(),
                self.actor_id,
                self.actor_username,
                self.organisation_id,
                self.action,
                self.object_type,
                self.object_id,
                self.person_id,
                self.request_id,
                self.detail,
            ]
        )
        return hashlib.sha256(payload.encode()).hexdigest()
