"""Reads of the outbox: counts only, never what a message says."""

from __future__ import annotations

from django.db.models import Count

from accord.notifications.models import Notification


def notification_counts() -> dict[str, int]:
    """How many notifications are in each status (every status, zero included)."""
    counts = dict.fromkeys(Notification.Status.values, 0)
    for row in Notification.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts
