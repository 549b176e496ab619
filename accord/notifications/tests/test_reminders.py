"""A procedure timer firing writes a reminder email, and no email carries a case's content."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.db import transaction

from accord.audit.models import AuditEvent
from accord.directory.models import Person
from accord.notifications.gateway import FakeGateway
from accord.notifications.models import Notification
from accord.notifications.services import notifications_sweep
from accord.procedures.models import Case, CaseTimer
from accord.procedures.scenarios import BuiltDirectory, DirectorySpec, build_directory
from accord.procedures.services import case_open, case_transition, consent_give, timers_sweep
from accord.profiles.models import ProfileVersion
from accord.profiles.services import profile_version_store

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "profiles" / "data"
LONDON = zoneinfo.ZoneInfo("Europe/London")
OPENED = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
OVERDUE = dt.datetime(2026, 6, 9, 0, 5, tzinfo=LONDON)
MARKER = "ZQX-MARKER-7731"

DIRECTORY = DirectorySpec.model_validate(
    {
        "groups": ["blue"],
        "directorates": ["adults", "corporate"],
        "people": {
            "chief_exec": {
                "kind": "officer",
                "directorate": "corporate",
                "roles": ["chief_executive"],
            },
            "mo": {"kind": "officer", "directorate": "corporate", "roles": ["monitoring_officer"]},
            "director": {"kind": "officer", "directorate": "adults", "roles": ["director"]},
            "officer": {"kind": "officer", "directorate": "adults"},
            "councillor": {"kind": "member", "group": "blue"},
            "blue_leader": {"kind": "member", "group": "blue", "roles": ["group_leader"]},
        },
    }
)


def _profile_text() -> str:
    """The example profile, with a record written on the way into a stage that has a timer
    reminding the Monitoring Officer and the member's Group Leader."""
    text = (DATA / "example.yaml").read_text(encoding="utf-8")
    changes = {
        "        visible_to: [raiser, handlers, subject.group_leader]\n": (
            "        visible_to: [raiser, handlers, subject.group_leader]\n"
            "        timer:\n"
            "          after: concern_reminder\n"
            "          action: remind\n"
            "          to: [monitoring_officer, subject.group_leader]\n"
            '          cite: "6.3"\n'
        ),
        "        consent:\n          from: raiser\n": (
            "        requires_records: [summary]\n        consent:\n          from: raiser\n"
        ),
    }
    for old, new in changes.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def council() -> BuiltDirectory:
    with time_machine.travel(OPENED, tick=False):
        return build_directory(DIRECTORY)


@pytest.fixture
def version(council: BuiltDirectory) -> ProfileVersion:
    return profile_version_store(actor=None, text=_profile_text())


def _open(council: BuiltDirectory, version: ProfileVersion) -> Case:
    return case_open(
        actor=council.users["officer"],
        procedure="officer_concern",
        raiser=council.people["officer"],
        subject=council.people["councillor"],
        profile_version=version,
    )


def test_a_timer_firing_writes_one_reminder_email_per_person_it_reminds(
    council: BuiltDirectory, version: ProfileVersion, fake_gateway: FakeGateway, settings
) -> None:
    settings.ACCORD_BASE_URL = "https://accord.example.gov.uk"
    with time_machine.travel(OPENED, tick=False):
        case = _open(council, version)
    timer = CaseTimer.objects.get(case=case)
    mo = council.people["mo"]
    with time_machine.travel(OVERDUE, tick=False):
        assert timers_sweep() == 1
        assert timers_sweep() == 0
        (notification,) = Notification.objects.all()
        assert notification.recipient_id == mo.pk
        assert notification.template == "case_reminder"
        assert notification.key == f"reminder:{timer.pk}:{mo.pk}"
        assert notification.personalisation["link"] == f"/cases/{case.public_id}/"
        assert notifications_sweep() == 1
    (message,) = fake_gateway.sent
    assert message.email == mo.email
    assert message.subject == "Something on Accord needs your attention"
    assert message.body.startswith(f"Dear {mo.full_name},\n\n")
    assert "A case you are named on is due for attention: " in message.body
    assert "was due by 8 June 2026" in message.body
    assert "— Protocol v2026 §6.2." in message.body
    assert f"Open it: https://accord.example.gov.uk/cases/{case.public_id}/\n" in message.body


def test_a_reminder_email_rolls_back_with_a_timer_that_failed_to_fire(
    council: BuiltDirectory, version: ProfileVersion, monkeypatch
) -> None:
    from accord.procedures.services import timers as procedures

    with time_machine.travel(OPENED, tick=False):
        _open(council, version)

    def broken_record(**kwargs):
        if kwargs["verb"] == "procedures.timer_fired":
            raise RuntimeError("the audit trail is unavailable")
        return AuditEvent.objects.none()

    monkeypatch.setattr(procedures, "record", broken_record)
    with time_machine.travel(OVERDUE, tick=False), pytest.raises(RuntimeError):
        timers_sweep()
    assert not Notification.objects.exists()
    assert not CaseTimer.objects.filter(fired_at__isnull=False).exists()


def test_no_email_carries_anything_written_in_a_case_or_who_it_is_about(
    council: BuiltDirectory, version: ProfileVersion, fake_gateway: FakeGateway
) -> None:
    for key in ("officer", "councillor"):
        Person.objects.filter(pk=council.people[key].pk).update(family_name=f"{MARKER}-{key}")
    with time_machine.travel(OPENED, tick=False), transaction.atomic():
        case = _open(council, version)
        consent_give(
            actor=council.users["officer"], case=case, to="group_leader_engagement", note=MARKER
        )
        case_transition(
            actor=council.users["mo"],
            case=case,
            to="group_leader_engagement",
            records={"summary": f"What happened: {MARKER}"},
        )
    with time_machine.travel(OVERDUE, tick=False):
        assert timers_sweep() == 1
        # Two reminders, and the Group Leader's notice under the duty that the move set off.
        assert notifications_sweep() == 3
    assert sorted(message.template for message in fake_gateway.sent) == [
        "case_reminder",
        "case_reminder",
        "duty_notice",
    ]
    recipients = {message.email for message in fake_gateway.sent}
    assert recipients == {council.people["mo"].email, council.people["blue_leader"].email}
    for message in fake_gateway.sent:
        for text in (message.subject, message.body, *message.personalisation.values()):
            assert MARKER not in text
    for notification in Notification.objects.all():
        assert MARKER not in str(notification.personalisation)
    for event in AuditEvent.objects.filter(verb__startswith="notifications."):
        assert MARKER not in str(event.data)
