"""Sign-in accounts. What an account may do comes from the directory person it belongs to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class User(AbstractUser):
    person = models.OneToOneField(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
    )

    class Meta:
        ordering = ["username"]


class UserSession(AbstractBaseSession):
    """A database session that knows its user, so disabling an account can end every session."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )

    @classmethod
    def get_session_store_class(cls) -> type:
        from accord.accounts.session_store import SessionStore

        return SessionStore
