"""Reading a protocol's text into its structure: `parse_protocol`.

The numbering is read by `accord.profiles.paragraphs` (so a profile's check and the library
always agree on which paragraphs a document has and what they are called); this module adds
what the library shows and the profiles do not need: the title, the sections the headings
make, each paragraph's words as tracked changes, its bullets and footnotes, the parts of the
document when nobody named them, and warnings for whatever could not be placed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from accord.library.parsing.document import (
    ParsedDocument,
    ParsedParagraph,
    ParseWarning,
    anchor_for,
)
from accord.library.parsing.markup import Inline, bold_span_words, parse_inline, plain
from accord.library.parsing.repair import looks_extracted, repair
from accord.profiles.paragraphs import Document, LeftOut, LineRole, Paragraph, trace_document

__all__ = ["parse_protocol"]

_LEAD = re.compile(
    r"^\s*(?:[-*\u2022\u25aa\u25e6\uf0b7\uf0a7]\s+|o\s+(?=[A-Z]))?(?:#+\s*)?(?:\*\*)?\s*"
    r"(?P<number>\d+(?:\.\d+)*\.?|(?:\([a-z]{1,5}\)){1,2})(?:\*\*)?(?=\s|$)"
)
_BULLET_MARK = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25e6\uf0b7\uf0a7]|o(?=\s+[A-Z]))\s+")
_FOOTNOTE_TEXT = re.compile(
    r"^\s*(?:<sup>\s*(?P<sup>\w{1,12})\s*</sup>|\[\^(?P<md>[^\]\s]{1,20})\]:)\s*(?P<text>.*)$"
)
_PART_LABEL = re.compile(
    r"(?i)^(?P<word>appendix|annexe?|schedule|attachment)\s+(?P<id>[a-z0-9]{1,4}(?:\.\d{1,3})?)"
    r"(?![\w.])"
)
_PART_WORDS = {"appendix": "App", "annex": "Annex", "annexe": "Annex", "schedule": "Schedule"}
_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{0,20}):\s*(?P<value>.*)$")
_INTRODUCES = re.compile(r":-?$")
_TITLE_LABELS = frozenset({"subject", "title", "re"})
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "between", "by", "for", "from", "in", "of", "on", "or"}
    | {"the", "to", "with", "within", "under"}
)
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")
# The title is one of the first lines with words in them.
_TITLE_LINES = 30
# A bold span this long inside a paragraph is a sentence, not emphasis.
_SENTENCE_WORDS = 8
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_VALID_ROMAN = re.compile(r"^(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")


def parse_protocol(
    text: str, *, parts: Mapping[str, str] | None = None, source_format: str = "md"
) -> ParsedDocument:
    """The structure of a protocol document's text.

    `parts` maps a citation prefix to the text its part's heading starts with, as in
    `accord.profiles.paragraphs.parse_document`; None finds them: a heading such as
    "Appendix A", "Annex 1" or "Statutory Officers Protocol" after which the numbering starts
    again from 1 starts a part ("App A", "Annex 1", or the heading's initials, "SO").
    `source_format` "pdf" always repairs PDF damage (`repair`); other text is repaired only
    if it shows that damage.
    """
    source_lines = text.splitlines()
    warnings: list[ParseWarning] = []
    origins: Sequence[int]
    if source_format == "pdf" or looks_extracted(source_lines):
        repaired = repair(source_lines)
        lines: Sequence[str] = repaired.lines
        origins = repaired.origins
        warnings.extend(repaired.warnings)
    else:
        lines, origins = source_lines, range(1, len(source_lines) + 1)
    body = "\n".join(lines)

    if parts is None:
        declared, document, roles = _find_parts(body)
    else:
        declared = {prefix: heading for prefix, heading in parts.items() if prefix}
        document, roles = trace_document(body, parts=declared)
    found = {part.prefix: part for part in document.parts if part.prefix}
    for prefix, heading in declared.items():
        if not found[prefix].found:
            warnings.append(
                ParseWarning(
                    1,
                    f"No heading starting \u201c{heading}\u201d was found, so there is no part "
                    f"\u201c{prefix}\u201d.",
                )
            )
    reader = _Reader(lines, origins, document, roles, warnings)
    paragraphs = reader.read()
    return ParsedDocument(
        title=reader.title,
        parts={p: h for p, h in declared.items() if found[p].found},
        paragraphs=tuple(paragraphs),
        sections=tuple(dict.fromkeys(p.section for p in paragraphs if p.section)),
        footnotes=dict(reader.footnotes),
        warnings=tuple(sorted(warnings, key=lambda w: w.line)),
    )


# --- parts ---------------------------------------------------------------------------------


def _find_parts(body: str) -> tuple[dict[str, str], Document, tuple[LineRole, ...]]:
    """The parts of a document nobody named, with the document read into them."""
    document, roles = trace_document(body, parts={})
    lines = body.splitlines()
    detected: dict[str, str] = {}
    at: dict[str, int] = {}
    last: tuple[int, ...] | None = None
    headings: list[int] = []
    for index, role in enumerate(roles):
        if role.kind == "heading":
            headings.append(index)
            continue
        paragraph = _opened(document, role, index)
        if paragraph is None or paragraph.items:
            continue
        restarts = last is not None and paragraph.numbers[0] == 1 and paragraph.numbers <= last
        if restarts and headings:
            chosen = _part_heading([(i, plain(_unheaded(lines[i]))) for i in headings])
            if chosen is not None:
                index_at, prefix, heading = chosen
                prefix = _unique(prefix, detected)
                detected[prefix], at[prefix] = heading, index_at + 1
        last, headings = paragraph.numbers, []
    if not detected:
        return detected, document, roles
    document, roles = trace_document(body, parts=detected)
    misplaced = {
        part.prefix for part in document.parts if part.prefix and part.line != at[part.prefix]
    }
    if misplaced:
        # A shorter heading matched an earlier line: name those parts by the whole heading.
        for prefix in misplaced:
            detected[prefix] = plain(_unheaded(lines[at[prefix] - 1]))
        document, roles = trace_document(body, parts=detected)
    return detected, document, roles


def _opened(document: Document, role: LineRole, index: int) -> Paragraph | None:
    """The paragraph or item line `index` opens, one left out for its number included."""
    if role.kind in {"start", "title"}:
        return document.paragraphs[role.paragraph]
    if role.kind == "left out":
        left_out = document.left_out[role.left_out].paragraph
        return left_out if left_out.line == index + 1 else None
    return None


def _part_heading(headings: list[tuple[int, str]]) -> tuple[int, str, str] | None:
    """Of the headings before a restarted numbering, the one that names the part."""
    for index, text in headings:
        label = _PART_LABEL.match(text)
        if label:
            word = label.group("word").lower()
            prefix = f"{_PART_WORDS.get(word, word.title())} {label.group('id').upper()}"
            return index, prefix, " ".join(label.group(0).split())
    for index, text in headings:
        if text and not (text.startswith("[") and text.endswith("]")):
            heading = _title_case(text) if text.isupper() else text
            return index, _initials(heading), heading
    return None


def _initials(heading: str) -> str:
    words = [
        word
        for word in re.findall(r"[^\W\d_]+", heading)
        if word.casefold() not in _SMALL_WORDS and word.casefold() != "protocol"
    ]
    return "".join(word[0].upper() for word in words)[:6] or "Part"


def _title_case(text: str) -> str:
    words = text.lower().split()
    return " ".join(
        word if index and word in _SMALL_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def _unique(prefix: str, taken: Mapping[str, str]) -> str:
    candidate, number = prefix, 2
    while candidate in taken:
        candidate, number = f"{prefix} {number}", number + 1
    return candidate


def _unheaded(line: str) -> str:
    return line.strip().lstrip("#").strip()


# --- reading the paragraphs ----------------------------------------------------------------


@dataclass
class _Element:
    """A run of a paragraph's lines: its own words, or one bullet."""

    bullet: bool
    lines: list[str]
    last: int  # index of its last line
    joined: str = ""


@dataclass
class _Built:
    source: Paragraph
    parsed: ParsedParagraph
    marks: list[str] = field(default_factory=list)


class _Reader:
    def __init__(
        self,
        lines: Sequence[str],
        origins: Sequence[int],
        document: Document,
        roles: Sequence[LineRole],
        warnings: list[ParseWarning],
    ) -> None:
        self.lines = lines
        self.origins = origins
        self.document = document
        self.roles = roles
        self.warnings = warnings
        self.footnotes: dict[str, str] = {}
        self.footnote_lines: dict[str, int] = {}
        self.title = ""
        self.title_index = -1

    def line_number(self, index: int) -> int:
        return self.origins[index] if 0 <= index < len(self.origins) else index + 1

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(ParseWarning(self.line_number(index), message))

    # The steps, in order.

    def read(self) -> list[ParsedParagraph]:
        by_paragraph: list[list[int]] = [[] for _ in self.document.paragraphs]
        for index, role in enumerate(self.roles):
            if role.paragraph >= 0:
                by_paragraph[role.paragraph].append(index)
        first = next(
            (i for i, role in enumerate(self.roles) if role.kind in {"start", "title"}),
            len(self.roles),
        )
        self._read_title(first)
        self._read_footnotes()
        unplaced: set[int] = set()
        sections = self._sections(unplaced)
        self._warn_unplaced(first, unplaced)

        read = [self._elements(indexes) for indexes in by_paragraph]
        bold_inserts = self._bold_inserts([elements for elements, _ in read], by_paragraph)
        built = [
            self._build(position, indexes, *read[position], sections, bold_inserts)
            for position, indexes in enumerate(by_paragraph)
        ]
        self._warn_left_out()
        self._check_numbering(built)
        self._check_items(built)
        self._check_marks(built)
        return _with_unique_anchors([b.parsed for b in built])

    def _read_title(self, first: int) -> None:
        candidates: list[tuple[int, str]] = []
        looked_at = 0
        for index in range(first):
            if self.roles[index].kind not in {"heading", "outside", "part"}:
                continue
            looked_at += 1
            if looked_at > _TITLE_LINES:
                break
            raw = self.lines[index].strip()
            text = plain(_unheaded(raw))
            if raw.startswith("#") and text:
                self.title, self.title_index = text, index
                return
            label = _LABEL_LINE.match(text)
            if label and label.group("label").strip().casefold() in _TITLE_LABELS:
                if label.group("value").strip():
                    self.title, self.title_index = label.group("value").strip(), index
                    return
                continue
            if label or len(text.split()) > 20:
                continue
            candidates.append((index, text))
        for index, text in candidates:
            if len(re.findall(r"[^\W\d_]{2,}", text)) >= 3:
                self.title, self.title_index = text, index
                return
        if candidates:
            self.title_index, self.title = candidates[0]

    def _read_footnotes(self) -> None:
        for index, role in enumerate(self.roles):
            if role.kind != "footnote":
                continue
            match = _FOOTNOTE_TEXT.match(self.lines[index])
            if match is None:
                continue
            mark = match.group("sup") or match.group("md") or ""
            words = plain(match.group("text"))
            if mark in self.footnotes:
                self.warn(index, f"Footnote {mark} is given twice; the first text was kept.")
                continue
            self.footnotes[mark] = words
            self.footnote_lines[mark] = index

    def _warn_unplaced(self, first: int, unplaced: set[int]) -> None:
        """One warning for each stretch of words after the first paragraph that belong to no
        paragraph and are not a heading (blank lines between do not break a stretch)."""
        stretch: list[int] = []
        for index, role in enumerate(self.roles):
            if index > first and (role.kind == "outside" or index in unplaced):
                stretch.append(index)
            elif role.kind != "blank" and stretch:
                self._warn_stretch(stretch)
                stretch = []
        if stretch:
            self._warn_stretch(stretch)

    def _warn_stretch(self, stretch: list[int]) -> None:
        words = plain(" ".join(_BULLET_MARK.sub("", self.lines[i], count=1) for i in stretch))
        self.warn(
            stretch[0],
            f"This text is not in any numbered paragraph, so it was left out: "
            f"\u201c{_snippet(words)}\u201d.",
        )

    def _sections(self, unplaced: set[int]) -> list[str]:
        """For each line, the section it is in: the nearest heading above it that is not a
        numbered paragraph's, until a numbered heading at a higher level ends it. Lines read
        as headings that are not (a form's "Date: ..." line) are added to `unplaced`."""
        title_key = _key(self.title)
        sections = [""] * len(self.roles)
        part_heading = section = ""
        scope: tuple[int, bool] | None = None  # depth and heading-ness of its first paragraph
        from_heading = False
        for index, role in enumerate(self.roles):
            if role.kind == "part":
                part_heading = section = plain(_unheaded(self.lines[index]))
                scope, from_heading = None, False
            elif role.kind == "heading" and index != self.title_index:
                text = plain(_unheaded(self.lines[index]))
                if text.startswith("[") and text.endswith("]"):
                    pass  # an editorial marker: "[end of Part 5C]"
                elif _is_label(text) or _INTRODUCES.search(text):
                    # A line of a form ("Date of issue: 12/12/2023"), or words introducing a
                    # list ("...apply to all relations:-"): not a heading to file under.
                    unplaced.add(index)
                elif title_key and _key(text) == title_key:
                    self.warn(
                        index,
                        f"This line repeats the title, so it was read as a running header: "
                        f"\u201c{_snippet(text)}\u201d.",
                    )
                elif text:
                    section, scope, from_heading = text, None, True
            elif role.kind in {"start", "title"}:
                paragraph = self.document.paragraphs[role.paragraph]
                if not paragraph.items and from_heading:
                    depth, headed = len(paragraph.numbers), bool(paragraph.heading)
                    if scope is None:
                        scope = (depth, headed)
                    elif headed and (depth < scope[0] or (depth == scope[0] and not scope[1])):
                        section, scope, from_heading = part_heading, None, False
            sections[index] = section
        return sections

    def _elements(self, indexes: list[int]) -> tuple[list[_Element], str]:
        """A paragraph's lines as runs of its own words and bullets, and its number as
        written on its first line."""
        elements: list[_Element] = []
        written = ""
        for index in indexes:
            role, raw = self.roles[index], self.lines[index]
            if role.kind in {"start", "title"}:
                lead = _LEAD.match(raw)
                written = lead.group("number").rstrip(".") if lead else ""
                if role.kind == "start":
                    elements.append(_Element(False, [raw[lead.end() :] if lead else raw], index))
            elif role.kind == "bullet":
                elements.append(_Element(True, [_BULLET_MARK.sub("", raw, count=1)], index))
            elif elements and (
                not elements[-1].bullet or not self._blank_between(elements[-1].last, index)
            ):
                elements[-1].lines.append(raw)
                elements[-1].last = index
            else:
                elements.append(_Element(False, [raw], index))
        for element in elements:
            element.joined = _join_lines(element.lines)
        return elements, written

    def _blank_between(self, before: int, after: int) -> bool:
        return any(self.roles[i].kind == "blank" for i in range(before + 1, after))

    def _bold_inserts(self, elements: list[list[_Element]], by_paragraph: list[list[int]]) -> bool:
        """Whether the document shows its changes in bold: bold spans of sentence length in
        the paragraphs' own words."""
        long_spans = 0
        first_line = -1
        for position, paragraph_elements in enumerate(elements):
            for element in paragraph_elements:
                if element.bullet:
                    continue
                spans = bold_span_words(element.joined)
                found = sum(1 for words in spans if words >= _SENTENCE_WORDS)
                if found and first_line < 0:
                    first_line = by_paragraph[position][0]
                long_spans += found
        if long_spans >= 2:
            self.warn(
                first_line,
                f"Bold text inside paragraphs was read as tracked insertions, not emphasis: the "
                f"document shows its changes in bold ({long_spans} passages of a sentence or "
                f"more).",
            )
            return True
        return False

    def _build(
        self,
        position: int,
        indexes: list[int],
        elements: list[_Element],
        written: str,
        sections: list[str],
        bold_inserts: bool,
    ) -> _Built:
        source = self.document.paragraphs[position]
        start = indexes[0]
        bullets: list[str] = []
        marks: list[str] = []
        if self.roles[start].kind == "title":
            marks.extend(parse_inline(self.lines[start], bold_inserts=False).marks)
        if len(elements) == 1 and not elements[0].bullet:
            inline = parse_inline(elements[0].joined, bold_inserts=bold_inserts)
            text = inline.text
        else:
            own = [element.joined for element in elements if not element.bullet]
            inline = parse_inline(" ".join(own), bold_inserts=bold_inserts)
            # The own words are read as one, but each run of them keeps its place among the
            # bullets: "intro: - a - b closing words".
            runs = iter([plain(words) for words in own] if len(own) > 1 else [inline.text])
            texts = []
            for element in elements:
                if not element.bullet:
                    texts.append(next(runs))
                    continue
                bullet = parse_inline(element.joined, bold_inserts=False)
                marks.extend(bullet.marks)
                if bullet.text:
                    bullets.append(bullet.text)
                    texts.append(bullet.text)
            text = " ".join(" ".join(texts).split())
        self._warn_unmatched(start, inline)
        marks.extend(inline.marks)
        reference = source.reference
        parsed = ParsedParagraph(
            kind="item" if source.items else "paragraph",
            part=source.part,
            number=written or (f"({source.items[-1]})" if source.items else source.number),
            reference=reference,
            anchor=anchor_for(reference),
            heading=plain(source.heading) if source.heading else "",
            section=sections[start],
            text=text,
            segments=tuple(inline.segments),
            renumbered_from=source.renumbered_from,
            bullets=tuple(bullets),
            footnotes=tuple(self.footnotes[m] for m in dict.fromkeys(marks) if m in self.footnotes)
            if marks
            else (),
            line=self.line_number(start),
        )
        return _Built(source, parsed, marks)

    def _warn_unmatched(self, index: int, inline: Inline) -> None:
        for mark in inline.unmatched:
            kind = "strike-through" if mark == "~~" else "bold"
            self.warn(index, f"A {kind} mark ({mark}) here has no partner, so it was ignored.")
        if inline.flattened:
            self.warn(
                index,
                "This paragraph has more bold, strike-through and footnote marks than a "
                "document's tracked changes would, so they were taken out and its words kept "
                "as they are.",
            )
        if inline.opened_at_start:
            self.warn(
                index,
                "A closing bold mark (**) here has no opening one; the paragraph's words "
                "before it were read as inserted.",
            )

    def _warn_left_out(self) -> None:
        """One warning for each paragraph or item numbered as an earlier one was: it is left
        out, with the items under it, and the person importing is told why and what to do."""
        groups: list[tuple[LeftOut, list[str]]] = []
        for entry in self.document.left_out:
            if entry.is_repeat:
                groups.append((entry, []))
            elif groups:
                groups[-1][1].append(entry.paragraph.reference)
        for entry, items in groups:
            left = entry.paragraph
            first = self.line_number(entry.first_line - 1)
            if left.items:
                message = (
                    f"Item {left.reference} is lettered the same as the item at line {first}, "
                    f"so it was left out. Give it the next letter in its list."
                )
            else:
                noun = "item" if len(items) == 1 else "items"
                with_items = f", with its {noun} {_listed(items)}," if items else ""
                message = (
                    f"Paragraph {left.reference} is numbered the same as the paragraph at line "
                    f"{first}, so it was left out{with_items} and nothing can cite it. If the "
                    f"numbering starts again here because a new part begins, give the part a "
                    f"heading such as \u201cAppendix A\u201d; otherwise correct the number."
                )
            self.warn(left.line - 1, message)

    def _check_numbering(self, kept: list[_Built]) -> None:
        last: dict[str, _Built] = {}
        for entry in kept:
            if entry.parsed.kind != "paragraph":
                continue
            before = last.get(entry.source.part)
            last[entry.source.part] = entry
            if before is None or _follows(before.source.numbers, entry.source.numbers):
                continue
            now, then = entry.parsed.reference, before.parsed.reference
            if entry.source.numbers <= before.source.numbers:
                message = (
                    f"Paragraph {now} comes after paragraph {then}: the numbering goes back "
                    f"without a new part starting."
                )
            else:
                message = (
                    f"Paragraph {now} comes after paragraph {then}: the numbers in between "
                    f"are missing."
                )
            self.warnings.append(ParseWarning(entry.parsed.line, message))

    def _check_items(self, kept: list[_Built]) -> None:
        groups: dict[tuple[str, tuple[str, ...]], list[_Built]] = {}
        for entry in kept:
            source = entry.source
            if source.items:
                parent = (source.part, source.path[:-1])
                groups.setdefault(parent, []).append(entry)
        for entries in groups.values():
            marks = [e.source.items[-1] for e in entries]
            values = _item_values(marks)
            if values[0] != 1:
                self.warnings.append(
                    ParseWarning(
                        entries[0].parsed.line,
                        f"The first item of {_parent_name(entries[0])} is ({marks[0]}), not "
                        f"({'i' if _is_roman_run(marks) else 'a'}).",
                    )
                )
            numbered = list(zip(entries, values, strict=True))
            for (before, value_before), (entry, value) in itertools.pairwise(numbered):
                if value == value_before + 1:
                    continue
                gap = "an item in between is missing" if value > value_before else "it goes back"
                self.warnings.append(
                    ParseWarning(
                        entry.parsed.line,
                        f"Item {entry.parsed.reference} comes after item "
                        f"{before.parsed.reference}: {gap}.",
                    )
                )

    def _check_marks(self, kept: list[_Built]) -> None:
        used: set[str] = set()
        for entry in kept:
            for mark in dict.fromkeys(entry.marks):
                used.add(mark)
                if mark not in self.footnotes:
                    self.warnings.append(
                        ParseWarning(
                            entry.parsed.line,
                            f"Paragraph {entry.parsed.reference} has footnote mark {mark}, but "
                            f"no footnote {mark} was found.",
                        )
                    )
        for mark, words in self.footnotes.items():
            if mark not in used:
                self.warn(
                    self.footnote_lines[mark],
                    f"Footnote {mark} is not marked in any paragraph: "
                    f"\u201c{_snippet(words)}\u201d.",
                )


# --- helpers -------------------------------------------------------------------------------


def _listed(references: list[str]) -> str:
    if len(references) == 1:
        return references[0]
    return ", ".join(references[:-1]) + f" and {references[-1]}"


def _join_lines(lines: list[str]) -> str:
    pieces: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if pieces:
            before = pieces[-1]
            glued = before.endswith("-") and "a" <= before[-2:-1] <= "z" and line[:1].islower()
            if not glued:  # glued: a word split by the PDF's hyphenation, "e-" + "mail"
                pieces.append(" ")
        pieces.append(line)
    return "".join(pieces)


def _follows(before: tuple[int, ...], now: tuple[int, ...]) -> bool:
    """Whether `now` may come straight after `before`: 4 after 3, 3.1 after 3, 4.1 after 3.2."""
    if len(now) > len(before) and now[: len(before)] == before:
        return all(n == 1 for n in now[len(before) :])
    for depth in range(len(before)):
        if now[:depth] == before[:depth] and len(now) > depth and now[depth] == before[depth] + 1:
            return all(n == 1 for n in now[depth + 1 :])
    return False


def _roman_value(mark: str) -> int:
    total = 0
    for char, following in zip(mark, [*mark[1:], ""], strict=True):
        value = _ROMAN[char]
        total += -value if following and _ROMAN[following] > value else value
    return total


def _is_roman_run(marks: list[str]) -> bool:
    """Whether items marked `marks` are numbered in roman numerals rather than letters."""
    if not all(_VALID_ROMAN.match(m) for m in marks):
        return False
    if any(len(m) > 1 for m in marks):
        return True
    return _breaks([_roman_value(m) for m in marks]) < _breaks([ord(m) - 96 for m in marks])


def _breaks(values: list[int]) -> int:
    return (values[0] != 1) + sum(1 for a, b in itertools.pairwise(values) if b != a + 1)


def _item_values(marks: list[str]) -> list[int]:
    if _is_roman_run(marks):
        return [_roman_value(m) for m in marks]
    return [ord(m[0]) - 96 if len(m) == 1 else 0 for m in marks]


def _parent_name(entry: _Built) -> str:
    source = entry.source
    parent = re.sub(r"\([a-z]+\)$", "", entry.parsed.reference)
    kind = "item" if len(source.items) > 1 else "paragraph"
    return f"{kind} {parent}"


def _is_label(text: str) -> bool:
    label = _LABEL_LINE.match(text)
    return label is not None and bool(label.group("value").strip())


def _key(text: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", text.casefold())


def _snippet(text: str, length: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "\u2026"


def _with_unique_anchors(paragraphs: list[ParsedParagraph]) -> list[ParsedParagraph]:
    taken: set[str] = set()
    result: list[ParsedParagraph] = []
    for paragraph in paragraphs:
        anchor, number = paragraph.anchor, 2
        while anchor in taken:
            anchor, number = f"{paragraph.anchor}-{number}", number + 1
        taken.add(anchor)
        result.append(
            paragraph if anchor == paragraph.anchor else replace(paragraph, anchor=anchor)
        )
    return result
