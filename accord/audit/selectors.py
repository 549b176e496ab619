"""Reads of the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accord.access.actor import Actor, account_of
from accord.access.policies import AUDIT_READERS
from accord.audit.chain import GENESIS_HASH, ROW_FIELDS, EventRow, compute_hash
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.core.errors import NotFound

DEFAULT_BATCH_SIZE = 2000


def stored_events(*, batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[EventRow]:
    """Every event in `seq` order, read in batches so memory stays constant.

    Keyset pagination (`seq > last`) rather than a long-lived cursor: each batch is a short,
    indexed query, and events appended meanwhile are simply read at the end.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1.")
    last_seq = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(seq__gt=last_seq)
            .order_by("seq")
            .values_list(*ROW_FIELDS)[:batch_size]
        )
        for values in batch:
            yield EventRow(*values)
        if len(batch) < batch_size:
            return
        last_seq = batch[-1][0]


def chain_head() -> tuple[int, str]:
    """The newest event's `seq` and hash; `(0, GENESIS_HASH)` while the trail is empty."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return head if head else (0, GENESIS_HASH)


# --- Events about one record, for the app that owns it --------------------------------------------
#
# The calling app's own selector decides who may see these (an account's history for account
# administrators, a concern's viewings for its raiser), so these take no actor.


def events_about(
    target_type: str,
    target_id: str,
    *,
    verb: str | None = None,
    verb_prefix: str | None = None,
    exclude_actor_id: int | None = None,
    limit: int,
) -> list[AuditEvent]:
    """The newest `limit` events about one record, newest first, optionally of one verb."""
    events = AuditEvent.objects.filter(target_type=target_type, target_id=target_id)
    if verb is not None:
        events = events.filter(verb=verb)
    if verb_prefix is not None:
        events = events.filter(verb__startswith=verb_prefix)
    if exclude_actor_id is not None:
        events = events.exclude(actor_id=exclude_actor_id)
    return list(events.order_by("-seq")[:limit])


def last_event_seq() -> int:
    """The newest event's `seq`, or 0 while the trail is empty."""
    return chain_head()[0]


# --- Reading the trail as a person --------------------------------------------------------------
#
# Who may read it is decided here, so the pages and the API cannot disagree: the Monitoring
# Officer and deputies (who investigate with it) and directory administrators (who answer for
# the changes it records). To anyone else the trail does not exist (NotFound).


# Reading a list of events is recorded once per search, not once per page (see `search_recorded`).
SEARCH_RECORD_WINDOW = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class EventFilters:
    """What a reader narrowed the trail to. Empty strings and None mean "any"."""

    verb_prefix: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None

    def as_data(self) -> dict[str, str]:
        """The filters that were set, as audit data."""
        return {
            name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in asdict(self).items()
            if value
        }


def may_read_audit(actor: Actor) -> bool:
    return AUDIT_READERS.allows(actor)


def _require_reader(actor: Actor) -> None:
    if not may_read_audit(actor):
        raise NotFound()


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the council's time zone, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def event_list(*, actor: Actor, filters: EventFilters) -> QuerySet[AuditEvent]:
    """Events matching `filters`, newest first. Dates are the council's local days, inclusive."""
    _require_reader(actor)
    events = AuditEvent.objects.order_by("-seq")
    if filters.verb_prefix:
        events = events.filter(verb__startswith=filters.verb_prefix)
    if filters.actor:
        events = events.filter(actor_label__iexact=filters.actor)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.occurred_from is not None:
        events = events.filter(occurred_at__gte=_start_of(filters.occurred_from))
    if filters.occurred_to is not None:
        next_day = filters.occurred_to + dt.timedelta(days=1)
        events = events.filter(occurred_at__lt=_start_of(next_day))
    return events


def event_get(*, actor: Actor, seq: int) -> AuditEvent:
    _require_reader(actor)
    try:
        return AuditEvent.objects.get(seq=seq)
    except AuditEvent.DoesNotExist as error:
        raise NotFound() from error


def _account_id(actor: Actor) -> int | None:
    account = account_of(actor)
    return account.pk if account is not None else None


def hash_matches(event: AuditEvent) -> bool:
    """Whether the event's stored hash is the one its contents give (an altered row's is not)."""
    return compute_hash(event) == event.hash


def search_recorded(*, actor: Actor, filters: EventFilters, verb: str) -> bool:
    """Whether `actor`'s latest `verb` event is this same search, within the last half hour.

    Callers record a search only when this is False: turning the pages of one search (or
    asking for it again soon after) is one reading of the trail, not one per page; a new
    search, or the same one later, is recorded again.
    """
    latest = (
        AuditEvent.objects.filter(verb=verb, actor_id=_account_id(actor), target_type="")
        .order_by("-seq")
        .values_list("occurred_at", "data")
        .first()
    )
    if latest is None:
        return False
    occurred_at, data = latest
    recent = occurred_at >= clock.now() - SEARCH_RECORD_WINDOW
    return bool(recent and data == {"filters": filters.as_data()})
