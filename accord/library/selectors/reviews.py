"""Reviews as the keepers read them, where each one stands, and its draft committee report."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accord.access.actor import Actor
from accord.core.errors import NotFound
from accord.library.models import ProtocolReview, ProtocolVersion
from accord.library.reviews.report import CommitteeReport, ReportSection, draft_committee_report
from accord.library.reviews.workflow import (
    action_label,
    allowed_actions,
    in_force_due,
    next_step,
    report_open,
)
from accord.library.selectors.versions import keeps_library

__all__ = [
    "CommitteeReport",
    "ReportSection",
    "action_label",
    "allowed_actions",
    "draft_committee_report",
    "in_force_due",
    "next_step",
    "report_open",
    "review_drafts",
    "review_get",
    "reviews_visible",
]


def reviews_visible(actor: Actor) -> QuerySet[ProtocolReview]:
    """Every review for the keepers, newest first; none for anyone else."""
    reviews = ProtocolReview.objects.select_related("document", "draft", "started_by")
    return reviews if keeps_library(actor) else reviews.none()


def review_get(*, actor: Actor, public_id: Any) -> ProtocolReview:
    try:
        return reviews_visible(actor).get(public_id=public_id)
    except (ProtocolReview.DoesNotExist, ValueError):
        raise NotFound("No such review.") from None


def review_drafts(review: ProtocolReview) -> QuerySet[ProtocolVersion]:
    """The drafts of the reviewed document, newest first: those the review may propose (the
    caller has already read the review)."""
    return review.document.versions.filter(status=ProtocolVersion.Status.DRAFT).order_by(
        "-created_at"
    )
