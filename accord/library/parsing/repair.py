"""Repairing text extracted from a PDF.

A PDF keeps where each line was drawn, not which lines make a sentence, so its text comes out
broken: hard line breaks in mid-sentence, blank lines where a page ended in mid-sentence, a
bullet glyph on a line of its own, the running header and the page number of every page.
`repair` puts that right: it joins a line that stops in mid-sentence to the next when that
goes on in lower case (over any page-break blank lines between), puts a lone bullet glyph in
front of the words it belongs to (or drops it), and removes bare page numbers and running
headers that repeat. It never joins a line to one that starts a numbered paragraph, an item or
a bullet, so the document's numbering is read exactly as before.

`looks_extracted` says whether text (plain text or Markdown, not a PDF) shows this damage;
the parser repairs only text that does.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from accord.library.parsing.document import ParseWarning

__all__ = ["Repaired", "looks_extracted", "repair"]

_GLYPHS = frozenset("-*o\u2022\u25aa\u25e6\u25cf\u25a0\u2023\u2043\u00b7\u2013\uf0b7\uf0a7\uf0d8")
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013]\s*\d{1,4}\s*[-\u2013]$"
)
_TERMINALS = (".", "!", "?", ":", ";", ":-")
_CLOSERS = "\"'\u2019\u201d)]*_~"
_STARTS_STRUCTURE = re.compile(
    r"^(?:[-*\u2022\u25aa\u25e6\uf0b7\uf0a7]\s|o\s+[A-Z]|#|<sup>|\[\^|\(?[a-z]{1,5}\)|\d)"
)
_GLUE = re.compile(r"[a-z]-$")
_NUMBERED_LINE = re.compile(r"\s*\d+\.")
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[^\w#]+")
_STRUCTURAL_HEADER = re.compile(r"^(?:[-*\u2022#]|\(|\*\*|<|\[|\d)")
# More than this many blank lines in a row is a real break, not a page break.
_MAX_BLANKS = 4


@dataclass(frozen=True)
class Repaired:
    lines: tuple[str, ...]
    origins: tuple[int, ...]  # for each line, the line (from 1) of the text it starts at
    warnings: tuple[ParseWarning, ...]


def _is_glyph(stripped: str) -> bool:
    return len(stripped) == 1 and stripped in _GLYPHS


def _breaks(before: str, after: str, *, start: str | None = None) -> bool:
    """True if `before` (a line that begins with `start`, if given) stops in mid-sentence and
    `after` carries the sentence on."""
    if (before if start is None else start).lstrip().startswith("#"):
        return False
    return _carries_on(before.rstrip(), after.strip())


def _carries_on(before: str, after: str) -> bool:
    """`_breaks` for a line with no heading mark, both lines already stripped."""
    if not after or not after[0].islower() or not before:
        return False
    # A sentence's end, then any closing quotes, brackets or emphasis marks.
    if before.rstrip(_CLOSERS).endswith(_TERMINALS):
        return False
    return not _STARTS_STRUCTURE.match(after)


def looks_extracted(lines: Sequence[str]) -> bool:
    """Whether the text reads like a PDF's: many lines broken in mid-sentence."""
    words = [line for line in lines if line.strip()]
    if any("\uf0b7" in line or "\uf0a7" in line for line in words):
        return True
    enough = max(3, 0.15 * len(words))
    broken = 0
    for before, after in itertools.pairwise(words):
        if _breaks(before, after):
            broken += 1
            if broken >= enough:
                return True
    return False


def _header_key(line: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", _DIGITS.sub("#", line.casefold())).split())


def repair(lines: Sequence[str]) -> Repaired:
    """Repair PDF damage in `lines`; see the module's description."""
    kept: list[tuple[int, str]] = []  # (line number from 1, text)
    glyphs = joined = numbers = headers = 0

    page_numbers = [i for i, line in enumerate(lines) if _PAGE_NUMBER.match(line.strip())]
    drop = set(page_numbers) if len(page_numbers) >= 2 else set()
    numbers = len(drop)

    # Running headers and footers: the same short line again and again, each time beside a
    # page break (a blank line or a page number), not in the middle of the text.
    gap = [not line.strip() or i in drop for i, line in enumerate(lines)]
    final = len(lines) - 1
    beside_break = [i == 0 or i == final or gap[i - 1] or gap[i + 1] for i in range(len(lines))]
    keys = {
        index: _header_key(line)
        for index, line in enumerate(lines)
        if beside_break[index]
        and 3 <= len(line.split()) <= 20
        and not _STRUCTURAL_HEADER.match(line.strip())
    }

    counts = Counter(key for key in keys.values() if key)
    repeated = {key for key, count in counts.items() if count >= 3}
    if repeated:
        first_number = next(
            (i for i, line in enumerate(lines) if _NUMBERED_LINE.match(line)), len(lines)
        )
        seen: set[str] = set()
        for index, key in keys.items():
            if key in repeated:
                if index < first_number and key not in seen:
                    seen.add(key)  # the first, above the text, is the title
                    continue
                drop.add(index)
                headers += 1

    pending_glyph = ""
    for index, line in enumerate(lines):
        if index in drop:
            continue
        stripped = line.strip()
        if _is_glyph(stripped):
            # A bullet drawn apart from its words: it goes with the line below, if any.
            glyphs += 1
            pending_glyph = stripped
            continue
        if pending_glyph and stripped and not _STARTS_STRUCTURE.match(stripped):
            line = f"{pending_glyph} {stripped}"
        pending_glyph = ""
        kept.append((index + 1, line))

    out_lines: list[str] = []
    origins: list[int] = []
    bare = [line.strip() for _, line in kept]
    count = len(kept)
    index = 0
    while index < count:
        origin, line = kept[index]
        index += 1
        # The joined line is kept in pieces, and only its last piece is looked at, so that
        # joining thousands of lines costs no more than reading them.
        pieces = [line]
        last = line.rstrip()
        joins = bool(bare[index - 1]) and not bare[index - 1].startswith("#")
        while joins:
            ahead = index
            while ahead < count and not bare[ahead] and ahead - index < _MAX_BLANKS:
                ahead += 1
            if ahead >= count or not _carries_on(last, bare[ahead]):
                break
            pieces[-1] = last
            pieces.append(("" if _GLUE.search(last) else " ") + bare[ahead])
            last = pieces[-1]
            joined += 1
            index = ahead + 1
        out_lines.append("".join(pieces))
        origins.append(origin)

    done = []
    if joined:
        done.append(f"{joined} line{_s(joined)} broken in mid-sentence joined")
    if numbers:
        done.append(f"{numbers} page number{_s(numbers)} removed")
    if headers:
        done.append(f"{headers} running header{_s(headers)} removed")
    if glyphs:
        done.append(f"{glyphs} bullet{_s(glyphs)} standing alone on a line tidied")
    warnings = (
        (
            ParseWarning(
                origins[0] if origins else 1,
                "The text reads as if it was taken from a PDF, so it was repaired: "
                + "; ".join(done)
                + ".",
            ),
        )
        if done
        else ()
    )
    return Repaired(tuple(out_lines), tuple(origins), warnings)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
