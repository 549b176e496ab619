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
    "handler": "handler_id",
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
    event_date: dt.date | None = Field(
        default=None, description="The date of the event the case leads to, if it has one."
    )

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


class HandlerChoiceOut(Schema):
    id: int
    name: str


class ActionOut(Schema):
    to: str
    title: str
    is_outcome: bool
    requires_records: list[str] = Field(description="Keys to send in `records`.")
    consent: ExplanationOut | None = Field(description="Whose agreement the step needs.")
    consent_given: bool
    explanation: ExplanationOut
    handler_choices: list[HandlerChoiceOut] = Field(
        description="Where the step lets you choose who handles the stage it moves to, whom: "
        "send one `id` as `handler_id`. Empty otherwise."
    )
    sets_event_date: bool = Field(
        description="The step sets a new date for the event (send `event_date`)."
    )

    names_role: str | None = Field(
        None,
        description="Where the step names the case's subject: the role they must hold; send "
        "the person's id as `named_id`.",
    )

    @staticmethod
    def resolve_handler_choices(obj: Any) -> list[dict[str, Any]]:
        return [{"id": pk, "name": name} for pk, name in obj.handler_choices]


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


class DutyDoneOut(Schema):
    at: dt.datetime
    duty: str = Field(description="The duty's key in the profile.")
    status: str = Field(description="done, late (on or after the day made public) or no_one.")
    status_label: str
    told: int = Field(description="How many people were told.")
    tell: list[str] = Field(description="Whom the duty names, in the profile's words.")
    explanation: ExplanationOut


class NoticeOut(Schema):
    at: dt.datetime
    explanation: str = Field(description="What you were told, with its paragraph.")
    link: str | None = Field(
        description="The case's page, where you may see it; otherwise nothing of the case."
    )
    unread: bool


class NoticePage(schemas.PageMeta):
    items: list[NoticeOut]


class NoticesReadOut(Schema):
    marked: int = Field(description="How many notices were marked read.")


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
    duties: list[DutyDoneOut] = Field(
        description="Who the protocol's duties told about the case; only for its handlers."
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
    public_on: dt.date | None = Field(
        None,
        description="The day the matter is made public, for a procedure with duties due "
        "before then; a duty done on or after it is recorded as late.",
    )
    handler_id: schemas.IntBody | None = Field(
        default=None,
        description="Where the first stage asks you to choose who handles it (one member of a "
        "team, say), that person.",
    )
    event_date: dt.date | None = Field(
        default=None,
        description="Where the procedure leads to a dated event (a meeting), its date; it must "
        "give the notice the rules ask for.",
    )


class TransitionIn(Schema):
    to: str = Field(max_length=64, description="A stage or outcome key.")
    records: dict[str, str] = Field(
        default_factory=dict, description="What the step needs written down, by record key."
    )
    handler_id: schemas.IntBody | None = Field(
        default=None,
        description="Where the stage moved to asks you to choose who handles it, that person "
        "(see the action's `handler_choices`).",
    )
    event_date: dt.date | None = Field(
        default=None, description="Where the step sets a new date for the event, the date."
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
