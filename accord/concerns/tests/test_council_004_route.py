"""Council 004's routes (004 §6.1 to §6.3) run end to end through the concern services on the demo
council switched to that profile, checking at every stage who can open the concern.

Under 004 an officer's concern goes straight to the Chief Executive, and nobody else ever sees
it; a member's concern is first talked through with the member's own Group Leader, then made a
formal complaint to the Chief Executive, and the member hears how it ended in the reply written
for them. Neither route tells anyone of a concern only in part, and neither has a later report
that reopens it.
"""

from __future__ import annotations

import pytest

from accord.concerns.models import Concern
from accord.concerns.selectors import ConcernDetail, Reading, concern_detail, concern_get
from accord.concerns.services import concern_act, concern_raise, concern_report
from accord.concerns.tests.helpers import (
    MARKER,
    account,
    person,
    raise_member_concern,
    who_sees,
)
from accord.core.errors import NotFound, ValidationFailed
from accord.demo.services import demo_profile_use
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.selectors import case_handlers
from accord.profiles import shipped

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]


@pytest.fixture(autouse=True)
def _council_004() -> None:
    demo_profile_use(actor=None, texts=shipped.shipped_texts("council-004"))


def _raise_officer_concern() -> Concern:
    return concern_raise(
        actor=account("officer"),
        direction=Concern.Direction.OFFICER_ABOUT_MEMBER,
        subject=person("member"),
        what_happened=f"What happened {MARKER}",
        outcome_wanted=f"Outcome {MARKER}",
        tried_direct=True,
        tried_direct_details=f"Tried {MARKER}",
    )


def _detail(username: str, concern: Concern) -> ConcernDetail:
    reader = account(username)
    return concern_detail(reader, concern_get(reader, concern.case.public_id))


def _timeline_values(username: str, concern: Concern) -> list[str]:
    return [value for entry in _detail(username, concern).timeline for _, value in entry.records]


def test_004_offers_no_choice_of_whom_to_go_to_first() -> None:
    with pytest.raises(ValidationFailed) as refused:
        concern_raise(
            actor=account("officer"),
            direction=Concern.Direction.OFFICER_ABOUT_MEMBER,
            subject=person("member"),
            what_happened="Something happened.",
            tried_direct=False,
            first_contact="monitoring_officer",
        )
    assert [e.field for e in refused.value.errors] == ["first_contact"]


def test_an_officer_concern_under_004_goes_only_to_the_chief_executive() -> None:
    concern = _raise_officer_concern()
    case = concern.case
    assert case.profile_version.profile_id == "council-004"
    assert case.stage == "chief_executive_consideration"
    assert set(case_handlers(case)) == {person("chief-executive").pk}
    assert who_sees(concern) == {"officer", "chief-executive"}
    ce = account("chief-executive")
    ce_reads = _detail("chief-executive", concern)
    assert ce_reads.reading is Reading.FULL
    assert ce_reads.what_happened == f"What happened {MARKER}"
    # The Monitoring Officer is not part of this route at all.
    with pytest.raises(NotFound):
        concern_act(
            actor=account("monitoring-officer"),
            concern=concern,
            to="chief_executive_action",
            records={"decision": "x"},
        )
    concern_act(
        actor=ce,
        concern=concern,
        to="chief_executive_action",
        records={"decision": f"Spoke to the councillor {MARKER}"},
    )
    concern.refresh_from_db()
    assert concern.case.outcome == "chief_executive_action"
    assert who_sees(concern) == {"officer", "chief-executive"}
    # 004 shows the officer nothing the Chief Executive wrote, and has no reopening route.
    assert _timeline_values("officer", concern) == []
    with pytest.raises(TransitionNotAllowed):
        concern_report(actor=account("officer"), concern=concern, report="Pressured.")


def test_the_officer_can_take_their_concern_to_another_procedure_instead() -> None:
    concern = _raise_officer_concern()
    concern_act(
        actor=account("officer"),
        concern=concern,
        to="other_procedure",
        records={"reason": f"A grievance instead {MARKER}"},
    )
    concern.refresh_from_db()
    assert concern.case.outcome == "other_procedure"
    assert who_sees(concern) == {"officer", "chief-executive"}


def test_a_member_concern_under_004_from_the_group_leader_to_a_formal_complaint() -> None:
    concern = raise_member_concern(about=person("officer"))
    assert concern.case.stage == "group_chair_discussion"
    # 004 §6.1: first talked through with the member's own Group Leader (here, the Leader).
    assert set(case_handlers(concern.case)) == {person("leader").pk}
    assert who_sees(concern) == {"member", "leader"}
    assert _detail("leader", concern).reading is Reading.FULL
    # Only the member can take it further; the Group Leader cannot.
    with pytest.raises(TransitionNotAllowed):
        concern_act(
            actor=account("leader"),
            concern=concern,
            to="formal_complaint",
            records={"complaint_form": "x"},
        )
    member = account("member")
    with pytest.raises(ValidationFailed) as refused:
        concern_act(actor=member, concern=concern, to="formal_complaint")
    assert [e.field for e in refused.value.errors] == ["records.complaint_form"]
    concern_act(
        actor=member,
        concern=concern,
        to="formal_complaint",
        records={"complaint_form": f"The complaint {MARKER}"},
    )
    # The Chief Executive takes the formal complaint; the Group Leader is no longer involved,
    # and the officer it is about never sees it.
    assert who_sees(concern) == {"member", "chief-executive"}
    with pytest.raises(NotFound):
        concern_get(account("officer"), concern.case.public_id)
    ce = account("chief-executive")
    # The complaint form was written on the way in, so it need not be written again.
    with pytest.raises(ValidationFailed) as refused:
        concern_act(actor=ce, concern=concern, to="chief_executive_action")
    assert sorted(e.field for e in refused.value.errors) == [
        "records.decision",
        "records.reply_to_member",
    ]
    concern_act(
        actor=ce,
        concern=concern,
        to="chief_executive_action",
        records={
            "decision": f"Management action {MARKER}",
            "reply_to_member": "The officer's manager has taken this up with them.",
        },
    )
    concern.refresh_from_db()
    assert concern.case.outcome == "chief_executive_action"
    assert who_sees(concern) == {"member", "chief-executive"}
    shown = _timeline_values("member", concern)
    assert "The officer's manager has taken this up with them." in shown
    assert f"Management action {MARKER}" not in shown
    assert f"The complaint {MARKER}" in shown  # what they wrote themselves
    with pytest.raises(TransitionNotAllowed):
        concern_report(actor=member, concern=concern, report="Pressured.")


def test_a_member_can_settle_their_concern_after_the_discussion() -> None:
    concern = raise_member_concern(about=person("officer"))
    concern_act(actor=account("member"), concern=concern, to="settled_after_discussion")
    concern.refresh_from_db()
    assert concern.case.outcome == "settled_after_discussion"
    assert who_sees(concern) == {"member", "leader"}
