"""Read a protocol document's text into its numbered paragraphs, as profiles cite them.

The documents come as plain text or light Markdown, often converted from a PDF or a Word file
with tracked changes. `parse_document` turns one into an ordered list of `Paragraph`s:

- numbered paragraphs ("50.", "4.3", "2.3.", "- 25.", "**3.3**", "### 1 Introduction");
- lettered and roman items under them ("(c)", "(b)(i)", "(xv)"), numbered "50(c)", "11(b)(i)";
- each with its own text joined across hard line breaks and page-break blank lines, without
  bold marks, links, footnote markers or struck-out (``~~deleted~~``) text;
- a short title kept apart as `heading` ("9. Familiarity", "(a) Discussion");
- parts: where a document annexes another protocol that numbers from 1 again, the caller names
  each part by a prefix and the text its heading line starts with ("SO" and "Statutory Officers
  Protocol"); paragraphs after that heading belong to the part and are cited "SO 4.3".

Tracked renumbering written old-then-new in bold ("**3.3.5**": the old 3.3, now 3.5; "(xiv)(xv)")
gives the current number, which is what profiles cite. Text that belongs to no numbered
paragraph (titles, contents lists, preambles, footnotes, running headers) is left out.

A number used twice in one part is an error in the document, never a merge: the first
paragraph with that number (and its items) is the paragraph; the later one, with every item
under it, is left out and listed in `Document.left_out`, so that nothing can cite it and the
library does not show it. Where the numbering starts again because a new part begins, the part
needs a heading (declared under a profile's `source.parts`, or found by the library).

This module is the one reading of a protocol's numbering: the profiles' citation checks and the
library (its pages, search and redline, through `accord.library.parsing`) both take their
paragraphs from `trace_document`. Lines are Python's lines (`str.splitlines`), so every line
break Unicode has (a form feed, U+2028, U+0085 ...) ends a line for both.

Text after a list of Markdown items ("- (f) ...", a blank line, then unbulleted words) closes
the paragraph the items belong to. Where the layout cannot tell an item's last words from
its parent's closing words (items without bullets, as in a PDF's text), they stay with the
item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "LINE_BREAKS",
    "Document",
    "DocumentPart",
    "LeftOut",
    "LineRole",
    "Paragraph",
    "Reference",
    "parse_document",
    "parse_reference",
    "trace_document",
]

# What `str.splitlines` ends a line at, besides "\n": text stored or shown with these
# replaced by "\n" has the same lines, and the same line numbers, as this module reads.
LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_STRUCK = re.compile(r"~~.*?~~")
_FOOTNOTE_MARK = re.compile(r"<sup>\s*\w+\s*</sup>|\[\^[^\]\s]{1,20}\]")
# A Markdown footnote's text: "[^1]: HM Government (1995) ...".
_FOOTNOTE_TEXT = re.compile(r"\[\^[^\]\s]{1,20}\]:")
# Neither part may contain its own opening bracket, so that a line of thousands of "[" or
# "](" is read in one pass rather than rescanned from each of them.
_LINK = re.compile(r"\[([^\[\]]*)\]\([^)\]]*\)")
_BULLET = re.compile(r"^(?:[-*\u2022\u25aa\u25e6\uf0b7\uf0a7]|o(?=\s+[A-Z]))\s+")
_NUMBERED = re.compile(
    r"^(?P<bold>\*\*)?(?P<number>\d+(?:\.\d+)+|\d+(?=\.))\.?(?:\*\*)?(?=\s|$)\s*(?P<rest>.*)$"
)
_HEADING_NUMBER = re.compile(r"^(?:\*\*)?(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<rest>.*)$")
# A bold number longer than its neighbours is a tracked renumbering written old-then-new:
# "3.4.3.6" (3.4 became 3.6) or "3.3.5" (3.3 became 3.5, the section number not repeated).
_RENUMBERED = re.compile(r"^(\d+)\.(\d+)\.(?:(\d+)\.)?(\d+)$")
_ITEM = re.compile(
    r"^\((?P<first>[a-z]{1,5})\)(?:\((?P<second>[a-z]{1,5})\))?(?=\s|$)\s*(?P<rest>.*)$"
)
_ROMAN = re.compile(r"^(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})$")
_TOC_ENTRY = re.compile(r"^\d+\.\s+\[[^\]]*\]\([^)]*\)$")
_RULE = re.compile(r"-{3,}|\*{3,}|_{3,}")
_WORD = re.compile(r"\w")
_REFERENCE = re.compile(
    r"^(?P<prefix>.*?)\s*(?P<number>\d+(?:\.\d+)*)(?P<items>(?:\([a-z]{1,5}\))*)$"
)
_SENTENCE_END = re.compile(r"(?:[.;:!?)]|\s[-\u2013])$")
_HEADING_ALLOWED_AFTER = re.compile(r"[.!?\])]$")
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "between", "by", "for", "from", "in", "of", "on", "or"}
    | {"the", "to", "with", "within", "under"}
)


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph or item of a document, in the document's own numbering."""

    part: str
    numbers: tuple[int, ...]
    items: tuple[str, ...]
    text: str
    heading: str = ""
    line: int = 0
    renumbered_from: str = ""

    @property
    def number(self) -> str:
        """The paragraph's number within its part: "50", "4.3", "50(c)", "11(b)(i)"."""
        return _number(self.numbers, self.items)

    @property
    def reference(self) -> str:
        """The paragraph as a profile cites it: "50(c)", "SO 4.3", "App B 8.2"."""
        return f"{self.part} {self.number}" if self.part else self.number

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(str(n) for n in self.numbers) + self.items

    @property
    def is_item(self) -> bool:
        return bool(self.items)

    def is_within(self, other: Paragraph) -> bool:
        """True if this is `other` or is numbered under it: 4.3 under 4, 50(c) under 50."""
        return self.part == other.part and self.path[: len(other.path)] == other.path

    def excerpt(self, length: int = 70) -> str:
        words = self.text or self.heading
        return words if len(words) <= length else words[: length - 1].rstrip() + "\u2026"


@dataclass(frozen=True)
class Reference:
    """A citation taken apart: `prefix` ("" for the main part), `number` ("4.3(b)")."""

    prefix: str
    numbers: tuple[int, ...]
    items: tuple[str, ...]

    @property
    def number(self) -> str:
        return _number(self.numbers, self.items)

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(str(n) for n in self.numbers) + self.items

    def __str__(self) -> str:
        return f"{self.prefix} {self.number}" if self.prefix else self.number


def parse_reference(cite: str) -> Reference | None:
    """ "SO 2.1(a)" -> Reference("SO", (2, 1), ("a",)); None if there is no paragraph number."""
    match = _REFERENCE.match(" ".join(cite.split()))
    if match is None:
        return None
    numbers = tuple(int(n) for n in match.group("number").split("."))
    items = tuple(re.findall(r"\(([a-z]+)\)", match.group("items")))
    return Reference(match.group("prefix").strip(), numbers, items)


@dataclass(frozen=True)
class DocumentPart:
    """A part of the document: "" is the main part; others are the caller's prefixes."""

    prefix: str
    heading: str
    line: int | None

    @property
    def found(self) -> bool:
        return self.line is not None


@dataclass(frozen=True)
class LeftOut:
    """A paragraph or item the document numbers as an earlier one was numbered (`first_line`
    is where that one starts), or an item under such a paragraph (`under` is the paragraph's
    reference). Left out of `Document.paragraphs`."""

    paragraph: Paragraph
    first_line: int
    under: str = ""

    @property
    def is_repeat(self) -> bool:
        return not self.under


@dataclass(frozen=True)
class Document:
    paragraphs: tuple[Paragraph, ...]
    parts: tuple[DocumentPart, ...]
    left_out: tuple[LeftOut, ...] = ()
    _index: dict[tuple[str, tuple[str, ...]], Paragraph] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for paragraph in self.paragraphs:
            self._index[(paragraph.part, paragraph.path)] = paragraph

    @property
    def duplicates(self) -> tuple[str, ...]:
        """The references the document uses more than once, each once, in order."""
        return tuple(dict.fromkeys(e.paragraph.reference for e in self.left_out if e.is_repeat))

    def find(self, reference: Reference | str) -> Paragraph | None:
        """The paragraph a citation names, in the part its prefix names, or None."""
        ref = parse_reference(reference) if isinstance(reference, str) else reference
        if ref is None:
            return None
        return self._index.get((ref.prefix, ref.path))

    def part(self, prefix: str) -> DocumentPart | None:
        return next((part for part in self.parts if part.prefix == prefix), None)

    def in_part(self, prefix: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.part == prefix]

    def children(self, paragraph: Paragraph) -> list[Paragraph]:
        depth = len(paragraph.path) + 1
        return [p for p in self.paragraphs if len(p.path) == depth and p.is_within(paragraph)]

    def parent(self, paragraph: Paragraph) -> Paragraph | None:
        for depth in range(len(paragraph.path) - 1, 0, -1):
            found = self._index.get((paragraph.part, paragraph.path[:depth]))
            if found is not None:
                return found
        return None


@dataclass
class _Open:
    """A paragraph being read: its text grows line by line until the next one starts."""

    part: str
    numbers: tuple[int, ...]
    items: tuple[str, ...]
    heading: str
    lines: list[str]
    line: int
    renumbered_from: str
    bulleted: bool
    position: int = -1
    # The last characters of the text so far: what decides how the next line is read, kept
    # as lines are added so that a paragraph of many lines is not joined again for each.
    ending: str = ""

    def __post_init__(self) -> None:
        for line in self.lines:  # a paragraph's first words, already plain
            self.ending = _join_ending(self.ending, line)

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.ending = _join_ending(self.ending, _plain(line))

    def text(self) -> str:
        return _join(self.lines)

    def close(self) -> Paragraph:
        return Paragraph(
            part=self.part,
            numbers=self.numbers,
            items=self.items,
            text=self.text(),
            heading=self.heading,
            line=self.line,
            renumbered_from=self.renumbered_from,
        )


@dataclass
class _Items:
    """Which list the next "(x)" continues: letters (a, b, c) or roman numerals (i, ii)."""

    letter: str = ""
    in_roman: bool = False
    roman_under_letter: bool = False

    def place(self, mark: str) -> tuple[str, ...]:
        """The item path of "(mark)": ("c",) for a letter, ("b", "i") for a roman under (b)."""
        roman = bool(_ROMAN.match(mark))
        next_letter = chr(ord(self.letter[-1]) + 1) if self.letter else "a"
        if self.in_roman and roman:
            return (self.letter, mark) if self.roman_under_letter else (mark,)
        if self.letter and mark == next_letter:
            return self._letter(mark)  # "(i)" after "(h)" is a letter
        if mark == "i" or (roman and len(mark) > 1):
            self.in_roman, self.roman_under_letter = True, bool(self.letter)
            return (self.letter, mark) if self.letter else (mark,)
        return self._letter(mark)

    def _letter(self, mark: str) -> tuple[str, ...]:
        self.letter, self.in_roman, self.roman_under_letter = mark, False, False
        return (mark,)


def _is_mark(mark: str) -> bool:
    """A letter or a roman numeral, as items are numbered; "(see)" or "(ab)" is not one."""
    return len(mark) == 1 or bool(_ROMAN.match(mark))


def _clean(line: str) -> str:
    # Each pattern only where it could match: most lines have no markup at all.
    if "~~" in line:
        line = _STRUCK.sub("", line)
    if "<sup>" in line or "[^" in line:
        line = _FOOTNOTE_MARK.sub("", line)
    if "](" in line:
        line = _LINK.sub(r"\1", line)
    return " ".join(line.split())


def _plain(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _glued(before: str, line: str) -> bool:
    """A word split across lines by the PDF's hyphenation: "e-" + "mail"."""
    return before[-1:] == "-" and "a" <= before[-2:-1] <= "z" and line[:1].islower()


def _join(lines: list[str]) -> str:
    pieces: list[str] = []
    ending = ""
    for raw in lines:
        line = _plain(raw)
        if not line:
            continue
        if pieces and not _glued(ending, line):
            pieces.append(" ")
        pieces.append(line)
        ending = _join_ending(ending, line)
    return "".join(pieces)


def _join_ending(ending: str, line: str) -> str:
    """The last two characters of `_join` once `line` is added to text ending `ending`."""
    if not line:
        return ending
    if not ending:
        return line[-2:]
    return (ending + ("" if _glued(ending, line) else " ") + line)[-2:]


def _is_title(text: str, *, max_words: int = 12) -> bool:
    """A short heading in title case: "Status and Purpose", "Protection of Officers"."""
    words = text.split()
    if (
        not words
        or len(words) > max_words
        or not text[:1].isupper()
        or re.search(r"[;:]|[.!?,]$", text)
        or words[-1].lower() in _SMALL_WORDS
    ):
        return False
    return all(
        word.lower() in _SMALL_WORDS or not word[:1].isalpha() or word[:1].isupper()
        for word in (w.strip("\"'\u201c\u201d\u2018\u2019()") for w in words)
        if word
    )


def _heading_matches(text: str, heading: str) -> bool:
    want = " ".join(heading.replace("**", "").split()).casefold()
    have = _plain(text).casefold()
    return have.startswith(want) and not have[len(want) : len(want) + 1].isalnum()


@dataclass(frozen=True)
class LineRole:
    """How one line of the text was read, for callers that need more than the paragraphs
    (`accord.library.parsing`).

    `kind` is one of: "blank"; "skipped" (a horizontal rule, a contents entry, stray
    punctuation); "footnote" (a footnote's text); "start" (the line opens paragraph
    `paragraph` and its words are the paragraph's first words); "title" (it opens paragraph
    `paragraph` and its words are the paragraph's heading); "text" or "bullet" (more words of
    paragraph `paragraph`, a bulleted line for "bullet"); "part" (the heading a declared part
    starts at); "heading" (a heading between paragraphs); "outside" (words that belong to no
    paragraph: a preamble, a running header); "left out" (a line of `Document.left_out`
    entry `left_out`). `paragraph` is a position in `Document.paragraphs`, or -1.
    """

    kind: str
    paragraph: int = -1
    left_out: int = -1


def parse_document(text: str, *, parts: Mapping[str, str] | None = None) -> Document:
    """The numbered paragraphs of `text`, in order.

    `parts` maps a citation prefix to the text its part's heading line starts with (compared
    without regard to case), e.g. {"SO": "Statutory Officers Protocol", "App A": "Appendix A"}.
    Paragraphs before the first such heading are in the main part, prefix "".
    """
    return trace_document(text, parts=parts)[0]


def trace_document(
    text: str, *, parts: Mapping[str, str] | None = None
) -> tuple[Document, tuple[LineRole, ...]]:
    """`parse_document`, with how each line of `text.splitlines()` was read."""
    declared = dict(parts or {})
    lines = text.splitlines()
    found_at: dict[str, int] = {}
    roles = [_BLANK] * len(lines)
    paragraphs, left_out, moved = _leave_out_repeats(_read(lines, declared, found_at, roles))
    for index, role in enumerate(roles):
        if role.paragraph >= 0:
            kept, position = moved[role.paragraph]
            roles[index] = (
                LineRole(role.kind, position) if kept else LineRole("left out", left_out=position)
            )
    document_parts = [DocumentPart("", "", 1)] + [
        DocumentPart(prefix, heading, found_at.get(prefix)) for prefix, heading in declared.items()
    ]
    document = Document(tuple(paragraphs), tuple(document_parts), tuple(left_out))
    return document, tuple(roles)


def _leave_out_repeats(
    read: list[Paragraph],
) -> tuple[list[Paragraph], list[LeftOut], list[tuple[bool, int]]]:
    """The paragraphs without any numbered as an earlier one was, nor the items under such a
    paragraph; what was left out; and where each paragraph read went: (kept, position in the
    paragraphs or in what was left out)."""
    kept: list[Paragraph] = []
    left_out: list[LeftOut] = []
    moved: list[tuple[bool, int]] = []
    first_line: dict[tuple[str, tuple[str, ...]], int] = {}
    repeated = ""  # the reference of the repeated paragraph whose items are being read
    for paragraph in read:
        key = (paragraph.part, paragraph.path)
        if not paragraph.items:
            repeated = paragraph.reference if key in first_line else ""
        if key in first_line or (paragraph.items and repeated):
            under = repeated if paragraph.items and repeated else ""
            moved.append((False, len(left_out)))
            left_out.append(LeftOut(paragraph, first_line.get(key, 0), under))
            continue
        first_line[key] = paragraph.line
        moved.append((True, len(kept)))
        kept.append(paragraph)
    return kept, left_out, moved


_BLANK = LineRole("blank")
_SKIPPED = LineRole("skipped")
_FOOTNOTE = LineRole("footnote")
_PART = LineRole("part")
_HEADING = LineRole("heading")
_OUTSIDE = LineRole("outside")


def _read(
    lines: list[str], parts: dict[str, str], found_at: dict[str, int], roles: list[LineRole]
) -> list[Paragraph]:
    opened: list[_Open] = []
    part = ""
    current: _Open | None = None  # the paragraph or item whose text is being read
    numbered: _Open | None = None  # the numbered paragraph the items belong to
    items = _Items()
    after_blank = True

    cleaned = [_clean(line) for line in lines]

    def blank(index: int) -> bool:
        return index < 0 or index >= len(lines) or not cleaned[index].strip("*#")

    for index, raw in enumerate(lines):
        stripped = raw.strip()
        if stripped.startswith(("<sup>", "[^")) and (
            stripped.startswith("<sup>") or _FOOTNOTE_TEXT.match(stripped)
        ):
            roles[index] = _FOOTNOTE
            continue  # a footnote's text
        if stripped[:1] in "-*_" and _RULE.fullmatch(stripped):
            roles[index] = _SKIPPED
            continue  # a horizontal rule
        if "](" in stripped and _TOC_ENTRY.match(_BULLET.sub("", stripped)):
            roles[index] = _SKIPPED
            continue  # a contents list entry: "1. [Principles](#)"
        line = cleaned[index]
        if not line.strip("*#"):
            after_blank = True
            continue
        if not _WORD.search(line):
            roles[index] = _SKIPPED
            continue  # a stray full stop or bullet left by the conversion
        was_after_blank, after_blank = after_blank, False
        bullet = _BULLET.match(line)
        bulleted = bullet is not None
        body = line[bullet.end() :] if bullet else line
        markdown_heading = body.startswith("#")
        if markdown_heading:
            body = body.lstrip("#").strip()

        number_match = _HEADING_NUMBER.match(body) if markdown_heading else _NUMBERED.match(body)
        if number_match:
            number = number_match.group("number")
            renumbered_from = ""
            renumbered = _RENUMBERED.match(number)
            if renumbered and number_match.groupdict().get("bold"):
                section, old, new_section, new = renumbered.groups()
                renumbered_from = f"{section}.{old}"
                number = f"{new_section or section}.{new}"
            rest = _plain(number_match.group("rest"))
            heading = rest if markdown_heading or _is_title(rest) else ""
            current = numbered = _Open(
                part=part,
                numbers=tuple(int(n) for n in number.split(".")),
                items=(),
                heading=heading,
                lines=[] if heading else [rest],
                line=index + 1,
                renumbered_from=renumbered_from,
                bulleted=bulleted,
                position=len(opened),
            )
            opened.append(current)
            roles[index] = LineRole("title" if heading else "start", current.position)
            items = _Items()
            continue

        item_match = _ITEM.match(_plain(body)) if numbered is not None and "(" in body else None
        if item_match and numbered is not None and _is_mark(item_match.group("first")):
            mark, old_mark = item_match.group("first"), ""
            if item_match.group("second"):
                mark, old_mark = item_match.group("second"), mark
            placed = items.place(mark)
            rest = item_match.group("rest").strip()
            heading = rest if _is_title(rest, max_words=8) else ""
            current = _Open(
                part=part,
                numbers=numbered.numbers,
                items=placed,
                heading=heading,
                lines=[] if heading else [rest],
                line=index + 1,
                renumbered_from=(
                    _number(numbered.numbers, (*placed[:-1], old_mark)) if old_mark else ""
                ),
                bulleted=bulleted,
                position=len(opened),
            )
            opened.append(current)
            roles[index] = LineRole("title" if heading else "start", current.position)
            continue

        open_text = current.ending if current is not None else ""
        on_its_own = was_after_blank and blank(index + 1) and not bulleted
        if markdown_heading or on_its_own:
            starts = next(
                (p for p, h in parts.items() if p not in found_at and _heading_matches(body, h)),
                None,
            )
            if starts is not None:
                found_at[starts], part = index + 1, starts
                current, numbered, items = None, None, _Items()
                roles[index] = _PART
                continue
        if markdown_heading or (
            on_its_own
            and (not open_text or _HEADING_ALLOWED_AFTER.search(open_text))
            and _is_unnumbered_heading(body)
        ):
            current, numbered, items = None, None, _Items()
            roles[index] = _HEADING
            continue
        if current is None:
            roles[index] = _OUTSIDE
            continue  # a preamble or a running header: no paragraph to belong to
        if (
            current.items
            and current.bulleted
            and was_after_blank
            and not bulleted
            and numbered is not None
            and _SENTENCE_END.search(open_text)
        ):
            # Markdown list items end at a blank line; unbulleted text after it is the
            # closing words of the paragraph the items belong to.
            current = numbered
        current.add(body)
        roles[index] = LineRole("bullet" if bulleted else "text", current.position)

    return [paragraph.close() for paragraph in opened]


def _number(numbers: tuple[int, ...], items: tuple[str, ...]) -> str:
    return ".".join(str(n) for n in numbers) + "".join(f"({i})" for i in items)


def _is_unnumbered_heading(text: str) -> bool:
    plain = _plain(text)
    if plain.startswith("[") and plain.endswith("]"):
        return True  # an editorial marker such as "[end of Part 5C]"
    words = plain.split()
    return (
        bool(words)
        and len(words) <= 15
        and plain[:1].isupper()
        # ":-" is how older documents introduce a list: a lead-in sentence, not a heading.
        and not re.search(r"[.,;:!?][-\u2013\u2014]?$", plain)
    )
