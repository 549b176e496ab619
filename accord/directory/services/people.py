"""Members and officers: creating and updating directory people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accord.access.actor import Actor
from accord.audit.services import record
from accord.directory.models import (
    Directorate,
    Division,
    Member,
    Officer,
    Person,
    PoliticalGroup,
)
from accord.directory.services._common import (
    _Errors,
    _period,
    _text,
)

# --- people ------------------------------------------------------------------------------------


def _person_fields(
    errors: _Errors,
    *,
    person: Person | None,
    given_name: str,
    family_name: str,
    email: str,
    honorific: str,
    phone: str,
    external_ref: str | None,
) -> dict[str, Any]:
    """Check the fields every person has; `person` is the one being changed, if any."""
    fields: dict[str, Any] = {
        "given_name": _text(errors, "given_name", given_name, max_length=80),
        "family_name": _text(errors, "family_name", family_name, max_length=80),
        "honorific": _text(errors, "honorific", honorific, max_length=40, required=False),
        "phone": _text(errors, "phone", phone, max_length=40, required=False),
    }
    others = Person.objects.exclude(pk=person.pk) if person else Person.objects.all()

    email = (email or "").strip().lower()
    if not email:
        errors.add("email", "Enter an email address.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", f"'{email}' is not a valid email address.")
        else:
            if others.filter(email__iexact=email).exists():
                errors.add(
                    "email",
                    f"The email address {email} is already used by someone else in the directory.",
                )
    fields["email"] = email

    ref = (external_ref or "").strip() or None
    if ref is not None:
        if len(ref) > 60:
            errors.add("external_ref", "External reference must be 60 characters or fewer.")
        elif others.filter(external_ref=ref).exists():
            errors.add(
                "external_ref",
                f"The external reference {ref} is already used by someone else in the directory.",
            )
    fields["external_ref"] = ref
    return fields


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `obj`; return {field: [old, new]} for the ones that differ."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [old, new]
            setattr(obj, field, new)
    return changed


def _check_member_fields(
    errors: _Errors,
    *,
    group: PoliticalGroup | None,
    term_starts_on: dt.date,
    term_ends_on: dt.date | None,
) -> None:
    if group is not None and group.pk is None:
        errors.add("group", "Choose a political group that exists.")
    _period(errors, term_starts_on, term_ends_on, ends_field="term_ends_on")


@transaction.atomic
def member_create(
    *,
    actor: Actor,
    given_name: str,
    family_name: str,
    email: str,
    group: PoliticalGroup | None,
    divisions: Iterable[Division],
    term_starts_on: dt.date,
    term_ends_on: dt.date | None = None,
    is_co_opted: bool = False,
    honorific: str = "",
    phone: str = "",
    external_ref: str | None = None,
) -> Member:
    errors = _Errors()
    person_fields = _person_fields(
        errors,
        person=None,
        given_name=given_name,
        family_name=family_name,
        email=email,
        honorific=honorific,
        phone=phone,
        external_ref=external_ref,
    )
    _check_member_fields(
        errors, group=group, term_starts_on=term_starts_on, term_ends_on=term_ends_on
    )
    division_list = list({d.pk: d for d in divisions}.values())
    errors.raise_if_any()

    person = Person.objects.create(kind=Person.Kind.MEMBER, **person_fields)
    member = Member.objects.create(
        person=person,
        group=group,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        is_co_opted=is_co_opted,
    )
    member.divisions.set(division_list)
    record(
        actor=actor,
        verb="directory.member_created",
        target=member,
        data={
            "person_id": person.pk,
            "email": person.email,
            "group": group.short_name if group else None,
            "divisions": sorted(d.code for d in division_list),
            "term_starts_on": term_starts_on,
            "term_ends_on": term_ends_on,
            "is_co_opted": is_co_opted,
        },
    )
    return member


@transaction.atomic
def member_update(
    *,
    actor: Actor,
    member: Member,
    given_name: str,
    family_name: str,
    email: str,
    group: PoliticalGroup | None,
    divisions: Iterable[Division],
    term_starts_on: dt.date,
    term_ends_on: dt.date | None = None,
    is_co_opted: bool = False,
    honorific: str = "",
    phone: str = "",
    external_ref: str | None = None,
) -> Member:
    """Bring a member's record to these values. Records an event only if something changed."""
    errors = _Errors()
    person = member.person
    person_fields = _person_fields(
        errors,
        person=person,
        given_name=given_name,
        family_name=family_name,
        email=email,
        honorific=honorific,
        phone=phone,
        external_ref=external_ref,
    )
    _check_member_fields(
        errors, group=group, term_starts_on=term_starts_on, term_ends_on=term_ends_on
    )
    new_divisions = {d.pk: d for d in divisions}
    errors.raise_if_any()

    changed = _changes(person, person_fields)
    changed |= _changes(
        member,
        {
            "group": group,
            "term_starts_on": term_starts_on,
            "term_ends_on": term_ends_on,
            "is_co_opted": is_co_opted,
        },
    )
    if "group" in changed:
        changed["group"] = [g.short_name if g else None for g in changed["group"]]
    old_codes = sorted(member.divisions.values_list("code", flat=True))
    new_codes = sorted(d.code for d in new_divisions.values())
    if old_codes != new_codes:
        changed["divisions"] = [old_codes, new_codes]
        member.divisions.set(list(new_divisions.values()))
    if not changed:
        return member
    person.save()
    member.save()
    record(actor=actor, verb="directory.member_updated", target=member, data={"changed": changed})
    return member


def _manager_cycle(officer: Officer, line_manager: Officer) -> bool:
    """Whether making `line_manager` manage `officer` would make someone their own manager.

    Walks up from the proposed manager, one query a level: chains are short, and this keeps a
    bulk import from reading the whole organisation once per officer.
    """
    seen: set[int] = set()
    current: int | None = line_manager.pk
    while current is not None and current not in seen:
        if current == officer.pk:
            return True
        seen.add(current)
        current = (
            Officer.objects.filter(pk=current).values_list("line_manager_id", flat=True).first()
        )
    return False


def _check_officer_fields(
    errors: _Errors,
    *,
    officer: Officer | None,
    directorate: Directorate,
    job_title: str,
    line_manager: Officer | None,
) -> str:
    if directorate is None or directorate.pk is None:
        errors.add("directorate", "Choose a directorate.")
    job_title = _text(errors, "job_title", job_title, max_length=160)
    if line_manager is not None:
        if line_manager.pk is None:
            errors.add("line_manager", "Choose a line manager who is in the directory.")
        elif officer is not None and line_manager.pk == officer.pk:
            errors.add("line_manager", "An officer cannot be their own line manager.")
        elif officer is not None and _manager_cycle(officer, line_manager):
            errors.add(
                "line_manager",
                f"{line_manager} already reports, directly or "
                f"indirectly, to {officer}; that would make a line management loop.",
            )
    return job_title


@transaction.atomic
def officer_create(
    *,
    actor: Actor,
    given_name: str,
    family_name: str,
    email: str,
    directorate: Directorate,
    job_title: str,
    line_manager: Officer | None = None,
    is_cmt: bool = False,
    phone: str = "",
    external_ref: str | None = None,
) -> Officer:
    errors = _Errors()
    person_fields = _person_fields(
        errors,
        person=None,
        given_name=given_name,
        family_name=family_name,
        email=email,
        honorific="",
        phone=phone,
        external_ref=external_ref,
    )
    job_title = _check_officer_fields(
        errors,
        officer=None,
        directorate=directorate,
        job_title=job_title,
        line_manager=line_manager,
    )
    errors.raise_if_any()

    person = Person.objects.create(kind=Person.Kind.OFFICER, **person_fields)
    officer = Officer.objects.create(
        person=person,
        directorate=directorate,
        job_title=job_title,
        line_manager=line_manager,
        is_cmt=is_cmt,
    )
    record(
        actor=actor,
        verb="directory.officer_created",
        target=officer,
        data={
            "person_id": person.pk,
            "email": person.email,
            "directorate": directorate.code,
            "job_title": job_title,
            "line_manager_id": line_manager.pk if line_manager else None,
            "is_cmt": is_cmt,
        },
    )
    return officer


@transaction.atomic
def officer_update(
    *,
    actor: Actor,
    officer: Officer,
    given_name: str,
    family_name: str,
    email: str,
    directorate: Directorate,
    job_title: str,
    line_manager: Officer | None = None,
    is_cmt: bool = False,
    phone: str = "",
    external_ref: str | None = None,
) -> Officer:
    """Bring an officer's record to these values. Records an event only if something changed."""
    errors = _Errors()
    person = officer.person
    person_fields = _person_fields(
        errors,
        person=person,
        given_name=given_name,
        family_name=family_name,
        email=email,
        honorific=person.honorific,
        phone=phone,
        external_ref=external_ref,
    )
    job_title = _check_officer_fields(
        errors,
        officer=officer,
        directorate=directorate,
        job_title=job_title,
        line_manager=line_manager,
    )
    errors.raise_if_any()

    changed = _changes(person, person_fields)
    changed |= _changes(
        officer,
        {
            "directorate": directorate,
            "job_title": job_title,
            "line_manager": line_manager,
            "is_cmt": is_cmt,
        },
    )
    if "directorate" in changed:
        changed["directorate"] = [d.code for d in changed["directorate"]]
    if "line_manager" in changed:
        changed["line_manager"] = [m.pk if m else None for m in changed["line_manager"]]
    if not changed:
        return officer
    person.save()
    officer.save()
    record(actor=actor, verb="directory.officer_updated", target=officer, data={"changed": changed})
    return officer
