"""Reads of conduct concerns, always scoped to the person asking.

Which concerns a person may see at all is the engine's decision (`visible_cases`): a concern
they may not see is `NotFound`, exactly as one that does not exist, and is never counted or
listed. How much of a visible concern they see is decided here, once, in `concern_detail`, which
every page, API response and export reads through:

- the person who raised it, and those handling its stage, see what was said (`FULL`); the raiser
  sees of the handlers' records only those the profile lists in `shown_to_raiser`;
- anyone else the procedure tells of it (a Group Leader engaged with the officer's agreement,
  say) sees only what the raiser agreed to share, and the raiser's name only if they agreed to
  that (`SHARED`).

Pages and the API read concerns only through this module: the route one raised today would take
(`concern_guidance`, from `guidance.py`), the register as CSV (`register_csv`, written by
`export.py`) and the words a page shows are reached here too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from accord.access.actor import Actor, account_of, person_of
from accord.access.policies import CONCERN_REGISTER_READERS
from accord.audit.selectors import events_about
from accord.concerns import export
from accord.concerns.guidance import (
    ConcernGuidance,
    FirstContact,
    concern_guidance,
    direction_purpose,
)
from accord.concerns.models import Concern
from accord.core import clock
from accord.core.errors import NotFound
from accord.directory.models import Person
from accord.directory.selectors import person_list
from accord.procedures.models import Case
from accord.procedures.retention import expiry_of
from accord.procedures.selectors import (
    case_get,
    case_table,
    detail_cases,
    people_named,
    presentation,
    visible_cases,
)
from accord.procedures.table import TransitionTable
from accord.profiles.explain import Explanation, describe, explain

__all__ = [
    "ACTIONS",
    "ConcernDetail",
    "ConcernGuidance",
    "ConcernRow",
    "Entry",
    "FirstContact",
    "Reading",
    "Viewing",
    "case_has_concern",
    "concern_detail",
    "concern_get",
    "concern_guidance",
    "concern_queue",
    "concern_register",
    "concern_rows",
    "concern_viewings",
    "concerns_others",
    "concerns_raised",
    "concerns_visible",
    "direction_purpose",
    "people_to_choose",
    "records_needed",
    "register_csv",
    "shown_to_raiser",
    "step_title",
    "timeline_in_words",
]

# What a Chief Executive may record as the action on a member's concern about an officer
# (000 §51(b)): kept to these words so the register can count them without reading notes.
ACTIONS = {
    "management_action": "Management action",
    "hr_referral": "Referral under the council's HR procedures",
    "no_further_action": "No further action",
    "other": "Other action",
}


class Reading(StrEnum):
    FULL = "full"
    SHARED = "shared"


def _base(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.select_related(
        "case",
        "case__profile_version",
        "case__raiser",
        "case__subject",
        "recorded_by",
    ).order_by("-case__opened_at", "-pk")


def concerns_visible(actor: Actor) -> QuerySet[Concern]:
    """Every concern the actor may see today, newest first."""
    return _base(Concern.objects.filter(case__in=visible_cases(actor).values("pk")))


def _full_ids(actor: Actor) -> QuerySet[Any]:
    return detail_cases(actor).values("pk")


def case_has_concern(case: Case) -> bool:
    """Whether the engine's case is a concern's (one opened through the engine alone is not).
    For the system: the case has already been found by whoever asks."""
    return Concern.objects.filter(case=case).exists()


def concern_get(actor: Actor, public_id: uuid.UUID | str) -> Concern:
    """One concern the actor may see; `NotFound` whether it is missing or hidden from them."""
    case = case_get(actor, public_id)
    found = _base(Concern.objects.filter(case=case)).first()
    if found is None:
        raise NotFound()
    return found


def concern_queue(actor: Actor) -> QuerySet[Concern]:
    """Open concerns the actor is handling now (not ones they raised)."""
    person_id = person_of(actor)
    return _base(
        Concern.objects.filter(case__in=_full_ids(actor), case__closed_at__isnull=True).exclude(
            case__raiser_id=person_id
        )
    )


def concerns_raised(actor: Actor) -> QuerySet[Concern]:
    """The concerns the actor raised, or that someone recorded for them, newest first."""
    return concerns_visible(actor).filter(case__raiser_id=person_of(actor))


def concerns_others(actor: Actor) -> QuerySet[Concern]:
    """The other concerns the actor may see: neither raised by them nor waiting for them."""
    return (
        concerns_visible(actor)
        .exclude(case__raiser_id=person_of(actor))
        .exclude(pk__in=concern_queue(actor).values("pk"))
    )


def concern_register(
    actor: Actor, *, query: str = "", status: str = "", direction: str = ""
) -> QuerySet[Concern]:
    """The Monitoring Officer's register: every concern they may see, filtered. A text search
    matches the words of a concern only where the reader sees it in full, so a match can never
    tell them what a concern they see only in part says. Anyone else: `NotFound`."""
    if not CONCERN_REGISTER_READERS.allows(actor):
        raise NotFound()
    found = concerns_visible(actor)
    if status == "open":
        found = found.filter(case__closed_at__isnull=True)
    elif status == "closed":
        found = found.filter(case__closed_at__isnull=False)
    if direction in Concern.Direction.values:
        found = found.filter(direction=direction)
    text = query.strip()
    if text:
        named = Q(case__subject__family_name__icontains=text) | Q(
            case__subject__given_name__icontains=text
        )
        said = Q(case__in=_full_ids(actor)) & (
            Q(what_happened__icontains=text) | Q(outcome_wanted__icontains=text)
        )
        found = found.filter(named | said)
    return found


# --- Lists --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernRow:
    """A concern in a list: where it is (`case`, as the engine lists it), who it is about and
    how much of it the reader sees, nothing said in it. `raiser_name` only where the reader may
    know who raised it."""

    public_id: uuid.UUID
    direction: str
    direction_label: str
    reading: Reading
    is_raiser: bool
    subject_name: str
    raiser_name: str | None
    case: presentation.CaseRow


def concern_rows(actor: Actor, concerns: Iterable[Concern]) -> list[ConcernRow]:
    """List rows for concerns already fetched through `concerns_visible` (or the queue or
    register), in a fixed number of queries however many there are."""
    page = list(concerns)
    ids = [c.case_id for c in page]
    cases = {
        row.public_id: row
        for row in presentation.case_rows(
            presentation.listed(visible_cases(actor).filter(pk__in=ids))
        )
    }
    full = set(detail_cases(actor).filter(pk__in=ids).values_list("pk", flat=True))
    reader = person_of(actor)
    rows: list[ConcernRow] = []
    for concern in page:
        case = cases.get(concern.case.public_id)
        if case is None:  # both come from the visible cases; a race can drop one
            continue
        is_raiser = concern.case.raiser_id == reader
        seen_in_full = is_raiser or concern.case_id in full
        rows.append(
            ConcernRow(
                public_id=case.public_id,
                direction=concern.direction,
                direction_label=concern.get_direction_display(),
                reading=Reading.FULL if seen_in_full else Reading.SHARED,
                is_raiser=is_raiser,
                subject_name=concern.case.subject.full_name if concern.case.subject else "",
                raiser_name=(
                    concern.case.raiser.full_name
                    if seen_in_full or concern.share_identity
                    else None
                ),
                case=case,
            )
        )
    return rows


def register_csv(out: Any, actor: Actor, found: QuerySet[Concern]) -> int:
    """Write the register `found` (from `concern_register`) to `out` as CSV, one line for each
    row the register page shows `actor`; how many were written. It is read in chunks of a fixed
    number of queries each, so a large register is read evenly."""
    rows = (row for chunk in export.chunks(found) for row in concern_rows(actor, chunk))
    return export.write_register(out, rows)


# --- Raising one --------------------------------------------------------------------------


def people_to_choose(
    actor: Actor, *, query: str, kind: str, exclude: int, chosen: int | None, limit: int
) -> tuple[list[Person], int]:
    """Up to `limit` active people of `kind` matching `query`, leaving out `exclude` (the
    reader) and keeping `chosen` (a choice already posted); and how many match in all."""
    people = person_list(actor=actor, query=query, kind=kind).exclude(pk=exclude)
    shown = list(people[:limit])
    if chosen is not None and all(p.pk != chosen for p in shown):
        shown += list(people.filter(pk=chosen))
    total = people.count() if len(shown) >= limit else len(shown)
    return shown, total


# --- One concern, as this reader may see it -------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One step of the timeline, with the records this reader may see."""

    at: dt.datetime
    title: str
    by: str
    explanation: Explanation
    records: list[tuple[str, str]]


@dataclass(frozen=True)
class Viewing:
    name: str
    at: dt.datetime


@dataclass(frozen=True)
class ConcernDetail:
    """One concern as one reader may see it. It holds no model instance, so nothing reached
    through it can show more than the reading allows."""

    public_id: uuid.UUID
    direction: str
    reading: Reading
    is_raiser: bool
    case: presentation.CaseView
    direction_label: str
    subject_name: str
    raiser_name: str | None
    recorded_by_name: str | None
    what_happened: str | None
    happened_on: dt.date | None
    outcome_wanted: str | None
    tried_direct: bool | None
    tried_direct_details: str | None
    shared_summary: str
    share_identity: bool
    first_contact: str | None
    timeline: list[Entry]
    can_report: bool
    report_explanation: Explanation | None
    kept_until: dt.date | None


def _reading(actor: Actor, concern: Concern) -> Reading:
    if person_of(actor) == concern.case.raiser_id:
        return Reading.FULL
    return Reading.FULL if _full_ids(actor).filter(pk=concern.case_id).exists() else Reading.SHARED


def concern_detail(actor: Actor, concern: Concern) -> ConcernDetail:
    """What this reader may see of one concern they may see (fetch it with `concern_get`)."""
    case = concern.case
    reader = person_of(actor)
    reading = _reading(actor, concern)
    full = reading is Reading.FULL
    is_raiser = reader == case.raiser_id
    table = case_table(case)
    profile = table.profile
    raiser_name = case.raiser.full_name if full or concern.share_identity or is_raiser else None
    rule = table.procedure.reopen
    today = clock.today()
    can_report = (
        rule is not None
        and reader is not None
        and full
        and any(reader in people_named(case, e, on=today, as_handler=True) for e in rule.by)
    )
    return ConcernDetail(
        public_id=case.public_id,
        direction=concern.direction,
        reading=reading,
        is_raiser=is_raiser,
        case=presentation.case_view(actor, case),
        direction_label=concern.get_direction_display(),
        subject_name=case.subject.full_name if case.subject else "",
        raiser_name=raiser_name,
        recorded_by_name=(
            concern.recorded_by.full_name if full and concern.recorded_by is not None else None
        ),
        what_happened=concern.what_happened if full else None,
        happened_on=concern.happened_on if full else None,
        outcome_wanted=concern.outcome_wanted if full else None,
        tried_direct=concern.tried_direct if full else None,
        tried_direct_details=concern.tried_direct_details if full else None,
        shared_summary=concern.shared_summary,
        share_identity=concern.share_identity,
        first_contact=(
            _first_contact_words(table, case.handler_choice)
            if full and case.handler_choice
            else None
        ),
        timeline=_timeline(concern, reading, reader),
        can_report=can_report,
        report_explanation=explain(profile, f"Report {rule.about}", rule.cite) if rule else None,
        kept_until=expiry_of(case) if full and not is_raiser else None,
    )


def _first_contact_words(table: TransitionTable, choice: str) -> str:
    match = next((e for e in table.handler_choices() if e.text == choice), None)
    return describe(table.profile, match) if match else choice


def _timeline(concern: Concern, reading: Reading, reader: int | None) -> list[Entry]:
    case = concern.case
    table = case_table(case)
    shown = set(table.procedure.shown_to_raiser)
    is_raiser = reader == case.raiser_id
    handler = reading is Reading.FULL and not is_raiser
    rows = list(case.history.select_related("actor").order_by("at", "pk"))
    entries: list[Entry] = []
    for row in rows:
        if row.actor_id is not None and row.actor_id == reader:
            by = "You"
        elif handler or is_raiser:
            by = row.actor.full_name if row.actor is not None else "Accord"
        else:
            by = ""
        records: list[tuple[str, str]] = []
        for key, value in (row.records or {}).items():
            own = row.actor_id is not None and row.actor_id == reader
            if handler or own or (is_raiser and key in shown):
                records.append((presentation.record_label(key), str(value)))
        title = (
            f"Raised: {table.title_of(row.to)}"
            if not row.from_stage
            else f"{table.title_of(row.from_stage)} → {table.title_of(row.to)}"
        )
        entries.append(
            Entry(
                at=row.at,
                title=title,
                by=by,
                explanation=explain(table.profile, title, row.cite),
                records=records,
            )
        )
    return entries


def timeline_in_words(detail: ConcernDetail) -> list[tuple[Entry, list[tuple[str, str]]]]:
    """Each step of `detail`'s timeline with its records, a recorded action in the council's
    words rather than its key, as the concern page shows them (the API gives the key)."""
    action = presentation.record_label("action")
    return [
        (entry, [(k, ACTIONS.get(v, v) if k == action else v) for k, v in entry.records])
        for entry in detail.timeline
    ]


def records_needed(concern: Concern, to: str) -> list[str]:
    """What must be written down to move the concern to `to` from where it is now."""
    return presentation.records_needed(concern.case, to)


def shown_to_raiser(concern: Concern) -> frozenset[str]:
    """The records of those handling it that the person who raised it may read."""
    return frozenset(case_table(concern.case).procedure.shown_to_raiser)


def step_title(concern: Concern, to: str) -> str:
    """A stage or outcome of the concern's procedure by its title."""
    return case_table(concern.case).title_of(to)


def concern_viewings(actor: Actor, concern: Concern) -> list[Viewing]:
    """Who has opened the concern, newest first, from the audit trail: for its raiser only
    (anyone else gets an empty list)."""
    account = account_of(actor)
    if account is None or person_of(account) != concern.case.raiser_id:
        return []
    events = events_about(
        "concerns.concern",
        str(concern.pk),
        verb="concern.viewed",
        exclude_actor_id=account.pk,
        limit=200,
    )
    rows = [(event.actor_id, event.occurred_at) for event in events]
    users = {row[0] for row in rows if row[0] is not None}
    names = {
        pk: f"{given} {family}"
        for pk, given, family in Person.objects.filter(user__pk__in=users).values_list(
            "user__pk", "given_name", "family_name"
        )
    }
    unknown = "Someone no longer listed"
    return [
        Viewing(names.get(user_id, unknown) if user_id is not None else unknown, at)
        for user_id, at in rows
    ]
