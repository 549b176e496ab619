"""The protocol documents the tests read, from the library next to the project."""

from __future__ import annotations

from functools import cache

from accord.profiles.management.commands.profile import default_protocols_dir
from accord.profiles.paragraphs import Document, parse_document

LEICESTERSHIRE_PARTS = {
    "SO": "Statutory Officers Protocol",
    "App A": "Appendix A",
    "App B": "Appendix B",
    "App C": "Appendix C",
}


@cache
def protocol_text(number: str) -> str:
    """The text of the document whose file name starts with `number`, e.g. "000"."""
    (path,) = default_protocols_dir().glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


@cache
def document(number: str) -> Document:
    """The document read into paragraphs; 000 with its four annexed parts."""
    parts = LEICESTERSHIRE_PARTS if number == "000" else None
    return parse_document(protocol_text(number), parts=parts)
