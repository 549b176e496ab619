"""The outbox: one row per message to send, written in the same transaction as the action that
caused it, and sent afterwards by the task worker through the one gateway.

A row holds only what the email says (the recipient's name, a reason line with its citation and
a link path), never a case's content.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accord.directory.models import Person


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # Copied when written: the message goes where the directory said at the time of the action.
    email = models.EmailField()
    template = models.CharField(max_length=60)
    personalisation = models.JSONField(default=dict)
    # Idempotency: the same key written twice is one message, e.g. "reminder:<timer>:<person>".
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The worker's two questions: which pending rows are due, which claims are stale.
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due_idx"),
            models.Index(fields=["status", "claimed_at"], name="notifications_claimed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="notifications_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notifications_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} notification {self.key}"
