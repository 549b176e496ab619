"""Session engine storing the user id beside each session (Django's documented extension)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DBStore


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> Any:
        from accord.accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        obj: Any = super().create_model_instance(data)
        try:
            user_id = int(data.get("_auth_user_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            user_id = None
        obj.user_id = user_id
        return obj
