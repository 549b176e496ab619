"""Committees and their memberships."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accord.access.actor import Actor
from accord.audit.services import record
from accord.directory.models import (
    Committee,
    CommitteeMembership,
    Member,
)
from accord.directory.services._common import (
    _choice,
    _describe_period,
    _Errors,
    _overlapping,
    _text,
)

# --- committees --------------------------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor: Actor, name: str, kind: str) -> Committee:
    errors = _Errors()
    name = _text(errors, "name", name, max_length=160)
    _choice(errors, "kind", kind, Committee.Kind.values)
    errors.unique(Committee, "name", name, f"A committee called '{name}' already exists.")
    errors.raise_if_any()

    committee = Committee.objects.create(name=name, kind=kind)
    record(
        actor=actor,
        verb="directory.committee_created",
        target=committee,
        data={"name": name, "kind": kind},
    )
    return committee


@transaction.atomic
def committee_add_member(
    *, actor: Actor, committee: Committee, member: Member, position: str, starts_on: dt.date
) -> CommitteeMembership:
    errors = _Errors()
    _choice(errors, "position", position, CommitteeMembership.Position.values)
    if not errors.items:
        current = _overlapping(
            CommitteeMembership.objects.select_for_update().filter(committee=committee),
            starts_on,
            None,
        ).select_related("member__person")
        for other in current:
            if other.member_id == member.pk:
                errors.add("member", f"{member} is already on {committee} from {other.starts_on}.")
            elif position == CommitteeMembership.Position.CHAIR and other.position == position:
                errors.add(
                    "position",
                    f"{other.member} chairs {committee} "
                    f"{_describe_period(other.starts_on, other.ends_on)}; a committee "
                    "has one chair at a time.",
                )
    errors.raise_if_any()

    membership = CommitteeMembership.objects.create(
        committee=committee, member=member, position=position, starts_on=starts_on
    )
    record(
        actor=actor,
        verb="directory.committee_member_added",
        target=membership,
        data={
            "committee_id": committee.pk,
            "member_id": member.pk,
            "position": position,
            "starts_on": starts_on,
        },
    )
    return membership
