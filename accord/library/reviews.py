"""Reviewing a protocol: from opening a review to the amended version coming into force.

The protocol is to be kept under review and changes considered under the council's constitution
(000 §52); each statutory officer keeps it under review and brings forward amendments through
the governance committee (000 SO §9.1-9.2). 003 is what that looks like on paper: the
Monitoring Officer's report asking the Standards Committee to consider a revised protocol and
recommend it to Full Council, which alone approves it.

A review moves only along `TRANSITIONS`: the table is the whole of the rules, the services only
check it and record what each step needs. A committee that does not recommend the draft sends
the review back to `open` rather than ending it: the duty to keep the protocol under review
remains, so the officer revises the draft and proposes again, or closes the review with a
reason. The last step, `in_force`, is not a service here: it happens when the lead's
`accord.library.services.version_put_in_force` puts the approved draft in force, which calls
`review_version_in_force`.

Reviews are for the library's keepers alone (`keeps_library`): to anyone else they do not
exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from accord.directory.models import Person
from accord.library.models import (
    ProtocolDocument,
    ProtocolParagraph,
    ProtocolReview,
    ProtocolVersion,
)
from accord.library.selectors import keeps_library

__all__ = [
    "ACTIVE",
    "TRANSITIONS",
    "CommitteeReport",
    "ReportSection",
    "allowed_actions",
    "draft_committee_report",
    "review_close",
    "review_committee",
    "review_council_approve",
    "review_get",
    "review_open",
    "review_propose",
    "review_update_report_fields",
    "review_version_in_force",
    "reviews_visible",
]

S = ProtocolReview.Status
R = ProtocolReview.Recommendation

# (status, action) -> status. Every move a review can make; anything else is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.OPEN, "propose"): S.PROPOSED,
    (S.OPEN, "close"): S.CLOSED,
    # A different draft may replace the one proposed before the committee meets.
    (S.PROPOSED, "propose"): S.PROPOSED,
    (S.PROPOSED, "committee"): S.RECOMMENDED,
    (S.PROPOSED, "committee_not_approve"): S.OPEN,
    (S.PROPOSED, "close"): S.CLOSED,
    (S.RECOMMENDED, "council_approve"): S.APPROVED,
    (S.RECOMMENDED, "close"): S.CLOSED,
    (S.APPROVED, "in_force"): S.IN_FORCE,
}

# What each action is called on the page, and what the stage means for the officer.
ACTION_LABELS = {
    "propose": "Propose a draft",
    "committee": "Record the Standards Committee's recommendation",
    "committee_not_approve": "Record the Standards Committee's recommendation",
    "council_approve": "Record Full Council's approval",
    "close": "Close the review without change",
    "in_force": "Put the approved version in force",
}
NEXT_STEP = {
    S.OPEN: "Prepare the amended protocol as a draft version in the library and propose it.",
    S.PROPOSED: "Take the report to the Standards Committee and record its recommendation.",
    S.RECOMMENDED: "Take the committee's recommendation to Full Council and record its decision.",
    S.APPROVED: "Put the approved version in force on or after its date; everyone is then asked "
    "to acknowledge it.",
    S.IN_FORCE: "Nothing: the amended protocol is in force.",
    S.CLOSED: "Nothing: the review was closed without change.",
}
# A review still under way: a document has at most one at a time.
ACTIVE = (S.OPEN, S.PROPOSED, S.RECOMMENDED, S.APPROVED)
TEXT_MAX = 10_000
NOTE_MAX = 5_000
REPORT_FIELDS = (
    "consultations",
    "legal_implications",
    "policy_implications",
    "financial_implications",
    "equality_implications",
)


def allowed_actions(review: ProtocolReview) -> list[str]:
    """The actions the table allows from the review's stage, in the table's order."""
    return [action for (status, action) in TRANSITIONS if status == review.status]


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


def _text(
    errors: list[FieldError], name: str, value: str, limit: int, *, required: str = ""
) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        errors.append(FieldError(name, required))
    elif len(cleaned) > limit:
        errors.append(FieldError(name, f"This must be {limit} characters or fewer."))
    return cleaned


def _past(errors: list[FieldError], name: str, value: Any, what: str) -> None:
    if not isinstance(value, dt.date):
        errors.append(FieldError(name, f"Enter the date {what}."))
    elif value > clock.today():
        errors.append(FieldError(name, f"The date {what} must be today or earlier."))


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


# --- services ---------------------------------------------------------------------------------


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
    errors: list[FieldError] = []
    person_id = person_of(actor)
    if person_id is None:
        errors.append(FieldError("started_by", "Your account is not linked to the directory."))
    if reason not in ProtocolReview.Reason.values:
        errors.append(FieldError("reason", "Choose why the protocol is being reviewed."))
    why = _text(errors, "why", why, TEXT_MAX, required="Say why the protocol is being reviewed.")
    started_on = started_on or clock.today()
    _past(errors, "started_on", started_on, "the review started")
    texts = {
        name: _text(errors, name, value, TEXT_MAX)
        for name, value in (
            ("consultations", consultations),
            ("legal_implications", legal_implications),
            ("policy_implications", policy_implications),
            ("financial_implications", financial_implications),
            ("equality_implications", equality_implications),
        )
    }
    if document.reviews.filter(status__in=ACTIVE).exists():
        errors.append(
            FieldError(
                "document",
                "This protocol already has a review under way; finish or close it first.",
            )
        )
    if errors or person_id is None:
        raise ValidationFailed("The review could not be opened.", errors)
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
    errors: list[FieldError] = []
    if draft.document_id != review.document_id:
        errors.append(FieldError("draft", "Choose a draft of the protocol under review."))
    elif draft.status != ProtocolVersion.Status.DRAFT:
        errors.append(FieldError("draft", "Only a draft version can be proposed."))
    elif (
        ProtocolReview.objects.filter(draft=draft, status__in=ACTIVE).exclude(pk=review.pk).exists()
    ):
        errors.append(FieldError("draft", "That draft is already proposed by another review."))
    if errors:
        raise ValidationFailed("The draft could not be proposed.", errors)
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
    errors: list[FieldError] = []
    _past(errors, "met_on", met_on, "the committee met")
    if isinstance(met_on, dt.date) and met_on < review.started_on:
        errors.append(
            FieldError("met_on", "The committee cannot have met before the review started.")
        )
    if recommendation not in R.values:
        errors.append(FieldError("recommendation", "Choose what the committee recommended."))
    needs_note = (
        "Say what amendments the committee asked for."
        if recommendation == R.APPROVE_AMENDED
        else ""
    )
    note = _text(errors, "note", note, NOTE_MAX, required=needs_note)
    if errors:
        raise ValidationFailed("The committee's recommendation could not be recorded.", errors)
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
    from accord.library.services import version_approve

    _require_keeper(actor)
    to = _require_move(review, "council_approve")
    errors: list[FieldError] = []
    _past(errors, "met_on", met_on, "Full Council met")
    if isinstance(met_on, dt.date) and review.committee_met_on and met_on < review.committee_met_on:
        errors.append(
            FieldError("met_on", "Full Council cannot have decided before the committee met.")
        )
    if not isinstance(in_force_from, dt.date):
        errors.append(FieldError("in_force_from", "Enter the date it comes into force."))
    elif isinstance(met_on, dt.date) and in_force_from < met_on:
        errors.append(
            FieldError(
                "in_force_from", "It cannot come into force before Full Council approved it."
            )
        )
    note = _text(errors, "note", note, NOTE_MAX)
    draft = review.draft
    if draft is None or draft.status != ProtocolVersion.Status.DRAFT:
        errors.append(FieldError("draft", "The review's draft is no longer a draft."))
    if errors or draft is None:
        raise ValidationFailed("Full Council's approval could not be recorded.", errors)
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
    errors: list[FieldError] = []
    reason = _text(errors, "reason", reason, NOTE_MAX, required="Say why the review is closed.")
    if errors:
        raise ValidationFailed("The review could not be closed.", errors)
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
    if review.status not in (S.OPEN, S.PROPOSED, S.RECOMMENDED):
        raise ValidationFailed.for_field(
            "action",
            "The report cannot change once Full Council has decided or the review is closed.",
        )
    errors: list[FieldError] = []
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
        changes[name] = _text(errors, name, value, TEXT_MAX, required=required)
    if errors:
        raise ValidationFailed("The report could not be saved.", errors)
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


# --- selectors --------------------------------------------------------------------------------


def reviews_visible(actor: Actor) -> QuerySet[ProtocolReview]:
    """Every review for the keepers, newest first; none for anyone else."""
    reviews = ProtocolReview.objects.select_related("document", "draft", "started_by")
    return reviews if keeps_library(actor) else reviews.none()


def review_get(*, actor: Actor, public_id: Any) -> ProtocolReview:
    try:
        return reviews_visible(actor).get(public_id=public_id)
    except (ProtocolReview.DoesNotExist, ValueError):
        raise NotFound("No such review.") from None


# --- the committee report ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSection:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class CommitteeReport:
    """A draft report to the Standards Committee, laid out as 003 is."""

    report_of: str
    to: str
    date: dt.date
    subject: str
    sections: tuple[ReportSection, ...] = field(default_factory=tuple)

    def section(self, title: str) -> ReportSection:
        return next(s for s in self.sections if s.title == title)

    def to_text(self) -> str:
        lines = [
            f"REPORT OF: {self.report_of}",
            f"TO: {self.to}",
            f"ON: {self.date:%-d %B %Y}",
            "",
            f"SUBJECT: {self.subject}",
            "",
        ]
        for number, section in enumerate(self.sections, start=1):
            lines += [f"{number}. {section.title.upper()}", ""]
            for paragraph in section.paragraphs:
                lines += [paragraph, ""]
        return "\n".join(lines).rstrip() + "\n"


def _in_force(document: ProtocolDocument) -> ProtocolVersion | None:
    return document.versions.filter(status=ProtocolVersion.Status.IN_FORCE).first()


def _paragraphs(version: ProtocolVersion) -> list[ProtocolParagraph]:
    return list(version.paragraphs.order_by("position"))


def _fallback_counts(
    old: Sequence[ProtocolParagraph], new: Sequence[ProtocolParagraph]
) -> dict[str, int]:
    before = {p.reference: p.text for p in old}
    after = {p.reference: p.text for p in new}
    return {
        "inserted": len(after.keys() - before.keys()),
        "deleted": len(before.keys() - after.keys()),
        "changed": sum(1 for ref in after.keys() & before.keys() if after[ref] != before[ref]),
        "same": sum(1 for ref in after.keys() & before.keys() if after[ref] == before[ref]),
    }


def proposal_counts(old: ProtocolVersion, new: ProtocolVersion) -> dict[str, int]:
    """How the draft differs from the version in force, by the redline if it is there."""
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    try:
        from accord.library.redline import compare
    except ImportError:  # pragma: no cover - the redline arrives separately
        return _fallback_counts(old_paragraphs, new_paragraphs)
    return dict(compare(old_paragraphs, new_paragraphs).counts())


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _proposals(review: ProtocolReview) -> tuple[str, ...]:
    draft = review.draft
    if draft is None:
        return ("No draft has been proposed yet.",)
    current = _in_force(review.document)
    intro = f"The proposed protocol is the draft version {draft.label} ({draft.title})."
    if current is None or current.pk == draft.pk:
        return (intro, "There is no version in force to compare it with: it would be the first.")
    counts = proposal_counts(current, draft)
    changed = counts.get("changed", 0) + counts.get("renumbered", 0) + counts.get("moved", 0)
    summary = (
        f"Compared with version {current.label}, now in force, the draft adds "
        f"{_plural(counts.get('inserted', 0), 'paragraph', 'paragraphs')}, removes "
        f"{_plural(counts.get('deleted', 0), 'paragraph', 'paragraphs')} and changes "
        f"{_plural(changed, 'paragraph', 'paragraphs')}; "
        f"{_plural(counts.get('same', 0), 'paragraph is', 'paragraphs are')} unchanged."
    )
    detail = []
    if counts.get("renumbered") or counts.get("moved"):
        detail.append(
            f"Of the changed paragraphs, {counts.get('renumbered', 0)} are renumbered and "
            f"{counts.get('moved', 0)} moved."
        )
    detail.append("The full comparison is in the protocol library and is appended to this report.")
    return (intro, summary, *detail)


def _recommendations(review: ProtocolReview) -> tuple[str, ...]:
    label = f"version {review.draft.label}" if review.draft else "the revised protocol"
    first = (
        f"The Committee is asked to consider the review of the {review.document.title} and the "
        f"proposed {label}, to suggest any amendments, and to recommend it to Full Council for "
        "approval."
    )
    done: list[str] = [first]
    if review.committee_recommendation:
        met = f"{review.committee_met_on:%-d %B %Y}" if review.committee_met_on else ""
        done.append(
            f"On {met} the Committee's recommendation was: "
            f"{review.get_committee_recommendation_display().lower()}."
        )
        if review.committee_note:
            done.append(review.committee_note)
    return tuple(done)


def _background(review: ProtocolReview, current: ProtocolVersion | None) -> tuple[str, ...]:
    where = (
        f"The {review.document.title} of {review.document.council} is kept in the council's "
        "protocol library"
    )
    where += f"; the version in force is {current.label}." if current else "."
    duty = (
        "The protocol itself provides that it is to be kept under review so that it stays "
        "effective, up to date and consistent with legislation, codes of conduct and good "
        "practice, with any changes considered under the council's constitutional arrangements "
        "(000 §52). The statutory officers each keep it under review and bring forward proposed "
        "amendments through the relevant governance committee (Statutory Officers Protocol §9.1 "
        "and §9.2)."
    )
    opened = f"{review.started_on:%-d %B %Y}"
    reason = f"This review was opened on {opened} ({review.get_reason_display().lower()})."
    return (where, duty, reason, review.why)


def _or_none(text: str, empty: str = "None.") -> tuple[str, ...]:
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    return tuple(parts) if parts else (empty,)


def _contact(person: Person) -> str:
    return f"{person.full_name}, {person.email}" if person.email else person.full_name


def draft_committee_report(review: ProtocolReview) -> CommitteeReport:
    """The report to the Standards Committee the review's fields give, for the officer to
    finish: written from the review, never copied from the protocol."""
    current = _in_force(review.document)
    papers = []
    if current is not None:
        papers.append(f"{review.document.title}, version {current.label} (in force).")
    if review.draft is not None:
        papers.append(f"{review.document.title}, draft version {review.draft.label}.")
    sections = (
        ReportSection(
            "Purpose of report",
            (f"To review the {review.document.title} and to consider the amendments proposed.",),
        ),
        ReportSection("Recommendations", _recommendations(review)),
        ReportSection("Background", _background(review, current)),
        ReportSection("Proposals", _proposals(review)),
        ReportSection("Consultations", _or_none(review.consultations, "None recorded yet.")),
        ReportSection(
            "Legal implications",
            (
                *_or_none(review.legal_implications, "None recorded yet."),
                "Any amendment to the protocol takes effect only once approved by Full Council.",
            ),
        ),
        ReportSection(
            "Policy implications", _or_none(review.policy_implications, "None recorded yet.")
        ),
        ReportSection(
            "Resource and financial implications", _or_none(review.financial_implications)
        ),
        ReportSection(
            "Equality and human rights implications",
            _or_none(
                review.equality_implications,
                "None recorded yet: record here any equality impact assessment made of the "
                "proposed changes.",
            ),
        ),
        ReportSection("Background papers", tuple(papers) or ("None.",)),
        ReportSection("Officer to contact", (_contact(review.started_by),)),
    )
    return CommitteeReport(
        report_of="The Monitoring Officer",
        to="Standards Committee",
        date=clock.today(),
        subject=review.document.title,
        sections=sections,
    )
