"""The shapes of /concerns. One concern is always read from `concern_detail`, which decides what
the reader may see; the fields they may not see are null, never left out, so a client's code
does not change shape with the reader."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
import uuid
from collections.abc import Mapping
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import create_model

from accord.api import schemas
from accord.concerns.selectors import ConcernDetail, ConcernGuidance, Entry
from accord.procedures.schemas import CaseOut
from accord.profiles.explain import Explanation
from accord.profiles.schemas import ExplanationOut

TEXT_MAX = 20_000

Direction = Literal["officer_about_member", "member_about_officer"]
ReadingOut = Literal["full", "shared"]


class RecordOut(Schema):
    label: str
    value: str


class EntryOut(Schema):
    at: dt.datetime
    title: str
    by: str = Field(
        description='"You", a name for those who see the concern in full, or empty otherwise.'
    )
    explanation: ExplanationOut
    records: list[RecordOut] = Field(description="Only the records you may see.")

    @staticmethod
    def resolve_records(obj: Entry) -> list[dict[str, str]]:
        return [{"label": label, "value": value} for label, value in obj.records]


class ConcernOut(Schema):
    id: uuid.UUID
    direction: Direction
    direction_label: str
    reading: ReadingOut = Field(
        description=(
            "`full`: you raised it or handle it; `shared`: you see only what the person who "
            "raised it agreed to share."
        )
    )
    is_raiser: bool
    subject_name: str
    raiser_name: str | None = Field(
        description="Null unless you see it in full or the raiser agreed to be named."
    )
    recorded_by_name: str | None = Field(description="Who recorded it for the raiser, if anyone.")
    what_happened: str | None
    happened_on: dt.date | None
    outcome_wanted: str | None
    tried_direct: bool | None
    tried_direct_details: str | None
    shared_summary: str = Field(description="What the raiser agreed may be shared.")
    share_identity: bool
    first_contact: str | None = Field(description="Who the raiser chose to talk to first.")
    timeline: list[EntryOut]
    can_report: bool = Field(description="You may report pressure or retaliation now.")
    report_explanation: ExplanationOut | None
    kept_until: dt.date | None = Field(description="When the record is due to be deleted.")
    case: CaseOut

    @staticmethod
    def resolve_id(obj: ConcernDetail) -> uuid.UUID:
        return obj.case.public_id

    @staticmethod
    def resolve_direction(obj: ConcernDetail) -> str:
        return obj.direction

    @staticmethod
    def resolve_reading(obj: ConcernDetail) -> str:
        return obj.reading.value


class ConcernRowOut(Schema):
    """A concern in a list: where it is and who it is about, never what was said."""

    id: uuid.UUID
    direction: Direction
    procedure: str
    stage: str = Field(description="The open stage, or the last one if it has ended.")
    stage_title: str
    outcome: str | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    due_on: dt.date | None = Field(description="When the open stage's time limit runs out.")
    reading: ReadingOut
    subject_name: str = Field(description="Who the concern is about.")
    raiser_name: str | None = Field(
        description="Null unless you see it in full or the raiser agreed to be named."
    )


class ConcernPage(schemas.PageMeta):
    items: list[ConcernRowOut]


class ConcernQuery(schemas.PageQuery):
    mine: Literal["raised", "handling"] | None = Field(
        None,
        description="`raised`: ones you raised; `handling`: open ones waiting for you to handle.",
    )


class RegisterQuery(schemas.PageQuery):
    q: schemas.SearchText = Field(
        "", description="Words matched against the subject's name and what was said."
    )
    status: Literal["open", "closed"] | None = None
    direction: Direction | None = None


class ConcernIn(Schema):
    direction: Direction
    subject_id: schemas.IntBody | None = Field(
        None, description="The person the concern is about (a directory person id)."
    )
    what_happened: str = Field("", max_length=TEXT_MAX)
    happened_on: schemas.Day | None = None
    outcome_wanted: str = Field("", max_length=TEXT_MAX)
    tried_direct: bool | None = Field(
        None, description="Whether you have tried to settle it with them directly."
    )
    tried_direct_details: str = Field("", max_length=TEXT_MAX)
    first_contact: str = Field(
        "",
        max_length=64,
        description=(
            "Who you want to talk to first, where the protocol lets you choose "
            '(e.g. "raiser.director", "chief_executive", "monitoring_officer").'
        ),
    )
    raiser_id: schemas.IntBody | None = Field(
        None,
        description=(
            "Recording it for someone who spoke to you: their directory id. Only someone the "
            "concern would go to first may do this, and it goes to them."
        ),
    )


class ActIn(Schema):
    to: str = Field(max_length=64, description="A stage or outcome key.")
    records: dict[str, str] = Field(
        default_factory=dict, description="What the step needs written down, by record key."
    )


class ConcernConsentIn(Schema):
    to: str = Field(max_length=64, description="The step the agreement is for.")
    summary: str = Field(
        "", max_length=TEXT_MAX, description="What may be shown to those the step brings in."
    )
    share_identity: bool = Field(False, description="Whether your name may be shown to them.")


class ConcernWithdrawIn(Schema):
    to: str = Field(max_length=64)


class SharingIn(Schema):
    summary: str = Field("", max_length=TEXT_MAX)
    share_identity: bool = False


class ReportIn(Schema):
    report: str = Field(
        "", max_length=TEXT_MAX, description="What pressure or retaliation happened."
    )


class ViewingOut(Schema):
    name: str
    at: dt.datetime


class ConcernGuidanceQuery(Schema):
    direction: Direction = Field(
        description="The kind of concern the raise form offers you: an officer raises "
        "`officer_about_member`, a member `member_about_officer`."
    )


def schema_of(source: type[Any], shapes: Mapping[type[Any], type[Schema]]) -> type[Schema]:
    """The response shape of a selector's dataclass, so the page and the API show one thing:
    each field with its type and the `description` in its metadata; a dataclass inside is
    given as its shape in `shapes`, or else as a shape of its own built the same way."""
    hints = typing.get_type_hints(source)
    fields: dict[str, Any] = {
        f.name: (_shape(hints[f.name], shapes), Field(description=f.metadata.get("description")))
        for f in dataclasses.fields(source)
    }
    shape: type[Schema] = create_model(
        f"{source.__name__}Out",
        __base__=Schema,
        __doc__=source.__doc__,
        __module__=__name__,
        **fields,
    )
    return shape


def _shape(hint: Any, shapes: Mapping[type[Any], type[Schema]]) -> Any:
    if hint in shapes:
        return shapes[hint]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return schema_of(hint, shapes)
    arguments = tuple(_shape(a, shapes) for a in typing.get_args(hint))
    origin = typing.get_origin(hint)
    if origin is list:
        return list[arguments]  # type: ignore[valid-type]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[arguments]  # noqa: UP007
    return hint


ConcernGuidanceOut = schema_of(ConcernGuidance, {Explanation: ExplanationOut})
