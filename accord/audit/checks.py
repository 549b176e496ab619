"""System checks for what the audit chain relies on from the database configuration."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.db import connections


def sqlite_writes_are_serialised(**kwargs: Any) -> list[CheckMessage]:
    """On SQLite, appends are serialised only because transactions BEGIN IMMEDIATE."""
    errors: list[CheckMessage] = []
    for alias in connections:
        settings_dict = connections.settings[alias]
        if not settings_dict["ENGINE"].endswith("sqlite3"):
            continue
        if settings_dict.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            errors.append(
                Error(
                    f"Database {alias!r} is SQLite without transaction_mode IMMEDIATE.",
                    hint="Set OPTIONS['transaction_mode'] = 'IMMEDIATE' so audit appends "
                    "queue instead of racing for the chain's head.",
                    id="audit.E001",
                )
            )
    return errors
