"""Search and plain questions over the protocol library, on SQLite's FTS5 and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from accord.library.models import ProtocolParagraph, ProtocolVersion
from accord.library.search.fulltext import index_version, query_terms, unindex_version
from accord.library.selectors import ask, search
from accord.library.testing import anchor_for, make_version
from accord.procedures.tests.example_council import ExampleCouncil, example_council
from accord.profiles.tests.protocols import document

pytestmark = pytest.mark.django_db

MARKER = "Zanzibarquokka"


@pytest.fixture
def council() -> ExampleCouncil:
    return example_council()


def indexed(**kwargs: object) -> ProtocolVersion:
    version = make_version(**kwargs)  # type: ignore[arg-type]
    index_version(version)
    return version


def real_document(number: str, *, key: str, label: str, status: str = "in_force") -> None:
    """A version built from the paragraphs of one of the real documents, with their headings."""
    version = make_version(key=key, label=label, status=status)
    section = ""
    rows = []
    for position, paragraph in enumerate(document(number).paragraphs):
        if len(paragraph.numbers) == 1 and not paragraph.items and paragraph.heading:
            section = paragraph.heading
        rows.append(
            ProtocolParagraph(
                version=version,
                position=position,
                kind="item" if paragraph.items else "paragraph",
                part=paragraph.part,
                number=paragraph.number,
                reference=paragraph.reference,
                anchor=anchor_for(paragraph.reference),
                heading=paragraph.heading,
                section=section,
                text=paragraph.text,
                segments=[["same", paragraph.text]],
            )
        )
    ProtocolParagraph.objects.bulk_create(rows)
    index_version(version)


def citations(hits: Sequence[object]) -> list[str]:
    return [hit.citation for hit in hits]  # type: ignore[attr-defined]


def test_search_finds_the_paragraph_and_cites_its_version(council: ExampleCouncil) -> None:
    indexed(
        key="mop",
        paragraphs=[
            ("1", "Members and officers work together."),
            ("2", "Councillors must not forward officer emails to residents."),
        ],
    )
    hits = search(council.user("officer"), "forwarding emails")
    assert citations(hits) == ["mop@2025:2"]
    hit = hits[0]
    assert hit.paragraph.version.document.key == "mop"
    assert hit.rank > 0
    assert [text for is_match, text in hit.snippet if is_match] == ["forward", "emails"]
    assert "".join(text for _, text in hit.snippet) == hit.paragraph.text


def test_search_ranks_the_heading_and_the_denser_paragraph_higher(council: ExampleCouncil) -> None:
    version = indexed(
        key="mop",
        paragraphs=[
            ("1", "Officers may talk to the media only with approval from the press office."),
            (
                "2",
                "A long paragraph about meetings and agendas that mentions media once, "
                "among many other words about committees, minutes and papers.",
            ),
            ("3", "Nothing about the subject at all."),
        ],
    )
    ProtocolParagraph.objects.filter(version=version, reference="3").update(heading="Media")
    index_version(version)
    hits = search(council.user("officer"), "media")
    assert citations(hits) == ["mop@2025:3", "mop@2025:1", "mop@2025:2"]
    assert hits[0].rank > hits[1].rank > hits[2].rank


def test_search_puts_the_version_in_force_before_a_superseded_one_on_a_tie(
    council: ExampleCouncil,
) -> None:
    text = [("4", "Officers respond to enquiries within ten working days.")]
    indexed(key="mop", label="2019", status="superseded", paragraphs=text)
    indexed(key="mop", label="2025", status="in_force", paragraphs=text)
    hits = search(council.user("officer"), "enquiries")
    assert citations(hits) == ["mop@2025:4", "mop@2019:4"]
    assert [h.version.status for h in hits] == ["in_force", "superseded"]


@pytest.mark.parametrize(
    "query",
    [
        '"AND OR NEAR( * ^',
        "NEAR(forward email, 2)",
        "forward AND",
        "email*",
        "-email",
        "text:email",
        "{heading text}: email",
        "^email",
        "'; DROP TABLE library_protocolparagraph; --",
        '"unbalanced',
        "e\u2019mail's",
    ],
)
def test_search_never_fails_on_query_syntax(council: ExampleCouncil, query: str) -> None:
    indexed(key="mop", paragraphs=[("1", "Do not forward an email to anyone.")])
    hits = search(council.user("officer"), query)
    assert all(h.citation == "mop@2025:1" for h in hits)


@pytest.mark.parametrize("query", ["", "   ", "?!*^()", '"" ""', "AND OR NOT NEAR", "x" * 5000])
def test_search_of_nothing_to_search_for_finds_nothing(council: ExampleCouncil, query: str) -> None:
    indexed(key="mop", paragraphs=[("1", "Do not forward an email to anyone.")])
    assert search(council.user("officer"), query) == []


def test_operator_words_are_dropped_and_the_rest_quoted() -> None:
    assert query_terms('"AND OR NEAR( * ^ email') == ["email"]
    assert query_terms("Officer's EMAIL email") == ["officer", "email"]


def test_a_draft_is_found_by_the_monitoring_officer_and_by_no_one_else(
    council: ExampleCouncil,
) -> None:
    indexed(key="mop", label="2025", paragraphs=[("1", "Officers answer enquiries promptly.")])
    indexed(
        key="mop",
        label="2026 draft",
        status="draft",
        paragraphs=[("1", f"Officers answer enquiries promptly. {MARKER}")],
    )
    for key in ("officer", "councillor"):
        assert search(council.user(key), MARKER) == []
        assert citations(search(council.user(key), "enquiries")) == ["mop@2025:1"]
        answer = ask(council.user(key), f"how fast do officers answer {MARKER} enquiries?")
        assert citations(answer.hits) == ["mop@2025:1"]
        assert MARKER not in repr(answer.hits)
    assert citations(search(council.user("mo"), MARKER)) == ["mop@2026 draft:1"]
    assert len(search(council.user("mo"), "enquiries")) == 2


def test_anonymous_and_system_actors_find_nothing(council: ExampleCouncil) -> None:
    from django.contrib.auth.models import AnonymousUser

    indexed(key="mop", paragraphs=[("1", "Officers answer enquiries promptly.")])
    assert search(AnonymousUser(), "enquiries") == []
    assert search(None, "enquiries") == []


def test_unindexing_a_version_takes_it_out_of_search(council: ExampleCouncil) -> None:
    from django.db import connection

    version = indexed(key="mop", paragraphs=[("1", "Officers answer enquiries promptly.")])
    unindex_version(version)
    if connection.vendor == "sqlite":
        assert search(council.user("officer"), "enquiries") == []
    index_version(version)
    index_version(version)  # idempotent: one hit, not two
    assert len(search(council.user("officer"), "enquiries")) == 1


def test_ask_only_reads_versions_in_force(council: ExampleCouncil) -> None:
    indexed(key="mop", label="2019", status="superseded", paragraphs=[("1", "Press rules.")])
    indexed(key="mop", label="2025", paragraphs=[("1", "Media rules.")])
    answer = ask(council.user("mo"), "What are the rules on the press?")
    assert citations(answer.hits) == ["mop@2025:1"]
    assert answer.hits[0].explanation.startswith("Matched press (as \u2018media\u2019), rules")


def test_ask_of_only_stop_words_answers_nothing(council: ExampleCouncil) -> None:
    indexed(key="mop", paragraphs=[("1", "Media rules.")])
    answer = ask(council.user("officer"), "What can I do?")
    assert answer.hits == []
    assert answer.terms_used == []


@pytest.fixture
def real_protocols(council: ExampleCouncil) -> ExampleCouncil:
    real_document("000", key="leicestershire", label="2025")
    real_document("001", key="unnamed", label="2020")
    real_document("004", key="annex-2-4", label="2024")
    return council


def test_ask_answers_forwarding_an_officers_email_with_004_5_14(
    real_protocols: ExampleCouncil,
) -> None:
    answer = ask(
        real_protocols.user("councillor"), "can I forward an officer's email to a resident?"
    )
    assert {"forward", "share", "disclose", "correspondence", "constituent"} <= set(
        answer.terms_used
    )
    top = answer.hits[0]
    assert top.citation == "annex-2-4@2024:5.14"
    # 5.14: councillors should never forward officer correspondence to a resident
    assert "never forward officer correspondence" in top.paragraph.text
    assert top.explanation.startswith(
        "Matched forward, email (as \u2018correspondence\u2019), resident, officer"
    )
    assert "Working Relationships" in top.explanation


def test_ask_answers_how_fast_an_enquiry_is_answered_with_004_3_5(
    real_protocols: ExampleCouncil,
) -> None:
    answer = ask(
        real_protocols.user("officer"),
        "How long does an officer have to respond to a councillor's enquiry?",
    )
    top = answer.hits[0]
    # 3.5 (renumbered from 3.3): respond to enquiries within one week of receipt
    assert top.citation == "annex-2-4@2024:3.5"
    assert "within one week" in top.paragraph.text


def test_ask_answers_speaking_to_the_press_with_004_8_2(real_protocols: ExampleCouncil) -> None:
    answer = ask(
        real_protocols.user("councillor"),
        "Can a councillor speak to the press on behalf of the council?",
    )
    top = answer.hits[0]
    # 8.2: a councillor speaking to the media for the council consults the Chair or Chief Exec
    assert top.citation == "annex-2-4@2024:8.2"
    assert "approach the media to speak on behalf of the council" in top.paragraph.text
    assert "press (as \u2018media\u2019)" in top.explanation


def test_ask_answers_sharing_an_officers_confidences_with_the_press_from_000_15(
    real_protocols: ExampleCouncil,
) -> None:
    answer = ask(
        real_protocols.user("councillor"),
        "Can I share confidential information from an officer with the press?",
    )
    # 000 §15: respect officers' confidence; not shared more widely, especially with the press
    assert "leicestershire@2025:15" in citations(answer.hits[:2])
