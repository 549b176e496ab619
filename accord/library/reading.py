"""What reading an upload found (`Reading`), and what importing it gave (`ImportResult`): kept
with an upload waiting to be confirmed, shown by its preview, the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.library.models import ProtocolVersion
from accord.library.parsing import ParsedDocument, ParseWarning, SourceText

__all__ = ["ImportResult", "Reading"]


@dataclass(frozen=True)
class Reading:
    """What reading a file found: its text and the structure recovered from it."""

    source: SourceText
    parsed: ParsedDocument

    def to_record(self) -> dict[str, Any]:
        return {"source": self.source.to_record(), "parsed": self.parsed.to_record()}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Reading:
        return cls(
            SourceText.from_record(record["source"]), ParsedDocument.from_record(record["parsed"])
        )


@dataclass(frozen=True)
class ImportResult:
    parsed: ParsedDocument
    source_format: str
    version: ProtocolVersion | None
    document_exists: bool
    source_warnings: tuple[ParseWarning, ...] = ()  # from reading the file: Word, PDF, encoding
    source: SourceText | None = None

    @property
    def warnings(self) -> tuple[ParseWarning, ...]:
        """Everything the import could not read or place, the file's own warnings first."""
        return self.source_warnings + self.parsed.warnings

    @property
    def reading(self) -> Reading:
        assert self.source is not None, "a result read from a file"
        return Reading(self.source, self.parsed)

    def structure_json(self) -> dict[str, Any]:
        """The parsed structure as JSON, with every warning of the import."""
        body = self.parsed.to_json()
        body["warnings"] = [warning.to_json() for warning in self.warnings]
        return body
