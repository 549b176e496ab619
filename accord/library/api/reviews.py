"""/protocol-reviews and /protocol-acknowledgements: reviewing a protocol, and acknowledging one.

Reviews are the library's keepers' alone (checked while authenticating: anyone else gets 404
for every route, whatever they send). Each move is one of
`accord.library.reviews.workflow.TRANSITIONS`; a move the table does not allow is a 400 naming
`action`. Everyone acknowledges the versions in force they were asked to read, and lists their
own pending ones; the register of who has, and asking the people who joined since, are the
keepers' alone in the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accord.access.actor import Actor
from accord.access.policies import LIBRARY_KEEPERS
from accord.api import schemas
from accord.api.auth import PolicyTokenAuth, request_user
from accord.core.errors import NotFound, ValidationFailed
from accord.core.pagination import paginate
from accord.library.selectors import (
    acknowledgement_rows,
    acknowledgement_totals,
    allowed_actions,
    draft_committee_report,
    pending_for,
    readable_versions,
    review_get,
    reviews_visible,
    version_get,
)
from accord.library.services import (
    acknowledge,
    acknowledgements_request,
    review_close,
    review_committee,
    review_council_approve,
    review_open,
    review_propose,
    review_update_report_fields,
)

if TYPE_CHECKING:
    from accord.library.models import Acknowledgement, ProtocolReview, ProtocolVersion

KEEPERS = PolicyTokenAuth(LIBRARY_KEEPERS)
reviews_router = Router(tags=["protocol reviews"], auth=KEEPERS)
acknowledgements_router = Router(tags=["protocol acknowledgements"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: schemas.ErrorOut, 403: schemas.ErrorOut, **ERRORS}


class ReviewOut(Schema):
    id: UUID
    document: str = Field(description="The document's key.")
    reason: str
    why: str
    status: str
    allowed_actions: list[str] = Field(description="The moves the table allows from here.")
    started_on: dt.date
    draft: str | None = Field(description="The proposed draft version's label.")
    consultations: str
    legal_implications: str
    policy_implications: str
    financial_implications: str
    equality_implications: str
    committee_met_on: dt.date | None
    committee_recommendation: str
    committee_note: str
    council_met_on: dt.date | None
    council_note: str
    closed_reason: str

    @staticmethod
    def resolve_id(obj: ProtocolReview) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_document(obj: ProtocolReview) -> str:
        return obj.document.key

    @staticmethod
    def resolve_draft(obj: ProtocolReview) -> str | None:
        return obj.draft.label if obj.draft else None

    @staticmethod
    def resolve_allowed_actions(obj: ProtocolReview) -> list[str]:
        return allowed_actions(obj)


class ReviewPage(schemas.PageMeta):
    items: list[ReviewOut]


class ReviewOpenIn(Schema):
    document: str = Field(description="The key of the document to review.")
    reason: str = Field(description="periodic, legislation, incident, request or other.")
    why: str
    started_on: schemas.Day | None = None
    consultations: str = ""
    legal_implications: str = ""
    policy_implications: str = ""
    financial_implications: str = ""
    equality_implications: str = ""


class ReportFieldsIn(Schema):
    """What the committee report says; a field left out stays as it is."""

    why: str | None = None
    consultations: str | None = None
    legal_implications: str | None = None
    policy_implications: str | None = None
    financial_implications: str | None = None
    equality_implications: str | None = None


class ProposeIn(Schema):
    draft: str = Field(description="The label of a draft version of the same document.")


class CommitteeIn(Schema):
    met_on: schemas.Day
    recommendation: str = Field(description="approve, approve_amended or not_approve.")
    note: str = ""


class CouncilIn(Schema):
    met_on: schemas.Day
    in_force_from: schemas.Day
    note: str = ""


class CloseIn(Schema):
    reason: str


class SectionOut(Schema):
    title: str
    paragraphs: list[str]


class ReportOut(Schema):
    report_of: str
    to: str
    date: dt.date
    subject: str
    sections: list[SectionOut]
    text: str


class PendingOut(Schema):
    document: str
    label: str
    title: str
    in_force_from: dt.date | None

    @staticmethod
    def resolve_document(obj: ProtocolVersion) -> str:
        return obj.document.key


class AcknowledgedOut(Schema):
    document: str
    label: str
    acknowledged_at: dt.datetime


class RegisterRowOut(Schema):
    person_id: int
    name: str
    requested_at: dt.datetime
    acknowledged_at: dt.datetime | None

    @staticmethod
    def resolve_name(obj: Acknowledgement) -> str:
        return obj.person.full_name


class RegisterPage(schemas.PageMeta):
    asked: int
    acknowledged: int
    outstanding: int
    not_asked: int = Field(
        description="Active members and officers who joined since and were not asked."
    )
    items: list[RegisterRowOut]


class AskedOut(Schema):
    asked: int = Field(description="How many people were asked now.")


def _document(actor: Actor, key: str) -> Any:
    version = readable_versions(actor).filter(document__key=key).first()
    if version is None:
        raise ValidationFailed.for_field("document", "No protocol has that key.")
    return version.document


@reviews_router.get("", response={200: ReviewPage, **ERRORS})
def review_list(request: HttpRequest, page: Query[schemas.PageQuery]) -> Any:
    """Every review, newest first."""
    items, meta = paginate(reviews_visible(request_user(request)), page)
    return {"items": items, **meta}


@reviews_router.post("", response={201: ReviewOut, **WRITE_ERRORS})
def review_create(request: HttpRequest, payload: ReviewOpenIn) -> Any:
    """Open a review of a document."""
    actor = request_user(request)
    fields = payload.model_dump()
    document = _document(actor, fields.pop("document"))
    return Status(201, review_open(actor=actor, document=document, **fields))


@reviews_router.get("/{review_id}", response={200: ReviewOut, **ERRORS})
def review_detail(request: HttpRequest, review_id: UUID) -> Any:
    return review_get(actor=request_user(request), public_id=review_id)


@reviews_router.patch("/{review_id}", response={200: ReviewOut, **WRITE_ERRORS})
def review_update_route(request: HttpRequest, review_id: UUID, payload: ReportFieldsIn) -> Any:
    """Change what the committee report says, until Full Council has decided."""
    actor = request_user(request)
    review = review_get(actor=actor, public_id=review_id)
    return review_update_report_fields(actor=actor, review=review, **payload.model_dump())


@reviews_router.post("/{review_id}/propose", response={200: ReviewOut, **WRITE_ERRORS})
def review_propose_route(request: HttpRequest, review_id: UUID, payload: ProposeIn) -> Any:
    """Attach the draft version the review proposes."""
    actor = request_user(request)
    review = review_get(actor=actor, public_id=review_id)
    try:
        draft = version_get(actor=actor, key=review.document.key, label=payload.draft)
    except NotFound:
        raise ValidationFailed.for_field(
            "draft", "The document has no version with that label."
        ) from None
    return review_propose(actor=actor, review=review, draft=draft)


@reviews_router.post("/{review_id}/committee", response={200: ReviewOut, **WRITE_ERRORS})
def review_committee_route(request: HttpRequest, review_id: UUID, payload: CommitteeIn) -> Any:
    """Record the Standards Committee's recommendation (not_approve sends it back to open)."""
    actor = request_user(request)
    review = review_get(actor=actor, public_id=review_id)
    return review_committee(actor=actor, review=review, **payload.model_dump())


@reviews_router.post("/{review_id}/council-approve", response={200: ReviewOut, **WRITE_ERRORS})
def review_council_route(request: HttpRequest, review_id: UUID, payload: CouncilIn) -> Any:
    """Record Full Council's approval: the draft becomes an approved version."""
    actor = request_user(request)
    review = review_get(actor=actor, public_id=review_id)
    return review_council_approve(actor=actor, review=review, **payload.model_dump())


@reviews_router.post("/{review_id}/close", response={200: ReviewOut, **WRITE_ERRORS})
def review_close_route(request: HttpRequest, review_id: UUID, payload: CloseIn) -> Any:
    """Close the review without change."""
    actor = request_user(request)
    review = review_get(actor=actor, public_id=review_id)
    return review_close(actor=actor, review=review, reason=payload.reason)


@reviews_router.get("/{review_id}/report", response={200: ReportOut, **ERRORS})
def review_report(request: HttpRequest, review_id: UUID) -> Any:
    """The draft report to the Standards Committee, by section and as plain text."""
    report = draft_committee_report(review_get(actor=request_user(request), public_id=review_id))
    return {
        "report_of": report.report_of,
        "to": report.to,
        "date": report.date,
        "subject": report.subject,
        "sections": [{"title": s.title, "paragraphs": list(s.paragraphs)} for s in report.sections],
        "text": report.to_text(),
    }


@acknowledgements_router.get("/pending", response={200: list[PendingOut], **ERRORS})
def acknowledgements_pending(request: HttpRequest) -> Any:
    """The versions in force you have been asked to acknowledge and have not."""
    return list(pending_for(request_user(request)))


@acknowledgements_router.post(
    "/{key}/versions/{label}", response={200: AcknowledgedOut, **WRITE_ERRORS}
)
def acknowledge_route(request: HttpRequest, key: str, label: str) -> Any:
    """Say you have read the version in force; saying it again changes nothing."""
    actor = request_user(request)
    version = version_get(actor=actor, key=key, label=label)
    done = acknowledge(actor=actor, version=version)
    return {"document": key, "label": label, "acknowledged_at": done.acknowledged_at}


@acknowledgements_router.get(
    "/{key}/versions/{label}/register", response={200: RegisterPage, **ERRORS}, auth=KEEPERS
)
def acknowledgement_register_route(
    request: HttpRequest, key: str, label: str, page: Query[schemas.PageQuery]
) -> Any:
    """Who was asked to acknowledge the version and who has (keepers only)."""
    actor = request_user(request)
    version = version_get(actor=actor, key=key, label=label)
    totals = acknowledgement_totals(actor, version)
    items, meta = paginate(acknowledgement_rows(actor, version), page)
    return {
        "items": items,
        **meta,
        "asked": totals.asked,
        "acknowledged": totals.acknowledged,
        "outstanding": totals.outstanding,
        "not_asked": totals.not_asked,
    }


@acknowledgements_router.post(
    "/{key}/versions/{label}/ask", response={200: AskedOut, **WRITE_ERRORS}, auth=KEEPERS
)
def acknowledgements_ask_route(request: HttpRequest, key: str, label: str) -> Any:
    """Ask everyone not yet asked (people who joined since) to acknowledge the version in force."""
    actor = request_user(request)
    version = version_get(actor=actor, key=key, label=label)
    return {"asked": acknowledgements_request(version=version, actor=actor)}
