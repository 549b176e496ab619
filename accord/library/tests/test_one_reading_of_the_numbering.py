"""The library and the profiles' citation checks read a protocol's numbering the same way.

A number used twice in one part is an error in the document: the first paragraph keeps the
number, the repeat and every item under it are left out of both readings, and the library
tells the person importing in plain words. These are the cases property tests have drawn, and
their kind, written out so that every run checks them.
"""

from __future__ import annotations

import pytest

from accord.library.parsing import parse_protocol
from accord.profiles.citations import document_paragraphs
from accord.profiles.paragraphs import parse_document


def _library(text: str) -> list[str]:
    return [p.reference for p in parse_protocol(text, parts={}).paragraphs]


def _profiles(text: str) -> list[str]:
    return [p.reference for p in parse_document(text).paragraphs]


AGREEING = {
    # The example Hypothesis drew: a repeat whose item follows a line separator.
    "a repeat with an item after U+2028": ("1.\n1. \u2028 (a)", ["1"]),
    "a repeat followed by an item": ("1. x\n1. y\n(a) z", ["1"]),
    "a repeat after another paragraph, with an item": ("1. x\n2. y\n1. z\n(a) w", ["1", "2"]),
    "a repeat whose items repeat the first's": (
        "1. x\n(a) a\n(b) b\n1. y\n(a) c\n(c) d",
        ["1", "1(a)", "1(b)"],
    ),
    "a repeated item": ("1. x\n(a) a\n(a) b\n(b) c", ["1", "1(a)", "1(b)"]),
    "a repeated roman item": (
        "1. x\n(a) a\n(i) one\n(i) again\n(ii) two",
        ["1", "1(a)", "1(a)(i)", "1(a)(ii)"],
    ),
    "a repeated decimal paragraph": ("3.1 x\n3.2 y\n3.1 z\n(a) w\n3.3 v", ["3.1", "3.2", "3.3"]),
    "a repeat then the numbering carries on": ("1. a\n2. b\n2. c\n(a) d\n3. e\n(a) f", None),
    "a form feed ends a line": ("1. a\x0c2. b\x0c(a) c", ["1", "2", "2(a)"]),
    "a next-line character ends a line": ("1. a\x852. b\x85(a) c", ["1", "2", "2(a)"]),
    "a paragraph separator ends a line": ("1. a\u20292. b\u2029\u2029(a) c", ["1", "2", "2(a)"]),
    "vertical tab and file separators": ("1. a\x0b1. b\x1c(a) c\x1d2. d", ["1", "2"]),
}


@pytest.mark.parametrize("name", AGREEING)
def test_the_library_shows_exactly_the_paragraphs_a_profile_may_cite(name):
    text, expected = AGREEING[name]

    assert _library(text) == _profiles(text)
    assert set(_library(text)) == document_paragraphs(text)
    if expected is not None:
        assert _library(text) == expected


def test_a_repeat_then_the_numbering_carries_on_keeps_the_later_paragraphs_and_their_items():
    assert _library("1. a\n2. b\n2. c\n(a) d\n3. e\n(a) f") == ["1", "2", "3", "3(a)"]


def test_the_importer_is_told_in_plain_words_what_was_left_out_and_what_to_do():
    warnings = parse_protocol("1. x\n2. y\n1. z\n(a) w\n(b) v\n3. u", parts={}).warnings

    assert [(w.line, w.message) for w in warnings] == [
        (
            3,
            "Paragraph 1 is numbered the same as the paragraph at line 1, so it was left out, "
            "with its items 1(a) and 1(b), and nothing can cite it. If the numbering starts "
            "again here because a new part begins, give the part a heading such as "
            "\u201cAppendix A\u201d; otherwise correct the number.",
        )
    ]


def test_a_repeated_item_is_reported_with_the_line_of_the_first():
    warnings = parse_protocol("1. x\n(a) a\n(a) b\n(b) c", parts={}).warnings

    assert [(w.line, w.message) for w in warnings] == [
        (
            3,
            "Item 1(a) is lettered the same as the item at line 2, so it was left out. Give it "
            "the next letter in its list.",
        )
    ]


def test_the_profiles_reading_lists_what_it_left_out_and_why():
    document = parse_document("1. x\n2. y\n1. z\n(a) w\n(a) again")

    assert document.duplicates == ("1",)
    assert [(e.paragraph.reference, e.first_line, e.under) for e in document.left_out] == [
        ("1", 1, ""),
        ("1(a)", 0, "1"),
        ("1(a)", 0, "1"),
    ]
    first = document.find("1")
    assert first is not None
    assert first.text == "x"
    assert document.find("1(a)") is None


def test_numbering_that_restarts_under_a_heading_is_a_part_not_a_repeat():
    text = "1. One.\n(a) item.\n\nAppendix A\n\n1. Annexed.\n(a) annexed item.\n"
    doc = parse_protocol(text)

    assert [p.reference for p in doc.paragraphs] == ["1", "1(a)", "App A 1", "App A 1(a)"]
    assert doc.warnings == ()
    assert [p.reference for p in parse_document(text, parts=doc.parts).paragraphs] == [
        p.reference for p in doc.paragraphs
    ]
