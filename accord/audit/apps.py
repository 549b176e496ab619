from django.apps import AppConfig
from django.core import checks

from accord.audit.checks import sqlite_writes_are_serialised


class AuditConfig(AppConfig):
    name = "accord.audit"
    label = "audit"

    def ready(self) -> None:
        from accord.access.policies import AUDIT_READERS
        from accord.web.navigation import NavItem, allowed_by, register

        register(
            NavItem(
                "Audit trail",
                "audit:audit_events",
                order=80,
                visible_to=allowed_by(AUDIT_READERS),
                section_url_names=frozenset({"audit:audit_event", "audit:audit_verify"}),
            )
        )

        checks.register(sqlite_writes_are_serialised)
