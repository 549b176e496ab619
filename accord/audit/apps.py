from django.apps import AppConfig
from django.core import checks

from accord.audit.checks import sqlite_writes_are_serialised


class AuditConfig(AppConfig):
    name = "accord.audit"
    label = "audit"

    def ready(self) -> None:
        checks.register(sqlite_writes_are_serialised)
