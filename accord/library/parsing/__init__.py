"""Reading protocol documents: a file into its text (`read_upload`), the text into its
structure (`parse_protocol`). See docs/library.md, "Importing a document"."""

from accord.library.parsing.document import (
    ParsedDocument,
    ParsedParagraph,
    ParseWarning,
    SourceText,
)
from accord.library.parsing.readers import read_upload
from accord.library.parsing.structure import parse_protocol

__all__ = [
    "ParseWarning",
    "ParsedDocument",
    "ParsedParagraph",
    "SourceText",
    "parse_protocol",
    "read_upload",
]
