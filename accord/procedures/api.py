"""The cases run under the protocol's rules (the rules themselves: `accord.profiles.api`).

`/cases` reads through `accord.procedures.selectors` with the token's account as the actor, so a
case the caller may not see answers exactly as one that does not exist (404), and writes through
`accord.procedures.services`. A refusal is a 409 whose `detail` is the rule's one-line
explanation with its citation. Like the generic case page, nothing here names the people a case
involves or returns what was written in its records.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from accord.api import schemas
from accord.api.auth import request_user
from accord.api.errors import error_response
from accord.core import clock
from accord.core.errors import FieldError, NotFound, ValidationFailed
from accord.core.pagination import paginate
from accord.directory.selectors import person_get
from accord.procedures.errors import ProcedureRefused
from accord.procedures.schemas import (
    CaseConsentIn,
    CaseIn,
    CaseOut,
    CasePage,
    CaseWithdrawIn,
    InvolvementIn,
    InvolvementOut,
    NoticePage,
    NoticesReadOut,
    TransitionIn,
    refused_response,
    renamed,
)
from accord.procedures.selectors import (
    app_page,
    case_get,
    notices_for,
    presentation,
    visible_cases,
)
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    consent_withdraw,
    engagement_record,
    involvement_record,
    notices_read,
)
from accord.profiles.selectors import council_profile_in_force

if TYPE_CHECKING:
    from accord.directory.models import Person
    from accord.procedures.models import Case

cases_router = Router(tags=["cases"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: schemas.ErrorOut, 409: schemas.ErrorOut, **ERRORS}

INVOLVEMENT_FIELDS = {"person": "person_id"}


def _held_elsewhere(case: Case) -> HttpResponse | None:
    """A 409 for a step on a case an app holds: it is taken through the app's endpoints, whose
    services do what the procedure needs besides moving the case."""
    held = app_page(case)
    if held is None:
        return None
    line = f"Take steps on this case through {held.api_path}"
    return error_response(409, line, [FieldError("to", line)])


def _handler(actor: Any, person_id: int | None) -> Person | None:
    """The person sent as `handler_id`; one not in the directory is refused naming the field."""
    if person_id is None:
        return None
    try:
        return person_get(actor=actor, person_id=person_id)
    except NotFound:
        raise ValidationFailed.for_field(
            "handler_id", "Choose one of the people the step offers (its handler_choices)."
        ) from None


def _case_out(request: HttpRequest, public_id: str | uuid.UUID) -> Any:
    actor = request_user(request)
    return presentation.case_view(actor, case_get(actor, public_id))


@cases_router.get("", response={200: CasePage, **ERRORS})
def case_list(request: HttpRequest, page: Query[schemas.PageQuery]) -> Any:
    """The cases you may see today, newest first."""
    rows = presentation.listed(visible_cases(request_user(request)))
    items, meta = paginate(rows, page)
    return {"items": presentation.case_rows(items), **meta}


@cases_router.post("", response={201: CaseOut, **WRITE_ERRORS})
def case_start(request: HttpRequest, payload: CaseIn) -> Any:
    """Raise a case yourself, under the council's rules in force today."""
    actor = request_user(request)
    person = actor.person
    if person is None or not person.is_active:
        raise ValidationFailed(
            "Your account is not linked to anyone in the directory, so it cannot raise a case."
        )
    subject = None
    if payload.subject_id is not None:
        try:
            subject = person_get(actor=actor, person_id=payload.subject_id)
        except NotFound:
            raise ValidationFailed.for_field(
                "subject_id", "Choose an active person from the directory."
            ) from None
    try:
        stored = council_profile_in_force(on=clock.today())
    except NotFound:
        raise ValidationFailed.for_field(
            "procedure", "No protocol rules are in force for the council yet."
        ) from None
    if payload.procedure not in dict(presentation.procedures_raisable(stored, person)):
        raise ValidationFailed.for_field(
            "procedure", "Choose a procedure of the council's rules that you may raise."
        )
    try:
        case = case_open(
            actor=actor,
            procedure=payload.procedure,
            raiser=person,
            subject=subject,
            profile_id=stored.profile_id,
            public_on=payload.public_on,
            handler=_handler(actor, payload.handler_id),
            event_date=payload.event_date,
        )
    except ValidationFailed as failed:
        raise renamed(failed) from failed
    return Status(201, _case_out(request, case.public_id))


@cases_router.get("/notices", response={200: NoticePage, **ERRORS})
def notice_list(request: HttpRequest, page: Query[schemas.PageQuery]) -> Any:
    """What you have been told under the protocol's duties, newest first."""
    items, meta = paginate(notices_for(request_user(request)), page)
    return {"items": presentation.notice_views(items), **meta}


@cases_router.post("/notices/read", response={200: NoticesReadOut, **ERRORS})
def notice_read(request: HttpRequest) -> Any:
    """Mark all your notices read."""
    return {"marked": notices_read(actor=request_user(request))}


@cases_router.get("/{public_id}", response={200: CaseOut, **ERRORS})
def case_detail(request: HttpRequest, public_id: str) -> Any:
    """One case: where it is, its deadline, its history and what you may do, each explained."""
    return _case_out(request, public_id)


@cases_router.post("/{public_id}/transitions", response={200: CaseOut, 204: None, **WRITE_ERRORS})
def case_move(request: HttpRequest, public_id: str, payload: TransitionIn) -> Any:
    """Move the case to a stage or outcome. Answers 204 with no body when the move was made but
    takes the case out of your sight (the next stage is not one you may see)."""
    actor = request_user(request)
    case = case_get(actor, public_id)
    if (elsewhere := _held_elsewhere(case)) is not None:
        return elsewhere
    named = presentation.naming_person(case, payload.to, payload.named_id)
    if payload.named_id is not None and named is None:
        raise ValidationFailed.for_field(
            "named_id", "Choose someone this step may name: see the step's `names_role`."
        )
    try:
        case_transition(
            actor=actor,
            case=case,
            to=payload.to,
            records=payload.records,
            handler=_handler(actor, payload.handler_id),
            event_date=payload.event_date,
            named=named,
        )
    except ProcedureRefused as refused:
        return refused_response(refused)
    except ValidationFailed as failed:
        raise renamed(failed) from failed
    try:
        return _case_out(request, public_id)
    except NotFound:
        return Status(204, None)


@cases_router.post("/{public_id}/consents", response={201: CaseOut, **WRITE_ERRORS})
def case_consent(request: HttpRequest, public_id: str, payload: CaseConsentIn) -> Any:
    """Agree to a step that needs your agreement; you may withdraw it until the step is taken."""
    actor = request_user(request)
    case = case_get(actor, public_id)
    if (elsewhere := _held_elsewhere(case)) is not None:
        return elsewhere
    try:
        consent_give(actor=actor, case=case, to=payload.to, note=payload.note)
    except ProcedureRefused as refused:
        return refused_response(refused)
    except ValidationFailed as failed:
        raise renamed(failed) from failed
    return Status(201, _case_out(request, public_id))


@cases_router.post("/{public_id}/involvements", response={201: InvolvementOut, **WRITE_ERRORS})
def case_involvement(request: HttpRequest, public_id: str, payload: InvolvementIn) -> Any:
    """Record that a statutory officer was materially involved in the matter earlier; they are
    kept off the case wherever they would act on it, and a stand-in takes their place."""
    actor = request_user(request)
    case = case_get(actor, public_id)
    try:
        person = person_get(actor=actor, person_id=payload.person_id)
    except NotFound:
        raise ValidationFailed.for_field(
            "person_id", "Choose a statutory officer or deputy from the directory."
        ) from None
    try:
        involvement = involvement_record(actor=actor, case=case, person=person, note=payload.note)
    except ProcedureRefused as refused:
        # Nothing sent was at fault: the rules name who may record it.
        return error_response(409, str(refused.explanation))
    except ValidationFailed as failed:
        raise ValidationFailed(
            failed.detail,
            [
                FieldError(INVOLVEMENT_FIELDS.get(e.field, e.field), e.message)
                for e in failed.errors
            ],
        ) from failed
    try:
        seen: Any = _case_out(request, public_id)
    except NotFound:
        seen = None
    return Status(201, {"person_id": person.pk, "recorded_at": involvement.at, "case": seen})


@cases_router.post("/{public_id}/engagements", response={201: CaseOut, **WRITE_ERRORS})
def case_engagement(request: HttpRequest, public_id: str) -> Any:
    """Record that you, one of those handling the case's joint stage, have taken part (000
    §50(b): each of the three discusses the concern); the case cannot leave the stage until
    everyone handling it has. Taken here for every case, whichever app holds it."""
    actor = request_user(request)
    case = case_get(actor, public_id)
    try:
        engagement_record(actor=actor, case=case)
    except ProcedureRefused as refused:
        return refused_response(refused)
    except ValidationFailed as failed:
        raise renamed(failed) from failed
    return Status(201, _case_out(request, public_id))


@cases_router.post("/{public_id}/consents/withdraw", response={200: CaseOut, **WRITE_ERRORS})
def case_consent_withdraw(request: HttpRequest, public_id: str, payload: CaseWithdrawIn) -> Any:
    """Withdraw your agreement, which is possible until the step it allowed is taken."""
    actor = request_user(request)
    case = case_get(actor, public_id)
    if (elsewhere := _held_elsewhere(case)) is not None:
        return elsewhere
    try:
        consent_withdraw(actor=actor, case=case, to=payload.to)
    except ProcedureRefused as refused:
        return refused_response(refused)
    except ValidationFailed as failed:
        raise renamed(failed) from failed
    return _case_out(request, public_id)
