"""The protocol's rules and the cases run under them.

`/rules` is public to any working token: the rules are the council's published protocol. `/cases`
reads through `accord.procedures.selectors` with the token's account as the actor, so a case the
caller may not see answers exactly as one that does not exist (404), and writes through
`accord.procedures.services`. A refusal is a 409 whose `detail` is the rule's one-line
explanation with its citation. Like the generic case page, nothing here names the people a case
involves or returns what was written in its records.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from accord.api import schemas
from accord.api.auth import request_user
from accord.api.errors import error_response
from accord.core import clock
from accord.core.errors import FieldError, NotFound, ValidationFailed
from accord.directory.api.pages import paginate
from accord.directory.selectors import person_get
from accord.procedures import presentation
from accord.procedures.errors import ProcedureRefused
from accord.procedures.models import Case
from accord.procedures.pages import app_page
from accord.procedures.selectors import case_get, visible_cases
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    consent_withdraw,
    involvement_record,
)
from accord.profiles.explain import Explanation
from accord.profiles.presentation import council_rules, profile_rules
from accord.profiles.selectors import council_profile_in_force, profile_version_get

rules_router = Router(tags=["rules"])
cases_router = Router(tags=["cases"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: schemas.ErrorOut, 409: schemas.ErrorOut, **ERRORS}

# The engine's names for what a refusal or a check is about, as an API client knows them.
API_FIELDS = {"transition": "to", "subject": "subject_id", "raiser": "procedure"}
INVOLVEMENT_FIELDS = {"person": "person_id"}


# --- Shapes ---------------------------------------------------------------------------------


class ExplanationOut(Schema):
    """A rule, obligation, deadline or refusal in one line, with the paragraph it comes from."""

    text: str = Field(description="What and why, in the council's words.")
    cite: str = Field(description='The paragraph as the profile cites it, e.g. "50(c)".')
    reference: str = Field(description='How the paragraph is named, e.g. "Protocol v2025 §50(c)".')
    profile: str
    profile_version: int
    line: str = Field(description="`text` and `reference` as one line, as the pages show it.")

    @staticmethod
    def resolve_profile(obj: Explanation) -> str:
        return obj.profile_id

    @staticmethod
    def resolve_line(obj: Explanation) -> str:
        return str(obj)


class RulesVersionOut(Schema):
    version: int
    source_version: str
    in_force_from: dt.date
    loaded_at: dt.datetime
    sha256: str
    status: Literal["in_force", "superseded", "not_yet_in_force"]


class RulesInForceOut(Schema):
    profile_id: str
    version: int = Field(description="The version new cases open under today.")
    council: str
    source_document: str
    source_title: str
    source_version: str
    in_force_from: dt.date
    versions: list[RulesVersionOut]


class TimerRulesOut(Schema):
    duration: str
    duration_words: str
    action: Literal["remind", "escalate"]
    to: list[str]
    explanation: ExplanationOut


class StageRulesOut(Schema):
    key: str
    title: str
    is_initial: bool
    handlers: list[str]
    visible_to: list[str]
    no_members: bool
    requires_records: list[str]
    timer: TimerRulesOut | None
    explanation: ExplanationOut
    visibility: ExplanationOut
    members_kept_out: ExplanationOut | None
    records: ExplanationOut | None


class TransitionRulesOut(Schema):
    from_stage: str
    from_title: str
    to: str
    to_title: str
    is_outcome: bool
    by: list[str]
    requires_records: list[str]
    consent: ExplanationOut | None
    records: ExplanationOut | None
    explanation: ExplanationOut


class OutcomeRulesOut(Schema):
    key: str
    title: str
    explanation: ExplanationOut


class ProcedureRulesOut(Schema):
    key: str
    title: str
    raised_by: Literal["officer", "member"]
    about: Literal["officer", "member"]
    initial: str
    explanation: ExplanationOut
    stages: list[StageRulesOut]
    transitions: list[TransitionRulesOut]
    outcomes: list[OutcomeRulesOut]


class DurationRulesOut(Schema):
    key: str
    name: str
    amount: int
    unit: str
    words: str
    explanation: ExplanationOut


class DutyRulesOut(Schema):
    key: str
    matter: str
    tell: list[str]
    when: str
    explanation: ExplanationOut


class InformationRulesOut(Schema):
    key: str
    summary: str
    applies_to: list[str]
    explanation: ExplanationOut


class ConflictRulesOut(Schema):
    role: str
    alternates: list[str]
    external: str | None
    explanation: ExplanationOut


class SilenceOut(Schema):
    topic: str
    default: str = Field(description="What Accord does where the protocol says nothing.")
    note: str | None


class RulesOut(Schema):
    profile_id: str
    version: int
    council: str
    governance: str
    source_document: str
    source_title: str
    source_version: str
    in_force_from: dt.date
    supersedes: int | None
    procedures: list[ProcedureRulesOut]
    durations: list[DurationRulesOut]
    duties: list[DutyRulesOut]
    information: list[InformationRulesOut]
    conflicts: list[ConflictRulesOut]
    silences: list[SilenceOut]


class DeadlineOut(Schema):
    due_on: dt.date
    duration: str = Field(description='The time allowed, e.g. "5 working days".')
    action: Literal["remind", "escalate"] = Field(description="What happens once it passes.")
    explanation: ExplanationOut
    then: ExplanationOut


class CaseSummaryOut(Schema):
    id: uuid.UUID
    procedure: str
    procedure_title: str
    profile_id: str
    profile_version: int
    is_open: bool
    stage: str = Field(description="The open stage, or the last one if the case has ended.")
    stage_title: str
    outcome: str | None
    outcome_title: str | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    deadline: DeadlineOut | None

    @staticmethod
    def resolve_id(obj: Any) -> uuid.UUID:
        return uuid.UUID(str(obj.public_id))


class CasePage(schemas.PageMeta):
    items: list[CaseSummaryOut]


class StepOut(Schema):
    at: dt.datetime
    from_stage: str | None = Field(description="Empty for the case's opening.")
    from_title: str | None
    to: str
    to_title: str
    is_outcome: bool
    by_you: bool = Field(description="You made this move. Nobody else is named.")
    explanation: ExplanationOut


class ActionOut(Schema):
    to: str
    title: str
    is_outcome: bool
    requires_records: list[str] = Field(description="Keys to send in `records`.")
    consent: ExplanationOut | None = Field(description="Whose agreement the step needs.")
    consent_given: bool
    explanation: ExplanationOut


class AgreementOut(Schema):
    to: str
    to_title: str
    status: Literal["not_given", "given", "withdrawn", "used"]
    given_at: dt.datetime | None
    can_give: bool
    can_withdraw: bool
    explanation: ExplanationOut


class CaseOut(CaseSummaryOut):
    procedure_explanation: ExplanationOut
    stage_explanation: ExplanationOut
    outcome_explanation: ExplanationOut | None
    history: list[StepOut]
    actions: list[ActionOut] = Field(description="The moves you may make now.")
    agreements: list[AgreementOut] = Field(
        description="Steps that need your own agreement, and where it stands."
    )
    you_handle: bool
    handling_notes: list[str] = Field(
        description="Stand-ins for conflicts of interest; only for those handling the case."
    )


class CaseIn(Schema):
    procedure: str = Field(max_length=64, description="A procedure key of the council's rules.")
    subject_id: schemas.IntBody = Field(description="The person the case is about.")


class TransitionIn(Schema):
    to: str = Field(max_length=64, description="A stage or outcome key.")
    records: dict[str, str] = Field(
        default_factory=dict, description="What the step needs written down, by record key."
    )


class CaseConsentIn(Schema):
    to: str = Field(max_length=64, description="The step the agreement is for.")
    note: str = Field("", max_length=20_000, description="If agreeing to only part of it.")


class CaseWithdrawIn(Schema):
    to: str = Field(max_length=64)


class InvolvementIn(Schema):
    person_id: schemas.IntBody = Field(
        description="The statutory officer or deputy who was involved."
    )
    note: str = Field(max_length=20_000, description="How they were involved.")


class InvolvementOut(Schema):
    person_id: int
    recorded_at: dt.datetime
    case: CaseOut | None = Field(
        description=(
            "The case as you see it now; null if the involvement you recorded was your own "
            "and the case has passed out of your hands."
        )
    )


# --- Rules ----------------------------------------------------------------------------------


@rules_router.get("", response={200: RulesInForceOut, **ERRORS})
def rules_in_force(request: HttpRequest) -> Any:
    """The council's rules in force today and every stored version of them."""
    found = council_rules(on=clock.today())
    if found is None:
        raise NotFound()
    return found


@rules_router.get("/{profile_id}/versions/{version}", response={200: RulesOut, **ERRORS})
def rules_version(request: HttpRequest, profile_id: str, version: schemas.IntParam) -> Any:
    """Every rule of one stored version, each with its explanation and citation."""
    return profile_rules(profile_version_get(profile_id, version))


# --- Cases ----------------------------------------------------------------------------------


def refused_response(
    refused: ProcedureRefused, fields: dict[str, str] = API_FIELDS
) -> HttpResponse:
    """The 409 for a step the engine's rules refuse, on the endpoints of every procedure: the
    rule's explanation with its citation, on the field the client sent."""
    line = str(refused.explanation)
    return error_response(409, line, [FieldError(fields.get(refused.field, refused.field), line)])


def renamed(failed: ValidationFailed, fields: dict[str, str] = API_FIELDS) -> ValidationFailed:
    """`failed` with the engine's field names as the API's clients send them."""
    return ValidationFailed(
        failed.detail, [FieldError(fields.get(e.field, e.field), e.message) for e in failed.errors]
    )


def _held_elsewhere(case: Case) -> HttpResponse | None:
    """A 409 for a step on a case an app holds: it is taken through the app's endpoints, whose
    services do what the procedure needs besides moving the case."""
    held = app_page(case)
    if held is None:
        return None
    line = f"Take steps on this case through {held.api_path}"
    return error_response(409, line, [FieldError("to", line)])


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
        )
    except ValidationFailed as failed:
        raise renamed(failed) from failed
    return Status(201, _case_out(request, case.public_id))


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
    try:
        case_transition(actor=actor, case=case, to=payload.to, records=payload.records)
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
