"""Reviewing a protocol through the Standards Committee and Full Council (000 §52, SO §9)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.audit.models import AuditEvent
from accord.core import clock
from accord.core.errors import NotFound, PermissionDenied, ValidationFailed
from accord.library.models import ProtocolReview, ProtocolVersion
from accord.library.reviews.workflow import TRANSITIONS, allowed_actions
from accord.library.selectors import draft_committee_report, review_get, reviews_visible
from accord.library.services import (
    review_close,
    review_committee,
    review_council_approve,
    review_open,
    review_propose,
    review_update_report_fields,
    version_put_in_force,
)
from accord.library.testing import make_version
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

S = ProtocolReview.Status


@pytest.fixture
def example() -> ExampleCouncil:
    council = example_council()
    make_version(
        key="protocol",
        label="2025",
        paragraphs=[("1", "Officers answer enquiries."), ("2", "Old."), ("3", "Kept.")],
        in_force_from=dt.date(2025, 1, 1),
    )
    make_version(
        key="protocol",
        label="2026",
        status="draft",
        paragraphs=[
            ("1", "Officers answer enquiries within ten days."),
            ("3", "Kept."),
            ("4", "New."),
        ],
    )
    return council


def _version(label: str) -> ProtocolVersion:
    return ProtocolVersion.objects.select_related("document").get(
        document__key="protocol", label=label
    )


def _open(example: ExampleCouncil, **extra: object) -> ProtocolReview:
    return review_open(
        actor=example.user("mo"),
        document=_version("2025").document,
        reason="periodic",
        why="Not reviewed for some time.",
        started_on=dt.date(2026, 1, 5),
        **extra,  # type: ignore[arg-type]
    )


def _errors(failed: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return {error.field for error in failed.value.errors}


def _verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))


def _days_ago(days: int) -> dt.date:
    return clock.today() - dt.timedelta(days=days)


def test_the_transitions_table_is_data_and_every_stage_is_reached() -> None:
    reached = {to for to in TRANSITIONS.values()} | {S.OPEN}
    assert reached == set(S.values)
    assert TRANSITIONS[(S.PROPOSED, "committee_not_approve")] == S.OPEN
    assert all(status != S.CLOSED and status != S.IN_FORCE for status, _ in TRANSITIONS)


def test_a_review_goes_from_open_to_in_force_and_the_draft_is_approved(
    example: ExampleCouncil,
) -> None:
    mo = example.user("mo")
    review = _open(example, consultations="All members were briefed.")
    assert review.status == S.OPEN
    assert review.started_by == example.person("mo")
    assert allowed_actions(review) == ["propose", "close"]
    review_propose(actor=mo, review=review, draft=_version("2026"))
    assert review.status == S.PROPOSED
    review_committee(
        actor=example.user("deputy_mo"),
        review=review,
        met_on=_days_ago(10),
        recommendation="approve",
        note="Agreed unanimously.",
    )
    assert review.status == S.RECOMMENDED
    review_council_approve(
        actor=mo, review=review, met_on=_days_ago(3), in_force_from=_days_ago(1), note="Carried."
    )
    draft = _version("2026")
    assert review.status == S.APPROVED
    assert draft.status == "approved"
    assert draft.approved_on == _days_ago(3)
    assert draft.in_force_from == _days_ago(1)
    assert draft.approved_by == f"Full Council, {_days_ago(3):%-d %B %Y}"
    version_put_in_force(actor=mo, version=draft)
    review.refresh_from_db()
    assert review.status == S.IN_FORCE
    assert _version("2025").status == "superseded"
    verbs = _verbs()
    for verb in (
        "library.review_opened",
        "library.review_proposed",
        "library.review_committee",
        "library.version_approved",
        "library.review_council_approved",
        "library.review_in_force",
        "library.acknowledgements_requested",
    ):
        assert verb in verbs


def test_a_committee_that_does_not_recommend_sends_the_review_back_to_open(
    example: ExampleCouncil,
) -> None:
    mo = example.user("mo")
    review = _open(example)
    review_propose(actor=mo, review=review, draft=_version("2026"))
    review_committee(actor=mo, review=review, met_on=_days_ago(2), recommendation="not_approve")
    assert review.status == S.OPEN
    review_propose(actor=mo, review=review, draft=_version("2026"))
    assert review.status == S.PROPOSED


@pytest.mark.parametrize("stage", ["open", "proposed", "recommended"])
def test_a_review_can_be_closed_with_a_reason_before_council_decides(
    example: ExampleCouncil, stage: str
) -> None:
    mo = example.user("mo")
    review = _open(example)
    if stage != "open":
        review_propose(actor=mo, review=review, draft=_version("2026"))
    if stage == "recommended":
        review_committee(actor=mo, review=review, met_on=_days_ago(2), recommendation="approve")
    with pytest.raises(ValidationFailed) as failed:
        review_close(actor=mo, review=review, reason="  ")
    assert _errors(failed) == {"reason"}
    review_close(actor=mo, review=review, reason="No change needed.")
    review.refresh_from_db()
    assert review.status == S.CLOSED
    assert review.closed_reason == "No change needed."
    assert "library.review_closed" in _verbs()


def test_illegal_moves_are_refused_naming_the_action(example: ExampleCouncil) -> None:
    mo = example.user("mo")
    review = _open(example)
    with pytest.raises(ValidationFailed) as failed:
        review_committee(actor=mo, review=review, met_on=_days_ago(1), recommendation="approve")
    assert _errors(failed) == {"action"}
    with pytest.raises(ValidationFailed) as failed:
        review_council_approve(
            actor=mo, review=review, met_on=_days_ago(1), in_force_from=clock.today()
        )
    assert _errors(failed) == {"action"}
    review_close(actor=mo, review=review, reason="Dropped.")
    for move in (
        lambda: review_propose(actor=mo, review=review, draft=_version("2026")),
        lambda: review_close(actor=mo, review=review, reason="Again."),
        lambda: review_update_report_fields(actor=mo, review=review, why="Changed."),
    ):
        with pytest.raises(ValidationFailed) as failed:
            move()
        assert _errors(failed) == {"action"}


def test_bad_input_names_each_field_and_writes_nothing(example: ExampleCouncil) -> None:
    mo = example.user("mo")
    document = _version("2025").document
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as failed:
        review_open(
            actor=mo,
            document=document,
            reason="whim",
            why=" ",
            started_on=clock.today() + dt.timedelta(days=1),
        )
    assert _errors(failed) == {"reason", "why", "started_on"}
    assert ProtocolReview.objects.count() == 0
    assert AuditEvent.objects.count() == before

    review = _open(example)
    with pytest.raises(ValidationFailed) as failed:
        _open(example)
    assert _errors(failed) == {"document"}
    with pytest.raises(ValidationFailed) as failed:
        review_propose(actor=mo, review=review, draft=_version("2025"))
    assert _errors(failed) == {"draft"}
    other = make_version(key="other", label="1", status="draft", paragraphs=[("1", "x")])
    with pytest.raises(ValidationFailed) as failed:
        review_propose(actor=mo, review=review, draft=other)
    assert _errors(failed) == {"draft"}
    review_propose(actor=mo, review=review, draft=_version("2026"))
    with pytest.raises(ValidationFailed) as failed:
        review_committee(
            actor=mo,
            review=review,
            met_on=dt.date(2025, 12, 1),
            recommendation="approve_amended",
            note="",
        )
    assert _errors(failed) == {"met_on", "note"}
    with pytest.raises(ValidationFailed) as failed:
        review_committee(actor=mo, review=review, met_on=_days_ago(1), recommendation="maybe")
    assert _errors(failed) == {"recommendation"}
    review_committee(actor=mo, review=review, met_on=_days_ago(5), recommendation="approve")
    after_committee = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as failed:
        review_council_approve(
            actor=mo, review=review, met_on=_days_ago(2), in_force_from=_days_ago(3)
        )
    assert _errors(failed) == {"in_force_from"}
    with pytest.raises(ValidationFailed) as failed:
        review_council_approve(
            actor=mo, review=review, met_on=_days_ago(6), in_force_from=clock.today()
        )
    assert _errors(failed) == {"met_on"}
    review.refresh_from_db()
    assert review.status == S.RECOMMENDED
    assert _version("2026").status == "draft"
    assert AuditEvent.objects.count() == after_committee


@pytest.mark.parametrize("who", ["officer", "councillor"])
def test_only_keepers_review_and_to_others_reviews_do_not_exist(
    example: ExampleCouncil, who: str
) -> None:
    review = _open(example)
    user = example.user(who)
    with pytest.raises(PermissionDenied):
        review_open(actor=user, document=review.document, reason="other", why="x")
    with pytest.raises(PermissionDenied):
        review_propose(actor=user, review=review, draft=_version("2026"))
    with pytest.raises(PermissionDenied):
        review_close(actor=user, review=review, reason="x")
    with pytest.raises(PermissionDenied):
        review_update_report_fields(actor=user, review=review, why="x")
    assert reviews_visible(user).count() == 0
    with pytest.raises(NotFound):
        review_get(actor=user, public_id=review.public_id)
    assert review_get(actor=example.user("deputy_mo"), public_id=review.public_id) == review


def test_report_fields_can_be_updated_until_council_decides(example: ExampleCouncil) -> None:
    mo = example.user("mo")
    review = _open(example)
    review_update_report_fields(
        actor=mo, review=review, legal_implications="Council approval needed.", why="Updated."
    )
    review.refresh_from_db()
    assert review.legal_implications == "Council approval needed."
    assert review.why == "Updated."
    with pytest.raises(ValidationFailed) as failed:
        review_update_report_fields(actor=mo, review=review, why="")
    assert _errors(failed) == {"why"}
    assert "library.review_report_updated" in _verbs()


def test_the_report_gives_the_equality_implications_recorded_or_asks_for_them(
    example: ExampleCouncil,
) -> None:
    review = _open(example)
    section = "Equality and human rights implications"
    assert "None recorded yet" in draft_committee_report(review).section(section).paragraphs[0]

    review_update_report_fields(
        actor=example.user("mo"),
        review=review,
        equality_implications="An equality impact assessment found no differential effect.",
    )
    review.refresh_from_db()

    assert draft_committee_report(review).section(section).paragraphs == (
        "An equality impact assessment found no differential effect.",
    )


def test_the_committee_report_has_every_section_and_counts_the_changes(
    example: ExampleCouncil,
) -> None:
    mo = example.user("mo")
    review = _open(
        example,
        consultations="Group leaders were consulted.",
        financial_implications="",
        legal_implications="Section 27 Localism Act 2011.",
    )
    review_propose(actor=mo, review=review, draft=_version("2026"))
    report = draft_committee_report(review)
    titles = [section.title for section in report.sections]
    assert titles == [
        "Purpose of report",
        "Recommendations",
        "Background",
        "Proposals",
        "Consultations",
        "Legal implications",
        "Policy implications",
        "Resource and financial implications",
        "Equality and human rights implications",
        "Background papers",
        "Officer to contact",
    ]
    proposals = " ".join(report.section("Proposals").paragraphs)
    assert "adds 1 paragraph" in proposals
    assert "removes 1 paragraph" in proposals
    assert "changes 1 paragraph" in proposals
    background = " ".join(report.section("Background").paragraphs)
    assert "000 §52" in background
    assert "§9.1" in background
    assert "Not reviewed for some time." in background
    assert report.section("Consultations").paragraphs == ("Group leaders were consulted.",)
    assert report.section("Resource and financial implications").paragraphs == ("None.",)
    assert example.person("mo").full_name in report.section("Officer to contact").paragraphs[0]
    text = report.to_text()
    assert text.startswith("REPORT OF: The Monitoring Officer")
    assert "4. PROPOSALS" in text
    assert "11. OFFICER TO CONTACT" in text
