"""Finding a document's paragraph numbers, including tracked renumbering."""

from __future__ import annotations

from accord.profiles.citations import document_paragraphs

TEXT = """\
49. A numbered paragraph.
50. Another, with lettered items:
 - (a) first
 - (b) second
**3.3** An inserted paragraph, marked bold.
**3.3.5** Old 3.3, now 3.5.
**3.4.3.6** Old 3.4, now 3.6.
1.2.3 A plain three-level number is taken as it stands.
"""


def test_numbered_and_lettered_paragraphs_are_found():
    found = document_paragraphs(TEXT)
    assert {"49", "50", "50(a)", "50(b)"} <= found


def test_bold_numbers_and_tracked_renumbering_give_the_current_number():
    found = document_paragraphs(TEXT)
    assert {"3.3", "3.5", "3.6"} <= found


def test_only_bold_numbers_are_read_as_renumbering():
    found = document_paragraphs(TEXT)
    assert "1.2.3" in found
    assert "1.3" not in found
