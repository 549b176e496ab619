from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DatedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Rows with `starts_on`/`ends_on` (inclusive, open-ended when null)."""

    def current_on(self, day: object) -> DatedQuerySet:
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )
