"""Inline markup in a paragraph's words: tracked changes, footnote marks, links, emphasis.

- ``~~struck~~`` is a tracked deletion: a ("del", words) segment, left out of the text.
- ``**bold**`` is a tracked insertion (an ("ins", words) segment, kept in the text) where the
  document shows its changes in bold, or where it follows or precedes struck words (a
  replacement: ``~~he or she~~**they**``); anywhere else it is emphasis and is dropped.
- ``<sup>1</sup>`` and ``[^1]`` are footnote marks: noted, and left out of the text.
- ``[words](link)`` and ``<https://…>`` keep their words; ``*emphasis*`` loses its stars.

Every pattern here is read in one pass: no pattern can be retried from each of many starting
points, so a hostile line of any length costs time in proportion to its length.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Inline", "bold_span_words", "parse_inline", "plain", "wrap_runs"]

_TOKEN = re.compile(r"~~|\*\*|<sup>\s*(\w{1,12})\s*</sup>|\[\^([^\]\s]{1,20})\]")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^)\]]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]{1,2000})>")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]{0,300}?[^\s*])?\*(?![*\w])")
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"[~*<\[]")
# More marks than this in one paragraph is not a document's tracked changes but a broken or
# hostile file: its marks are taken out without being read, which keeps reading it quick.
_MOST_MARKS = 2000
# What may follow a closing bold mark at the end of a paragraph's words.
_CLOSING = " \t.,;:!?)\"'\u2019\u201d"


@dataclass
class Inline:
    """A run of words read for its markup."""

    segments: list[tuple[str, str]] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)  # footnote marks, in order
    unmatched: list[str] = field(default_factory=list)  # "~~" or "**" without a partner
    opened_at_start: bool = False  # a lone closing "**" read as closing a span from the start
    flattened: bool = False  # too many marks to be real: taken out, the words kept as they are
    text: str = ""  # the current words: the segments joined, the deleted ones left out


def _prepare(text: str) -> str:
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "*" in text:
        text = _EMPHASIS.sub(lambda m: m.group(1) or "", text)
    return text


def bold_span_words(text: str) -> list[int]:
    """The number of words in each complete ``**bold**`` span of `text`, struck words aside."""
    if "**" not in text or text.count("**") > _MOST_MARKS:
        return []
    text = _prepare(text)
    counts: list[int] = []
    inside = struck = False
    words = position = 0
    for token in _TOKEN.finditer(text):
        if inside and not struck:
            words += len(text[position : token.start()].split())
        position = token.end()
        mark = token.group(0)
        if mark == "~~":
            struck = not struck
        elif mark == "**":
            if inside:
                counts.append(words)
            inside, words = not inside, 0
    return counts


def parse_inline(text: str, *, bold_inserts: bool) -> Inline:
    """Read the markup of `text`. `bold_inserts`: the document shows insertions in bold."""
    if not _MARKUP.search(text):
        words = " ".join(text.split())
        return Inline(segments=[("same", words)] if words else [], text=words)
    text = _prepare(text)
    tokens = list(_TOKEN.finditer(text))
    if len(tokens) > _MOST_MARKS:
        words = " ".join(_TOKEN.sub(" ", text).split())
        return Inline(segments=[("same", words)] if words else [], text=words, flattened=True)
    result = Inline()
    strikes = [t for t in tokens if t.group(0) == "~~"]
    bolds = [t for t in tokens if t.group(0) == "**"]
    ignored: set[int] = set()
    if len(strikes) % 2:
        ignored.add(strikes[-1].start())
        result.unmatched.append("~~")
    open_bold: int | None = None
    if len(bolds) % 2:
        last = bolds[-1]
        if len(bolds) == 1 and bold_inserts and not text[last.end() :].strip(_CLOSING):
            # A closing mark with no opening one, at the very end: the opening mark was lost
            # before the paragraph's number, as in "- 52. This protocol ... arrangements.**".
            open_bold = 0
            result.opened_at_start = True
        else:
            ignored.add(last.start())
            result.unmatched.append("**")

    # Pieces of text with what applies to them: struck, and which bold span (if any).
    pieces: list[tuple[str, bool, int | None]] = []
    struck = False
    spans = 1 if open_bold is not None else 0
    position = 0
    for token in tokens:
        if token.start() > position:
            pieces.append((text[position : token.start()], struck, open_bold))
        position = token.end()
        mark = token.group(0)
        if token.start() in ignored:
            continue
        if mark == "~~":
            struck = not struck
        elif mark == "**":
            if open_bold is None:
                open_bold, spans = spans, spans + 1
            else:
                open_bold = None
        else:
            result.marks.append(token.group(1) or token.group(2))
    if position < len(text):
        pieces.append((text[position:], struck, open_bold))

    inserted = _inserted_spans(pieces) if not bold_inserts else None
    for words, is_struck, span in pieces:
        if is_struck:
            op = "del"
        elif span is not None and (inserted is None or span in inserted):
            op = "ins"
        else:
            op = "same"
        _append(result.segments, op, _SPACES.sub(" ", words))
    result.segments = _tidy(result.segments)
    result.text = " ".join("".join(w for op, w in result.segments if op != "del").split())
    return result


def _inserted_spans(pieces: list[tuple[str, bool, int | None]]) -> set[int]:
    """Bold spans next to struck words: the new words of a replacement."""
    inserted: set[int] = set()
    meaningful = [(struck, span) for words, struck, span in pieces if words.strip()]
    for (struck, span), (next_struck, next_span) in itertools.pairwise(meaningful):
        if struck and next_span is not None and not next_struck:
            inserted.add(next_span)
        if next_struck and span is not None and not struck:
            inserted.add(span)
    return inserted


def _append(segments: list[tuple[str, str]], op: str, words: str) -> None:
    if not words:
        return
    if segments and segments[-1][0] == op:
        before = segments[-1][1]
        if before.endswith(" ") and words.startswith(" "):
            words = words[1:]
        segments[-1] = (op, before + words)
    else:
        segments.append((op, words))


def _tidy(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """No empty segments, no space at either end, and never two spaces in a row once the
    deleted words are taken out (so the kept segments joined give the text)."""
    tidied: list[tuple[str, str]] = []
    kept_ends_in_space = True  # at the start, as if after a space
    for op, words in segments:
        if op == "del":
            words = words.strip()
            if words and tidied and tidied[-1][0] == "del":
                tidied[-1] = (op, f"{tidied[-1][1]} {words}")
            elif words:
                tidied.append((op, words))
            continue
        if kept_ends_in_space:
            words = words.lstrip()
        if not words:
            continue
        kept_ends_in_space = words.endswith(" ")
        if tidied and tidied[-1][0] == op:
            tidied[-1] = (op, tidied[-1][1] + words)
        else:
            tidied.append((op, words))
    while tidied and tidied[-1][0] != "del" and tidied[-1][1].endswith(" "):
        op, words = tidied.pop()
        if words.rstrip():
            tidied.append((op, words.rstrip()))
            break
    # A trailing space may also sit before trailing deleted words.
    for index in range(len(tidied) - 1, -1, -1):
        op, words = tidied[index]
        if op != "del":
            if words.endswith(" ") and all(o == "del" for o, _ in tidied[index + 1 :]):
                tidied[index] = (op, words.rstrip())
            break
    return [(op, words) for op, words in tidied if words]


def plain(text: str) -> str:
    """`text` as current words only: deleted words, marks and markup taken out."""
    if not _MARKUP.search(text):
        return " ".join(text.split())
    return parse_inline(text, bold_inserts=False).text


def wrap_runs(runs: Iterable[tuple[str, str]]) -> str:
    """Runs of words joined, each stretch of marked runs wrapped once in its marks:
    "ins" or "b" (bold) in ``**``, "del" or "s" (struck through) in ``~~``; "" unmarked."""
    out: list[str] = []
    current = ""
    buffer: list[str] = []

    def flush() -> None:
        words = "".join(buffer)
        buffer.clear()
        if not words:
            return
        wrap = {"ins": "**", "b": "**", "del": "~~", "s": "~~"}.get(current, "")
        if not wrap or not words.strip():
            out.append(words)
            return
        # Keep the spaces outside the marks, so "a **b** c" rather than "a** b **c".
        stripped = words.strip()
        lead = words[: len(words) - len(words.lstrip())]
        trail = words[len(words.rstrip()) :]
        out.append(f"{lead}{wrap}{stripped}{wrap}{trail}")

    for markup, words in runs:
        same_wrap = {"ins": "b", "b": "b", "del": "s", "s": "s"}
        if same_wrap.get(markup, "") != same_wrap.get(current, ""):
            flush()
            current = markup
        buffer.append(words)
    flush()
    return "".join(out)
