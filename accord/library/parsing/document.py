"""What the parser gives back: the source text read from a file, and the document recovered
from it. Every value is a plain string; nothing here is HTML, so whoever shows it escapes it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["ParseWarning", "ParsedDocument", "ParsedParagraph", "SourceText", "anchor_for"]


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser could not place, or a repair it made, at a line of the text."""

    line: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> ParseWarning:
        return cls(int(record["line"]), str(record["message"]))


@dataclass(frozen=True)
class SourceText:
    """The text of an uploaded file, as it will be stored and parsed."""

    text: str
    format: str  # "txt" | "md" | "docx" | "pdf"
    warnings: tuple[ParseWarning, ...] = ()

    def to_record(self) -> dict[str, Any]:
        """As JSON, to keep between reading a file and saving it (`from_record`)."""
        return {
            "text": self.text,
            "format": self.format,
            "warnings": [warning.to_json() for warning in self.warnings],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> SourceText:
        return cls(
            text=str(record["text"]),
            format=str(record["format"]),
            warnings=tuple(ParseWarning.from_json(w) for w in record["warnings"]),
        )


@dataclass(frozen=True)
class ParsedParagraph:
    """A numbered paragraph (`kind` "paragraph") or a lettered or roman item under one
    (`kind` "item")."""

    kind: str
    part: str
    number: str  # as written: "50", "3.3.5", "(b)", "(xiv)(xv)"
    reference: str  # as profiles cite it: "3.5", "SO 4.3", "50(c)", "11(b)(i)"
    anchor: str  # an HTML id unique in the document: "p-3-5", "p-so-4-3-c"
    heading: str
    section: str
    text: str  # the current wording, its bullets included, without markup or deleted words
    segments: tuple[tuple[str, str], ...]  # the paragraph's own words: ("same"|"ins"|"del", …)
    renumbered_from: str
    bullets: tuple[str, ...]
    footnotes: tuple[str, ...]
    line: int

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "reference": self.reference,
            "anchor": self.anchor,
            "part": self.part,
            "heading": self.heading,
            "section": self.section,
            "text": self.text,
            "segments": [[op, words] for op, words in self.segments],
            "renumbered_from": self.renumbered_from,
            "bullets": list(self.bullets),
            "footnotes": list(self.footnotes),
            "items": [],
        }


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    parts: dict[str, str]  # {prefix: the text its heading starts with}, main part left out
    paragraphs: tuple[ParsedParagraph, ...]  # in document order, each item after its paragraph
    sections: tuple[str, ...]
    footnotes: dict[str, str]  # {mark: text}
    warnings: tuple[ParseWarning, ...]

    def numbered(self) -> list[ParsedParagraph]:
        return [p for p in self.paragraphs if p.kind == "paragraph"]

    def to_record(self) -> dict[str, Any]:
        """Everything, as JSON, to keep between reading a file and saving it (`from_record`);
        unlike `to_json`, the paragraphs stay a flat list in document order."""
        return {
            "title": self.title,
            "parts": dict(self.parts),
            "paragraphs": [asdict(paragraph) for paragraph in self.paragraphs],
            "sections": list(self.sections),
            "footnotes": dict(self.footnotes),
            "warnings": [warning.to_json() for warning in self.warnings],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ParsedDocument:
        return cls(
            title=str(record["title"]),
            parts={str(k): str(v) for k, v in record["parts"].items()},
            paragraphs=tuple(
                ParsedParagraph(
                    **{
                        **p,
                        "segments": tuple((str(op), str(words)) for op, words in p["segments"]),
                        "bullets": tuple(p["bullets"]),
                        "footnotes": tuple(p["footnotes"]),
                    }
                )
                for p in record["paragraphs"]
            ),
            sections=tuple(record["sections"]),
            footnotes={str(k): str(v) for k, v in record["footnotes"].items()},
            warnings=tuple(ParseWarning.from_json(w) for w in record["warnings"]),
        )

    def to_json(self) -> dict[str, Any]:
        """The document as JSON, each item nested under its paragraph, or under the item it is
        numbered within (11(b)(i) under 11(b))."""
        paragraphs: list[dict[str, Any]] = []
        block: dict[str, dict[str, Any]] = {}
        for paragraph in self.paragraphs:
            entry = paragraph.to_json()
            if paragraph.kind == "paragraph" or not paragraphs:
                paragraphs.append(entry)
                block = {paragraph.reference: entry}
                continue
            parent = block.get(_parent_reference(paragraph.reference)) or paragraphs[-1]
            parent["items"].append(entry)
            block[paragraph.reference] = entry
        return {
            "title": self.title,
            "parts": dict(self.parts),
            "sections": list(self.sections),
            "warnings": [warning.to_json() for warning in self.warnings],
            "footnotes": dict(self.footnotes),
            "paragraphs": paragraphs,
        }


_LAST_ITEM = re.compile(r"\([a-z]+\)$")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def _parent_reference(reference: str) -> str:
    return _LAST_ITEM.sub("", reference)


def anchor_for(reference: str) -> str:
    """ "SO 4.3(c)" -> "p-so-4-3-c": lower case, anything else a hyphen."""
    slug = _NOT_ALPHANUMERIC.sub("-", reference.lower()).strip("-")
    return f"p-{slug}" if slug else "p"
