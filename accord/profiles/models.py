"""Stored profile versions: the exact YAML text each case will run under, never edited."""

from __future__ import annotations

from django.db import models


class ProfileVersion(models.Model):
    """One version of one council profile, as loaded. Stored once; a changed profile is a new
    version, so a case can always be traced to the rules it ran under."""

    profile_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    council = models.CharField(max_length=200)
    source_document = models.CharField(max_length=200)
    source_version = models.CharField(max_length=100)
    in_force_from = models.DateField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["profile_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile_id", "version"], name="profiles_one_text_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="profiles_version_from_one"
            ),
        ]
        indexes = [models.Index(fields=["profile_id", "in_force_from"])]

    def __str__(self) -> str:
        return f"{self.profile_id} v{self.version}"
