"""Reading the protocol documents into the paragraphs profiles cite."""

from __future__ import annotations

import pytest

from accord.profiles.paragraphs import Document, Paragraph, parse_document, parse_reference
from accord.profiles.tests.protocols import document, protocol_text


def paragraph(number: str, reference: str) -> Paragraph:
    found = document(number).find(reference)
    assert found is not None, f"{reference} not found in {number}"
    return found


def numbered(doc: Document, prefix: str = "", depth: int | None = None) -> list[str]:
    """The numbers of a part's numbered paragraphs (items left out), in document order."""
    return [
        p.number
        for p in doc.in_part(prefix)
        if not p.items and (depth is None or len(p.numbers) == depth)
    ]


# 000: the revised protocol, with the Statutory Officers Protocol and its appendices


def test_000_main_protocol_is_paragraphs_1_to_52_without_the_contents_list():
    assert numbered(document("000"), "") == [str(n) for n in range(1, 53)]
    assert paragraph("000", "1").text.startswith("The purpose of this protocol")


def test_000_lettered_items_belong_to_their_paragraph():
    doc = document("000")
    items = [p.number for p in doc.in_part("") if p.items]
    assert items[:10] == [f"3({letter})" for letter in "abcdefghij"]
    assert [p.number for p in doc.children(paragraph("000", "50"))] == [
        f"50({letter})" for letter in "abcdef"
    ]
    assert [p.number for p in doc.children(paragraph("000", "28"))] == ["28(g)", "28(h)"]
    assert "with the staff member's agreement" in paragraph("000", "50(c)").text


def test_000_an_items_title_is_kept_apart_from_its_text():
    discussion = paragraph("000", "50(a)")

    assert discussion.heading == "Discussion"
    assert "No member shall be involved at this stage" in discussion.text


def test_000_text_is_joined_across_blank_lines_within_a_sentence():
    assert "online discussion, which could reasonably give rise" in paragraph("000", "14").text
    assert "Members must respect that such concerns" in paragraph("000", "50(d)").text
    assert "must not progress a proposal" in paragraph("000", "SO 6.1").text


def test_000_headings_between_paragraphs_belong_to_none_of_them():
    assert "Procedure for Officers" not in paragraph("000", "49").text
    assert "end of Protocol" not in paragraph("000", "52").text
    assert "STATUTORY OFFICERS" not in paragraph("000", "52").text


def test_000_closing_words_after_a_list_belong_to_the_paragraph_not_its_last_item():
    assert "Children's Services is a statutory role" in paragraph("000", "24").text
    assert "Children's Services" not in paragraph("000", "24(f)").text
    assert "to protect the interests of the Lead Member" in paragraph("000", "28").text


def test_000_annexed_protocol_and_appendices_each_number_from_1():
    doc = document("000")

    assert [(part.prefix, part.line) for part in doc.parts] == [
        ("", 1),
        ("SO", 192),
        ("App A", 314),
        ("App B", 396),
        ("App C", 468),
    ]
    assert numbered(doc, "SO", depth=1) == [str(n) for n in range(1, 10)]
    assert numbered(doc, "App A", depth=1) == [str(n) for n in range(1, 11)]
    assert numbered(doc, "App B", depth=1) == [str(n) for n in range(1, 12)]
    assert numbered(doc, "App C", depth=1) == [str(n) for n in range(1, 12)]
    assert doc.duplicates == ()


def test_000_a_prefixed_reference_finds_the_paragraph_in_that_part_only():
    assert "deputising arrangements" in paragraph("000", "SO 4.3").text
    assert "Head of Paid Service" in paragraph("000", "SO 2.1(a)").text
    assert "successful working relationship" in paragraph("000", "App A 4.1").text
    assert "Deputy Monitoring Officer" in paragraph("000", "App B 8.2").text
    assert "section 114" in paragraph("000", "App C 8.1").text
    assert document("000").find("4.3") is None
    assert document("000").find("SO 52") is None


def test_000_section_titles_are_headings_with_no_text():
    statutory = paragraph("000", "SO 6")

    assert statutory.heading.startswith("Escalation, Dispute Resolution")
    assert statutory.text == ""
    assert paragraph("000", "App A 2.3").text.startswith("The Chief Executive will provide")


def test_000_without_its_parts_the_restarted_numbers_collide():
    doc = parse_document(protocol_text("000"))

    assert {"1", "2.1", "4.3"} <= set(doc.duplicates)
    assert all(p.part == "" for p in doc.paragraphs)


def test_a_part_whose_heading_is_not_in_the_document_is_not_found():
    doc = parse_document(protocol_text("000"), parts={"App D": "Appendix D"})

    assert doc.part("App D") is not None
    assert not doc.part("App D").found  # type: ignore[union-attr]
    assert doc.find("App D 1.1") is None


# 001: sections with lettered items and roman items under them


def test_001_sections_1_to_13_with_roman_items_under_letters():
    doc = document("001")

    assert numbered(doc) == [str(n) for n in range(1, 14)]
    assert [p.number for p in doc.children(paragraph("001", "11(b)"))] == [
        "11(b)(i)",
        "11(b)(ii)",
        "11(b)(iii)",
        "11(b)(iv)",
        "11(b)(v)",
    ]
    assert [p.number for p in doc.children(paragraph("001", "3(b)"))] == ["3(b)(i)", "3(b)(ii)"]
    assert doc.find("5(f)(iii)") is not None


def test_001_section_titles_and_bodies():
    familiarity = paragraph("001", "9")

    assert familiarity.heading == "Familiarity"
    assert familiarity.text.startswith("Close personal familiarity")
    assert "'Friends' on social media" in familiarity.text
    assert paragraph("001", "3(a)").heading == "Members"
    assert "express consent of their Director" in paragraph("001", "11(b)(i)").text
    assert paragraph("001", "11(b)(iii)").text.endswith("neutrality of officers.")


# 002: the earlier protocol, extracted from a PDF


def test_002_paragraphs_1_to_38():
    assert numbered(document("002")) == [str(n) for n in range(1, 39)]
    assert [p.number for p in document("002").in_part("") if p.items][-2:] == ["24(a)", "24(b)"]


def test_002_hard_line_breaks_and_page_break_blank_lines_are_repaired():
    assert "define the respective roles of members and officers" in paragraph("002", "1").text
    assert "adequate support to all elected members" in paragraph("002", "3(h)").text
    assert "a short e-mail or simple phone call" in paragraph("002", "30").text
    assert "  " not in paragraph("002", "8").text


def test_002_bulleted_lists_stay_in_their_paragraph_and_headings_do_not():
    listed = paragraph("002", "36").text

    assert "Harassment and Bullying Procedure" in listed
    assert "Dignity at Work Policy and Procedure" in listed
    assert "Information on Local Issues" not in paragraph("002", "25").text
    assert "end of Part 5C" not in paragraph("002", "38").text


# 004: tracked changes


def test_004_sections_and_paragraphs():
    doc = document("004")

    assert numbered(doc, depth=1) == [str(n) for n in range(1, 10)]
    assert len(numbered(doc, depth=2)) == 54
    assert numbered(doc, depth=2)[:10] == [f"1.{n}" for n in range(1, 10)] + ["2.1"]
    assert doc.duplicates == ()


def test_004_bold_old_then_new_numbers_give_the_current_number():
    doc = document("004")

    assert numbered(doc, depth=2)[11:18] == [f"3.{n}" for n in range(1, 8)]
    assert "Corporate Management Team" in paragraph("004", "3.3").text
    assert paragraph("004", "3.3").renumbered_from == ""
    assert paragraph("004", "3.5").renumbered_from == "3.3"
    assert "within one week" in paragraph("004", "3.5").text
    assert paragraph("004", "3.6").renumbered_from == "3.4"
    assert "unanswered correspondence" in paragraph("004", "3.6").text
    assert paragraph("004", "3.7").renumbered_from == "3.5"


def test_004_renumbered_roman_items_and_struck_text():
    moved = paragraph("004", "5.4(xv)")

    assert moved.renumbered_from == "5.4(xiv)"
    assert "inform the Monitoring Officer" in moved.text
    assert len(document("004").children(paragraph("004", "5.4"))) == 15
    concern = paragraph("004", "6.2").text
    assert "he or she" not in concern
    assert "with the Chief Executive in the knowledge" in concern


def test_004_footnotes_and_running_headers_belong_to_no_paragraph():
    assert "HM Government" not in paragraph("004", "1.8").text
    assert "Group Chair / Leader or the Monitoring Officer" in paragraph("004", "1.9").text
    assert paragraph("004", "9").heading == "Conclusion"
    assert paragraph("004", "9").text == ""


# The rules, on small texts of our own


def test_numbers_items_and_renumbering_in_a_small_text():
    doc = parse_document(
        "49. A numbered paragraph.\n"
        "50. Another, with lettered items:\n"
        " - (a) first\n"
        " - (b) second\n"
        "**3.3** An inserted paragraph, marked bold.\n"
        "**3.3.5** Old 3.3, now 3.5.\n"
        "**3.4.3.6** Old 3.4, now 3.6.\n"
        "1.2.3 A plain three-level number is taken as it stands.\n"
    )

    assert [p.reference for p in doc.paragraphs] == [
        "49",
        "50",
        "50(a)",
        "50(b)",
        "3.3",
        "3.5",
        "3.6",
        "1.2.3",
    ]


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ("ghij", ["7(g)", "7(h)", "7(i)", "7(j)"]),
        ("a b i ii c", ["7(a)", "7(b)", "7(b)(i)", "7(b)(ii)", "7(c)"]),
        ("i ii iii iv v vi", ["7(i)", "7(ii)", "7(iii)", "7(iv)", "7(v)", "7(vi)"]),
    ],
)
def test_an_i_after_h_is_a_letter_and_after_any_other_letter_starts_roman_items(marks, expected):
    listed = marks.split() if " " in marks else list(marks)
    text = "7. A rule with items:\n" + "".join(f"({mark}) an item;\n" for mark in listed)

    assert [p.reference for p in parse_document(text).paragraphs[1:]] == expected


def test_a_bracketed_word_at_a_line_start_is_text_not_an_item():
    doc = parse_document("7. A rule with items:\n(a) first, and\n(ab) more words.\n")

    assert [p.reference for p in doc.paragraphs] == ["7", "7(a)"]
    assert doc.paragraphs[1].text == "first, and (ab) more words."


def test_parse_reference_splits_prefix_number_and_items():
    reference = parse_reference("App B  8.2(a)(ii)")

    assert reference is not None
    assert (reference.prefix, reference.numbers, reference.items) == ("App B", (8, 2), ("a", "ii"))
    assert str(reference) == "App B 8.2(a)(ii)"
    assert parse_reference("the introduction") is None
