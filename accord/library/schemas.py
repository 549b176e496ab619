"""What the library's API accepts beyond the shapes in its routers: a protocol file sent to be
imported, base64-encoded, and the limit on its size (`accord.library.parsing.limits`)."""

from __future__ import annotations

import base64
import binascii

from ninja import Field, Schema

from accord.core.errors import ValidationFailed
from accord.library.parsing.limits import MAX_FILE_BYTES, file_too_big

__all__ = ["ImportIn", "upload_of"]


class ImportIn(Schema):
    document: str = Field(
        max_length=64, description="The document's key; a new key makes a new document."
    )
    version: str = Field(max_length=40, description="The version's label, e.g. 2026.")
    file_name: str = Field(max_length=255, description="Its name, whose extension says the format.")
    content_base64: str = Field(description="The file, base64-encoded: at most 10 MB.")
    title: str = Field("", max_length=200)
    council: str = Field("", max_length=200, description="Needed for a new document.")
    dry_run: bool = Field(False, description="Parse and check only; save nothing.")


def upload_of(payload: ImportIn) -> tuple[bytes, str]:
    """The file sent, and why it is refused if it is past the limit on a file's size ("" if it
    is not). A file that is not base64 is a `ValidationFailed` naming `content_base64`."""
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed.for_field(
            "content_base64", "The file must be base64-encoded."
        ) from None
    return data, file_too_big(len(data)) if len(data) > MAX_FILE_BYTES else ""
