"""The audit trail over the API: search it, read an event, verify the chain, export a checkpoint.

The Monitoring Officer, deputies and directory administrators only; to anyone else every
endpoint is a 404. Reading is recorded as on the web pages: a search once (not once per page),
each event read, each verification and each checkpoint exported.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from accord.access.policies import AUDIT_READERS
from accord.api import schemas
from accord.api.auth import PolicyTokenAuth, request_user, require
from accord.audit import selectors
from accord.audit.services import chain_verify, checkpoint_export, record
from accord.core.errors import ValidationFailed
from accord.core.pagination import api_page

if TYPE_CHECKING:
    from accord.audit.models import AuditEvent

router = Router(tags=["audit"], auth=PolicyTokenAuth(AUDIT_READERS))

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}


class EventsQuery(schemas.PageQuery):
    verb: schemas.SearchText = Field("", description="Events whose verb starts with this.")
    actor: schemas.SearchText = Field("", description="Username (any case), or `system`.")
    target_type: schemas.SearchText = Field("", description="For example `directory.person`.")
    target_id: schemas.SearchText = Field("")
    occurred_from: schemas.Day | None = Field(None, description="From this UK day, inclusive.")
    occurred_to: schemas.Day | None = Field(None, description="To this UK day, inclusive.")

    def filters(self) -> selectors.EventFilters:
        if self.occurred_from and self.occurred_to and self.occurred_to < self.occurred_from:
            raise ValidationFailed.for_field(
                "occurred_to", "occurred_to must be the same as or after occurred_from."
            )
        return selectors.EventFilters(
            verb_prefix=self.verb.strip(),
            actor=self.actor.strip(),
            target_type=self.target_type.strip(),
            target_id=self.target_id.strip(),
            occurred_from=self.occurred_from,
            occurred_to=self.occurred_to,
        )


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_id: int | None
    actor_label: str
    verb: str
    target_type: str
    target_id: str
    data: Any
    prev_hash: str
    hash: str


class EventPage(schemas.PageMeta):
    items: list[EventOut] = Field(description="Newest first.")


class ChainBreakOut(Schema):
    seq: int
    problem: str
    message: str


class VerifyOut(Schema):
    ok: bool
    count: int = Field(description="Events that verified before any break.")
    head_seq: int
    head_hash: str
    first_break: ChainBreakOut | None
    summary: str


class CheckpointOut(Schema):
    seq: int
    hash: str
    time: str
    council: str
    signature: str


def event_out(event: AuditEvent) -> EventOut:
    return EventOut(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        verb=event.verb,
        target_type=event.target_type,
        target_id=event.target_id,
        data=event.data,
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


@router.get("/events", response={200: EventPage, 400: schemas.ErrorOut, **ERRORS})
def events(request: HttpRequest, query: Query[EventsQuery]) -> EventPage:
    actor = request_user(request)
    require(actor, AUDIT_READERS)
    filters = query.filters()
    if not selectors.search_recorded(actor=actor, filters=filters, verb="audit.viewed"):
        record(actor=actor, verb="audit.viewed", data={"filters": filters.as_data()})
    rows = selectors.event_list(actor=actor, filters=filters)
    items, meta = api_page(rows, offset=query.offset, limit=query.limit)
    return EventPage(items=[event_out(e) for e in items], **meta)


@router.get("/events/{seq}", response={200: EventOut, **ERRORS})
def event(request: HttpRequest, seq: schemas.IntParam) -> EventOut:
    actor = request_user(request)
    require(actor, AUDIT_READERS)
    found = selectors.event_get(actor=actor, seq=seq)
    record(actor=actor, verb="audit.viewed", target=found)
    return event_out(found)


@router.post("/verify", response={200: VerifyOut, **ERRORS})
def verify(request: HttpRequest) -> VerifyOut:
    """Walk the whole chain and report the first bad event, if any."""
    actor = request_user(request)
    require(actor, AUDIT_READERS)
    result = chain_verify(actor=actor)
    brk = result.first_break
    return VerifyOut(
        ok=result.ok,
        count=result.count,
        head_seq=result.head_seq,
        head_hash=result.head_hash,
        first_break=(
            ChainBreakOut(seq=brk.seq, problem=str(brk.problem), message=brk.message)
            if brk
            else None
        ),
        summary=result.summary(),
    )


@router.get("/checkpoint", response={200: CheckpointOut, **ERRORS})
def checkpoint(request: HttpRequest) -> HttpResponse:
    """A signed checkpoint of the chain's head, exactly as `accord audit checkpoint` writes it:
    keep it outside the database and check it later with `accord audit checkpoint --verify`."""
    actor = request_user(request)
    require(actor, AUDIT_READERS)
    exported = checkpoint_export(actor=actor)
    return HttpResponse(exported.signed_text(), content_type="application/json")
