"""Reading the five protocol documents (../shared/protocols/) into their structure."""

from __future__ import annotations

import json
from functools import cache

import pytest

from accord.library.parsing import ParsedDocument, ParsedParagraph, parse_protocol
from accord.library.parsing.document import anchor_for
from accord.profiles.tests.protocols import LEICESTERSHIRE_PARTS, document, protocol_text

# (entries, numbered paragraphs) as `accord.profiles.paragraphs.parse_document` reads them.
COUNTS = {"000": (262, 177), "001": (39, 13), "002": (55, 38), "003": (8, 8), "004": (91, 63)}


@cache
def parsed(number: str) -> ParsedDocument:
    return parse_protocol(protocol_text(number))


def paragraph(number: str, reference: str) -> ParsedParagraph:
    found = [p for p in parsed(number).paragraphs if p.reference == reference]
    assert len(found) == 1, f"{reference} in {number}: {len(found)}"
    return found[0]


def warnings_at(number: str, line: int) -> list[str]:
    return [w.message for w in parsed(number).warnings if w.line == line]


# Every document


@pytest.mark.parametrize(("number", "counts"), COUNTS.items())
def test_each_document_has_the_paragraphs_and_items_the_profiles_count(number, counts):
    doc = parsed(number)

    assert (len(doc.paragraphs), len(doc.numbered())) == counts


@pytest.mark.parametrize("number", COUNTS)
def test_the_references_are_those_profile_checks_cite(number):
    profile_reading = {p.reference for p in document(number).paragraphs}

    assert {p.reference for p in parsed(number).paragraphs} == profile_reading
    parts = LEICESTERSHIRE_PARTS if number == "000" else None
    declared = parse_protocol(protocol_text(number), parts=parts or {})
    assert {p.reference for p in declared.paragraphs} == profile_reading


@pytest.mark.parametrize("number", COUNTS)
def test_references_and_anchors_are_unique_and_anchors_are_plain_ids(number):
    doc = parsed(number)
    references = [p.reference for p in doc.paragraphs]
    anchors = [p.anchor for p in doc.paragraphs]

    assert len(set(references)) == len(references)
    assert len(set(anchors)) == len(anchors)
    assert all(
        anchor == anchor_for(p.reference) for anchor, p in zip(anchors, doc.paragraphs, strict=True)
    )


@pytest.mark.parametrize("number", COUNTS)
def test_no_markup_is_left_in_the_text(number):
    for p in parsed(number).paragraphs:
        for words in (p.text, p.heading, *p.bullets, *p.footnotes):
            for mark in ("**", "~~", "<sup>"):
                assert mark not in words, p.reference


@pytest.mark.parametrize("number", COUNTS)
def test_the_kept_segments_are_the_paragraphs_own_words(number):
    for p in parsed(number).paragraphs:
        kept = " ".join("".join(words for op, words in p.segments if op != "del").split())
        if not p.bullets:
            assert kept == p.text, p.reference


def test_a_reference_becomes_an_anchor_in_lower_case_with_hyphens():
    assert anchor_for("SO 4.3(c)") == "p-so-4-3-c"
    assert anchor_for("3.5") == "p-3-5"
    assert anchor_for("App B 11(b)(iv)") == "p-app-b-11-b-iv"


# 000: the revised protocol, changes in bold, with the Statutory Officers Protocol annexed


def test_000_parts_are_found_without_being_named():
    doc = parsed("000")

    assert doc.parts == LEICESTERSHIRE_PARTS
    assert [p.number for p in doc.numbered() if p.part == ""] == [str(n) for n in range(1, 53)]
    for prefix, last in (("SO", 9), ("App A", 10), ("App B", 11), ("App C", 11)):
        tops = [p.number for p in doc.numbered() if p.part == prefix and "." not in p.number]
        assert tops == [str(n) for n in range(1, last + 1)], prefix


def test_000_title_and_sections():
    doc = parsed("000")

    assert doc.title == "Protocol on Member / Officer Relations"
    assert paragraph("000", "1").section == "Purpose"
    assert paragraph("000", "3(b)").section == "Principles"
    assert paragraph("000", "41").section == "Constituent Issues"
    assert paragraph("000", "SO 1.1").section == "STATUTORY OFFICERS PROTOCOL"
    assert paragraph("000", "App A 4.2").section == "Regular Liaison and Communication"
    # A numbered heading ends the unnumbered one: 5 is not part of "Regular Liaison".
    assert paragraph("000", "App A 5.1").section.startswith("Appendix A")
    assert "[end of Protocol on Member/Officer Relations]" not in doc.sections


def test_000_sample_paragraphs():
    assert paragraph("000", "1").text.startswith(
        "The purpose of this protocol is to define the respective roles of members and officers"
    )
    assert "including online discussion, which could reasonably give rise" in (
        paragraph("000", "14").text
    )
    assert paragraph("000", "50(a)").heading == "Discussion"
    assert "No member shall be involved at this stage" in paragraph("000", "50(a)").text
    assert paragraph("000", "SO 4.3").text.startswith("Appropriate deputising arrangements")
    assert paragraph("000", "App A 2.3").text.startswith("The Chief Executive will provide frank")
    assert "section 114 report may be required" in paragraph("000", "App C 8.1").text
    assert "de facto personal delegation" in paragraph("000", "26").text


def test_000_bullets_belong_to_their_paragraph_with_its_closing_words():
    listed = paragraph("000", "39")

    assert len(listed.bullets) == 7
    assert listed.bullets[0].startswith("An issue arising from the exercise of a Chief Officer")
    assert listed.text.endswith("simple phone call is all that is required.")
    assert "Children's Services is a statutory role" in paragraph("000", "24").text
    assert "Children's Services" not in paragraph("000", "24(f)").text


def test_000_bold_passages_are_read_as_tracked_insertions():
    assert paragraph("000", "2").segments == (("ins", paragraph("000", "2").text),)
    rule = paragraph("000", "12").segments
    assert [op for op, _ in rule] == ["same", "ins"]
    assert rule[1][1].startswith("they should raise it using the process outlined at paragraph 51")
    assert ("ins", "also") in paragraph("000", "18").segments
    assert any("read as tracked insertions" in m for m in warnings_at("000", 26))


def test_000_a_closing_bold_mark_without_its_opening_one_marks_the_paragraph_inserted():
    review = paragraph("000", "52")

    assert [op for op, _ in review.segments] == ["ins"]
    assert any("no opening one" in m for m in warnings_at("000", 188))


def test_000_lettering_that_starts_late_or_skips_a_letter_is_reported():
    assert any("first item of paragraph 28 is (g)" in m for m in warnings_at("000", 97))
    assert any("App B 5.1(c) comes after item App B 5.1(a)" in m for m in warnings_at("000", 438))
    assert any("not in any numbered paragraph" in m for m in warnings_at("000", 194))


# 001: sections 1-13, lettered items with roman items under them


def test_001_sample_paragraphs():
    assert paragraph("001", "1").heading == "Introduction"
    assert paragraph("001", "1").text.startswith("This protocol seeks to strengthen")
    assert paragraph("001", "9").heading == "Familiarity"
    assert "'Friends' on social media" in paragraph("001", "9").text
    assert paragraph("001", "3(a)").heading == "Members"
    assert "express consent of their Director" in paragraph("001", "11(b)(i)").text
    assert paragraph("001", "11(b)(iii)").text.endswith("neutrality of officers.")
    assert "10 working days notice" in paragraph("001", "5(c)").text


def test_001_roman_items_nest_under_their_lettered_item_in_json():
    entries = {e["reference"]: e for e in parsed("001").to_json()["paragraphs"]}
    political = entries["11"]

    assert [i["reference"] for i in political["items"]] == ["11(a)", "11(b)"]
    assert [i["number"] for i in political["items"][1]["items"]] == [
        "(i)",
        "(ii)",
        "(iii)",
        "(iv)",
        "(v)",
    ]


def test_001_a_list_introduced_by_colon_dash_stays_in_its_paragraph():
    # "...apply to all relations involving Members and Officers:-" is a lead-in, not a
    # heading: paragraph 2 keeps it, the second lead-in and the four bullets under them.
    principles = paragraph("001", "2")

    assert principles.heading == "Underlying Principles"
    assert principles.text.startswith("The following general principles apply")
    assert "All relations shall be conducted:-" in principles.text
    assert principles.bullets == (
        "with respect;",
        "honesty and integrity;",
        "in a way which promotes objectivity, accountability and openness; and",
        "acknowledging the duty of confidentiality.",
    )
    assert warnings_at("001", 11) == []


# 002: the earlier protocol as extracted from a PDF


def test_002_is_repaired_as_pdf_text_and_keeps_paragraphs_1_to_38():
    doc = parsed("002")

    assert [p.number for p in doc.numbered()] == [str(n) for n in range(1, 39)]
    assert any("taken from a PDF" in w.message for w in doc.warnings)


def test_002_sample_paragraphs():
    assert "define the respective roles of members and officers and to provide guidance" in (
        paragraph("002", "1").text
    )
    assert "adequate support to all elected members" in paragraph("002", "3(h)").text
    assert "a short e-mail or simple phone call" in paragraph("002", "30").text
    assert "  " not in paragraph("002", "8").text
    assert "Information on Local Issues" not in paragraph("002", "25").text
    assert "end of Part 5C" not in paragraph("002", "38").text
    assert paragraph("002", "26").section == "Information on Local Issues"


def test_002_bullets_and_the_lines_that_introduce_them():
    procedures = paragraph("002", "36")

    assert procedures.bullets[0] == "Organisational Change Policy and Procedure"
    assert procedures.bullets[-1] == "Dignity at Work Policy and Procedure"
    assert "Harassment and Bullying Procedure" in procedures.text


# 003: a report with numbered headings


def test_003_sample_paragraphs():
    assert parsed("003").title == "Member/Officer Protocol"
    assert paragraph("003", "1").heading == "PURPOSE OF THE REPORT"
    assert paragraph("003", "1").text == (
        "To consider and review of the Protocol on Member/Officer Relations."
    )
    assert paragraph("003", "7").text == "None."
    assert "section 27 (2) of the Localism Act 2011" in paragraph("003", "5").text
    assert "paragraph 1.2" in paragraph("003", "3").text
    assert "Contact Officer" not in paragraph("003", "8").text
    assert any("Contact Officer" in m for m in warnings_at("003", 53))


# 004: tracked changes, renumbering, footnotes


def test_004_renumbering_written_old_then_new_gives_the_current_number():
    moved = paragraph("004", "3.5")

    assert (moved.number, moved.renumbered_from, moved.anchor) == ("3.3.5", "3.3", "p-3-5")
    assert "within one week" in moved.text
    assert paragraph("004", "3.6").number == "3.4.3.6"
    assert paragraph("004", "3.3").renumbered_from == ""
    item = paragraph("004", "5.4(xv)")
    assert (item.number, item.renumbered_from) == ("(xiv)(xv)", "5.4(xiv)")


def test_004_struck_words_are_deletions_left_out_of_the_text():
    concern = paragraph("004", "6.2")

    assert ("del", "he or she") in concern.segments
    assert ("del", "Monitoring Officer") in concern.segments
    assert "he or she" not in concern.text
    assert "with the Chief Executive in the knowledge" in concern.text
    assert ("del", "or informal") in paragraph("004", "6.1").segments
    assert "as a formal complaint" in paragraph("004", "6.1").text


def test_004_footnotes_are_kept_apart_and_given_to_the_paragraphs_that_mark_them():
    doc = parsed("004")

    assert set(doc.footnotes) == {"1", "2", "3"}
    assert paragraph("004", "1.1").footnotes[0].startswith("HM Government (1995)")
    assert paragraph("004", "3.2").footnotes == (doc.footnotes["2"],)
    assert "HM Government" not in paragraph("004", "1.8").text


def test_004_sample_paragraphs():
    doc = parsed("004")

    assert doc.title == "Annex 2.4 - Protocol for Managing Councillor / Officer Relations"
    assert paragraph("004", "2.1").bullets[0] == "Initiation and direction of council policy."
    assert len(paragraph("004", "2.1").bullets) == 5
    assert (paragraph("004", "9").heading, paragraph("004", "9").text) == ("Conclusion", "")
    assert "Group Chair / Leader or the Monitoring Officer" in paragraph("004", "1.9").text
    assert paragraph("004", "4.1(ii)").text == "Common law (on a need to know basis)."
    assert any("running header" in m for m in warnings_at("004", 168))
    assert any("Date of issue" in m for m in warnings_at("004", 170))


def test_004_as_json():
    data = parsed("004").to_json()

    assert set(data) == {"title", "parts", "sections", "warnings", "footnotes", "paragraphs"}
    assert json.loads(json.dumps(data)) == data
    entries = {e["reference"]: e for e in data["paragraphs"]}
    assert set(entries["3.5"]) == {
        "number",
        "reference",
        "anchor",
        "part",
        "heading",
        "section",
        "text",
        "segments",
        "renumbered_from",
        "bullets",
        "footnotes",
        "items",
    }
    assert len(entries["5.4"]["items"]) == 15
    assert ["del", "he or she"] in entries["6.2"]["segments"]
    assert {"line": 168, "message": warnings_at("004", 168)[0]} in data["warnings"]


# The rules, on small texts


def _references(text: str, **options) -> list[str]:
    return [p.reference for p in parse_protocol(text, **options).paragraphs]


def _messages(text: str, **options) -> list[tuple[int, str]]:
    return [(w.line, w.message) for w in parse_protocol(text, **options).warnings]


def test_a_duplicate_number_keeps_the_first_paragraph_and_warns():
    text = "1. First.\n2. Second.\n2. Second again.\n3. Third.\n"

    assert _references(text) == ["1", "2", "3"]
    assert [line for line, _ in _messages(text)] == [3]
    assert "numbered the same as the paragraph at line 2" in _messages(text)[0][1]


def test_a_gap_in_the_numbering_and_numbering_going_back_are_reported():
    gap = _messages("1. One.\n2. Two.\n5. Five.\n")
    back = _messages("1. One.\n2. Two.\n1.5 Back again.\n")

    assert gap == [(3, "Paragraph 5 comes after paragraph 2: the numbers in between are missing.")]
    assert back[0][0] == 3
    assert "goes back without a new part" in back[0][1]


def test_an_annex_whose_numbering_restarts_becomes_a_part():
    text = "1. One.\n2. Two.\n\nAnnex 1 - Forms\n\n1. Annexed one.\n2. Annexed two.\n"
    doc = parse_protocol(text)

    assert doc.parts == {"Annex 1": "Annex 1"}
    assert [p.reference for p in doc.paragraphs] == ["1", "2", "Annex 1 1", "Annex 1 2"]
    assert doc.paragraphs[2].section == "Annex 1 - Forms"
    assert doc.warnings == ()


def test_a_heading_that_names_no_annex_gives_its_initials():
    text = "1. One.\n2. Two.\n\nCODE OF CONDUCT FOR MEMBERS\n\n1. Members shall.\n"

    assert parse_protocol(text).parts == {"CCM": "Code of Conduct for Members"}


def test_a_declared_part_that_is_not_there_is_reported():
    text = "1. One.\n"

    doc = parse_protocol(text, parts={"App D": "Appendix D"})

    assert [p.reference for p in doc.paragraphs] == ["1"]
    assert doc.parts == {}
    assert [(w.line, w.message) for w in doc.warnings] == [
        (
            1,
            "No heading starting \u201cAppendix D\u201d was found, so there is no part "
            "\u201cApp D\u201d.",
        )
    ]


def test_footnote_marks_without_text_and_texts_without_marks_are_reported():
    text = "1. A rule.<sup>1</sup> Another.[^2]\n\n<sup>1</sup> The first note.\n\n[^3]: Unused.\n"
    doc = parse_protocol(text)

    assert doc.paragraphs[0].footnotes == ("The first note.",)
    assert doc.paragraphs[0].text == "A rule. Another."
    assert doc.footnotes == {"1": "The first note.", "3": "Unused."}
    messages = _messages(text)
    assert (1, "Paragraph 1 has footnote mark 2, but no footnote 2 was found.") in messages
    assert any(line == 5 and "Footnote 3 is not marked" in m for line, m in messages)


def test_text_after_a_heading_that_no_paragraph_owns_is_reported():
    text = "1. One.\n\n## Interlude\n\nSome words nobody numbered.\n\n2. Two.\n"

    assert _references(text) == ["1", "2"]
    assert _messages(text) == [
        (
            5,
            "This text is not in any numbered paragraph, so it was left out: "
            "\u201cSome words nobody numbered.\u201d.",
        )
    ]


def test_a_strike_through_mark_without_a_partner_is_ignored_with_a_warning():
    doc = parse_protocol("1. Words ~~and more words.\n")

    assert doc.paragraphs[0].text == "Words and more words."
    assert "no partner" in doc.warnings[0].message


def test_short_bold_words_are_emphasis_unless_they_replace_struck_words():
    doc = parse_protocol("1. Officers **must** reply to ~~him~~**them** promptly.\n")

    assert doc.paragraphs[0].segments == (
        ("same", "Officers must reply to "),
        ("del", "him"),
        ("ins", "them"),
        ("same", " promptly."),
    )
    assert doc.paragraphs[0].text == "Officers must reply to them promptly."


def test_the_title_is_the_first_heading_or_a_subject_line():
    assert parse_protocol("# The Protocol\n\n1. One.\n").title == "The Protocol"
    assert parse_protocol("TO: Committee\n\nSUBJECT: Review\n\n1. One.\n").title == "Review"
