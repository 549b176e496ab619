"""The stages of a review and the moves between them: the whole of the rules.

A review moves only along `TRANSITIONS`; the services check the table and record what each step
needs. A committee that does not recommend the draft sends the review back to `open` rather
than ending it: the duty to keep the protocol under review remains, so the officer revises the
draft and proposes again, or closes the review with a reason. The last step, `in_force`, is not
a service of its own: it happens when `accord.library.services.version_put_in_force` puts the
approved draft in force, which calls `review_version_in_force`.
"""

from __future__ import annotations

from accord.core import clock
from accord.library.models import ProtocolReview

__all__ = [
    "ACTION_LABELS",
    "ACTIVE",
    "NEXT_STEP",
    "REPORT_OPEN",
    "TRANSITIONS",
    "action_label",
    "allowed_actions",
    "in_force_due",
    "next_step",
    "report_open",
]

S = ProtocolReview.Status

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
# The stages in which the committee report may still change: until Full Council has decided.
REPORT_OPEN = (S.OPEN, S.PROPOSED, S.RECOMMENDED)


def allowed_actions(review: ProtocolReview) -> list[str]:
    """The actions the table allows from the review's stage, in the table's order."""
    return [action for (status, action) in TRANSITIONS if status == review.status]


def action_label(action: str) -> str:
    """What the review page calls an action; the one form there that is no move changes the
    report."""
    return ACTION_LABELS.get(action, "Change the report")


def next_step(review: ProtocolReview) -> str:
    """What the officer does next, in words."""
    return NEXT_STEP[S(review.status)]


def report_open(review: ProtocolReview) -> bool:
    """Whether the committee report may still change."""
    return review.status in REPORT_OPEN


def in_force_due(review: ProtocolReview) -> bool:
    """Whether the approved draft's date has come, so it may be put in force today."""
    return (
        review.status == S.APPROVED
        and review.draft is not None
        and review.draft.in_force_from is not None
        and review.draft.in_force_from <= clock.today()
    )
