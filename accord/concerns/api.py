"""/concerns: conduct concerns between officers and members (000 §49 to §51).

Reads go through `accord.concerns.selectors` with the token's account as the actor, so a concern
the caller may not see answers exactly as one that does not exist (404) and is never listed or
counted. What a caller sees of one concern comes only from `concern_detail`, which nulls what
they may not see; every detail shown is audited as a read (`concern_viewed`), so the person who
raised it can see who has opened it. Writes go through `accord.concerns.services`; a refusal by
the rules is a 409 whose `detail` is the rule's explanation with its citation. `/guidance` says
what the raise form says of the route a concern the caller raises would take, from
`concern_guidance`: the rules, never a concern.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.access.actor import Actor
from accord.access.policies import CONCERN_REGISTER_READERS
from accord.api import schemas
from accord.api.auth import PolicyTokenAuth, request_user
from accord.concerns.schemas import (
    ActIn,
    ConcernConsentIn,
    ConcernGuidanceOut,
    ConcernGuidanceQuery,
    ConcernIn,
    ConcernOut,
    ConcernPage,
    ConcernQuery,
    ConcernWithdrawIn,
    RegisterQuery,
    ReportIn,
    SharingIn,
    ViewingOut,
)
from accord.concerns.selectors import (
    concern_detail,
    concern_get,
    concern_queue,
    concern_register,
    concern_rows,
    concern_viewings,
    concerns_raised,
    concerns_visible,
)
from accord.concerns.selectors import concern_guidance as guidance_for
from accord.concerns.services import (
    concern_act,
    concern_consent_give,
    concern_consent_withdraw,
    concern_raise,
    concern_report,
    concern_share,
    concern_viewed,
)
from accord.core.errors import NotFound, ValidationFailed
from accord.core.pagination import api_page
from accord.directory.selectors import person_get
from accord.procedures.errors import ProcedureRefused
from accord.procedures.schemas import refused_response, renamed

if TYPE_CHECKING:
    from accord.concerns.models import Concern
    from accord.directory.models import Person

router = Router(tags=["concerns"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: schemas.ErrorOut, 409: schemas.ErrorOut, **ERRORS}

# The services' and the engine's names for fields, as an API client sends them.
API_FIELDS = {"transition": "to", "subject": "subject_id", "raiser": "raiser_id"}


def _shown(actor: Actor, public_id: Any) -> Any:
    """The concern as `actor` may see it now, with the read audited; `NotFound` if hidden."""
    concern = concern_get(actor, public_id)
    detail = concern_detail(actor, concern)
    concern_viewed(actor=actor, concern=concern)
    return detail


def _shown_or_gone(actor: Actor, public_id: Any) -> Any:
    """After a write: the concern as the actor now sees it, or 204 if it left their sight."""
    try:
        return _shown(actor, public_id)
    except NotFound:
        return Status(204, None)


def _rows(actor: Actor, concerns: Iterable[Concern]) -> list[dict[str, Any]]:
    return [
        {
            "id": row.public_id,
            "direction": row.direction,
            "procedure": row.case.procedure,
            "stage": row.case.stage,
            "stage_title": row.case.stage_title,
            "outcome": row.case.outcome,
            "opened_at": row.case.opened_at,
            "closed_at": row.case.closed_at,
            "due_on": row.case.deadline.due_on if row.case.deadline else None,
            "reading": row.reading.value,
            "subject_name": row.subject_name,
            "raiser_name": row.raiser_name,
        }
        for row in concern_rows(actor, concerns)
    ]


def _page(actor: Actor, found: QuerySet[Concern], page: schemas.PageQuery) -> dict[str, Any]:
    items, meta = api_page(found, offset=page.offset, limit=page.limit)
    return {"items": _rows(actor, items), **meta}


def _person(actor: Actor, person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    try:
        return person_get(actor=actor, person_id=person_id)
    except NotFound:
        raise ValidationFailed.for_field(
            field, "Choose an active person from the directory."
        ) from None


# Declared before `/{public_id}` so that the register is not read as a concern's id.
@router.get(
    "/register",
    response={200: ConcernPage, **ERRORS},
    auth=PolicyTokenAuth(CONCERN_REGISTER_READERS),
)
def concern_register_list(request: HttpRequest, filters: Query[RegisterQuery]) -> Any:
    """The register of concerns (000 §50(f)), for the Monitoring Officer and deputies only: every
    concern they may see, newest first. `q` matches what was said only in concerns they see in
    full. To anyone else this endpoint does not exist (404)."""
    actor = request_user(request)
    found = concern_register(
        actor, query=filters.q, status=filters.status or "", direction=filters.direction or ""
    )
    return _page(actor, found, filters)


@router.get("/guidance", response={200: ConcernGuidanceOut, 400: schemas.ErrorOut, **ERRORS})
def concern_guidance(request: HttpRequest, query: Query[ConcernGuidanceQuery]) -> Any:
    """What happens to a concern you raise today and who will see it, as the raise form says:
    the route the council's rules in force give it, each line with its paragraph. It is about
    the route, never any concern. `direction` must be the kind you may raise (`400` naming it
    otherwise); `404` if your account is not linked to an active directory person or the rules
    have no such route."""
    return guidance_for(request_user(request), direction=query.direction)


@router.get("", response={200: ConcernPage, **ERRORS})
def concern_list(request: HttpRequest, filters: Query[ConcernQuery]) -> Any:
    """The concerns you may see today, newest first; `mine=raised` for those you raised,
    `mine=handling` for open ones waiting for you."""
    actor = request_user(request)
    if filters.mine == "handling":
        found = concern_queue(actor)
    elif filters.mine == "raised":
        found = concerns_raised(actor)
    else:
        found = concerns_visible(actor)
    return _page(actor, found, filters)


@router.post("", response={201: ConcernOut, **WRITE_ERRORS})
def concern_new(request: HttpRequest, payload: ConcernIn) -> Any:
    """Raise a concern, or record one for someone who spoke to you (`raiser_id`). Answers 201
    with the concern as you now see it."""
    actor = request_user(request)
    own = actor.person
    if own is None or not own.is_active:
        raise ValidationFailed(
            "Your account is not linked to anyone in the directory, so it cannot raise a concern."
        )
    subject = _person(actor, payload.subject_id, "subject_id")
    raiser = _person(actor, payload.raiser_id, "raiser_id")
    # Raising it yourself, the engine's "raiser" is you: the kind of concern was wrong.
    fields = API_FIELDS if raiser is not None else {**API_FIELDS, "raiser": "direction"}
    try:
        concern = concern_raise(
            actor=actor,
            direction=payload.direction,
            subject=subject,
            what_happened=payload.what_happened,
            happened_on=payload.happened_on,
            outcome_wanted=payload.outcome_wanted,
            tried_direct=payload.tried_direct,
            tried_direct_details=payload.tried_direct_details,
            first_contact=payload.first_contact,
            raiser=raiser,
        )
    except ProcedureRefused as refused:
        return refused_response(refused, API_FIELDS)
    except ValidationFailed as failed:
        raise renamed(failed, fields) from failed
    return Status(201, _shown(actor, concern.case.public_id))


@router.get("/{public_id}", response={200: ConcernOut, **ERRORS})
def concern_read(request: HttpRequest, public_id: str) -> Any:
    """One concern, as much of it as you may see (the rest is null), with its timeline, the
    steps you may take and the agreements asked of you. Opening it is recorded."""
    return _shown(request_user(request), public_id)


@router.post("/{public_id}/actions", response={200: ConcernOut, 204: None, **WRITE_ERRORS})
def concern_move(request: HttpRequest, public_id: str, payload: ActIn) -> Any:
    """Take a step the rules allow you. Answers 204 with no body when the step was taken but
    takes the concern out of your sight."""
    actor = request_user(request)
    concern = concern_get(actor, public_id)
    try:
        concern_act(actor=actor, concern=concern, to=payload.to, records=payload.records)
    except ProcedureRefused as refused:
        return refused_response(refused, API_FIELDS)
    except ValidationFailed as failed:
        raise renamed(failed, API_FIELDS) from failed
    return _shown_or_gone(actor, public_id)


@router.post("/{public_id}/consent", response={201: ConcernOut, **WRITE_ERRORS})
def concern_consent(request: HttpRequest, public_id: str, payload: ConcernConsentIn) -> Any:
    """Agree, as the person who raised it, to a step that needs your agreement, saying what may
    be shared with those it brings in and whether your name may be."""
    actor = request_user(request)
    concern = concern_get(actor, public_id)
    try:
        concern_consent_give(
            actor=actor,
            concern=concern,
            to=payload.to,
            summary=payload.summary,
            share_identity=payload.share_identity,
        )
    except ProcedureRefused as refused:
        return refused_response(refused, API_FIELDS)
    except ValidationFailed as failed:
        raise renamed(failed, API_FIELDS) from failed
    return Status(201, _shown(actor, public_id))


@router.post("/{public_id}/consent/withdraw", response={200: ConcernOut, **WRITE_ERRORS})
def concern_withdraw(request: HttpRequest, public_id: str, payload: ConcernWithdrawIn) -> Any:
    """Withdraw your agreement, which is possible until the step it allowed is taken."""
    actor = request_user(request)
    concern = concern_get(actor, public_id)
    try:
        concern_consent_withdraw(actor=actor, concern=concern, to=payload.to)
    except ProcedureRefused as refused:
        return refused_response(refused, API_FIELDS)
    except ValidationFailed as failed:
        raise renamed(failed, API_FIELDS) from failed
    return _shown(actor, public_id)


@router.put("/{public_id}/sharing", response={200: ConcernOut, **WRITE_ERRORS})
def concern_sharing(request: HttpRequest, public_id: str, payload: SharingIn) -> Any:
    """Say, as the person who raised it, what may be shown to those the procedure tells of it
    beyond those handling it, and whether your name may be."""
    actor = request_user(request)
    concern = concern_get(actor, public_id)
    try:
        concern_share(
            actor=actor,
            concern=concern,
            summary=payload.summary,
            share_identity=payload.share_identity,
        )
    except ProcedureRefused as refused:
        return refused_response(refused, API_FIELDS)
    return _shown(actor, public_id)


@router.post("/{public_id}/reports", response={201: ConcernOut, 204: None, **WRITE_ERRORS})
def concern_later_report(request: HttpRequest, public_id: str, payload: ReportIn) -> Any:
    """Report pressure or retaliation after raising it (000 §50(d)): the concern goes to the
    Monitoring Officer, reopening it if it had ended."""
    actor = request_user(request)
    concern = concern_get(actor, public_id)
    try:
        concern_report(actor=actor, concern=concern, report=payload.report)
    except ProcedureRefused as refused:
        return refused_response(refused, API_FIELDS)
    try:
        return Status(201, _shown(actor, public_id))
    except NotFound:
        return Status(204, None)


@router.get("/{public_id}/viewings", response={200: list[ViewingOut], **ERRORS})
def concern_viewers(request: HttpRequest, public_id: str) -> Any:
    """Who has opened the concern, newest first: for the person who raised it; anyone else who
    may see the concern gets an empty list."""
    actor = request_user(request)
    return concern_viewings(actor, concern_get(actor, public_id))
