"""How much, and what, a request may carry: every limit on input, named once.

The web pages and the API check what is sent against these before any of it reaches a selector
or a service, and refuse what is beyond them with a message naming the limit: a body too large
is a 413, the rest a 400 or 422 (or a form error) naming the field. docs/api.md ("Limits on
input") lists them. The limits on a protocol file being imported are the library's
(`accord.library.parsing.limits`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "BODILESS",
    "DEFAULT_BODY_LIMIT",
    "FIELD_ALLOWANCE",
    "MAX_BODY_BYTES",
    "MAX_INTEGER",
    "MAX_QUESTION_WORDS",
    "MAX_REQUEST_BYTES",
    "MAX_SEARCH_CHARACTERS",
    "MAX_SEARCH_WORDS",
    "BodyLimit",
    "accepts_body",
    "base64_size",
    "body_limit_of",
    "body_too_large",
    "declared_length",
    "refused_character",
    "search_words",
    "size",
    "too_many_words",
    "unusable_character",
]

KB = 1024
MB = 1024 * KB

# A request body: a form, or the JSON of an API write. The longest answer a form or body asks
# for is a few tens of thousands of characters; this is Django's own default ceiling. Routes
# that take a file say their own (`accord.web.middleware.accepts_body`).
MAX_BODY_BYTES = 2_621_440  # 2.5 MB
# Room in a body for the fields sent alongside a file, and for a multipart form's framing.
FIELD_ALLOWANCE = 64 * KB

# An id, a count or a position sent to Accord: at most the largest 32-bit integer, far beyond
# any record Accord will hold and within every column that stores one.
MAX_INTEGER = 2**31 - 1

# A search: its words each narrow the rows (a join or a condition each), so they are few.
MAX_SEARCH_WORDS = 10
MAX_SEARCH_CHARACTERS = 200
# A plain question to the protocol library is a sentence, not a list of terms.
MAX_QUESTION_WORDS = 30

# Characters no text may hold: the C0 and C1 control characters, DEL, and halves of a UTF-16
# surrogate pair (which are not characters at all and cannot be stored). Text that may run over
# several lines (a textarea, a JSON body) may hold tab, line feed and carriage return; a single
# line (a search, a filter, an address) may not.
_REFUSED_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMES = {
    "\x00": "NUL",
    "\t": "tab",
    "\n": "line feed",
    "\r": "carriage return",
    "\x7f": "DEL",
}


def refused_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` may not hold, or None."""
    found = (_REFUSED_IN_TEXT if multiline else _REFUSED_IN_LINE).search(text)
    return found.group(0) if found else None


def unusable_character(character: str, *, multiline: bool = False) -> str:
    """Why `character` (from `refused_character`) is refused, naming it."""
    code = f"U+{ord(character):04X}"
    name = _NAMES.get(character)
    shown = f"{code} ({name})" if name else code
    if not multiline and character in "\t\n\r":
        return f"Must be on one line: it contains a {name} ({code})."
    if 0xD800 <= ord(character) <= 0xDFFF:
        return f"Contains {shown}, half of a surrogate pair, which is not a character."
    return f"Contains the control character {shown}, which cannot be used."


def search_words(query: str) -> list[str]:
    """The words of a search, at most `MAX_SEARCH_WORDS` of them: a selector's own guard, for
    callers that did not refuse a longer search first."""
    return query.split()[:MAX_SEARCH_WORDS]


def too_many_words(query: str, most: int = MAX_SEARCH_WORDS) -> str | None:
    """Why `query` has too many words to search for, or None."""
    count = len(query.split())
    if count <= most:
        return None
    return f"Search for at most {most} words; this has {count}."


def size(count: int) -> str:
    """2_621_440 -> "2.5 MB"; 65_536 -> "64 KB"."""
    if count >= MB:
        value = count / MB
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    return f"{count // KB} KB" if count >= KB else f"{count} bytes"


def body_too_large(length: int, limit: int, what: str = "") -> str:
    """The refusal of a body of `length` bytes beyond `limit`, naming the limit."""
    which = f" for {what}" if what else ""
    return f"The request is {length:,} bytes; the limit{which} is {size(limit)} ({limit:,} bytes)."


def base64_size(count: int) -> int:
    """The length of `count` bytes written in base64."""
    return 4 * -(-count // 3)


# --- how much body a route takes ------------------------------------------------------------

# Django itself refuses a body larger than this wherever it is read (DATA_UPLOAD_MAX_MEMORY_SIZE):
# no route takes more. Each route's own limit, `MAX_BODY_BYTES` unless it says otherwise, is
# checked before anything reads the body (`accord.web.middleware.InputLimitsMiddleware`).
MAX_REQUEST_BYTES = 16 * MB

BODY_LIMIT_ATTR = "accord_body_limit"
# Methods whose body no view reads: a body sent with one is left unread, whatever its size.
BODILESS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class BodyLimit:
    """The largest body a route takes; `what` says what it is for, in the refusal."""

    max_bytes: int
    what: str = ""


DEFAULT_BODY_LIMIT = BodyLimit(MAX_BODY_BYTES)

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def accepts_body(limit: BodyLimit) -> Callable[[ViewT], ViewT]:
    """Let a view take a body larger than `MAX_BODY_BYTES` (a file upload), up to `limit`."""
    if limit.max_bytes > MAX_REQUEST_BYTES:
        raise ValueError(f"No route may take more than {MAX_REQUEST_BYTES:,} bytes.")

    def mark(view: ViewT) -> ViewT:
        setattr(view, BODY_LIMIT_ATTR, limit)
        return view

    return mark


def declared_length(meta: Mapping[str, Any]) -> int:
    """A request's body length as its client declared it (`request.META`), read as Django
    reads it: Django reads no more than this, and nothing at all without it."""
    try:
        return max(int(meta.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def body_limit_of(view: Callable[..., Any]) -> BodyLimit:
    limit = getattr(view, BODY_LIMIT_ATTR, DEFAULT_BODY_LIMIT)
    return limit if isinstance(limit, BodyLimit) else DEFAULT_BODY_LIMIT
