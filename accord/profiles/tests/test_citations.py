"""Finding a document's paragraph numbers, and which of them a profile cites."""

from __future__ import annotations

from accord.profiles.citations import check_citations, cited_paragraphs, document_paragraphs
from accord.profiles.loader import load_profile
from accord.profiles.tests.helpers import edited, example_text

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


def test_uncited_entries_are_not_citations():
    profile = load_profile(
        example_text() + 'uncited:\n  - cite: "9.9"\n    reason: Not something Accord runs.\n'
    )

    cited = cited_paragraphs(profile)

    assert "9.9" not in cited
    assert not any(path.startswith("uncited") for paths in cited.values() for path in paths)


def test_a_citation_is_found_only_in_the_part_its_prefix_names():
    text = (
        "1. The main protocol.\n"
        "1.1 A paragraph of the main part.\n"
        "\n"
        "Annexed Protocol\n"
        "\n"
        "4.3 A paragraph of the annex.\n"
    )
    source = (
        "  in_force_from: 2026-04-01\n  parts:\n    - prefix: AN\n      heading: Annexed Protocol\n"
    )
    profile = load_profile(
        edited("  in_force_from: 2026-04-01\n", source)
        .replace('cite: "1.4"', 'cite: "AN 4.3"')
        .replace('cite: "2.1"', 'cite: "4.3"')
    )

    report = check_citations(profile, text)

    assert "AN 4.3" in report.found
    assert "4.3" in report.missing
    assert document_paragraphs(text, parts={"AN": "Annexed Protocol"}) == {"1", "1.1", "AN 4.3"}
