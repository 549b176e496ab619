"""Reading a PDF's text from where each piece of it was drawn.

pypdf gives each run of text with its position, size and font. From those this module
rebuilds what the page showed: lines (a superscript number kept on its line as a footnote
mark, ``<sup>2</sup>``), paragraphs (a wider gap between lines than the page's line spacing),
headings (text larger than the body's, written ``## Heading``), bold words (a bold font,
``**3.3.5**``), and the lines of one paragraph joined again. Running headers and footers that
repeat from page to page and bare page numbers are left out, and a paragraph broken by a page
is joined across it. What it cannot see is struck-through text: a PDF draws the line through
the words apart from them, so struck words come out as ordinary ones (the reader is warned
when a PDF appears to have any).

A PDF is read within the limits of `accord.library.parsing.limits`: pypdf's own limits on page
trees, streams and content are set from them, and every object pypdf reads is counted and its
nesting measured (`_guard`), so a page tree of a hundred thousand references or dictionaries
nested two hundred thousand deep stop the reading at once rather than hold a worker.
"""

from __future__ import annotations

import bisect
import io
import itertools
import math
import re
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from pypdf.errors import LimitReachedError

from accord.core.errors import FieldError, ValidationFailed
from accord.library.parsing.document import ParseWarning
from accord.library.parsing.limits import (
    PDF_MAX_NESTING,
    PDF_MAX_OBJECTS,
    PDF_MAX_PAGE_OBJECTS,
    PDF_MAX_PAGES,
    PDF_MAX_STREAM_BYTES,
    LimitExceeded,
    NeedsWorker,
    Work,
    number,
)
from accord.library.parsing.markup import wrap_runs

__all__ = ["read_pdf"]

_BOLD_FONT = re.compile(r"(?i)bold|black|heavy|semibold|demi")
_PAGE_NUMBER = re.compile(
    r"(?i)^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013]\s*\d{1,4}\s*[-\u2013]$"
)
_STARTS_NEW = re.compile(
    r"^(?:[-*\u2022\u25aa\u25e6\uf0b7\uf0a7]\s|o\s+[A-Z]|\*{0,2}\d+(?:\.\d+)*\.?\*{0,2}\s|"
    r"\*{0,2}\([a-z]{1,5}\)|<sup>)"
)
_TERMINAL = re.compile(r"[.!?:;][\"'\u2019\u201d)\]*]*$|:-$")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r" {2,}")
_BROKEN_AT_HYPHEN = re.compile(r"\w-$")
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
)
# A line this much larger than the body text is a heading.
_HEADING_RATIO = 1.15
# A gap this many times the page's line spacing separates paragraphs.
_PARAGRAPH_GAP = 1.35
# Lines of one paragraph are never further apart than this (times the font size).
_SINGLE_SPACING = 1.35


KIND = "The PDF"
# pypdf's own limits, set from Accord's for as long as a PDF is read.
_CONFIGURATION: dict[str, Any] = {
    # Pages and the /Pages nodes above them.
    "page_tree_maximum_entries": 2 * PDF_MAX_PAGES,
    "stream_parsing_work_maximum_count": PDF_MAX_PAGE_OBJECTS,
    "maximum_declared_stream_length": PDF_MAX_STREAM_BYTES,
    "array_based_stream_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "zlib_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "lzw_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "run_length_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "jbig2_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "brotli_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "image_maximum_buffer_size": PDF_MAX_STREAM_BYTES,
    "jbig2dec_binary": None,
}
# The reading under way in this thread or task, if any: what `_guard` counts against.
_WORK: ContextVar[Work | None] = ContextVar("accord_pdf_work", default=None)


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, [FieldError("file", message)])


class _Stop(LimitReachedError):
    """Stops pypdf at a limit. pypdf passes its LimitReachedError on wherever it would
    otherwise carry on past a damaged object; `Work.stopped` keeps why."""


def _too_many_pages(count: int | None) -> str:
    limit = number(PDF_MAX_PAGES)
    pages = f"has {number(count)} pages" if count else f"has more than {limit} pages"
    return f"{KIND} {pages}; the limit is {number(PDF_MAX_PAGES)}. Import the protocol alone."


def _guard() -> None:
    """Count every object pypdf reads, and its nesting, against the reading under way.

    pypdf reads nested arrays and dictionaries by recursion and, reading leniently, carries on
    after each failure, so two hundred thousand nested dictionaries cost it hundreds of
    thousands of failures. pypdf has no limit on nesting, so its object reader is wrapped
    here, once, for the whole process; outside a reading (`_WORK` unset) the wrapper only
    passes the call on."""
    from pypdf import _reader
    from pypdf.generic import _data_structures, _image_inline

    original = _data_structures.read_object
    if getattr(original, "accord_guard", False):
        return

    def read_object(
        stream: Any,
        pdf: Any,
        forced_encoding: Any = None,
        *,
        parsing_budget: Any = None,
    ) -> Any:
        work = _WORK.get()
        if work is None:
            return original(stream, pdf, forced_encoding, parsing_budget=parsing_budget)
        if work.stopped:
            raise _Stop(work.stopped)
        work.pdf_objects += 1
        if work.pdf_objects > work.ceiling("pdf_objects"):
            work.over(
                "pdf_objects",
                f"{KIND} has more than {number(PDF_MAX_OBJECTS)} objects to read; the limit is "
                f"{number(PDF_MAX_OBJECTS)}.",
            )
            raise _Stop(work.stopped)
        if work.nesting >= PDF_MAX_NESTING:
            work.stop(
                f"{KIND} has objects nested more than {PDF_MAX_NESTING} deep; the limit is "
                f"{PDF_MAX_NESTING}. It may be damaged or made to do harm: save or export it "
                "again and upload that."
            )
            raise _Stop(work.stopped)
        work.nesting += 1
        try:
            return original(stream, pdf, forced_encoding, parsing_budget=parsing_budget)
        finally:
            work.nesting -= 1

    read_object.accord_guard = True  # type: ignore[attr-defined]
    _data_structures.read_object = read_object
    _image_inline.read_object = read_object  # type: ignore[attr-defined]
    _reader.read_object = read_object  # type: ignore[attr-defined]


@dataclass
class _Chunk:
    text: str
    x: float
    y: float
    size: float
    bold: bool


@dataclass
class _Line:
    runs: list[tuple[str, str]]  # (markup "b" or "", words)
    y: float
    size: float
    bold: bool  # every word of it bold
    page: int
    strikes: int = 0

    @property
    def text(self) -> str:
        return "".join(words for _, words in self.runs)


@dataclass
class _Page:
    chunks: list[_Chunk] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # x0, x1, y


def read_pdf(data: bytes, work: Work) -> tuple[str, list[ParseWarning]]:
    """The text of a PDF, and what was done to it; `LimitExceeded` beyond a limit."""
    damaged = (
        "The PDF could not be opened: it may be damaged, or not really a PDF. Save or export it "
        "again and upload that, or upload the Word file instead."
    )
    if b"%PDF" not in data[:1024]:
        raise _refuse(damaged)
    _guard()
    token = _WORK.set(work)
    try:
        lines_by_page = _read_pages(data, work)
    except (ValidationFailed, LimitExceeded, NeedsWorker):
        raise
    except Exception:
        stopped = work.stopped_by()
        if stopped is not None:
            raise stopped from None
        raise _refuse(damaged) from None
    finally:
        _WORK.reset(token)
    if not any(lines_by_page):
        raise _refuse(
            "The PDF has no text in it to read: it may be a scan. Upload the Word file or a "
            "text version instead."
        )
    return _assemble(lines_by_page, work)


def _read_pages(data: bytes, work: Work) -> list[list[_Line]]:
    from pypdf import PdfReader, apply_configuration

    with apply_configuration(**_CONFIGURATION):
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse("The PDF is protected by a password. Upload a copy without the password.")
        try:
            count = len(reader.pages)
        except LimitReachedError:
            # pypdf's limit on the page tree, or one of ours while reading it.
            raise work.stop(_too_many_pages(None)) from None
        if count > PDF_MAX_PAGES:
            raise work.stop(_too_many_pages(count))
        if count > work.ceiling("pdf_pages"):
            raise work.stop("", over_limit=False)
        lines_by_page = []
        for page_number, page in enumerate(reader.pages, start=1):
            work.pdf_pages += 1
            found = _read_page(page, work)
            stopped = work.stopped_by()
            if stopped is not None:
                raise stopped
            lines = _lines(found, page_number)
            work.add_text(KIND, 0, len(lines))
            lines_by_page.append(lines)
            work.report(page_number / max(count, 1))
        return lines_by_page


def _multiply(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _read_page(page: Any, work: Work) -> _Page:
    found = _Page()
    point: list[float] = []

    def text(words: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if work.stopped:
            raise _Stop(work.stopped)
        if not words or not words.strip("\n"):
            return
        try:
            work.add_text(KIND, len(words))
        except (LimitExceeded, NeedsWorker):
            raise _Stop(work.stopped) from None
        matrix = _multiply([float(v) for v in tm], [float(v) for v in cm])
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) or 1.0
        name = str(font.get("/BaseFont", "")) if font else ""
        height = float(size) * scale
        for offset, part in enumerate(words.split("\n")):
            if part:
                found.chunks.append(
                    _Chunk(
                        part.translate(_LIGATURES),
                        matrix[4],
                        matrix[5] - offset * height * 1.2,
                        height,
                        bool(_BOLD_FONT.search(name)),
                    )
                )

    def operation(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        # A horizontal line drawn on its own, which is how a strike-through is drawn.
        nonlocal point
        if operator == b"m" and len(operands) == 2:
            point = _place(operands, cm)
        elif operator == b"l" and len(operands) == 2 and point:
            end = _place(operands, cm)
            if abs(end[1] - point[1]) < 0.5 and abs(end[0] - point[0]) > 2:
                found.rules.append((min(point[0], end[0]), max(point[0], end[0]), point[1]))
            point = []

    page.extract_text(visitor_text=text, visitor_operand_before=operation)
    return found


def _place(operands: Any, cm: Any) -> list[float]:
    x, y = float(operands[0]), float(operands[1])
    a, b, c, d, e, f = (float(v) for v in cm)
    return [a * x + c * y + e, b * x + d * y + f]


def _lines(page: _Page, number: int) -> list[_Line]:
    chunks = sorted(page.chunks, key=lambda c: (-c.y, c.x))
    heights = sorted(y for _, _, y in page.rules)
    clusters: list[list[_Chunk]] = []
    for chunk in chunks:
        if clusters and clusters[-1][0].y - chunk.y <= 0.5 * max(chunk.size, 1.0):
            clusters[-1].append(chunk)
        else:
            clusters.append([chunk])
    lines = []
    for cluster in clusters:
        cluster.sort(key=lambda c: c.x)
        main = max(cluster, key=lambda c: len(c.text.strip()))
        runs: list[tuple[str, str]] = []
        for chunk in cluster:
            words = chunk.text
            raised = chunk.y - main.y > 0.2 * main.size
            if raised and len(words.strip()) <= 4 and words.strip().isalnum():
                runs.append(("", f"<sup>{words.strip()}</sup>"))
            else:
                runs.append(("b" if chunk.bold else "", words))
        wordy = [c for c in cluster if c.text.strip()]
        line = _Line(
            runs=runs,
            y=main.y,
            size=round(main.size * 2) / 2,
            bold=all(c.bold for c in wordy),
            page=number,
        )
        # Lines drawn through the middle of the text: above the baseline, below the top.
        line.strikes = bisect.bisect_left(heights, main.y + 0.6 * main.size) - bisect.bisect_right(
            heights, main.y
        )
        lines.append(line)
    return lines


def _key(line: _Line) -> str:
    return " ".join(_DIGITS.sub("#", line.text.casefold()).split())


def _assemble(pages: list[list[_Line]], work: Work) -> tuple[str, list[ParseWarning]]:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page:
            sizes[line.size] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0

    # Running headers and footers: the same words at the top or bottom of most pages.
    edges: Counter[str] = Counter()
    for page in pages:
        edges.update({_key(page[i]) for i in _edge_positions(len(page))})
    with_text = sum(1 for page in pages if page)
    running = {
        key for key, count in edges.items() if with_text >= 2 and count >= max(2, with_text / 2)
    }
    removed_headers = removed_numbers = 0
    cleaned: list[list[_Line]] = []
    for page in pages:
        kept = []
        edge = _edge_positions(len(page))
        for position, line in enumerate(page):
            at_edge = position in edge
            if at_edge and _PAGE_NUMBER.match(line.text.strip()):
                removed_numbers += 1
            elif at_edge and _key(line) in running:
                removed_headers += 1
            else:
                kept.append(line)
        cleaned.append(kept)

    heading_sizes = sorted(
        {line.size for page in cleaned for line in page if line.size >= body * _HEADING_RATIO},
        reverse=True,
    )
    out: list[str] = []
    previous: _Line | None = None
    block: list[_Line] = []

    def flush() -> None:
        if not block:
            return
        work.add_paragraph(KIND)
        text = _block_text(block, heading_sizes)
        if out:
            out.append("")
        out.extend(text)
        block.clear()

    step = _line_step(cleaned, body)
    for page in cleaned:
        for line in page:
            if previous is None or _same_block(previous, line, step, body):
                block.append(line)
            else:
                flush()
                block.append(line)
            previous = line
    flush()

    warnings = []
    done = []
    if removed_headers:
        done.append(f"{removed_headers} running header{'s' if removed_headers != 1 else ''}")
    if removed_numbers:
        done.append(f"{removed_numbers} page number{'s' if removed_numbers != 1 else ''}")
    if done:
        warnings.append(
            ParseWarning(
                1, f"From the PDF's {len(pages)} pages, {' and '.join(done)} were left out."
            )
        )
    if any(line.strikes for page in pages for line in page):
        warnings.append(
            ParseWarning(
                1,
                "The PDF seems to have struck-through words. A PDF does not say which words a "
                "line is drawn through, so they were read as current wording: import the Word "
                "file to keep tracked deletions.",
            )
        )
    return "\n".join(out), warnings


def _edge_positions(count: int) -> set[int]:
    """The lines where a running header or footer would be: the first two and last two."""
    return {*range(min(2, count)), *range(max(0, count - 2), count)}


def _line_step(pages: list[list[_Line]], body: float) -> float:
    """The distance from one line of body text to the next within a paragraph: the common
    small gap between lines, and never more than a generous single line spacing (if every
    paragraph is one line long, the common gap is the paragraph spacing)."""
    gaps = sorted(
        a.y - b.y
        for page in pages
        for a, b in itertools.pairwise(page)
        if a.size == b.size == body and a.y - b.y > 0.5 * body
    )
    usual = gaps[len(gaps) // 5] if gaps else body * 1.2
    return min(usual, body * _SINGLE_SPACING)


def _same_block(before: _Line, line: _Line, step: float, body: float) -> bool:
    """Whether `line` carries on the paragraph `before` is in."""
    if abs(before.size - line.size) > 0.1 * body:
        return False
    if before.page != line.page:
        # A paragraph broken by the page: carried on if it stopped in mid-sentence.
        return not _TERMINAL.search(before.text.rstrip()) and not _STARTS_NEW.match(
            line.text.strip()
        )
    return before.y - line.y <= _PARAGRAPH_GAP * step * max(line.size / body, 1.0)


def _block_text(block: list[_Line], heading_sizes: list[float]) -> list[str]:
    """The lines of one paragraph joined, except where a line starts a new item or bullet."""
    longest = max(len(line.text.strip()) for line in block)
    lines: list[list[tuple[str, str]]] = [list(block[0].runs)]
    for before, line in itertools.pairwise(block):
        text = line.text.strip()
        ended = _TERMINAL.search(before.text.rstrip()) or len(before.text.strip()) < 0.8 * longest
        if _STARTS_NEW.match(text) and ended:
            lines.append(list(line.runs))
            continue
        current = lines[-1]
        while current and not current[-1][1].strip():
            current.pop()
        glued = False
        if current:
            markup, words = current[-1]
            current[-1] = (markup, words.rstrip())
            # A word or a link broken at its hyphen by the line's end: "e-" + "mail".
            glued = bool(_BROKEN_AT_HYPHEN.search(words.rstrip())) and (
                text[:1].islower() or text[:1].isdigit()
            )
        current.append((line.runs[0][0] if line.runs else "", "" if glued else " "))
        current.extend(line.runs)
    level = heading_sizes.index(block[0].size) + 1 if block[0].size in heading_sizes else 0
    result = []
    for runs in lines:
        if level:
            words = " ".join("".join(w for _, w in runs).split())
            result.append(f"{'#' * min(level, 3)} {words}")
        else:
            result.append(_SPACES.sub(" ", wrap_runs(runs)).strip())
    return result
