"""Library rows for tests that do not need the parser."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence

from accord.core import clock
from accord.library.models import ProtocolDocument, ProtocolParagraph, ProtocolVersion


def anchor_for(reference: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", reference.lower()).strip("-")


def make_version(
    *,
    key: str = "protocol",
    label: str = "2025",
    status: str = ProtocolVersion.Status.IN_FORCE,
    paragraphs: Sequence[tuple[str, str]] = (),
    council: str = "Example County Council",
    title: str = "Member/Officer Protocol",
    in_force_from: dt.date | None = None,
) -> ProtocolVersion:
    """A version of document `key` with `(reference, text)` paragraphs, written directly."""
    document, _ = ProtocolDocument.objects.get_or_create(
        key=key, defaults={"title": title, "council": council}
    )
    text = "\n\n".join(f"{ref}. {words}" for ref, words in paragraphs)
    dated = in_force_from or (None if status in {"draft", "withdrawn"} else clock.today())
    version = ProtocolVersion.objects.create(
        document=document,
        label=label,
        title=title,
        status=status,
        in_force_from=dated,
        source_name=f"{key}-{label}.md",
        source_format=ProtocolVersion.Format.MARKDOWN,
        source_sha256=hashlib.sha256(text.encode()).hexdigest(),
        source_text=text,
    )
    ProtocolParagraph.objects.bulk_create(
        ProtocolParagraph(
            version=version,
            position=position,
            kind=ProtocolParagraph.Kind.ITEM if "(" in ref else ProtocolParagraph.Kind.PARAGRAPH,
            number=ref.rsplit(" ", 1)[-1],
            reference=ref,
            anchor=anchor_for(ref),
            text=words,
            segments=[["same", words]],
        )
        for position, (ref, words) in enumerate(paragraphs)
    )
    return version
