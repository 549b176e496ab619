from django.apps import AppConfig
from django.core import checks

from accord.audit.checks import sqlite_writes_are_serialised


class AuditConfig(AppConfig):
    name = "accord.audit"
    label = "audit"

    def ready(self) -> None:
        from accord.audit.selectors import AUDIT_READERS
        from accord.web.navigation import NavItem, holding, register

        register(
            NavItem(
                "Audit trail",
                "audit:audit_events",
                order=80,
                visible_to=holding(*AUDIT_READERS),
                section_url_names=frozenset({"audit:audit_event", "audit:audit_verify"}),
            )
        )

        checks.register(sqlite_writes_are_serialised)
