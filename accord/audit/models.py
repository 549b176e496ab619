"""The audit trail: append-only, hash-chained events (see accord.audit.services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.access.confidential import confidential


@confidential
class AuditEvent(models.Model):
    """One thing that happened. Never updated or deleted: database triggers refuse both.

    `hash` covers this event's content and `prev_hash`, so any edit, deletion, insertion or
    reordering breaks the chain at a place `accord audit verify` names.
    """

    seq = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=200)
    verb = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["verb"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"
