"""Writes to the protocol library: every write is validated first, done in one transaction and
audited. One module per subject; the library's pages, API, commands and tasks write through this
package."""

from accord.library.services.reviews import (
    review_close,
    review_committee,
    review_council_approve,
    review_open,
    review_propose,
    review_update_report_fields,
    review_version_in_force,
)
from accord.library.services.versions import (
    ImportResult,
    Reading,
    document_parse,
    paragraph_mark,
    profile_citations_missing,
    version_activate_due,
    version_approve,
    version_import,
    version_put_in_force,
    version_withdraw,
)

__all__ = [
    "ImportResult",
    "Reading",
    "document_parse",
    "paragraph_mark",
    "profile_citations_missing",
    "review_close",
    "review_committee",
    "review_council_approve",
    "review_open",
    "review_propose",
    "review_update_report_fields",
    "review_version_in_force",
    "version_activate_due",
    "version_approve",
    "version_import",
    "version_put_in_force",
    "version_withdraw",
]
