"""Maintaining the directory through the API: Democratic Services and directory administrators.

Each endpoint calls one directory service with the token's account as the actor. To anyone
without one of those roles the endpoints do not exist (404). Service errors come back as 400 in
the standard error shape, with fields renamed to what the client sent (`group` → `group_id`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.access.policies import DIRECTORY_MANAGERS
from accord.api import schemas
from accord.api.auth import PolicyTokenAuth, request_user, require
from accord.core.errors import FieldError, NotFound, ValidationFailed
from accord.directory import schemas as directory_schemas
from accord.directory import selectors, services
from accord.directory.schemas import shapes
from accord.directory.schemas.manage import (
    AdministrationIn,
    AdministrationOut,
    AppointmentCreatedOut,
    AppointmentIn,
    CommitteeMemberIn,
    CommitteeMemberOut,
    DesignationCreatedOut,
    DesignationIn,
    EndIn,
    ImportQuery,
    PeopleImportOut,
)

if TYPE_CHECKING:
    from accord.accounts.models import User
    from accord.directory.models import (
        Member,
        Officer,
        Person,
        RoleAppointment,
        StatutoryDesignation,
    )

router = Router(tags=["directory administration"], auth=PolicyTokenAuth(DIRECTORY_MANAGERS))
MAX_CSV_BYTES = 2 * 1024 * 1024
ERRORS: dict[int, Any] = {
    400: schemas.ErrorOut,
    401: schemas.ErrorOut,
    404: schemas.ErrorOut,
    422: schemas.ErrorOut,
}
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})

T = TypeVar("T")


def _admin(request: HttpRequest) -> User:
    actor = request_user(request)
    # Already checked by the router's authentication; repeated so no endpoint relies on it alone.
    require(actor, DIRECTORY_MANAGERS)
    return actor


def _calling(call: Callable[[], T], renamed: Mapping[str, str]) -> T:
    """Run a service; name the fields in its errors as the client sent them."""
    try:
        return call()
    except ValidationFailed as failed:
        raise ValidationFailed(
            failed.detail,
            [FieldError(renamed.get(e.field, e.field), e.message) for e in failed.errors],
        ) from failed


def _person(actor: User, person_id: int, field: str) -> Person:
    try:
        return selectors.person_get(actor=actor, person_id=person_id)
    except NotFound:
        raise ValidationFailed.for_field(field, "No one in the directory has this id.") from None


def _officer(actor: User, person_id: int, field: str = "person_id") -> Officer:
    officer = selectors.officer_of(_person(actor, person_id, field))
    if officer is None:
        raise ValidationFailed.for_field(field, "Choose an officer from the directory.")
    return officer


def _member(actor: User, person_id: int, field: str) -> Member:
    member = selectors.member_of(_person(actor, person_id, field))
    if member is None:
        raise ValidationFailed.for_field(field, "Choose a member from the directory.")
    return member


# --- import ------------------------------------------------------------------------------------


def import_error_field(error: services.RowError) -> str:
    """`rows.3.email`: the row as a spreadsheet numbers it (header = 1), then the column."""
    return f"rows.{error.row}.{error.column}" if error.column else f"rows.{error.row}"


def _csv_text(request: HttpRequest) -> tuple[str, bool]:
    """The uploaded CSV text, and whether a multipart form asked for a dry run."""
    too_big = f"The file must be smaller than {MAX_CSV_BYTES // (1024 * 1024)} MB."
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_CSV_BYTES + 64 * 1024:
        raise ValidationFailed.for_field("file", too_big)
    form_dry_run = False
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed.for_field("file", "Send the CSV as the form field `file`.")
        if (upload.size or 0) > MAX_CSV_BYTES:
            raise ValidationFailed.for_field("file", too_big)
        raw = upload.read()
        form_dry_run = request.POST.get("dry_run", "").lower() in TRUE_WORDS
    else:
        raw = request.body
        if len(raw) > MAX_CSV_BYTES:
            raise ValidationFailed.for_field("file", too_big)
    try:
        return raw.decode("utf-8-sig"), form_dry_run
    except UnicodeDecodeError:
        raise ValidationFailed.for_field("file", "The file must be UTF-8 text.") from None


CSV_BODY = {
    "requestBody": {
        "description": "The CSV (columns as in the directory documentation), as the body "
        "(`Content-Type: text/csv`) or as the multipart field `file` (with an optional form "
        "field `dry_run`). At most 2 MB.",
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "dry_run": {"type": "boolean"},
                    },
                    "required": ["file"],
                }
            },
        },
    }
}


@router.post("/import", response={200: PeopleImportOut, **ERRORS}, openapi_extra=CSV_BODY)
def import_people(request: HttpRequest, options: Query[ImportQuery]) -> PeopleImportOut:
    """Import members and officers from CSV, all or nothing. With `dry_run`, only report what
    would change. Problems answer 400, one error per problem, each field `rows.<row>.<column>`."""
    actor = _admin(request)
    text, form_dry_run = _csv_text(request)
    dry_run = options.dry_run or form_dry_run
    result = services.directory_import_csv(actor=actor, file=io.StringIO(text), dry_run=dry_run)
    if not result.ok:
        count = len(result.errors)
        raise ValidationFailed(
            f"{count} problem{'' if count == 1 else 's'} found; nothing was imported.",
            [FieldError(import_error_field(e), e.message) for e in result.errors],
        )
    return PeopleImportOut(
        dry_run=dry_run,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )


# --- roles -------------------------------------------------------------------------------------


def _appointment_out(appointment: RoleAppointment) -> AppointmentCreatedOut:
    return AppointmentCreatedOut(
        id=appointment.pk,
        person=shapes.person_ref(appointment.person),
        role=appointment.role,
        group_id=appointment.group_id,
        directorate_id=appointment.directorate_id,
        areas=list(appointment.areas),
        is_statutory_childrens_lead=appointment.is_statutory_childrens_lead,
        starts_on=appointment.starts_on,
        ends_on=appointment.ends_on,
    )


@router.post("/appointments", response={201: AppointmentCreatedOut, **ERRORS})
def appointment_create(
    request: HttpRequest, payload: AppointmentIn
) -> Status[AppointmentCreatedOut]:
    """Appoint a person to a role from `starts_on` (optionally to `ends_on`)."""
    actor = _admin(request)
    person = _person(actor, payload.person_id, "person_id")
    group = directorate = None
    if payload.group_id is not None:
        try:
            group = selectors.group_get(actor=actor, group_id=payload.group_id)
        except NotFound:
            raise ValidationFailed.for_field(
                "group_id", "No political group has this id."
            ) from None
    if payload.directorate_id is not None:
        directorate = (
            selectors.directorate_list(actor=actor).filter(pk=payload.directorate_id).first()
        )
        if directorate is None:
            raise ValidationFailed.for_field("directorate_id", "No directorate has this id.")
    appointment = _calling(
        lambda: services.role_appoint(
            actor=actor,
            person=person,
            role=payload.role,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            group=group,
            directorate=directorate,
            areas=payload.areas,
            is_statutory_childrens_lead=payload.is_statutory_childrens_lead,
        ),
        {"group": "group_id", "directorate": "directorate_id"},
    )
    return Status(201, _appointment_out(appointment))


@router.post("/appointments/{appointment_id}/end", response={200: AppointmentCreatedOut, **ERRORS})
def appointment_end(
    request: HttpRequest, appointment_id: schemas.IntParam, payload: EndIn
) -> AppointmentCreatedOut:
    """End an appointment: `ends_on` is the last day it is held. The record is kept."""
    actor = _admin(request)
    appointment = selectors.appointment_get(actor=actor, appointment_id=appointment_id)
    ended = services.role_end(actor=actor, appointment=appointment, ends_on=payload.ends_on)
    return _appointment_out(ended)


# --- statutory officers ------------------------------------------------------------------------


def _designation_out(designation: StatutoryDesignation) -> DesignationCreatedOut:
    return DesignationCreatedOut(
        id=designation.pk,
        office=designation.office,
        officer=shapes.person_ref(designation.officer.person),
        is_deputy=designation.is_deputy,
        deputy_rank=designation.deputy_rank,
        starts_on=designation.starts_on,
        ends_on=designation.ends_on,
    )


@router.post("/statutory-designations", response={201: DesignationCreatedOut, **ERRORS})
def designation_create(
    request: HttpRequest, payload: DesignationIn
) -> Status[DesignationCreatedOut]:
    """Designate the holder of a statutory office, or a deputy (`is_deputy`, `deputy_rank`)."""
    actor = _admin(request)
    officer = _officer(actor, payload.person_id)
    designation = _calling(
        lambda: services.statutory_designate(
            actor=actor,
            office=payload.office,
            officer=officer,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            is_deputy=payload.is_deputy,
            deputy_rank=payload.deputy_rank,
        ),
        {"officer": "person_id"},
    )
    return Status(201, _designation_out(designation))


@router.post(
    "/statutory-designations/{designation_id}/end",
    response={200: DesignationCreatedOut, **ERRORS},
)
def designation_end(
    request: HttpRequest, designation_id: schemas.IntParam, payload: EndIn
) -> DesignationCreatedOut:
    """End a statutory designation on `ends_on` (the last day). The record is kept."""
    actor = _admin(request)
    designation = selectors.designation_get(actor=actor, designation_id=designation_id)
    ended = services.statutory_designation_end(
        actor=actor, designation=designation, ends_on=payload.ends_on
    )
    return _designation_out(ended)


# --- committees and administrations ------------------------------------------------------------


@router.post("/committees/{committee_id}/members", response={201: CommitteeMemberOut, **ERRORS})
def committee_member_add(
    request: HttpRequest, committee_id: schemas.IntParam, payload: CommitteeMemberIn
) -> Status[CommitteeMemberOut]:
    """Add a member to a committee as chair, vice-chair or member from `starts_on`."""
    actor = _admin(request)
    committee = selectors.committee_get(actor=actor, committee_id=committee_id)
    member = _member(actor, payload.person_id, "person_id")
    membership = _calling(
        lambda: services.committee_add_member(
            actor=actor,
            committee=committee,
            member=member,
            position=payload.position,
            starts_on=payload.starts_on,
        ),
        {"member": "person_id"},
    )
    return Status(
        201,
        CommitteeMemberOut(
            id=membership.pk,
            committee_id=committee.pk,
            member=shapes.person_ref(member.person),
            position=membership.position,
            starts_on=membership.starts_on,
        ),
    )


@router.post("/administrations", response={201: AdministrationOut, **ERRORS})
def administration_create(
    request: HttpRequest, payload: AdministrationIn
) -> Status[AdministrationOut]:
    """Record a change of political administration (000 §21): the current administration and
    every Leader, Deputy Leader and Lead Member appointment end the day before `starts_on`."""
    actor = _admin(request)
    leader = _member(actor, payload.leader_person_id, "leader_person_id")
    groups = []
    for index, group_id in enumerate(payload.group_ids):
        try:
            groups.append(selectors.group_get(actor=actor, group_id=group_id))
        except NotFound:
            raise ValidationFailed.for_field(
                f"group_ids.{index}", "No political group has this id."
            ) from None
    ending = selectors.administration_roles_ending(starts_on=payload.starts_on)
    administration = _calling(
        lambda: services.administration_change(
            actor=actor,
            groups=groups,
            leader=leader,
            starts_on=payload.starts_on,
            note=payload.note,
        ),
        {"groups": "group_ids", "leader": "leader_person_id"},
    )
    return Status(
        201,
        AdministrationOut(
            id=administration.pk,
            starts_on=administration.starts_on,
            groups=[g for g in (shapes.group_ref(group) for group in groups) if g is not None],
            leader=shapes.person_ref(leader.person),
            ended_on=payload.starts_on - dt.timedelta(days=1),
            ended_appointment_ids=[appointment.pk for appointment in ending],
        ),
    )


@router.post("/absences", response={201: directory_schemas.AbsenceOut, **ERRORS})
def absence_create(
    request: HttpRequest, payload: directory_schemas.AbsenceIn
) -> Status[directory_schemas.AbsenceOut]:
    """Record an officer's absence so their deputies act meanwhile (000 SO §4.3)."""
    actor = _admin(request)
    officer = _officer(actor, payload.person_id)
    absence = services.absence_record(
        actor=actor,
        officer=officer,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
    )
    return Status(
        201,
        directory_schemas.AbsenceOut(
            id=absence.pk,
            officer=shapes.person_ref(officer.person),
            starts_on=absence.starts_on,
            ends_on=absence.ends_on,
            reason=absence.reason,
        ),
    )
