"""Which paragraphs a profile cites, and whether its source document has them.

Every `cite:` field of a profile is a citation, except those under `uncited:`, which name
paragraphs the profile deliberately leaves out. Whether a citation exists is decided by
reading the document's structure (`accord.profiles.paragraphs`): "SO 4.3" must be paragraph
4.3 of the part the profile's `source.parts` calls "SO"; a bare "4.3" must be in the main part.
`accord.profiles.coverage` builds the fuller report on top of this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from accord.profiles.paragraphs import parse_document
from accord.profiles.schema import Profile

__all__ = [
    "CitationReport",
    "check_citations",
    "cited_paragraphs",
    "citing_fields",
    "document_paragraphs",
]

_CITE = re.compile(r"(\d+(?:\.\d+)*)((?:\([a-z]{1,5}\))?)")
# Fields whose `cite` names a paragraph the profile does not encode, not one it cites.
_NOT_CITATIONS = frozenset({"uncited"})


def citing_fields(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(YAML path, cite) for every `cite` field under `value`, in field order."""
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            if not path and name in _NOT_CITATIONS:
                continue
            child = getattr(value, name)
            key = field.alias or name
            at = f"{path}.{key}" if path else key
            if name == "cite" and isinstance(child, str):
                yield at, child
            else:
                yield from citing_fields(child, at)
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from citing_fields(child, f"{path}.{getattr(key, 'value', key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from citing_fields(child, f"{path}[{index}]")


def cited_paragraphs(profile: Profile) -> dict[str, list[str]]:
    """Each distinct citation, in paragraph order, with the paths that cite it.

    `uncited` entries are not citations and are left out.
    """
    found: dict[str, list[str]] = {}
    for path, cite in citing_fields(profile):
        found.setdefault(cite, []).append(path)
    return dict(sorted(found.items(), key=lambda item: _order(item[0])))


def _order(cite: str) -> tuple[str, tuple[int, ...], str]:
    match = _CITE.search(cite)
    if match is None:
        return cite, (), ""
    numbers = tuple(int(n) for n in match.group(1).split("."))
    return cite[: match.start()].strip(), numbers, match.group(2)


def document_paragraphs(text: str, *, parts: dict[str, str] | None = None) -> set[str]:
    """The references of every paragraph in the document: "50", "50(a)", "3.5", "SO 4.3"."""
    return {p.reference for p in parse_document(text, parts=parts).paragraphs}


@dataclass(frozen=True)
class CitationReport:
    cited: dict[str, list[str]]
    found: list[str]
    missing: list[str]


def check_citations(profile: Profile, document_text: str) -> CitationReport:
    """Which of the profile's citations name a paragraph of its document, in the right part."""
    parts = {part.prefix: part.heading for part in profile.source.parts}
    document = parse_document(document_text, parts=parts)
    cited = cited_paragraphs(profile)
    found: list[str] = []
    missing: list[str] = []
    for cite in cited:
        (found if document.find(cite) is not None else missing).append(cite)
    return CitationReport(cited, found, missing)
