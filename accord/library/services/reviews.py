"""The steps of a review: opening it, proposing a draft, recording the Standards Committee's
recommendation and Full Council's approval, closing it, and changing what its report says.

Each step checks the move against `accord.library.reviews.workflow.TRANSITIONS`, validates what
it needs, and writes the review and its audit event in one transaction. Only the library's
keepers take them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.validation import Problems
from accord.library.models import ProtocolDocument, ProtocolReview, ProtocolVersion
from accord.library.reviews.workflow import ACTION_LABELS, ACTIVE, REPORT_OPEN, TRANSITIONS
from accord.library.selectors.versions import keeps_library
from accord.library.services.versions import version_approve

__all__ = [
    "review_close",
    "review_committee",
    "review_council_approve",
    "review_open",
    "review_propose",
    "review_update_report_fields",
    "review_version_in_force",
]

S = ProtocolReview.Status
R = ProtocolReview.Recommendation
TEXT_MAX = 10_000
NOTE_MAX = 5_000


def _require_keeper(actor: Actor) -> None:
    if not keeps_library(actor):
        raise PermissionDenied(
            "Only the Monitoring Officer, a deputy or democratic services can review a protocol."
        )


def _require_move(review: ProtocolReview, action: str) -> str:
    to = TRANSITIONS.get((review.status, action))
    if to is None:
        raise ValidationFailed.for_field(
            "action",
            f"A review that is {review.get_status_display().lower()} cannot do that"
            f" ({ACTION_LABELS.get(action, action).lower()}).",
        )
    return to


def _past(errors: Problems, name: str, value: Any, what: str) -> None:
    if not isinstance(value, dt.date):
        errors.add(name, f"Enter the date {what}.")
    elif value > clock.today():
        errors.add(name, f"The date {what} must be today or earlier.")


def _move(
    actor: Actor,
    review: ProtocolReview,
    action: str,
    to: str,
    fields: list[str],
    data: dict[str, Any],
) -> None:
    before = review.status
    review.status = to
    review.save(update_fields=["status", *fields, "updated_at"])
    record(
        actor=actor,
        verb=f"library.review_{action}",
        target=review,
        data={"document": review.document.key, "from": before, "to": to, **data},
    )


def review_open(
    *,
    actor: Actor,
    document: ProtocolDocument,
    reason: str,
    why: str,
    started_on: dt.date | None = None,
    consultations: str = "",
    legal_implications: str = "",
    policy_implications: str = "",
    financial_implications: str = "",
    equality_implications: str = "",
) -> ProtocolReview:
    """Open a review of `document`: why now, and what the report will say so far."""
    _require_keeper(actor)
    errors = Problems()
    person_id = person_of(actor)
    if person_id is None:
        errors.add("started_by", "Your account is not linked to the directory.")
    if reason not in ProtocolReview.Reason.values:
        errors.add("reason", "Choose why the protocol is being reviewed.")
    why = errors.text(
        "why",
        why,
        max_length=TEXT_MAX,
        required="Say why the protocol is being reviewed.",
        label="Why it is being reviewed",
    )
    started_on = started_on or clock.today()
    _past(errors, "started_on", started_on, "the review started")
    texts = {
        name: errors.text(name, value, max_length=TEXT_MAX)
        for name, value in (
            ("consultations", consultations),
            ("legal_implications", legal_implications),
            ("policy_implications", policy_implications),
            ("financial_implications", financial_implications),
            ("equality_implications", equality_implications),
        )
    }
    if document.reviews.filter(status__in=ACTIVE).exists():
        errors.add(
            "document", "This protocol already has a review under way; finish or close it first."
        )
    errors.raise_if_any("The review could not be opened.")
    if person_id is None:  # pragma: no cover - for the type checker: noted above
        raise ValidationFailed("The review could not be opened.", errors.items)
    with transaction.atomic():
        review = ProtocolReview.objects.create(
            document=document,
            reason=reason,
            why=why,
            started_by_id=person_id,
            started_on=started_on,
            **texts,
        )
        record(
            actor=actor,
            verb="library.review_opened",
            target=review,
            data={"document": document.key, "reason": reason, "started_on": started_on.isoformat()},
        )
    return review


def review_propose(
    *, actor: Actor, review: ProtocolReview, draft: ProtocolVersion
) -> ProtocolReview:
    """Attach the draft version the review proposes (a draft of the same document)."""
    _require_keeper(actor)
    to = _require_move(review, "propose")
    errors = Problems()
    if draft.document_id != review.document_id:
        errors.add("draft", "Choose a draft of the protocol under review.")
    elif draft.status != ProtocolVersion.Status.DRAFT:
        errors.add("draft", "Only a draft version can be proposed.")
    elif (
        ProtocolReview.objects.filter(draft=draft, status__in=ACTIVE).exclude(pk=review.pk).exists()
    ):
        errors.add("draft", "That draft is already proposed by another review.")
    errors.raise_if_any("The draft could not be proposed.")
    with transaction.atomic():
        review.draft = draft
        _move(actor, review, "proposed", to, ["draft"], {"draft": draft.label})
    return review


def review_committee(
    *, actor: Actor, review: ProtocolReview, met_on: dt.date, recommendation: str, note: str = ""
) -> ProtocolReview:
    """Record the Standards Committee's recommendation. "not_approve" sends the review back to
    `open`, for a revised draft or closing."""
    _require_keeper(actor)
    action = "committee_not_approve" if recommendation == R.NOT_APPROVE else "committee"
    to = _require_move(review, action)
    errors = Problems()
    _past(errors, "met_on", met_on, "the committee met")
    if isinstance(met_on, dt.date) and met_on < review.started_on:
        errors.add("met_on", "The committee cannot have met before the review started.")
    if recommendation not in R.values:
        errors.add("recommendation", "Choose what the committee recommended.")
    needs_note = (
        "Say what amendments the committee asked for."
        if recommendation == R.APPROVE_AMENDED
        else ""
    )
    note = errors.text("note", note, max_length=NOTE_MAX, required=needs_note)
    errors.raise_if_any("The committee's recommendation could not be recorded.")
    with transaction.atomic():
        review.committee_met_on = met_on
        review.committee_recommendation = recommendation
        review.committee_note = note
        _move(
            actor,
            review,
            "committee",
            to,
            ["committee_met_on", "committee_recommendation", "committee_note"],
            {"met_on": met_on.isoformat(), "recommendation": recommendation},
        )
    return review


def review_council_approve(
    *,
    actor: Actor,
    review: ProtocolReview,
    met_on: dt.date,
    in_force_from: dt.date,
    note: str = "",
) -> ProtocolReview:
    """Record Full Council's approval; the draft becomes an approved version with its date."""
    _require_keeper(actor)
    to = _require_move(review, "council_approve")
    errors = Problems()
    _past(errors, "met_on", met_on, "Full Council met")
    if isinstance(met_on, dt.date) and review.committee_met_on and met_on < review.committee_met_on:
        errors.add("met_on", "Full Council cannot have decided before the committee met.")
    if not isinstance(in_force_from, dt.date):
        errors.add("in_force_from", "Enter the date it comes into force.")
    elif isinstance(met_on, dt.date) and in_force_from < met_on:
        errors.add("in_force_from", "It cannot come into force before Full Council approved it.")
    note = errors.text("note", note, max_length=NOTE_MAX)
    draft = review.draft
    if draft is None or draft.status != ProtocolVersion.Status.DRAFT:
        errors.add("draft", "The review's draft is no longer a draft.")
    errors.raise_if_any("Full Council's approval could not be recorded.")
    if draft is None:  # pragma: no cover - for the type checker: noted above
        raise ValidationFailed("Full Council's approval could not be recorded.", errors.items)
    with transaction.atomic():
        version_approve(
            actor=actor,
            version=draft,
            approved_on=met_on,
            in_force_from=in_force_from,
            approved_by=f"Full Council, {met_on:%-d %B %Y}",
        )
        review.council_met_on = met_on
        review.council_note = note
        _move(
            actor,
            review,
            "council_approved",
            to,
            ["council_met_on", "council_note"],
            {"met_on": met_on.isoformat(), "in_force_from": in_force_from.isoformat()},
        )
    return review


def review_close(*, actor: Actor, review: ProtocolReview, reason: str) -> ProtocolReview:
    """End a review without change (from open, proposed or recommended), saying why."""
    _require_keeper(actor)
    to = _require_move(review, "close")
    errors = Problems()
    reason = errors.text(
        "reason", reason, max_length=NOTE_MAX, required="Say why the review is closed."
    )
    errors.raise_if_any("The review could not be closed.")
    with transaction.atomic():
        review.closed_reason = reason
        _move(actor, review, "closed", to, ["closed_reason"], {})
    return review


def review_update_report_fields(
    *,
    actor: Actor,
    review: ProtocolReview,
    why: str | None = None,
    consultations: str | None = None,
    legal_implications: str | None = None,
    policy_implications: str | None = None,
    financial_implications: str | None = None,
    equality_implications: str | None = None,
) -> ProtocolReview:
    """Change what the committee report says (None leaves a field as it is), until Full Council
    has decided."""
    _require_keeper(actor)
    if review.status not in REPORT_OPEN:
        raise ValidationFailed.for_field(
            "action",
            "The report cannot change once Full Council has decided or the review is closed.",
        )
    errors = Problems()
    given = {
        "why": why,
        "consultations": consultations,
        "legal_implications": legal_implications,
        "policy_implications": policy_implications,
        "financial_implications": financial_implications,
        "equality_implications": equality_implications,
    }
    changes: dict[str, str] = {}
    for name, value in given.items():
        if value is None:
            continue
        required = "Say why the protocol is being reviewed." if name == "why" else ""
        changes[name] = errors.text(name, value, max_length=TEXT_MAX, required=required)
    errors.raise_if_any("The report could not be saved.")
    changed = [name for name, value in changes.items() if getattr(review, name) != value]
    if not changed:
        return review
    with transaction.atomic():
        for name in changed:
            setattr(review, name, changes[name])
        review.save(update_fields=[*changed, "updated_at"])
        record(
            actor=actor,
            verb="library.review_report_updated",
            target=review,
            data={"document": review.document.key, "fields": changed},
        )
    return review


def review_version_in_force(version: ProtocolVersion) -> list[ProtocolReview]:
    """Mark in force the approved review whose draft `version` is; called by
    `version_put_in_force` inside its transaction (which has checked who may do it)."""
    done: list[ProtocolReview] = []
    reviews = ProtocolReview.objects.select_related("document").filter(
        draft=version, status=S.APPROVED
    )
    for review in reviews:
        _move(
            None,
            review,
            "in_force",
            TRANSITIONS[(S.APPROVED, "in_force")],
            [],
            {"version": version.label},
        )
        done.append(review)
    return done
