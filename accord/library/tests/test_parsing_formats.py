"""Reading uploads: text, Markdown, Word (with tracked changes) and PDF, and refusing the rest.

The Word and PDF files are made here from two of the documents (002, hard-wrapped text from a
PDF; 004, with tracked changes), and must read as the text itself does."""

from __future__ import annotations

import io
from functools import cache

import docx
import pytest
from pypdf import PdfWriter

from accord.core.errors import ValidationFailed
from accord.library.parsing import ParsedDocument, SourceText, parse_protocol, read_upload
from accord.library.parsing.limits import PDF_MAX_PAGES, NeedsWorker, Work
from accord.library.parsing.readers import MAX_BYTES
from accord.library.tests import hostile, renderings
from accord.profiles.tests.protocols import document, protocol_text

COUNTS = {"002": (55, 38), "004": (91, 63)}
HEADER = "Leicestershire County Council Constitution"


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationFailed) as failed:
        read_upload(name, data)
    assert [e.field for e in failed.value.errors] == ["file"]
    return failed.value.errors[0].message


@cache
def upload(number: str, kind: str) -> tuple[SourceText, ParsedDocument]:
    text = protocol_text(number)
    reflow = number == "002"
    if kind == "pdf":
        data = renderings.to_pdf(text, reflow=reflow, header=HEADER)
    else:
        data = renderings.to_docx(text, reflow=reflow, insertions=["Chief Executive"])
    source = read_upload(f"protocol-{number}.{kind}", data)
    return source, parse_protocol(source.text, source_format=source.format)


def paragraph(doc: ParsedDocument, reference: str):
    (found,) = [p for p in doc.paragraphs if p.reference == reference]
    return found


# Text and Markdown


def test_text_and_markdown_are_read_as_utf8_with_or_without_a_byte_order_mark():
    plain = read_upload("protocol.txt", "1. Officers\u2019 duties.\r\n2. More.\r\n".encode())
    marked = read_upload("protocol.md", b"\xef\xbb\xbf# Protocol\n\n1. Rule.\n")

    assert (plain.format, plain.text, plain.warnings) == (
        "txt",
        "1. Officers\u2019 duties.\n2. More.\n",
        (),
    )
    assert (marked.format, marked.text) == ("md", "# Protocol\n\n1. Rule.\n")


def test_text_that_is_not_utf8_is_read_as_windows_1252_with_a_warning():
    source = read_upload("protocol.txt", b"1. One.\n2. The council\x92s duty \x96 in full.\n")

    assert source.text == "1. One.\n2. The council\u2019s duty \u2013 in full.\n"
    assert [w.line for w in source.warnings] == [2]
    assert "Windows-1252" in source.warnings[0].message


def test_utf16_text_from_word_is_read():
    source = read_upload("protocol.txt", "1. Rule.\n".encode("utf-16"))

    assert source.text == "1. Rule.\n"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("protocol.rtf", b"{\\rtf1 1. Rule.}", "must be a text (.txt), Markdown (.md)"),
        ("protocol", b"1. Rule.", "must be a text (.txt), Markdown (.md)"),
        ("protocol.doc", b"\xd0\xcf\x11\xe0", "Save it as a .docx file"),
        ("protocol.txt", b"", "The file is empty."),
        ("protocol.txt", b"   \n\n", "The file is empty."),
        ("protocol.txt", b"1. \x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
        ("protocol.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ("protocol.docx", b"1. Plain text named as a Word file.", "Word file could not be opened"),
        ("protocol.docx", b"PK\x03\x04" + b"\x00" * 40, "Word file could not be opened"),
        ("protocol.pdf", b"1. Plain text named as a PDF.", "PDF could not be opened"),
        ("protocol.pdf", b"%PDF-1.7\n1 0 obj <<>> broken", "PDF could not be opened"),
    ],
)
def test_unknown_undecodable_and_damaged_files_are_refused_naming_the_file(name, data, says):
    assert says in refusal(name, data)


def test_a_file_over_10_mb_is_refused():
    assert "the limit is 10 MB" in refusal("protocol.txt", b"1. Rule.\n" * (MAX_BYTES // 9 + 1))
    # Just under 10 MB of text passes the size, but not the limit on characters.
    says = refusal("protocol.txt", b"x" * (MAX_BYTES - 1))
    assert says.startswith("The file's text is 10,485,759 characters long; the limit is 2,000,000")


def test_a_password_protected_or_scanned_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    blank = io.BytesIO()
    writer.write(blank)
    writer.encrypt("secret")
    locked = io.BytesIO()
    writer.write(locked)

    assert "protected by a password" in refusal("protocol.pdf", locked.getvalue())
    assert "no text in it to read" in refusal("protocol.pdf", blank.getvalue())


# Word


@pytest.mark.parametrize(("number", "counts"), COUNTS.items())
def test_a_word_file_reads_as_its_text_does(number, counts):
    source, doc = upload(number, "docx")

    assert source.format == "docx"
    assert (len(doc.paragraphs), len(doc.numbered())) == counts
    assert {p.reference for p in doc.paragraphs} == {
        p.reference for p in document(number).paragraphs
    }
    text = parse_protocol(protocol_text(number))
    for mine, theirs in zip(doc.paragraphs, text.paragraphs, strict=True):
        assert (mine.reference, mine.heading, mine.bullets) == (
            theirs.reference,
            theirs.heading,
            theirs.bullets,
        )


def test_a_word_files_tracked_changes_are_kept_as_insertions_and_deletions():
    source, doc = upload("004", "docx")
    concern = paragraph(doc, "6.2")

    assert ("del", "Monitoring Officer") in concern.segments
    assert concern.segments[concern.segments.index(("del", "Monitoring Officer")) + 1] == (
        "ins",
        "Chief Executive",
    )
    assert "~~Monitoring Officer~~" in source.text
    assert "**Chief Executive**" in source.text
    assert "with the Chief Executive in the knowledge" in concern.text
    assert "he or she" not in concern.text
    assert any("tracked changes" in w.message for w in source.warnings)


def test_a_word_files_headings_bold_renumbering_and_superscript_marks_are_kept():
    source, doc = upload("004", "docx")

    assert "## 2 The Respective Roles of Elected Councillors and Officers" in source.text
    assert paragraph(doc, "2").heading == "The Respective Roles of Elected Councillors and Officers"
    assert (paragraph(doc, "3.5").number, paragraph(doc, "3.5").renumbered_from) == ("3.3.5", "3.3")
    assert paragraph(doc, "1.1").footnotes[0].startswith("HM Government (1995)")
    assert paragraph(doc, "2.1").bullets[0] == "Initiation and direction of council policy."


def test_002_as_a_word_file_sample_paragraphs():
    _, doc = upload("002", "docx")

    assert "define the respective roles of members and officers" in paragraph(doc, "1").text
    assert "adequate support to all elected members" in paragraph(doc, "3(h)").text
    assert "a short e-mail or simple phone call" in paragraph(doc, "30").text
    assert paragraph(doc, "36").bullets[-1] == "Dignity at Work Policy and Procedure"
    assert paragraph(doc, "26").section == "Information on Local Issues"


def test_words_automatic_numbering_and_bullets_are_written_out():
    made = docx.Document()
    made.add_heading("Member and Officer Protocol", level=1)
    made.add_heading("Enquiries", level=2)
    made.add_paragraph("Officers will answer within five working days.", style="List Number")
    made.add_paragraph("Councillors will say when a reply is urgent:", style="List Number")
    made.add_paragraph("by telephone; or", style="List Bullet")
    made.add_paragraph("by email.", style="List Bullet")
    data = io.BytesIO()
    made.save(data)

    source = read_upload("protocol.docx", data.getvalue())
    doc = parse_protocol(source.text, source_format=source.format)

    assert "1. Officers will answer" in source.text
    assert "2. Councillors" in source.text
    assert doc.title == "Member and Officer Protocol"
    assert [p.reference for p in doc.paragraphs] == ["1", "2"]
    assert doc.paragraphs[1].bullets == ("by telephone; or", "by email.")
    assert doc.paragraphs[0].section == "Enquiries"


# PDF


@pytest.mark.parametrize(("number", "counts"), COUNTS.items())
def test_a_pdf_reads_as_its_text_does(number, counts):
    source, doc = upload(number, "pdf")

    assert source.format == "pdf"
    assert (len(doc.paragraphs), len(doc.numbered())) == counts
    assert {p.reference for p in doc.paragraphs} == {
        p.reference for p in document(number).paragraphs
    }
    text = {p.reference: p for p in parse_protocol(protocol_text(number)).paragraphs}
    struck = {"6.1", "6.2"}  # a PDF cannot say which words are struck through
    for mine in doc.paragraphs:
        theirs = text[mine.reference]
        assert (mine.heading, mine.section, mine.bullets, mine.footnotes) == (
            theirs.heading,
            theirs.section,
            theirs.bullets,
            theirs.footnotes,
        ), mine.reference
        if mine.reference not in struck:
            assert mine.text == theirs.text, mine.reference


def test_a_pdfs_running_headers_and_page_numbers_are_left_out():
    for number in COUNTS:
        source, _ = upload(number, "pdf")

        assert HEADER not in source.text
        assert "Page 2 of" not in source.text
        assert any("running headers and" in w.message for w in source.warnings)


def test_002_as_a_pdf_sample_paragraphs():
    _, doc = upload("002", "pdf")

    assert "define the respective roles of members and officers" in paragraph(doc, "1").text
    assert "adequate support to all elected members" in paragraph(doc, "3(h)").text
    assert "a short e-mail or simple phone call" in paragraph(doc, "30").text
    assert "Harassment and Bullying Procedure" in paragraph(doc, "36").text
    assert "end of Part 5C" not in paragraph(doc, "38").text


def test_a_pdfs_headings_bold_renumbering_and_superscript_footnote_marks_are_kept():
    source, doc = upload("004", "pdf")

    assert doc.title == "Annex 2.4 - Protocol for Managing Councillor / Officer Relations"
    assert "## 1 Introduction" in source.text
    moved = paragraph(doc, "3.5")
    assert (moved.number, moved.renumbered_from) == ("3.3.5", "3.3")
    assert paragraph(doc, "5.4(xv)").renumbered_from == "5.4(xiv)"
    assert paragraph(doc, "3.2").footnotes == (doc.footnotes["2"],)
    assert doc.footnotes["1"].startswith("HM Government (1995)")


def test_a_pdf_cannot_show_struck_words_so_they_are_read_as_text_with_a_warning():
    source, doc = upload("004", "pdf")

    assert "he or she" in paragraph(doc, "6.2").text
    assert any("struck-through words" in w.message for w in source.warnings)


# Reading while the person waits, and in the background


def test_a_file_too_large_to_read_while_the_keeper_waits_is_handed_to_the_worker(tmp_path):
    text = b"".join(b"%d. Officers will answer enquiries.\n\n" % n for n in range(1, 4_000))
    word = tmp_path / "protocol.docx"
    hostile.word_text_of(word, 2 * hostile.MIB)
    pdf = tmp_path / "protocol.pdf"
    hostile.pdf_of_pages(pdf, 30)

    for name, data in (
        ("protocol.txt", text),
        ("protocol.docx", word.read_bytes()),
        ("protocol.pdf", pdf.read_bytes()),
    ):
        with pytest.raises(NeedsWorker):
            read_upload(name, data, work=Work(foreground=True))
        assert read_upload(name, data, work=Work()).text


def test_a_file_beyond_a_limit_is_refused_even_while_the_keeper_waits(tmp_path):
    pdf = tmp_path / "protocol.pdf"
    hostile.pdf_page_tree(pdf, references=PDF_MAX_PAGES + 1)

    with pytest.raises(ValidationFailed) as failed:
        read_upload("protocol.pdf", pdf.read_bytes(), work=Work(foreground=True))

    assert failed.value.errors[0].message.startswith("The PDF has 501 pages; the limit is 500.")


def test_reading_a_word_file_reports_its_progress(tmp_path):
    word = tmp_path / "protocol.docx"
    hostile.word_text_of(word, 2 * hostile.MIB)
    shares: list[float] = []

    read_upload("protocol.docx", word.read_bytes(), work=Work(progress=shares.append))

    assert len(shares) > 20
    assert shares == sorted(shares)
    assert shares[-1] == 1.0
