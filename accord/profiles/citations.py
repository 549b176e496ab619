"""Which paragraphs a profile cites, and whether its source document has them.

The check is deliberately simple until the protocol library parses documents properly: a
paragraph "exists" if some line of the document starts with its number ("50.", "3.3.5", "4.3")
and, for a lettered part, a later line under it starts with "(c)". Prefixes such as "SO" or
"App B" are ignored, so a number present in any part of the document counts as found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from accord.profiles.schema import Profile

__all__ = ["CitationReport", "check_citations", "cited_paragraphs", "document_paragraphs"]

# Numbers may be bold (tracked changes mark renumbered paragraphs "**3.4**").
_NUMBERED = re.compile(r"^\s*(?:[-*]\s*)?(\*\*)?(\d+(?:\.\d+)+|\d+\.)(?:\*\*)?(?=\s|$)")
# A bold number longer than its neighbours is a tracked renumbering written old-then-new:
# "3.4.3.6" (3.4 became 3.6) or "3.3.5" (3.3 became 3.5, the section number not repeated).
_RENUMBERED = re.compile(r"^(\d+)\.(\d+)\.(?:(\d+)\.)?(\d+)$")
_LETTERED = re.compile(r"^\s*(?:[-*]\s*)?\(([a-z]{1,4})\)")
_CITE = re.compile(r"(\d+(?:\.\d+)*)((?:\([a-z]{1,4}\))?)")


def _paths_and_cites(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            child = getattr(value, name)
            key = field.alias or name
            at = f"{path}.{key}" if path else key
            if name == "cite" and isinstance(child, str):
                yield at, child
            else:
                yield from _paths_and_cites(child, at)
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _paths_and_cites(child, f"{path}.{getattr(key, 'value', key)}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths_and_cites(child, f"{path}[{index}]")


def cited_paragraphs(profile: Profile) -> dict[str, list[str]]:
    """Each distinct citation, in document order, with the paths that cite it."""
    found: dict[str, list[str]] = {}
    for path, cite in _paths_and_cites(profile, ""):
        found.setdefault(cite, []).append(path)
    return dict(sorted(found.items(), key=lambda item: _order(item[0])))


def _order(cite: str) -> tuple[str, tuple[int, ...], str]:
    match = _CITE.search(cite)
    if match is None:
        return cite, (), ""
    numbers = tuple(int(n) for n in match.group(1).split("."))
    return cite[: match.start()].strip(), numbers, match.group(2)


def document_paragraphs(text: str) -> set[str]:
    """Paragraph references found at line starts: "50", "50(a)", "4.3", "4.3(b)"."""
    found: set[str] = set()
    current = ""
    for line in text.splitlines():
        numbered = _NUMBERED.match(line)
        if numbered:
            current = numbered.group(2).rstrip(".")
            found.add(current)
            renumbered = _RENUMBERED.match(current) if numbered.group(1) else None
            if renumbered:
                section, _old, new_section, new = renumbered.groups()
                current = f"{new_section or section}.{new}"
                found.add(current)
            continue
        lettered = _LETTERED.match(line)
        if lettered and current:
            found.add(f"{current}({lettered.group(1)})")
    return found


@dataclass(frozen=True)
class CitationReport:
    cited: dict[str, list[str]]
    found: list[str]
    missing: list[str]


def check_citations(profile: Profile, document_text: str) -> CitationReport:
    paragraphs = document_paragraphs(document_text)
    cited = cited_paragraphs(profile)
    found: list[str] = []
    missing: list[str] = []
    for cite in cited:
        match = _CITE.search(cite)
        reference = match.group(1) + match.group(2) if match else cite
        (found if reference in paragraphs else missing).append(cite)
    return CitationReport(cited, found, missing)
