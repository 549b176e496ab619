"""How much reading an upload may take: every limit, named once, the words that refuse a file
beyond one, and the count of the work done so far (`Work`).

A protocol is at most a few hundred pages: the largest of the councils' documents is about
55,000 characters on 550 lines. The limits leave room for forty times that, and stop a file
made to wear a server down (a Word file that expands to gigabytes, a PDF of a hundred thousand
pages or of dictionaries nested two hundred thousand deep) after a bounded amount of work and
memory. Work is counted (bytes, elements, objects, lines, characters), never timed, so a file
is read or refused the same way on every machine. docs/library.md lists the limits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accord.core.limits import FIELD_ALLOWANCE, BodyLimit, base64_size

__all__ = [
    "FOREGROUND_SHARE",
    "IMPORT_FORM_BODY",
    "IMPORT_JSON_BODY",
    "MAX_CHARACTERS",
    "MAX_FILE_BYTES",
    "MAX_LINES",
    "MAX_PARAGRAPHS",
    "PDF_MAX_NESTING",
    "PDF_MAX_OBJECTS",
    "PDF_MAX_PAGES",
    "PDF_MAX_PAGE_OBJECTS",
    "PDF_MAX_STREAM_BYTES",
    "PREVIEW_CHARACTERS",
    "PREVIEW_PARAGRAPHS",
    "PREVIEW_WARNINGS",
    "PREVIEW_WARNING_CHARACTERS",
    "WORD_MAX_BLOCK_ELEMENTS",
    "WORD_MAX_PARTS",
    "WORD_MAX_PART_BYTES",
    "WORD_MAX_TOTAL_BYTES",
    "WORD_MAX_XML_DEPTH",
    "WORD_MAX_XML_ELEMENTS",
    "LimitExceeded",
    "NeedsWorker",
    "Work",
]

MB = 1024 * 1024

# --- any file ------------------------------------------------------------------------------

# The file as uploaded.
MAX_FILE_BYTES = 10 * MB
# The text taken from a file, which is stored with the version and parsed: about 600 pages.
MAX_CHARACTERS = 2_000_000
MAX_LINES = 100_000
# Paragraphs read from a Word file or a PDF, and the numbered paragraphs and items found.
MAX_PARAGRAPHS = 25_000

# The request that brings the file, as the import routes take it (`accord.core.limits`): the
# file and its few short fields; for the API, the file base64-encoded in JSON.
IMPORT_FORM_BODY = BodyLimit(
    MAX_FILE_BYTES + FIELD_ALLOWANCE,
    f"importing a protocol (a file of up to {MAX_FILE_BYTES // MB} MB)",
)
IMPORT_JSON_BODY = BodyLimit(
    base64_size(MAX_FILE_BYTES) + FIELD_ALLOWANCE,
    f"importing a protocol (a file of up to {MAX_FILE_BYTES // MB} MB, base64-encoded)",
)

# --- Word ----------------------------------------------------------------------------------

# Entries in the .docx, which is a zip: Word writes a few dozen, and one per picture.
WORD_MAX_PARTS = 2_000
# Expanded bytes of each part read: the text, its styles, numbering and footnotes, and the
# lists of how they relate. Pictures and every other part are never opened.
WORD_MAX_PART_BYTES = 20 * MB
# Expanded bytes of all the parts read together.
WORD_MAX_TOTAL_BYTES = 40 * MB
# XML elements within one another, and in all the parts read.
WORD_MAX_XML_DEPTH = 100
WORD_MAX_XML_ELEMENTS = 2_000_000
# XML elements held at once: one paragraph (or footnote, or style) and all inside it.
WORD_MAX_BLOCK_ELEMENTS = 100_000

# --- PDF -----------------------------------------------------------------------------------

PDF_MAX_PAGES = 500
# Arrays and dictionaries within one another.
PDF_MAX_NESTING = 100
# Objects read (numbers, names, strings, arrays, dictionaries, references), in all and in the
# description of one page: a page of text has a few thousand.
PDF_MAX_OBJECTS = 5_000_000
PDF_MAX_PAGE_OBJECTS = 500_000
# Expanded bytes of any one stream (a page's description, a font, a picture).
PDF_MAX_STREAM_BYTES = 20 * MB

# --- where the reading is done -------------------------------------------------------------

# A web process reads an upload while the person waits only while it stays within this share
# of every limit above (100,000 characters, 25 pages, 1 MB of a Word file's text part ...);
# past that, it hands the file to the worker, and the preview shows its progress.
FOREGROUND_SHARE = 0.05

# --- the preview page ----------------------------------------------------------------------

PREVIEW_PARAGRAPHS = 300  # paragraphs shown, at most; all are imported
PREVIEW_CHARACTERS = 200_000  # of their words
PREVIEW_WARNINGS = 200
PREVIEW_WARNING_CHARACTERS = 500  # of each warning


# The limit on each count `Work` keeps.
LIMITS = {
    "expanded_bytes": WORD_MAX_TOTAL_BYTES,
    "xml_elements": WORD_MAX_XML_ELEMENTS,
    "pdf_pages": PDF_MAX_PAGES,
    "pdf_objects": PDF_MAX_OBJECTS,
    "paragraphs": MAX_PARAGRAPHS,
    "characters": MAX_CHARACTERS,
    "lines": MAX_LINES,
}


class LimitExceeded(Exception):
    """A file beyond a limit; `message` says which, in words for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NeedsWorker(Exception):
    """Reading in the foreground passed its share of a limit: the worker must read the file."""


def megabytes(count: int) -> str:
    """20 * MB -> "20 MB"; 1.5 * MB -> "1.5 MB"."""
    value = count / MB
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def number(count: int) -> str:
    return f"{count:,}"


@dataclass
class Work:
    """The work reading one upload has taken, checked against the limits as it grows.

    The readers add to it as they go and stop at the first limit passed (`LimitExceeded`), or,
    reading in the `foreground`, at the first share of one passed (`NeedsWorker`). The tests
    read its counts to show what a hostile file cost. `progress`, if given, is told the share
    of the file read so far (0 to 1).
    """

    foreground: bool = False
    progress: Callable[[float], None] | None = field(default=None, repr=False, compare=False)
    expanded_bytes: int = 0  # inflated from a Word file's parts
    xml_elements: int = 0
    pdf_pages: int = 0
    pdf_objects: int = 0
    paragraphs: int = 0
    characters: int = 0
    lines: int = 0
    # The first limit passed (or "worker"), kept in case a library swallowed the exception.
    stopped: str = ""
    nesting: int = field(default=0, repr=False, compare=False)

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in LIMITS}

    def total(self) -> int:
        """All the counts added up: one figure for the work done."""
        return sum(self.counts().values())

    def ceiling(self, name: str) -> int:
        """How high count `name` may go before reading stops."""
        return self.share(LIMITS[name])

    def share(self, limit: int) -> int:
        return int(limit * FOREGROUND_SHARE) if self.foreground else limit

    def stop(self, refusal: str, *, over_limit: bool = True) -> Exception:
        """The exception that stops reading: a refusal with `refusal`'s words if a limit is
        passed, otherwise (in the foreground) the hand-over to the worker."""
        if not self.stopped:
            self.stopped = refusal if over_limit else "worker"
        if self.stopped == "worker":
            return NeedsWorker()
        return LimitExceeded(self.stopped)

    def over(self, name: str, refusal: str) -> Exception:
        """`stop` for count `name`, which has passed its ceiling."""
        return self.stop(refusal, over_limit=getattr(self, name) > LIMITS[name])

    def stopped_by(self) -> Exception | None:
        """What stopped the reading, if anything did."""
        if not self.stopped:
            return None
        return NeedsWorker() if self.stopped == "worker" else LimitExceeded(self.stopped)

    def report(self, share: float) -> None:
        if self.progress is not None:
            self.progress(min(max(share, 0.0), 1.0))

    def add_paragraph(self, kind: str) -> None:
        self.paragraphs += 1
        if self.paragraphs > self.ceiling("paragraphs"):
            raise self.over(
                "paragraphs",
                f"{kind} has more than {number(MAX_PARAGRAPHS)} paragraphs; the limit is "
                f"{number(MAX_PARAGRAPHS)}.",
            )

    def add_text(self, kind: str, characters: int, lines: int = 0) -> None:
        self.characters += characters
        self.lines += lines
        if self.characters > self.ceiling("characters"):
            raise self.over("characters", text_too_long(kind))
        if self.lines > self.ceiling("lines"):
            raise self.over("lines", too_many_lines(kind))


def text_too_long(kind: str, length: int | None = None) -> str:
    if length is None:
        size = f"is longer than {number(MAX_CHARACTERS)} characters"
    else:
        size = f"is {number(length)} characters long"
    return (
        f"{kind}'s text {size}; the limit is {number(MAX_CHARACTERS)} characters (about 600 "
        f"pages). Leave out what is not the protocol, or split it."
    )


def too_many_lines(kind: str, count: int | None = None) -> str:
    size = f"has {number(count)} lines" if count else f"has more than {number(MAX_LINES)} lines"
    return f"{kind} {size}; the limit is {number(MAX_LINES)}."


def file_too_big(size: int) -> str:
    return (
        f"The file is {number(size)} bytes; the limit is {megabytes(MAX_FILE_BYTES)} "
        f"({number(MAX_FILE_BYTES)} bytes)."
    )
