"""The demo council's protocol library, read from the protocol documents beside the project.

The demo council's own protocol is the one its profile was written from, in two versions: the
earlier edition (superseded) and the 2025 edition (in force), so the comparison, the coverage
tables and the acknowledgement register have something real to show. The two other councils'
protocols are kept as reference documents. Where the documents are not there (a copy of the
project without them), the library is left empty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from accord.access.actor import Actor
from accord.library.models import ProtocolDocument
from accord.library.services import version_approve, version_import, version_put_in_force

# (file name prefix, document key, version label, in force from, council or None for the demo
# council's own, title)
DOCUMENTS = (
    (
        "002_",
        "member-officer-protocol",
        "pre-2025",
        dt.date(2020, 1, 1),
        None,
        "Protocol on Member/Officer Relations",
    ),
    (
        "000_",
        "member-officer-protocol",
        "2025",
        dt.date(2026, 1, 1),
        None,
        "Protocol on Member/Officer Relations",
    ),
    (
        "001_",
        "council-001-protocol",
        "undated",
        dt.date(2026, 1, 1),
        "Council 001",
        "Protocol on Member/Officer Relations (Council 001)",
    ),
    (
        "004_",
        "council-004-protocol",
        "undated",
        dt.date(2026, 1, 1),
        "Council 004",
        "Protocol for Managing Councillor/Officer Relations (Council 004)",
    ),
)


def _protocols_dir() -> Path | None:
    from accord.profiles.management.commands.profile import default_protocols_dir

    folder = default_protocols_dir()
    return folder if folder.is_dir() else None


def seed_library(*, actor: Actor, council_name: str) -> int:
    """Import the demo's protocol documents; how many versions were imported."""
    folder = _protocols_dir()
    if folder is None or ProtocolDocument.objects.exists():
        return 0
    imported = 0
    for prefix, key, label, in_force_from, council, title in DOCUMENTS:
        found = sorted(folder.glob(f"{prefix}*.txt"))
        if not found:
            continue
        path = found[0]
        result = version_import(
            actor=actor,
            document_key=key,
            label=label,
            source_name=path.name,
            data=path.read_bytes(),
            title=title,
            council=council or council_name,
            in_force_from=in_force_from,
            profile_document="" if council is None else path.stem,
        )
        assert result.version is not None
        version_approve(
            actor=actor,
            version=result.version,
            approved_on=in_force_from - dt.timedelta(days=30),
            in_force_from=in_force_from,
            approved_by="Full Council",
        )
        # Only the council's own version in force now asks everyone to acknowledge it.
        version_put_in_force(
            actor=actor,
            version=result.version,
            on=in_force_from,
            ask_acknowledgement=council is None and label == "2025",
        )
        imported += 1
    return imported
