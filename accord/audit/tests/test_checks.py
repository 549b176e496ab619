from __future__ import annotations

from django.db import connections

from accord.audit.checks import sqlite_writes_are_serialised


def test_sqlite_without_immediate_transactions_is_a_configuration_error(monkeypatch):
    database = dict(connections.settings["default"])
    database["ENGINE"] = "django.db.backends.sqlite3"
    database["OPTIONS"] = {"timeout": 20}
    monkeypatch.setitem(connections.settings, "default", database)

    (error,) = sqlite_writes_are_serialised()

    assert error.id == "audit.E001"


def test_sqlite_with_immediate_transactions_passes(monkeypatch):
    database = dict(connections.settings["default"])
    database["ENGINE"] = "django.db.backends.sqlite3"
    database["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
    monkeypatch.setitem(connections.settings, "default", database)

    assert sqlite_writes_are_serialised() == []
