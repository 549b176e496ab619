"""Reads of the protocol library, each taking the actor.

Everyone signed in reads the versions that are or were in force. Drafts, versions approved but
not yet in force, withdrawn versions, reviews and the Monitoring Officer's markings are for the
library's keepers alone: to anyone else they do not exist (`NotFound`, like a missing one), and
they are left out of every list, count and search.

One module per subject; the library's pages and API read through this package.
"""

from accord.library.selectors.reviews import (
    CommitteeReport,
    ReportSection,
    action_label,
    allowed_actions,
    draft_committee_report,
    in_force_due,
    next_step,
    report_open,
    review_drafts,
    review_get,
    reviews_visible,
)
from accord.library.selectors.search import Answer, Hit, ask, search
from accord.library.selectors.versions import (
    documents_readable,
    keeps_library,
    paragraph_get,
    readable_versions,
    version_get,
    version_paragraphs,
)

__all__ = [
    "Answer",
    "CommitteeReport",
    "Hit",
    "ReportSection",
    "action_label",
    "allowed_actions",
    "ask",
    "documents_readable",
    "draft_committee_report",
    "in_force_due",
    "keeps_library",
    "next_step",
    "paragraph_get",
    "readable_versions",
    "report_open",
    "review_drafts",
    "review_get",
    "reviews_visible",
    "search",
    "version_get",
    "version_paragraphs",
]
