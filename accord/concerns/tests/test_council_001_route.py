"""Council 001's routes (001 §10(a), §10(b), §7(b)) run end to end through the concern services
on the demo council switched to that profile, checking at every stage who can open the concern
and what each reader told of it only in part is shown.

Under 001 an officer's concern goes through their own line management; the member it is about is
approached at one stage and sees it then (and only then), told only what the officer shared;
the Group Leader, Chief Executive and Monitoring Officer are told of it when the Group Leader is
involved. A member's concern about an officer goes to the officer's line manager or Director,
and on to the Head of Paid Service; the member hears how it ended in the reply written for them.
"""

from __future__ import annotations

import pytest

from accord.concerns.models import Concern
from accord.concerns.selectors import Reading, concern_detail, concern_get
from accord.concerns.services import concern_act, concern_raise, concern_share
from accord.concerns.tests.helpers import (
    MARKER,
    account,
    person,
    raise_member_concern,
    shared_reading,
    who_sees,
)
from accord.core.errors import NotFound, ValidationFailed
from accord.demo.services import demo_profile_use
from accord.directory.models import Officer
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.selectors import case_handlers
from accord.profiles import shipped

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]


@pytest.fixture(autouse=True)
def _council_001() -> None:
    demo_profile_use(actor=None, texts=shipped.shipped_texts("council-001"))


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


def _timeline_values(username: str, concern: Concern) -> list[str]:
    reader = account(username)
    detail = concern_detail(reader, concern_get(reader, concern.case.public_id))
    return [value for entry in detail.timeline for _, value in entry.records]


def test_the_demo_facts_this_route_relies_on() -> None:
    officer = Officer.objects.get(person=person("officer"))
    assert officer.directorate_id == Officer.objects.get(person=person("director")).directorate_id
    # The officer's line manager has no demo account, so only the Director is seen signing in.
    assert officer.line_manager is not None
    assert officer.line_manager.person_id != person("director").pk


def test_an_officer_concern_under_001_from_line_management_to_the_monitoring_officer() -> None:
    concern = _raise_officer_concern()
    officer = person("officer")
    assert concern.case.profile_version.profile_id == "council-001"
    assert concern.case.stage == "with_management"
    # 001 §10(b): the officer's line manager or Director, nobody else.
    line_manager = Officer.objects.get(person=officer).line_manager
    assert line_manager is not None
    assert set(case_handlers(concern.case)) == {line_manager.person_id, person("director").pk}
    assert who_sees(concern) == {"officer", "director"}

    director = account("director")
    concern_act(actor=director, concern=concern, to="member_approached")
    # The member it is about is approached, and sees that there is a concern, but only what the
    # officer shares, and not who raised it unless the officer agrees.
    assert who_sees(concern) == {"officer", "director", "member"}
    detail = shared_reading("member", concern)
    assert detail.shared_summary == ""
    assert detail.raiser_name is None
    concern_share(
        actor=account("officer"),
        concern=concern,
        summary="A remark at the planning site visit.",
        share_identity=True,
    )
    detail = shared_reading("member", concern)
    assert detail.shared_summary == "A remark at the planning site visit."
    assert detail.raiser_name == officer.full_name
    concern_share(actor=account("officer"), concern=concern, summary="", share_identity=False)

    concern_act(actor=director, concern=concern, to="group_leader_involved")
    # The member's Group Leader, the Chief Executive and the Monitoring Officer are told of it;
    # the member no longer sees it at this stage.
    assert who_sees(concern) == {
        "officer",
        "director",
        "leader",
        "chief-executive",
        "monitoring-officer",
    }
    for told in ("leader", "chief-executive", "monitoring-officer"):
        assert shared_reading(told, concern).raiser_name is None
    with pytest.raises(TransitionNotAllowed):
        concern_act(
            actor=account("chief-executive"),
            concern=concern,
            to="resolved",
            records={"reason": "x"},
        )

    concern_act(
        actor=director,
        concern=concern,
        to="members_code_consideration",
        records={"reason": f"Not settled {MARKER}"},
    )
    # 001 §7(b): the Monitoring Officer considers the Members' Code; the Director who sent it
    # there is told of it, and sees again only what they wrote themselves.
    assert who_sees(concern) == {"officer", "director", "monitoring-officer"}
    mo = account("monitoring-officer")
    assert concern_detail(mo, concern_get(mo, concern.case.public_id)).reading is Reading.FULL
    told = shared_reading("director", concern)
    assert [e.by for e in told.timeline if e.records] == ["You"]

    with pytest.raises(ValidationFailed) as refused:
        concern_act(actor=mo, concern=concern, to="no_members_code_breach")
    assert [e.field for e in refused.value.errors] == ["records.breach_assessment"]
    concern_act(
        actor=mo,
        concern=concern,
        to="no_members_code_breach",
        records={"breach_assessment": f"No breach {MARKER}"},
    )
    concern.refresh_from_db()
    assert concern.case.outcome == "no_members_code_breach"
    # Ended: the rules of its last stage still apply.
    assert who_sees(concern) == {"officer", "director", "monitoring-officer"}
    shared_reading("director", concern)
    # The officer sees what they said, but 001 shows them nothing the handlers wrote; the
    # member never sees it again.
    officer_reader = account("officer")
    mine = concern_detail(officer_reader, concern_get(officer_reader, concern.case.public_id))
    assert mine.reading is Reading.FULL
    assert mine.what_happened == f"What happened {MARKER}"
    assert _timeline_values("officer", concern) == []
    with pytest.raises(NotFound):
        concern_get(account("member"), concern.case.public_id)


def test_an_officer_concern_can_be_settled_by_the_line_management_at_once() -> None:
    concern = _raise_officer_concern()
    concern_act(
        actor=account("director"),
        concern=concern,
        to="resolved",
        records={"reason": f"Spoke to them {MARKER}"},
    )
    concern.refresh_from_db()
    assert concern.case.outcome == "resolved"
    assert who_sees(concern) == {"officer", "director"}


def test_a_member_concern_under_001_to_the_head_of_paid_service_and_its_reply() -> None:
    subject = person("officer")
    concern = raise_member_concern(about=subject)
    assert concern.case.stage == "line_management"
    # 001 §10(a): the officer's line manager or Director; the officer never sees it.
    assert who_sees(concern) == {"member", "director"}
    member = account("member")
    # The stage needs a note of the attempt to settle it directly before it can move on.
    with pytest.raises(ValidationFailed) as refused:
        concern_act(
            actor=member,
            concern=concern,
            to="head_of_paid_service_review",
            records={"reason": "No reply."},
        )
    assert [e.field for e in refused.value.errors] == ["records.direct_resolution_attempt"]
    concern_act(
        actor=member,
        concern=concern,
        to="head_of_paid_service_review",
        records={
            "reason": f"No reply {MARKER}",
            "direct_resolution_attempt": f"Wrote to them {MARKER}",
        },
    )
    # The Head of Paid Service decides; the officer's Director is told of it only in part.
    assert who_sees(concern) == {"member", "chief-executive", "director"}
    told = shared_reading("director", concern)
    assert told.raiser_name is None
    assert not any(entry.records for entry in told.timeline)
    with pytest.raises(TransitionNotAllowed):
        concern_act(
            actor=account("director"),
            concern=concern,
            to="officers_code_action",
            records={"breach_assessment": "x", "decision": "x", "reply_to_member": "x"},
        )
    concern_act(
        actor=account("chief-executive"),
        concern=concern,
        to="resolved_by_head_of_paid_service",
        records={
            "breach_assessment": f"No breach {MARKER}",
            "decision": f"Words of advice {MARKER}",
            "reply_to_member": "The officer has been spoken to.",
        },
    )
    concern.refresh_from_db()
    assert concern.case.outcome == "resolved_by_head_of_paid_service"
    assert who_sees(concern) == {"member", "chief-executive", "director"}
    # The member hears the reply written for them, and sees what they wrote, but not the
    # assessment or the decision.
    shown = _timeline_values("member", concern)
    assert "The officer has been spoken to." in shown
    assert f"Words of advice {MARKER}" not in shown
    assert f"No breach {MARKER}" not in shown
    assert f"No reply {MARKER}" in shown
    shared_reading("director", concern)
    with pytest.raises(NotFound):
        concern_get(account("officer"), concern.case.public_id)


def test_a_member_concern_answered_by_the_director_ends_only_when_the_member_accepts() -> None:
    concern = raise_member_concern(about=person("officer"))
    concern_act(
        actor=account("director"),
        concern=concern,
        to="management_replied",
        records={
            "direct_resolution_attempt": f"They had tried {MARKER}",
            "reason": f"Spoken to {MARKER}",
            "reply_to_member": "Your concern has been dealt with.",
        },
    )
    assert who_sees(concern) == {"member", "director"}
    shown = _timeline_values("member", concern)
    assert shown == ["Your concern has been dealt with."]
    # 001 §10(a): the answer does not end the member's right to go to the Head of Paid Service.
    with pytest.raises(TransitionNotAllowed):
        concern_act(actor=account("director"), concern=concern, to="resolved_by_management")
    concern_act(actor=account("member"), concern=concern, to="resolved_by_management")
    concern.refresh_from_db()
    assert concern.case.outcome == "resolved_by_management"
    assert who_sees(concern) == {"member", "director"}
