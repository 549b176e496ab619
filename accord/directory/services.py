"""Every write to the council directory.

Each service takes keyword arguments only, checks all of its input before writing anything
(raising `ValidationFailed` whose errors name the offending field), runs in one transaction and
records one audit event in that transaction. Roles, designations, memberships and
administrations are dated rows: ending one sets `ends_on`, never deletes it, so the directory can
answer "who was who on day D" for as long as records are kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet

from accord.audit.services import record
from accord.core.errors import FieldError, ValidationFailed
from accord.directory.models import (
    Absence,
    Administration,
    Committee,
    CommitteeMembership,
    Council,
    Directorate,
    Division,
    Member,
    Officer,
    Person,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)

if TYPE_CHECKING:
    from accord.accounts.models import User

    Actor = User | None
else:
    Actor = Any

ONE_DAY = dt.timedelta(days=1)

# Roles ended when the political administration changes (000 §21): the executive positions that
# belong to the administration, not to a group or to the officer structure.
ADMINISTRATION_ROLES = frozenset(
    {
        RoleAppointment.Role.LEADER,
        RoleAppointment.Role.DEPUTY_LEADER,
        RoleAppointment.Role.LEAD_MEMBER,
    }
)


class _Errors:
    """Collects every problem with one call's input so the person sees them all at once."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self.items:
            detail = self.items[0].message if len(self.items) == 1 else "Please correct the errors."
            raise ValidationFailed(detail, self.items)


def _text(
    errors: _Errors, field: str, value: str, *, max_length: int, required: bool = True
) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(field, f"Enter {field.replace('_', ' ')}.")
    elif len(value) > max_length:
        errors.add(
            field,
            f"{field.replace('_', ' ').capitalize()} must be {max_length} characters or fewer.",
        )
    return value


def _choice(errors: _Errors, field: str, value: str, choices: Iterable[str]) -> str:
    allowed = sorted(choices)
    if value not in allowed:
        errors.add(
            field, f"Unknown {field.replace('_', ' ')} '{value}'; use one of: {', '.join(allowed)}."
        )
    return value


def _period(
    errors: _Errors, starts_on: dt.date, ends_on: dt.date | None, *, ends_field: str = "ends_on"
) -> None:
    if ends_on is not None and ends_on < starts_on:
        errors.add(
            ends_field, f"The end date ({ends_on}) must not be before the start date ({starts_on})."
        )


def _overlapping(
    queryset: QuerySet[Any], starts_on: dt.date, ends_on: dt.date | None
) -> QuerySet[Any]:
    """Rows of a dated queryset whose period shares at least one day with [starts_on, ends_on]."""
    overlapping = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    return overlapping


def _describe_period(starts_on: dt.date, ends_on: dt.date | None) -> str:
    return f"from {starts_on}" + (f" to {ends_on}" if ends_on else "")


# --- council, groups, divisions, directorates -------------------------------------------------


@transaction.atomic
def council_configure(
    *, actor: Actor, name: str, short_name: str, governance: str, profile_name: str = ""
) -> Council:
    errors = _Errors()
    name = _text(errors, "name", name, max_length=200)
    short_name = _text(errors, "short_name", short_name, max_length=60)
    _choice(errors, "governance", governance, Council.Governance.values)
    profile_name = _text(errors, "profile_name", profile_name, max_length=60, required=False)
    errors.raise_if_any()

    council = Council.objects.select_for_update().first()
    created = council is None
    if council is None:
        council = Council()
    council.name = name
    council.short_name = short_name
    council.governance = governance
    council.profile_name = profile_name
    council.save()
    record(
        actor=actor,
        verb="directory.council_configured",
        target=council,
        data={
            "created": created,
            "name": name,
            "governance": governance,
            "profile_name": profile_name,
        },
    )
    return council


@transaction.atomic
def group_create(
    *, actor: Actor, name: str, short_name: str, is_independent: bool = False
) -> PoliticalGroup:
    errors = _Errors()
    name = _text(errors, "name", name, max_length=120)
    short_name = _text(errors, "short_name", short_name, max_length=20)
    if name and PoliticalGroup.objects.filter(name__iexact=name).exists():
        errors.add("name", f"A political group called '{name}' already exists.")
    if short_name and PoliticalGroup.objects.filter(short_name__iexact=short_name).exists():
        errors.add("short_name", f"The short name '{short_name}' is already used by a group.")
    errors.raise_if_any()

    group = PoliticalGroup.objects.create(
        name=name, short_name=short_name, is_independent=is_independent
    )
    record(
        actor=actor,
        verb="directory.group_created",
        target=group,
        data={"name": name, "short_name": short_name, "is_independent": is_independent},
    )
    return group


@transaction.atomic
def division_create(*, actor: Actor, code: str, name: str) -> Division:
    errors = _Errors()
    code = _text(errors, "code", code, max_length=20)
    name = _text(errors, "name", name, max_length=120)
    if code and Division.objects.filter(code__iexact=code).exists():
        errors.add("code", f"A division with code '{code}' already exists.")
    if name and Division.objects.filter(name__iexact=name).exists():
        errors.add("name", f"A division called '{name}' already exists.")
    errors.raise_if_any()

    division = Division.objects.create(code=code, name=name)
    record(
        actor=actor,
        verb="directory.division_created",
        target=division,
        data={"code": code, "name": name},
    )
    return division


@transaction.atomic
def division_set_adjacent(
    *, actor: Actor, division: Division, adjacent: Iterable[Division]
) -> Division:
    """Replace the divisions adjoining `division`. Adjacency is symmetric (000 §32)."""
    neighbours = list({d.pk: d for d in adjacent}.values())
    if any(d.pk == division.pk for d in neighbours):
        raise ValidationFailed.for_field("adjacent", f"{division} cannot adjoin itself.")

    before = set(division.adjacent.values_list("code", flat=True))
    # The relation is declared symmetrical, so Django writes both directions of each pair.
    division.adjacent.set(neighbours)
    after = {d.code for d in neighbours}
    record(
        actor=actor,
        verb="directory.division_adjacency_set",
        target=division,
        data={"added": sorted(after - before), "removed": sorted(before - after)},
    )
    return division


@transaction.atomic
def directorate_create(*, actor: Actor, code: str, name: str) -> Directorate:
    errors = _Errors()
    code = _text(errors, "code", code, max_length=20)
    name = _text(errors, "name", name, max_length=120)
    if code and Directorate.objects.filter(code__iexact=code).exists():
        errors.add("code", f"A directorate with code '{code}' already exists.")
    if name and Directorate.objects.filter(name__iexact=name).exists():
        errors.add("name", f"A directorate called '{name}' already exists.")
    errors.raise_if_any()

    directorate = Directorate.objects.create(code=code, name=name)
    record(
        actor=actor,
        verb="directory.directorate_created",
        target=directorate,
        data={"code": code, "name": name},
    )
    return directorate


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


# --- roles over time ---------------------------------------------------------------------------


def _check_appointment(
    errors: _Errors,
    *,
    person: Person,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    group: PoliticalGroup | None,
    directorate: Directorate | None,
    areas: Sequence[str],
    is_statutory_childrens_lead: bool,
) -> list[str]:
    if role not in RoleAppointment.Role.values:
        _choice(errors, "role", role, RoleAppointment.Role.values)
        return []
    label = RoleAppointment.Role(role).label
    if role in RoleAppointment.MEMBER_ROLES and not hasattr(person, "member"):
        errors.add("role", f"{label} is a member role; {person} is not a member.")
    if role in RoleAppointment.OFFICER_ROLES and not hasattr(person, "officer"):
        errors.add("role", f"{label} is an officer role; {person} is not an officer.")
    _period(errors, starts_on, ends_on)

    if role == RoleAppointment.Role.GROUP_LEADER and group is None:
        errors.add("group", "Choose the political group this Group Leader leads.")
    if role in RoleAppointment.OFFICER_ROLES and group is not None:
        errors.add("group", f"{label} is an officer role and has no political group.")
    if role == RoleAppointment.Role.DIRECTOR and directorate is None:
        errors.add("directorate", "Choose the directorate this Director runs.")
    if role in RoleAppointment.MEMBER_ROLES and directorate is not None:
        errors.add("directorate", f"{label} is a member role and has no directorate.")
    if is_statutory_childrens_lead and role != RoleAppointment.Role.LEAD_MEMBER:
        errors.add(
            "is_statutory_childrens_lead",
            "Only a Lead Member can be the statutory lead for children's services.",
        )
    if isinstance(areas, str):
        errors.add("areas", "Give the areas as a list, not a single piece of text.")
        return []
    clean_areas = [str(area).strip() for area in areas if str(area).strip()]
    if errors.items:
        return clean_areas

    current = _overlapping(RoleAppointment.objects.all(), starts_on, ends_on)
    if role == RoleAppointment.Role.LEADER:
        clash = current.filter(role=role).exclude(person=person).select_related("person").first()
        if clash is not None:
            errors.add(
                "role",
                f"{clash.person} is Leader of the Council "
                f"{_describe_period(clash.starts_on, clash.ends_on)}; there is one Leader "
                "at a time.",
            )
    if role == RoleAppointment.Role.GROUP_LEADER:
        clash = current.filter(role=role, group=group).select_related("person").first()
        if clash is not None:
            errors.add(
                "group",
                f"{clash.person} leads {group} "
                f"{_describe_period(clash.starts_on, clash.ends_on)}; a group has one "
                "Group Leader at a time.",
            )
    same = current.filter(person=person, role=role, group=group, directorate=directorate)
    if role != RoleAppointment.Role.LEAD_MEMBER and same.exists():
        errors.add("starts_on", f"{person} already holds this role for part of that period.")
    return clean_areas


def _appoint(
    *,
    person: Person,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    group: PoliticalGroup | None,
    directorate: Directorate | None,
    areas: Sequence[str],
    is_statutory_childrens_lead: bool,
) -> RoleAppointment:
    errors = _Errors()
    clean_areas = _check_appointment(
        errors,
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        group=group,
        directorate=directorate,
        areas=areas,
        is_statutory_childrens_lead=is_statutory_childrens_lead,
    )
    errors.raise_if_any()
    return RoleAppointment.objects.create(
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        group=group,
        directorate=directorate,
        areas=clean_areas,
        is_statutory_childrens_lead=is_statutory_childrens_lead,
    )


def _appointment_data(appointment: RoleAppointment) -> dict[str, Any]:
    return {
        "person_id": appointment.person_id,
        "role": appointment.role,
        "group_id": appointment.group_id,
        "directorate_id": appointment.directorate_id,
        "areas": appointment.areas,
        "is_statutory_childrens_lead": appointment.is_statutory_childrens_lead,
        "starts_on": appointment.starts_on,
        "ends_on": appointment.ends_on,
    }


@transaction.atomic
def role_appoint(
    *,
    actor: Actor,
    person: Person,
    role: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    group: PoliticalGroup | None = None,
    directorate: Directorate | None = None,
    areas: Sequence[str] = (),
    is_statutory_childrens_lead: bool = False,
) -> RoleAppointment:
    appointment = _appoint(
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        group=group,
        directorate=directorate,
        areas=areas,
        is_statutory_childrens_lead=is_statutory_childrens_lead,
    )
    record(
        actor=actor,
        verb="directory.role_appointed",
        target=appointment,
        data=_appointment_data(appointment),
    )
    return appointment


def _check_end(
    errors: _Errors, *, starts_on: dt.date, current_end: dt.date | None, ends_on: dt.date, what: str
) -> None:
    if ends_on < starts_on:
        errors.add(
            "ends_on",
            f"The end date ({ends_on}) must not be before the {what} started ({starts_on}).",
        )
    elif current_end is not None and ends_on > current_end:
        errors.add(
            "ends_on",
            f"The {what} already ends on {current_end}; it can be ended earlier, not extended.",
        )


@transaction.atomic
def role_end(*, actor: Actor, appointment: RoleAppointment, ends_on: dt.date) -> RoleAppointment:
    """End an appointment on `ends_on` (the last day it is held). The row is kept."""
    appointment = RoleAppointment.objects.select_for_update().get(pk=appointment.pk)
    errors = _Errors()
    _check_end(
        errors,
        starts_on=appointment.starts_on,
        current_end=appointment.ends_on,
        ends_on=ends_on,
        what="appointment",
    )
    errors.raise_if_any()
    previous = appointment.ends_on
    appointment.ends_on = ends_on
    appointment.save(update_fields=["ends_on", "updated_at"])
    record(
        actor=actor,
        verb="directory.role_ended",
        target=appointment,
        data={
            "role": appointment.role,
            "person_id": appointment.person_id,
            "ends_on": ends_on,
            "previous_ends_on": previous,
        },
    )
    return appointment


# --- statutory officers ------------------------------------------------------------------------


@transaction.atomic
def statutory_designate(
    *,
    actor: Actor,
    office: str,
    officer: Officer,
    starts_on: dt.date,
    is_deputy: bool = False,
    deputy_rank: int = 0,
    ends_on: dt.date | None = None,
) -> StatutoryDesignation:
    """Designate the holder of a statutory office, or a deputy who acts in their absence."""
    errors = _Errors()
    _choice(errors, "office", office, StatutoryDesignation.Office.values)
    _period(errors, starts_on, ends_on)
    if is_deputy and deputy_rank < 1:
        errors.add("deputy_rank", "Give each deputy a rank of 1 or more (1 acts first).")
    if not is_deputy and deputy_rank != 0:
        errors.add("deputy_rank", "Only deputies have a rank; the holder's is 0.")
    if not errors.items:
        label = StatutoryDesignation.Office(office).label
        # Lock the office's rows so two simultaneous designations cannot both pass the check.
        current = _overlapping(
            StatutoryDesignation.objects.select_for_update().filter(office=office),
            starts_on,
            ends_on,
        ).select_related("officer__person")
        for other in current:
            period = _describe_period(other.starts_on, other.ends_on)
            if other.officer_id == officer.pk:
                errors.add("officer", f"{officer} is already designated for {label} {period}.")
            elif not is_deputy and not other.is_deputy:
                errors.add(
                    "office",
                    f"{other.officer} holds the office of {label} {period}; "
                    "an office has one holder at a time.",
                )
            elif is_deputy and other.is_deputy and other.deputy_rank == deputy_rank:
                errors.add(
                    "deputy_rank",
                    f"{other.officer} is deputy {deputy_rank} for {label} "
                    f"{period}; give this deputy another rank.",
                )
    errors.raise_if_any()

    designation = StatutoryDesignation.objects.create(
        office=office,
        officer=officer,
        starts_on=starts_on,
        ends_on=ends_on,
        is_deputy=is_deputy,
        deputy_rank=deputy_rank,
    )
    record(
        actor=actor,
        verb="directory.statutory_designated",
        target=designation,
        data={
            "office": office,
            "officer_id": officer.pk,
            "is_deputy": is_deputy,
            "deputy_rank": deputy_rank,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    return designation


@transaction.atomic
def statutory_designation_end(
    *, actor: Actor, designation: StatutoryDesignation, ends_on: dt.date
) -> StatutoryDesignation:
    designation = StatutoryDesignation.objects.select_for_update().get(pk=designation.pk)
    errors = _Errors()
    _check_end(
        errors,
        starts_on=designation.starts_on,
        current_end=designation.ends_on,
        ends_on=ends_on,
        what="designation",
    )
    errors.raise_if_any()
    previous = designation.ends_on
    designation.ends_on = ends_on
    designation.save(update_fields=["ends_on", "updated_at"])
    record(
        actor=actor,
        verb="directory.statutory_designation_ended",
        target=designation,
        data={
            "office": designation.office,
            "officer_id": designation.officer_id,
            "ends_on": ends_on,
            "previous_ends_on": previous,
        },
    )
    return designation


@transaction.atomic
def absence_record(
    *, actor: Actor, officer: Officer, starts_on: dt.date, ends_on: dt.date, reason: str = ""
) -> Absence:
    """Record that an officer is unavailable; their deputies act meanwhile (000 SO §4.3)."""
    errors = _Errors()
    _period(errors, starts_on, ends_on)
    reason = _text(errors, "reason", reason, max_length=200, required=False)
    if not errors.items:
        clash = _overlapping(Absence.objects.filter(officer=officer), starts_on, ends_on).first()
        if clash is not None:
            errors.add(
                "starts_on",
                f"{officer} is already recorded as absent from "
                f"{clash.starts_on} to {clash.ends_on}.",
            )
    errors.raise_if_any()

    absence = Absence.objects.create(
        officer=officer, starts_on=starts_on, ends_on=ends_on, reason=reason
    )
    record(
        actor=actor,
        verb="directory.absence_recorded",
        target=absence,
        data={"officer_id": officer.pk, "starts_on": starts_on, "ends_on": ends_on},
    )
    return absence


# --- committees --------------------------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor: Actor, name: str, kind: str) -> Committee:
    errors = _Errors()
    name = _text(errors, "name", name, max_length=160)
    _choice(errors, "kind", kind, Committee.Kind.values)
    if name and Committee.objects.filter(name__iexact=name).exists():
        errors.add("name", f"A committee called '{name}' already exists.")
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


# --- change of political administration (000 §21) ---------------------------------------------


@transaction.atomic
def administration_change(
    *,
    actor: Actor,
    groups: Iterable[PoliticalGroup],
    leader: Member,
    starts_on: dt.date,
    note: str = "",
) -> Administration:
    """Hand the council to a new administration from `starts_on`.

    The administration in office, and every Leader, Deputy Leader and Lead Member appointment
    held then, end the day before; `leader` is appointed Leader from `starts_on`. Group Leaders
    and officer roles are untouched. One audit event describes everything that ended and began.
    """
    errors = _Errors()
    group_list = list({g.pk: g for g in groups}.values())
    note = _text(errors, "note", note, max_length=300, required=False)
    if not group_list:
        errors.add("groups", "Choose the political group or groups forming the administration.")
    elif leader.group_id not in {g.pk for g in group_list}:
        errors.add("leader", f"{leader} is not in a group forming the administration.")
    if leader.term_starts_on > starts_on or (
        leader.term_ends_on is not None and leader.term_ends_on < starts_on
    ):
        errors.add("leader", f"{leader} is not a serving member on {starts_on}.")

    day_before = starts_on - ONE_DAY
    previous = Administration.objects.select_for_update().filter(ends_on__isnull=True).first()
    if previous is not None and previous.starts_on >= starts_on:
        errors.add(
            "starts_on",
            f"The current administration began on {previous.starts_on}; "
            "a new one must start after that.",
        )
    if (
        Administration.objects.filter(starts_on__gte=starts_on)
        .exclude(pk=previous.pk if previous else None)
        .exists()
    ):
        errors.add("starts_on", f"An administration is already recorded from {starts_on} or later.")
    executive = RoleAppointment.objects.select_for_update().filter(role__in=ADMINISTRATION_ROLES)
    if executive.filter(starts_on__gte=starts_on).exists():
        errors.add(
            "starts_on",
            f"Leader, Deputy Leader or Lead Member appointments already "
            f"start on or after {starts_on}; end or correct them first.",
        )
    errors.raise_if_any()

    ending = list(
        _overlapping(executive, starts_on, None)
        .filter(starts_on__lt=starts_on)
        .order_by("role", "pk")
    )
    for appointment in ending:
        appointment.ends_on = day_before
        appointment.save(update_fields=["ends_on", "updated_at"])
    if previous is not None:
        previous.ends_on = day_before
        previous.save(update_fields=["ends_on", "updated_at"])

    leader_appointment = _appoint(
        person=leader.person,
        role=RoleAppointment.Role.LEADER,
        starts_on=starts_on,
        ends_on=None,
        group=leader.group,
        directorate=None,
        areas=(),
        is_statutory_childrens_lead=False,
    )
    administration = Administration.objects.create(leader=leader, starts_on=starts_on, note=note)
    administration.groups.set(group_list)
    record(
        actor=actor,
        verb="directory.administration_changed",
        target=administration,
        data={
            "starts_on": starts_on,
            "groups": sorted(g.short_name for g in group_list),
            "leader_member_id": leader.pk,
            "leader_appointment_id": leader_appointment.pk,
            "previous_administration_id": previous.pk if previous else None,
            "ended_appointments": [
                {"id": a.pk, "role": a.role, "person_id": a.person_id} for a in ending
            ],
            "ended_on": day_before,
        },
    )
    return administration
