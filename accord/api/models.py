"""API tokens: long random secrets a person's software presents as `Authorization: Bearer ...`.

Only a SHA-256 digest of each token is stored, so a copy of the database cannot be used to call
the API. The short `prefix` is public: it finds the row and names the token in lists and audit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accord.core.models import TimeStampedModel

NAME_MAX_LENGTH = 100


class ApiToken(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=NAME_MAX_LENGTH, blank=True, help_text="What the token is for."
    )
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the whole token, in hex.")
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "prefix"]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})" if self.name else self.prefix
