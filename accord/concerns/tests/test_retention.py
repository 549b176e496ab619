"""Retention of ended concerns (000 `concern_retention`: six years after a concern ends): kept to
the last day, deleted with everything written on it the day after, with the audit trail keeping
only that it was deleted; through the service, the `accord retention` command and the nightly
task, any number of times."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from accord.audit.models import AuditEvent
from accord.audit.verify import verify_stored
from accord.concerns.models import Concern
from accord.concerns.selectors import concern_detail, concern_get
from accord.concerns.services import concern_act, concern_report
from accord.concerns.tests.helpers import (
    MARKER,
    account,
    all_take_part,
    member_led_by,
    person,
    raise_member_concern,
    raise_officer_concern,
)
from accord.core import clock
from accord.core.errors import NotFound
from accord.procedures.models import Case, CaseStage, CaseTransition
from accord.procedures.retention import expiry_of, retention_due
from accord.procedures.services import cases_expire
from accord.procedures.tasks import expire_cases

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _first_monday_after_seeding() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _ended_officer_concern(on: dt.datetime) -> Concern:
    """An officer's concern raised with the officer's Director, discussed by all three senior
    officers and settled informally with the Monitoring Officer's note, at `on`."""
    with time_machine.travel(on, tick=False):
        concern = raise_officer_concern(
            about=member_led_by("group-leader"), first_contact="raiser.director"
        )
        concern_act(actor=account("director"), concern=concern, to="management_meeting")
        all_take_part(concern)
        mo = account("monitoring-officer")
        concern_act(
            actor=mo,
            concern=concern,
            to="follow_up",
            records={"meeting_note": f"Met {MARKER}", "reason": f"Settled {MARKER}"},
        )
        concern_act(
            actor=mo,
            concern=concern,
            to="resolved_informally",
            records={"confidential_note": f"Note {MARKER}"},
        )
    concern.refresh_from_db()
    return concern


def _ours(concern: Concern) -> bool:
    return any(e.case_id == concern.case_id for e in retention_due())


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_an_ended_concern_is_kept_to_its_last_day_and_deleted_the_day_after() -> None:
    ended = _at(_first_monday_after_seeding())
    concern = _ended_officer_concern(ended)
    case_id, concern_id = concern.case_id, concern.pk
    last = expiry_of(concern.case)
    assert last == dt.date(ended.year + 6, ended.month, ended.day)

    for day in (last - dt.timedelta(days=1), last):
        with time_machine.travel(_at(day, 23, 59), tick=False):
            assert not _ours(concern)
            cases_expire()
            assert Concern.objects.filter(pk=concern_id).exists()
            # Its handlers are told how long it is kept.
            mo = account("monitoring-officer")
            seen = concern_get(mo, concern.case.public_id)
            assert concern_detail(mo, seen).kept_until == last

    with time_machine.travel(_at(last + dt.timedelta(days=1), 0, 5), tick=False):
        assert _ours(concern)
        assert cases_expire() >= 1
        assert not Concern.objects.filter(pk=concern_id).exists()
        assert not Case.objects.filter(pk=case_id).exists()
        assert not CaseTransition.objects.filter(case_id=case_id).exists()
        assert not CaseStage.objects.filter(case_id=case_id).exists()
        with pytest.raises(NotFound):
            concern_get(account("officer"), concern.case.public_id)
        assert cases_expire() == 0


def test_the_audit_trail_keeps_that_it_was_deleted_and_nothing_it_held() -> None:
    ended = _at(_first_monday_after_seeding())
    concern = _ended_officer_concern(ended)
    case_id = concern.case_id
    last = expiry_of(concern.case)
    assert last is not None
    with time_machine.travel(_at(last + dt.timedelta(days=1)), tick=False):
        cases_expire()
    (event,) = AuditEvent.objects.filter(
        verb="procedures.case_expired", target_type="procedures.case", target_id=str(case_id)
    )
    assert event.actor_id is None
    assert event.data == {
        "procedure": "officer_concern",
        "outcome": "resolved_informally",
        "opened_on": ended.date().isoformat(),
        "closed_on": ended.date().isoformat(),
        "kept_until": last.isoformat(),
    }
    assert MARKER not in repr(event.data)
    # Everything audited about the concern while it ran is still there, and still chains.
    assert AuditEvent.objects.filter(
        target_type="concerns.concern", target_id=str(concern.pk), verb="concerns.concern_raised"
    ).exists()
    assert not AuditEvent.objects.filter(data__icontains=MARKER).exists()
    assert verify_stored().ok


def test_the_last_day_is_counted_from_the_day_it_ended_in_council_time() -> None:
    # Ended half an hour after midnight in British Summer Time: the day before, in UTC.
    summer = _first_monday_after_seeding()
    summer = dt.date(summer.year + 1, 6, 1)
    concern = _ended_officer_concern(_at(summer, 0, 30))
    assert concern.case.closed_at is not None
    assert concern.case.closed_at.astimezone(dt.UTC).date() == summer - dt.timedelta(days=1)
    assert expiry_of(concern.case) == dt.date(summer.year + 6, 6, 1)


def test_a_concern_ended_on_29_february_is_kept_until_28_february_six_years_on() -> None:
    leap = next(
        dt.date(year, 2, 29)
        for year in range(_first_monday_after_seeding().year + 1, 2100)
        if year % 4 == 0 and (year % 100 or year % 400 == 0)
    )
    concern = _ended_officer_concern(_at(leap))
    last = expiry_of(concern.case)
    assert last == dt.date(leap.year + 6, 2, 28)
    with time_machine.travel(_at(dt.date(leap.year + 6, 2, 28)), tick=False):
        assert not _ours(concern)
    with time_machine.travel(_at(dt.date(leap.year + 6, 3, 1)), tick=False):
        assert _ours(concern)


def test_an_open_concern_is_never_due_however_long_it_runs() -> None:
    start = _at(_first_monday_after_seeding())
    with time_machine.travel(start, tick=False):
        concern = raise_member_concern(about=person("officer"))
    assert expiry_of(concern.case) is None
    with time_machine.travel(_at(dt.date(start.year + 40, 1, 5)), tick=False):
        assert not _ours(concern)
        cases_expire()
    assert Concern.objects.filter(pk=concern.pk).exists()


def test_a_reopened_concern_is_kept_from_when_it_ends_again() -> None:
    first_end = _at(_first_monday_after_seeding())
    concern = _ended_officer_concern(first_end)
    reopened = _at(dt.date(first_end.year + 5, 3, 1))
    with time_machine.travel(reopened, tick=False):
        concern_report(actor=account("officer"), concern=concern, report=f"Pressured {MARKER}")
    concern.refresh_from_db()
    assert expiry_of(concern.case) is None
    # Past the first ending's six years, the running case is left alone.
    with time_machine.travel(_at(dt.date(first_end.year + 7, 1, 4)), tick=False):
        cases_expire()
        assert Concern.objects.filter(pk=concern.pk).exists()
        mo = account("monitoring-officer")
        concern_act(actor=mo, concern=concern, to="follow_up")
        concern_act(
            actor=mo,
            concern=concern,
            to="resolved_informally",
            records={"confidential_note": f"Note {MARKER}"},
        )
        ended_again = clock.today()
    concern.refresh_from_db()
    assert expiry_of(concern.case) == dt.date(ended_again.year + 6, 1, 4)


def test_the_retention_command_lists_deletes_and_can_be_run_again() -> None:
    ended = _at(_first_monday_after_seeding())
    officer_concern = _ended_officer_concern(ended)
    with time_machine.travel(ended, tick=False):
        member_concern = raise_member_concern(about=person("officer"))
        concern_act(
            actor=account("director"),
            concern=member_concern,
            to="management_reply",
            records={"reason": f"Spoken to {MARKER}", "reply_to_member": "Dealt with."},
        )
        concern_act(actor=account("member"), concern=member_concern, to="resolved_by_management")
    last = expiry_of(officer_concern.case)
    assert last is not None
    with time_machine.travel(_at(last), tick=False):
        before = _command("list")
        assert "officer_concern ended 'resolved_informally'" not in before
        assert "member_concern ended 'resolved_by_management'" not in before
    with time_machine.travel(_at(last + dt.timedelta(days=1)), tick=False):
        listed = _command("list")
        assert "officer_concern ended 'resolved_informally': 1 due for deletion" in listed
        assert "member_concern ended 'resolved_by_management': 1 due for deletion" in listed
        due = len(retention_due())
        assert _command("run") == f"Deleted {due} case{'' if due == 1 else 's'}.\n"
        assert _command("run") == "Deleted 0 cases.\n"
        assert _command("list") == "No case is due for deletion.\n"
    assert not Concern.objects.filter(pk__in=[officer_concern.pk, member_concern.pk]).exists()
    assert AuditEvent.objects.filter(verb="procedures.case_expired").count() == due


def test_the_nightly_run_deletes_what_is_due_and_queues_tomorrows_run_once() -> None:
    DBTaskResult.objects.filter(task_path=expire_cases.module_path).delete()
    ended = _at(_first_monday_after_seeding())
    concern = _ended_officer_concern(ended)
    last = expiry_of(concern.case)
    assert last is not None
    night = last + dt.timedelta(days=1)
    with time_machine.travel(_at(night, 2, 0), tick=False):
        assert expire_cases.call() >= 1
        assert not Concern.objects.filter(pk=concern.pk).exists()
        assert expire_cases.call() == 0
        assert _command("schedule") == "The nightly retention run is queued on the task worker.\n"
    (queued,) = DBTaskResult.objects.filter(task_path=expire_cases.module_path, status="READY")
    assert queued.run_after.astimezone(LONDON) == _at(night + dt.timedelta(days=1), 2, 0)
