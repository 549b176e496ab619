"""Hostile and random input: the parser never fails, does work in proportion to its input, and
never lets markup through.

Whatever a file holds, parsing it gives plain strings; the page that shows them escapes them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.template.loader import render_to_string
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.errors import ValidationFailed
from accord.core.testing import examples
from accord.library.parsing import (
    ParsedDocument,
    markup,
    parse_protocol,
    read_upload,
    repair,
    structure,
)
from accord.library.parsing.repair import repair as repair_lines
from accord.profiles import paragraphs
from accord.profiles.paragraphs import parse_document

FRAGMENTS = [
    "1.",
    "2.",
    "10.",
    "2.3",
    "3.3.5",
    "**3.3**",
    "**3.4.3.6**",
    "(a)",
    "(b)(i)",
    "(iv)",
    "(xiv)(xv)",
    "- ",
    " - ",
    "\u2022 ",
    "o ",
    "#",
    "## ",
    "**",
    "~~",
    "*",
    "<sup>1</sup>",
    "<sup>",
    "</sup>",
    "[^1]",
    "[^1]: a note",
    "[link](javascript:alert(1))",
    "<https://example.org/a-b>",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "</p><p>",
    "&amp;",
    '"quoted"',
    "Appendix A",
    "Annex 1",
    "STATUTORY OFFICERS PROTOCOL",
    "[end of Part 5C]",
    "SUBJECT:",
    "Page 3 of 9",
    "e-",
    "mail",
    "words words words",
    "The Council will",
    ":-",
    ".",
    "",
    " ",
    "\t",
    "\u00a0",
    "\u2028",
    "\x0c",
    "\x00",
    "\ufeff",
    "\u202e",
    "\U0001f600",
]

line = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=8).map(
    " ".join
)
protocolish = st.lists(line, max_size=60).map("\n".join)
anything = st.one_of(st.text(), protocolish)
ANCHOR = re.compile(r"^p(?:-[a-z0-9]+)*$")


def _check(text: str, *, source_format: str = "md") -> None:
    doc = parse_protocol(text, source_format=source_format)
    references = [p.reference for p in doc.paragraphs]
    anchors = [p.anchor for p in doc.paragraphs]
    assert len(set(references)) == len(references)
    assert len(set(anchors)) == len(anchors)
    assert all(ANCHOR.match(anchor) for anchor in anchors)
    for p in doc.paragraphs:
        assert p.kind in {"paragraph", "item"}
        assert {op for op, _ in p.segments} <= {"same", "ins", "del"}
        assert "~~" not in p.text
        assert "**" not in p.text
        if not p.bullets:
            kept = " ".join("".join(w for op, w in p.segments if op != "del").split())
            assert kept == p.text
    assert json.loads(json.dumps(doc.to_json())) == doc.to_json()
    for p in doc.paragraphs:
        shown = render_to_string("library/_paragraph.html", {"paragraph": p, "link": False})
        assert "<script" not in shown.lower()
        assert "<img" not in shown.lower()
        if "<script" in p.text:
            assert "&lt;script" in shown


@settings(max_examples=examples(200))
@given(anything)
def test_any_text_parses_into_unique_references_and_plain_strings(text):
    _check(text)


@settings(max_examples=examples(100))
@given(protocolish)
def test_any_text_read_as_a_pdf_parses(text):
    _check(text, source_format="pdf")


@settings(max_examples=examples(100))
@given(protocolish)
def test_the_library_and_the_profiles_agree_on_the_references_of_undamaged_text(text):
    doc = parse_protocol(text, parts={})
    if any("taken from a PDF" in w.message for w in doc.warnings):
        return  # repaired text is a different text: the five documents cover that case
    assert {p.reference for p in doc.paragraphs} == {
        p.reference for p in parse_document(text).paragraphs
    }


@settings(max_examples=examples(100))
@given(st.lists(line, max_size=60))
def test_repair_only_joins_lines_and_takes_lines_away(lines):
    repaired = repair_lines(lines)

    assert len(repaired.lines) <= len(lines)
    assert list(repaired.origins) == sorted(set(repaired.origins))
    kept = iter("".join(lines).replace(" ", ""))
    assert all(char in kept for char in "".join(repaired.lines).replace(" ", ""))


@settings(max_examples=examples(100))
@given(st.binary(max_size=2000), st.sampled_from(["txt", "md", "docx", "pdf"]))
def test_any_bytes_are_read_or_refused_naming_the_file(data, extension):
    try:
        source = read_upload(f"upload.{extension}", data)
    except ValidationFailed as failed:
        fields = [e.field for e in failed.errors]
    else:
        _check(source.text, source_format=source.format)
        return
    assert fields == ["file"]


# Hand-written hostile cases: each is read within a bounded amount of work that grows in
# proportion to the input. Each is made at a scale `n`; at its full scale it is the input as
# first written.

HOSTILE: dict[str, tuple[Callable[[int], str], int]] = {
    "100k lines of one paragraph": (
        lambda n: "1. Officers will\n" + "continue to say more\n" * n,
        100_000,
    ),
    "100k blank and space lines": (lambda n: " \n\n\t\n" * n, 33_334),
    "100k lines of script tags": (lambda n: "<script>alert(1)</script>\n" * n, 100_000),
    "100k lines of nested markup": (
        lambda n: "**~~<sup>1</sup>[^1] [a](b) **x** ~~y~~~~**\n" * n,
        50_000,
    ),
    "10k numbered paragraphs": (
        lambda n: "".join(f"{k}. Paragraph {k}.\n" for k in range(1, n + 1)),
        10_000,
    ),
    "100k lines broken in mid-sentence": (
        lambda n: "1. The council\n" + "and its officers\n\n" * n,
        50_000,
    ),
    "a line of five megabytes": (lambda n: "1. " + "words " * n, 800_000),
    "a megabyte of opening brackets": (lambda n: "1. " + "[" * n, 1_000_000),
    "a megabyte of link openings": (lambda n: "1. " + "[a](" * n, 250_000),
    "a megabyte of strike marks": (lambda n: "1. " + "~~a" * n, 300_000),
    "a megabyte of stars": (lambda n: "1. " + "*a " * n, 300_000),
    "a megabyte of superscripts": (lambda n: "1. " + "<sup>" * n, 200_000),
    "a megabyte of parentheses": (lambda n: "1. a\n" + "(" * n, 1_000_000),
    "a number a megabyte long": (lambda n: "1" + ".1" * n + " words", 300_000),
    "restarting numbering": (
        lambda n: "".join(f"Appendix {k}\n\n1. a\n\n" for k in range(1, n)),
        2_000,
    ),
    "right-to-left and emoji": (
        lambda n: "1. \u202e\U0001f600 (a) \u0301\u0301\u0301\n" * n,
        10_000,
    ),
}

# The modules whose regular expressions read a protocol's text.
_READERS = (structure, markup, repair, paragraphs)


@dataclass
class _Tally:
    calls: int = 0
    characters: int = 0


class _CountedPattern:
    """A compiled pattern that adds the characters it is given to a tally."""

    _TEXT_AT = {"sub": 1, "subn": 1}

    def __init__(self, pattern: re.Pattern[str], tally: _Tally) -> None:
        self._pattern = pattern
        self._tally = tally

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._pattern, name)
        if not callable(found):
            return found

        def counted(*args: Any, **kwargs: Any) -> Any:
            text = args[self._TEXT_AT.get(name, 0)] if args else kwargs.get("string", "")
            self._tally.characters += len(text) if isinstance(text, str) else 0
            return found(*args, **kwargs)

        return counted


def _work(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, ParsedDocument]:
    """The parser's work on `text`: every function it calls (Python's and the built-in ones,
    counted by a profile hook), and every character it hands to its regular expressions. The
    same on every run and every machine, unlike the time it takes."""
    tally = _Tally()
    with monkeypatch.context() as patched:
        for module in _READERS:
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern):
                    patched.setattr(module, name, _CountedPattern(value, tally))

        def profile(frame: Any, event: str, arg: Any) -> None:
            if event in {"call", "c_call"}:
                tally.calls += 1

        sys.setprofile(profile)
        try:
            doc = parse_protocol(text)
        finally:
            sys.setprofile(None)
    return tally.calls + tally.characters, doc


def _check_hostile(doc: ParsedDocument) -> None:
    assert len({p.reference for p in doc.paragraphs}) == len(doc.paragraphs)
    for p in doc.paragraphs[:50]:
        shown = render_to_string("library/_paragraph.html", {"paragraph": p, "link": False})
        assert "<script" not in shown.lower()


@pytest.mark.hostile
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_parses_with_work_in_proportion_to_its_size(name, monkeypatch):
    make, full = HOSTILE[name]
    _check_hostile(parse_protocol(make(full)))

    # Twice the input is about twice the work, never its square; and the work stays within a
    # few hundred steps a line and sixteen a character (each line is read by a dozen patterns).
    small, double = make(full // 20), make(full // 10)
    work_small, doc_small = _work(small, monkeypatch)
    work_double, doc_double = _work(double, monkeypatch)
    _check_hostile(doc_small)
    _check_hostile(doc_double)
    assert work_double <= 2.3 * work_small + 2_000, (work_small, work_double)
    lines = double.count("\n") + 1
    assert work_double <= 300 * lines + 16 * len(double) + 10_000, (work_double, lines, len(double))
