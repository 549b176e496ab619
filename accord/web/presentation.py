"""Words for things the templates show: role names as people say them."""

from __future__ import annotations

from collections.abc import Iterable

from accord.access.roles import Role

ROLE_LABELS: dict[Role, str] = {
    Role.OFFICER: "Officer",
    Role.MEMBER: "Member (councillor)",
    Role.CO_OPTED_MEMBER: "Co-opted member",
    Role.CMT: "Corporate Management Team",
    Role.DIRECTOR: "Director",
    Role.HEAD_OF_SERVICE: "Head of Service",
    Role.LINE_MANAGER: "Line manager",
    Role.CHIEF_EXECUTIVE: "Chief Executive (Head of Paid Service)",
    Role.MONITORING_OFFICER: "Monitoring Officer",
    Role.DEPUTY_MONITORING_OFFICER: "Deputy Monitoring Officer",
    Role.CHIEF_FINANCE_OFFICER: "Chief Finance Officer (s151)",
    Role.DEPUTY_CHIEF_FINANCE_OFFICER: "Deputy Chief Finance Officer",
    Role.SCRUTINY_OFFICER: "Statutory Scrutiny Officer",
    Role.DEMOCRATIC_SERVICES: "Democratic Services",
    Role.DIRECTORY_ADMIN: "Directory administrator",
    Role.LEADER: "Leader of the Council",
    Role.DEPUTY_LEADER: "Deputy Leader",
    Role.GROUP_LEADER: "Group Leader",
    Role.LEAD_MEMBER: "Lead Member",
}


def role_labels(roles: Iterable[Role]) -> list[str]:
    """Readable role names in a stable order (the order roles are declared)."""
    held = set(roles)
    return [label for role, label in ROLE_LABELS.items() if role in held]
