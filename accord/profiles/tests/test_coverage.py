"""Which paragraphs are actionable, and which of them a profile cites, explains or leaves out."""

from __future__ import annotations

from functools import cache

import pytest

from accord.profiles.coverage import Classification, CoverageReport, classify, coverage_report
from accord.profiles.loader import load_profile
from accord.profiles.paragraphs import parse_document
from accord.profiles.schema import Profile
from accord.profiles.tests.helpers import DATA
from accord.profiles.tests.protocols import document, protocol_text

LEICESTERSHIRE_000 = "000_105dc4ba1c16665c"


@cache
def classified(number: str) -> dict[str, Classification]:
    return {c.reference: c for c in classify(document(number))}


def small_profile(
    *, cites: list[str], uncited: tuple[str, ...] = (), parts: bool = True
) -> Profile:
    """A profile of the 000 document that cites `cites` and explains `uncited`."""
    lines = [
        "id: coverage-test",
        "council: Test Council",
        "governance: leader_and_cabinet",
        "version: 1",
        "source:",
        f'  document: "{LEICESTERSHIRE_000}"',
        "  title: Test protocol",
        '  version: "1"',
        "  in_force_from: 2026-01-01",
    ]
    if parts:
        lines += [
            "  parts:",
            "    - {prefix: SO, heading: Statutory Officers Protocol}",
            "    - {prefix: App A, heading: Appendix A}",
            "    - {prefix: App B, heading: Appendix B}",
            "    - {prefix: App C, heading: Appendix C}",
        ]
    lines.append("information_rules:")
    for index, cite in enumerate(cites):
        lines += [f"  - key: rule_{index}", "    summary: A rule.", f'    cite: "{cite}"']
    if uncited:
        lines.append("uncited:")
        for cite in uncited:
            lines += [f'  - cite: "{cite}"', "    reason: Decided elsewhere."]
    return load_profile("\n".join(lines) + "\n")


def report_for(profile: Profile) -> CoverageReport:
    return coverage_report(profile, protocol_text("000"))


# The classifier, on paragraphs picked from the documents


@pytest.mark.parametrize(
    ("number", "reference", "because"),
    [
        ("000", "32", "'must be invited to'"),
        ("000", "50(a)", "'may raise the issue"),
        ("000", "50(c)", "'may, with the staff"),
        ("000", "51(b)", "'may escalate the issue"),
        ("000", "SO 6.3", "'shall threaten"),
        ("000", "App B 2.3", "'may not also be"),
        ("000", "SO 3.1(b)", "'will' in the lead-in of SO 3.1"),
        ("000", "28(g)", "'should consider' in the lead-in of 28"),
        ("001", "11(b)(iv)", "'must not disclose"),
        ("001", "5(c)", "'may ask members"),
        ("002", "26", "'must draw this"),
        ("004", "5.7", "'must notify the Monitoring"),
        ("004", "3.5", "'should aim to respond"),
        ("004", "5.4(xv)", "'can expect the following' in the lead-in of 5.4"),
    ],
)
def test_paragraphs_placing_a_duty_or_permission_are_actionable(number, reference, because):
    result = classified(number)[reference]

    assert result.actionable
    assert result.reason.startswith(because)


@pytest.mark.parametrize(
    ("number", "reference", "because"),
    [
        ("000", "SO 6", "heading"),
        ("001", "3(b)", "heading"),
        ("000", "1", "purpose or background"),
        ("004", "1.6", "purpose or background"),
        ("000", "SO 2.1", "definition"),
        ("000", "SO 2.1(a)", "completes the definition in SO 2.1"),
        ("000", "3(h)", "statement of principle (lead-in of 3)"),
        ("000", "50", "lead-in to its items"),
        ("000", "App A 2.1", "statement of values"),
        ("001", "7(a)", "statement of values"),
        ("004", "5.4(iv)", "statement of values"),
        ("000", "44", "prediction or description: 'will potentially"),
        ("000", "24(a)", "no obligation, permission or prohibition"),
        ("004", "5.3", "an attitude rather than an act: 'should recognise"),
        ("004", "7.1", "an attitude rather than an act: 'must be recognised"),
        ("004", "4.1(ii)", "no obligation, permission or prohibition"),
        ("001", "11(a)", "no obligation, permission or prohibition"),
    ],
)
def test_headings_definitions_background_and_values_are_not_actionable(number, reference, because):
    result = classified(number)[reference]

    assert not result.actionable
    assert result.reason.startswith(because)


def test_a_lead_in_hands_its_duty_to_its_items_and_is_not_counted_itself():
    doc = parse_document(
        "4. Our rules.\n"
        "4.1 Officers must keep a register. The Council will ensure:\n"
        "(a) each member is told of a change within five days;\n"
        "(b) a courteous and respectful manner in every exchange; and\n"
        "(c) the register is published.\n"
        "4.2 The principles of this protocol are:\n"
        "(a) members will be kept informed.\n"
        "4.3 If an officer needs to be told, the member will say so.\n"
        "4.4 When a meeting is held, it is a meeting.\n"
    )
    reasons = {c.reference: (c.actionable, c.reason) for c in classify(doc)}

    assert reasons["4.1"] == (True, "'must keep a register'")
    assert reasons["4.1(a)"] == (True, "'will ensure' in the lead-in of 4.1")
    assert reasons["4.1(b)"] == (False, "statement of values: 'courteous'")
    assert reasons["4.1(c)"] == (True, "'will ensure' in the lead-in of 4.1")
    assert reasons["4.2"] == (False, "lead-in to its items")
    assert reasons["4.2(a)"] == (False, "statement of principle (lead-in of 4.2)")
    assert reasons["4.3"] == (True, "'will say so'")
    assert reasons["4.4"] == (False, "no obligation, permission or prohibition")


@pytest.mark.parametrize(
    ("number", "paragraphs", "actionable"),
    [("000", 262, 133), ("001", 39, 23), ("002", 55, 22), ("004", 91, 52)],
)
def test_the_number_of_actionable_paragraphs_in_each_document(number, paragraphs, actionable):
    results = classify(document(number))

    assert len(results) == paragraphs
    assert sum(c.actionable for c in results) == actionable


# The report for a profile


def test_a_citation_of_a_paragraph_covers_its_items_and_an_items_citation_only_itself():
    report = report_for(small_profile(cites=["50", "51(a)"]))
    cited = {c.reference for c in report.cited}

    assert {f"50({letter})" for letter in "abcdef"} <= cited
    assert "51(a)" in cited
    assert not {"51(b)", "51(c)"} & cited
    assert {"51(b)", "51(c)"} <= {c.reference for c in report.neither}


def test_a_prefixed_citation_is_found_only_in_its_part():
    report = report_for(small_profile(cites=["SO 4.3", "App B 8.2", "4.3"]))

    assert [(c.cite, c.found) for c in report.citations] == [
        ("SO 4.3", True),
        ("App B 8.2", True),
        ("4.3", False),
    ]
    assert report.problems == (
        "4.3: the main part has no paragraph 4.3; cited at information_rules[2].cite.",
    )
    assert not report.ok


def test_a_prefix_the_profile_does_not_declare_is_a_problem():
    report = report_for(small_profile(cites=["SO 4.3"], parts=False))

    assert report.problems == (
        "SO 4.3: 'SO' is not a part of the document; source.parts declares none; "
        "cited at information_rules[0].cite.",
    )


def test_uncited_entries_explain_paragraphs_without_citing_them():
    report = report_for(small_profile(cites=["50"], uncited=("32", "SO 9.3")))

    assert [c.cite for c in report.citations] == ["50"]
    assert {c.reference for c in report.explained} == {"32", "SO 9.3(a)", "SO 9.3(b)"}
    assert "32" not in {c.reference for c in report.neither}
    assert report.ok


def test_an_uncited_entry_naming_no_paragraph_is_a_problem():
    report = report_for(small_profile(cites=["50"], uncited=("53",)))

    assert report.problems == ("53: the main part has no paragraph 53; at uncited[0].cite.",)


def test_a_declared_part_whose_heading_is_missing_is_a_problem():
    text = protocol_text("000").replace("Appendix C", "Annex C")

    report = coverage_report(small_profile(cites=["50"]), text)

    assert (
        "source.parts[3].heading: no heading line of the document starts with 'Appendix C'."
        in report.problems
    )


def test_counts_add_up_and_name_every_actionable_paragraph_once():
    report = report_for(small_profile(cites=["50", "SO 6"], uncited=("32",)))
    counts = report.counts()
    listed = [c.reference for c in report.cited + report.explained + report.neither]

    assert counts["actionable"] == 133
    assert counts["cited"] + counts["explained"] + counts["neither"] == 133
    assert len(listed) == len(set(listed)) == 133
    assert report.as_dict()["counts"] == counts


@pytest.mark.parametrize(
    ("profile_file", "actionable"),
    [
        ("leicestershire-000.yaml", 133),
        ("leicestershire-002.yaml", 22),
        ("council-001.yaml", 23),
        ("council-004.yaml", 52),
    ],
)
def test_every_shipped_profile_cites_only_paragraphs_its_document_has(profile_file, actionable):
    profile = load_profile(DATA / profile_file)
    text = protocol_text(profile.source.document.split("_")[0])

    report = coverage_report(profile, text)

    assert report.problems == ()
    assert report.duplicates == ()
    assert all(c.found for c in report.citations)
    assert len(report.actionable) == actionable
    assert len(report.cited) + len(report.explained) + len(report.neither) == actionable
    assert coverage_report(profile, text).counts() == report.counts()
