"""Leicestershire's routes (000 §49-51) run end to end through the concern services on the demo
council, and each reader sees only what the protocol lets them."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from accord.concerns.models import Concern
from accord.concerns.selectors import (
    Reading,
    concern_detail,
    concern_get,
    concern_queue,
    concern_viewings,
    concerns_visible,
)
from accord.concerns.services import (
    concern_act,
    concern_consent_give,
    concern_consent_withdraw,
    concern_report,
    concern_viewed,
)
from accord.concerns.tests.helpers import (
    MARKER,
    account,
    all_take_part,
    member_led_by,
    person,
    raise_member_concern,
    raise_officer_concern,
)
from accord.core.errors import NotFound, ValidationFailed
from accord.notifications.services import notifications_sweep
from accord.procedures.errors import ConsentMissing, EngagementMissing, TransitionNotAllowed
from accord.procedures.services import timers_sweep

LONDON = zoneinfo.ZoneInfo("Europe/London")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]


def _sees(username: str, concern: Concern) -> bool:
    try:
        concern_get(account(username), concern.case.public_id)
    except NotFound:
        return False
    return True


def test_an_officer_concern_goes_only_to_the_senior_officer_chosen_first():
    subject = member_led_by("group-leader")
    concern = raise_officer_concern(about=subject, first_contact="monitoring_officer")
    assert _sees("officer", concern)
    assert _sees("monitoring-officer", concern)
    for other in ("director", "chief-executive", "group-leader", "member", "leader"):
        assert not _sees(other, concern), other
    assert concern_queue(account("monitoring-officer")).filter(pk=concern.pk).exists()


def test_the_first_contact_must_be_one_the_profile_allows():
    subject = member_led_by("group-leader")
    with pytest.raises(ValidationFailed) as refused:
        raise_officer_concern(about=subject, first_contact="leader")
    assert [e.field for e in refused.value.errors] == ["first_contact"]


def test_a_full_officer_concern_under_000_with_consent_before_the_group_leader():
    subject = member_led_by("group-leader")
    concern = raise_officer_concern(about=subject, first_contact="chief_executive")
    ce = account("chief-executive")
    concern_act(actor=ce, concern=concern, to="management_meeting")
    concern.refresh_from_db()
    # The Chief Executive, the Director and the Monitoring Officer all take part (50(b)).
    with pytest.raises(EngagementMissing):
        concern_act(
            actor=ce,
            concern=concern,
            to="group_leader_engagement",
            records={"meeting_note": f"Met {MARKER}"},
        )
    all_take_part(concern)
    with pytest.raises(ConsentMissing):
        concern_act(
            actor=ce,
            concern=concern,
            to="group_leader_engagement",
            records={"meeting_note": f"Met {MARKER}"},
        )
    assert not _sees("group-leader", concern)
    concern_consent_give(
        actor=account("officer"),
        concern=concern,
        to="group_leader_engagement",
        summary="A councillor spoke to me rudely at a site visit.",
        share_identity=False,
    )
    concern_act(
        actor=ce,
        concern=concern,
        to="group_leader_engagement",
        records={"meeting_note": f"Met {MARKER}"},
    )
    gl = account("group-leader")
    seen = concern_get(gl, concern.case.public_id)
    detail = concern_detail(gl, seen)
    assert detail.reading is Reading.SHARED
    assert detail.raiser_name is None
    assert detail.what_happened is None
    assert detail.shared_summary.startswith("A councillor spoke")
    assert MARKER not in repr(detail)
    # The member it is about never sees it.
    subject_user = account("group-leader").__class__.objects.filter(person=subject).first()
    if subject_user is not None:
        assert not concerns_visible(subject_user).exists()
    mo = account("monitoring-officer")
    concern_act(actor=mo, concern=concern, to="code_of_conduct_advice")
    concern_act(
        actor=mo,
        concern=concern,
        to="referred_to_code_of_conduct",
        records={"breach_assessment": "Possible breach.", "confidential_note": f"Note {MARKER}"},
    )
    concern.refresh_from_db()
    assert concern.case.outcome == "referred_to_code_of_conduct"
    assert not _sees("group-leader", concern)


def test_consent_can_be_withdrawn_until_it_is_used():
    subject = member_led_by("group-leader")
    concern = raise_officer_concern(about=subject, first_contact="chief_executive")
    concern_act(actor=account("chief-executive"), concern=concern, to="management_meeting")
    all_take_part(concern)
    officer = account("officer")
    concern_consent_give(
        actor=officer,
        concern=concern,
        to="group_leader_engagement",
        summary="",
        share_identity=True,
    )
    concern_consent_withdraw(actor=officer, concern=concern, to="group_leader_engagement")
    with pytest.raises(ConsentMissing):
        concern_act(
            actor=account("chief-executive"),
            concern=concern,
            to="group_leader_engagement",
            records={"meeting_note": "Met."},
        )


def test_a_retaliation_report_reopens_an_ended_concern_with_the_monitoring_officer():
    subject = member_led_by("group-leader")
    concern = raise_officer_concern(about=subject, first_contact="raiser.director")
    # The Director the officer went to cannot settle it alone (50(b)).
    with pytest.raises(TransitionNotAllowed):
        concern_act(
            actor=account("director"),
            concern=concern,
            to="resolved_informally",
            records={"reason": "Settled."},
        )
    concern_act(actor=account("director"), concern=concern, to="management_meeting")
    all_take_part(concern)
    mo = account("monitoring-officer")
    concern_act(
        actor=mo,
        concern=concern,
        to="follow_up",
        records={"meeting_note": "Met.", "reason": "Settled at the meeting."},
    )
    concern_act(
        actor=mo,
        concern=concern,
        to="resolved_informally",
        records={"confidential_note": f"Note {MARKER}"},
    )
    concern.refresh_from_db()
    assert not concern.case.is_open
    concern_report(actor=account("officer"), concern=concern, report=f"Pressured {MARKER}")
    concern.refresh_from_db()
    assert concern.case.is_open
    assert concern.case.stage == "retaliation_review"
    assert _sees("monitoring-officer", concern)
    with pytest.raises(NotFound):
        concern_report(actor=account("member"), concern=concern, report="x")


def test_the_raiser_sees_who_has_viewed_their_concern():
    subject = member_led_by("group-leader")
    concern = raise_officer_concern(about=subject, first_contact="monitoring_officer")
    mo = account("monitoring-officer")
    concern_viewed(actor=mo, concern=concern_get(mo, concern.case.public_id))
    viewings = concern_viewings(account("officer"), concern)
    assert [v.name for v in viewings] == [person("monitoring-officer").full_name]
    assert concern_viewings(mo, concern) == []


def test_a_member_concern_reply_reaches_the_member_but_not_the_action():
    officer = person("officer")
    concern = raise_member_concern(about=officer)
    member = account("member")
    # Not before the manager or Director has considered it (51(b)).
    with pytest.raises(TransitionNotAllowed):
        concern_act(
            actor=member,
            concern=concern,
            to="chief_executive_review",
            records={"reason": "No reply."},
        )
    concern_act(
        actor=account("director"),
        concern=concern,
        to="management_reply",
        records={"reason": "Spoke to the officer.", "reply_to_member": "We have looked at it."},
    )
    concern_act(
        actor=member, concern=concern, to="chief_executive_review", records={"reason": "No reply."}
    )
    with pytest.raises(ValidationFailed):
        concern_act(
            actor=account("chief-executive"),
            concern=concern,
            to="decided_by_chief_executive",
            records={"breach_assessment": "x", "action": "sack", "reply_to_member": "y"},
        )
    concern_act(
        actor=account("chief-executive"),
        concern=concern,
        to="decided_by_chief_executive",
        records={
            "breach_assessment": f"Possible breach {MARKER}",
            "action": "hr_referral",
            "reply_to_member": "The matter has been dealt with under our procedures.",
        },
    )
    concern.refresh_from_db()
    detail = concern_detail(member, concern_get(member, concern.case.public_id))
    shown = [value for entry in detail.timeline for _, value in entry.records]
    assert "The matter has been dealt with under our procedures." in shown
    assert not any(MARKER in value or value == "hr_referral" for value in shown)
    with pytest.raises(NotFound):
        concern_get(account("officer"), concern.case.public_id)
    with pytest.raises(TransitionNotAllowed):
        concern_report(actor=member, concern=concern, report="x")


def test_a_reminder_about_a_concern_links_to_the_concern_page_and_says_nothing_of_it(
    fake_gateway,
):
    subject = member_led_by("group-leader")
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=LONDON), tick=False):
        concern = raise_officer_concern(about=subject, first_contact="raiser.director")
    # Five working days after Monday 2 November is Monday 9 November; it fires the day after.
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 0, tzinfo=LONDON), tick=False):
        assert timers_sweep() == 1
        notifications_sweep()
    sent = [m for m in fake_gateway.sent if m.subject == "Something on Accord needs your attention"]
    reminders = [m for m in sent if "due for attention" in m.body]
    assert {m.email for m in reminders} == {
        person("director").email,
        person("monitoring-officer").email,
    }
    for message in reminders:
        assert f"/concerns/{concern.case.public_id}/" in message.body
        assert MARKER not in message.body
        assert subject.full_name not in message.body
