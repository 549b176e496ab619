"""Reads of the protocol library, each taking the actor.

Everyone signed in reads the versions that are or were in force. Drafts, versions approved but
not yet in force, withdrawn versions, reviews and the Monitoring Officer's markings are for the
library's keepers alone: to anyone else they do not exist (`NotFound`, like a missing one), and
they are left out of every list, count and search.

One module per subject; the library's pages and API read through this package, which also
gives them the paragraphs against the profiles' rules (`accord.library.coverage`) and the
renderings of a redline (`accord.library.redline`).
"""

from accord.library.coverage import matching_profiles, paragraph_rules, version_coverage
from accord.library.redline import render_html, render_pdf, render_text
from accord.library.selectors.acknowledgements import (
    AcknowledgementRegister,
    AcknowledgementTotals,
    acknowledgement_register,
    acknowledgement_rows,
    acknowledgement_totals,
    not_yet_asked,
    pending_for,
)
from accord.library.selectors.imports import (
    ImportPreview,
    ImportState,
    pending_import_get,
    pending_import_preview,
    pending_import_reading,
    pending_import_state,
)
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
    redline_between,
    version_get,
    version_paragraphs,
)

__all__ = [
    "AcknowledgementRegister",
    "AcknowledgementTotals",
    "Answer",
    "CommitteeReport",
    "Hit",
    "ImportPreview",
    "ImportState",
    "ReportSection",
    "acknowledgement_register",
    "acknowledgement_rows",
    "acknowledgement_totals",
    "action_label",
    "allowed_actions",
    "ask",
    "documents_readable",
    "draft_committee_report",
    "in_force_due",
    "keeps_library",
    "matching_profiles",
    "next_step",
    "not_yet_asked",
    "paragraph_get",
    "paragraph_rules",
    "pending_for",
    "pending_import_get",
    "pending_import_preview",
    "pending_import_reading",
    "pending_import_state",
    "readable_versions",
    "redline_between",
    "render_html",
    "render_pdf",
    "render_text",
    "report_open",
    "review_drafts",
    "review_get",
    "reviews_visible",
    "search",
    "version_coverage",
    "version_get",
    "version_paragraphs",
]
