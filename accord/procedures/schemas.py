"""The shapes of a case as the API answers with them and accepts steps on it, and the one 409
body every procedure's endpoints answer a refused step with."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Schema

from accord.api import schemas
from accord.api.errors import error_response
from accord.core.errors import FieldError, ValidationFailed
from accord.procedures.errors import ProcedureRefused
from accord.profiles.schemas import ExplanationOut

# The engine's names for what a refusal or a check is about, as an API client knows them.
API_FIELDS = {
    "transition": "to",
    "subject": "subject_id",
    "raiser": "procedure",
    "named": "named_id",
}


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
    names_role: str | None = Field(
        None,
        description="Where the step names the case's subject: the role they must hold; send "
        "the person's id as `named_id`.",
    )


class JointOut(Schema):
    role: str = Field(description="A handler of the stage, by role; nobody is named.")
    engaged: bool


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
    joint: list[JointOut] = Field(
        description="At a stage every handler takes part in: who has (by role); only for those "
        "handling the case."
    )
    joint_explanation: ExplanationOut | None
    you_may_engage: bool = Field(
        description="You handle this joint stage and have not yet recorded taking part."
    )


class CaseIn(Schema):
    procedure: str = Field(max_length=64, description="A procedure key of the council's rules.")
    subject_id: schemas.IntBody | None = Field(
        None,
        description="The person the case is about; left out where a later step names them.",
    )


class TransitionIn(Schema):
    to: str = Field(max_length=64, description="A stage or outcome key.")
    records: dict[str, str] = Field(
        default_factory=dict, description="What the step needs written down, by record key."
    )
    named_id: schemas.IntBody | None = Field(
        None, description="Where the step names the case's subject (`names_role`): who."
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


# --- The 409 body ---------------------------------------------------------------------------


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
