"""Writes to the protocol library: every write is validated first, done in one transaction and
audited. One module per subject; the library's pages, API, commands and tasks write through this
package."""

from accord.library.reading import ImportResult, Reading
from accord.library.services.acknowledgements import (
    acknowledge,
    acknowledgements_request,
    acknowledgements_request_newcomers,
)
from accord.library.services.imports import (
    Upload,
    import_confirm,
    import_forget,
    import_read,
    import_upload,
)
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
    "Upload",
    "acknowledge",
    "acknowledgements_request",
    "acknowledgements_request_newcomers",
    "document_parse",
    "import_confirm",
    "import_forget",
    "import_read",
    "import_upload",
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
