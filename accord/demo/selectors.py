"""Reads about the demonstration council, for the `accord` demo commands."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from accord.access.roles import MFA_REQUIRED_ROLES, roles_for
from accord.accounts.models import User
from accord.demo import data
from accord.directory.models import (
    Committee,
    Council,
    Directorate,
    Division,
    Member,
    Officer,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)


def demo_council_seeded() -> bool:
    # A database not yet migrated is simply not seeded.
    if Council._meta.db_table not in connection.introspection.table_names():
        return False
    return Council.objects.filter(short_name=data.COUNCIL_SHORT_NAME).exists()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    person_id: int | None
    two_factor: bool  # the account's roles oblige it to set up two-factor sign-in

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "username": self.username,
            "name": self.name,
            "role": self.role,
            "person_id": self.person_id,
        }


def demo_accounts() -> list[DemoAccount]:
    """The demo sign-in accounts present in the database, in the documented order."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=data.DEMO_USERNAMES).select_related("person")
    }
    accounts = []
    for spec in data.DEMO_ACCOUNTS:
        user = users.get(spec.username)
        if user is None:
            continue
        name = user.person.full_name if user.person else user.get_full_name()
        two_factor = bool(roles_for(user) & MFA_REQUIRED_ROLES)
        accounts.append(DemoAccount(spec.username, name, spec.label, user.person_id, two_factor))
    return accounts


def demo_summary() -> list[tuple[str, int]]:
    """What the directory holds, as (label, count) lines for the seeding report."""
    elected = Member.objects.filter(is_co_opted=False)
    return [
        ("Elected members", elected.count()),
        ("Co-opted members", Member.objects.filter(is_co_opted=True).count()),
        ("Political groups", PoliticalGroup.objects.count()),
        ("Electoral divisions", Division.objects.count()),
        ("Officers", Officer.objects.count()),
        ("Directorates", Directorate.objects.count()),
        ("Corporate Management Team", Officer.objects.filter(is_cmt=True).count()),
        ("Statutory designations", StatutoryDesignation.objects.count()),
        ("Role appointments", RoleAppointment.objects.count()),
        ("Committees", Committee.objects.count()),
        ("Sign-in accounts", User.objects.filter(username__in=data.DEMO_USERNAMES).count()),
    ]
