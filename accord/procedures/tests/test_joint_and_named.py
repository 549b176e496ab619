"""Joint stages, records on every ending, a subject named part-way and content-free reminders, at
service level, in the API and on the pages, on Leicestershire's corrected rules (000 §22,
§50(b), §50(f), §51(b)). Marker strings planted in every confidential field must reach nobody
who may not see the case: not the person a content-free reminder goes to, in Accord, by email
or through the API."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from django.test import Client
from django.urls import reverse

from accord.accounts.testing import give_totp
from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.audit.models import AuditEvent
from accord.core.errors import NotFound, ValidationFailed
from accord.notifications.models import Notification
from accord.notifications.templates import render
from accord.procedures.errors import EngagementMissing, TransitionNotAllowed
from accord.procedures.models import Case, CaseAlert, CaseEngagement
from accord.procedures.scenarios import BuiltDirectory, DirectorySpec, build_directory
from accord.procedures.selectors import case_get, joint_parts, records_needed
from accord.procedures.services import (
    case_open,
    case_transition,
    engagement_record,
    timers_sweep,
)
from accord.profiles.models import ProfileVersion
from accord.profiles.services import profile_version_store
from accord.profiles.tests.helpers import edited, errors_of, only_error

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "profiles" / "data"
LONDON = zoneinfo.ZoneInfo("Europe/London")
OPENED = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)  # a Monday
MARKER = "MARKER-5be1-joint-and-named"
NOTES = {"meeting_note": "Met.", "reason": "Settled."}
DIRECTORY = DirectorySpec.model_validate(
    yaml.safe_load((DATA / "leicestershire-000.scenarios.yaml").read_text(encoding="utf-8"))[
        "directory"
    ]
)


@pytest.fixture
def council() -> Any:
    with time_machine.travel(OPENED, tick=False):
        built = build_directory(DIRECTORY)
        version = profile_version_store(
            actor=None, text=(DATA / "leicestershire-000.yaml").read_text(encoding="utf-8")
        )
        yield built, version


def _officer_concern(built: BuiltDirectory, version: ProfileVersion, choice: str = "") -> Case:
    return case_open(
        actor=built.users["officer"],
        procedure="officer_concern",
        raiser=built.people["officer"],
        subject=built.people["councillor"],
        profile_version=version,
        handler_choice=choice,
    )


# --- Joint handling (000 §50(b)) --------------------------------------------------------------


def test_no_one_leaves_a_joint_stage_until_every_handler_has_taken_part(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _officer_concern(built, version, "monitoring_officer")
        case = case_transition(actor=built.users["mo"], case=case, to="management_meeting")
        with pytest.raises(EngagementMissing) as refused:
            case_transition(actor=built.users["mo"], case=case, to="follow_up", records=NOTES)
        line = str(refused.value.explanation)
        assert "the Chief Executive" in line
        assert "the Monitoring Officer" in line
        assert line.endswith("— Protocol v2025 §50(b)")
        for key in ("chief_exec", "director"):
            engagement_record(actor=built.users[key], case=case)
        with pytest.raises(EngagementMissing) as refused:
            case_transition(actor=built.users["mo"], case=case, to="follow_up", records=NOTES)
        assert "not yet recorded: the Monitoring Officer —" in str(refused.value.explanation)
        engagement_record(actor=built.users["mo"], case=case)
        assert all(part.engaged for part in joint_parts(case))
        moved = case_transition(actor=built.users["mo"], case=case, to="follow_up", records=NOTES)
    assert moved.stage == "follow_up"
    assert joint_parts(moved) == []


def test_taking_part_is_audited_once_and_only_by_a_handler(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _officer_concern(built, version)
        with pytest.raises(ValidationFailed):  # the first discussion is not a joint stage
            engagement_record(actor=built.users["director"], case=case)
        case = case_transition(actor=built.users["director"], case=case, to="management_meeting")
        engagement_record(actor=built.users["director"], case=case)
        with pytest.raises(ValidationFailed) as again:
            engagement_record(actor=built.users["director"], case=case)
        assert [e.field for e in again.value.errors] == ["engagement"]
        with pytest.raises(TransitionNotAllowed):  # the officer sees it but does not handle it
            engagement_record(actor=built.users["officer"], case=case)
        for outsider in ("councillor", "blue_leader", "colleague", "manager"):
            with pytest.raises(NotFound):
                engagement_record(actor=built.users[outsider], case=case)
    assert CaseEngagement.objects.filter(case=case).count() == 1
    (event,) = AuditEvent.objects.filter(verb="procedures.engagement_recorded")
    assert event.data == {
        "procedure": "officer_concern",
        "stage": "management_meeting",
        "cite": "50(b)",
    }


def test_the_joint_flag_is_checked_when_the_profile_is_loaded():
    text = (DATA / "example.yaml").read_text(encoding="utf-8")
    one_handler = edited(
        "        handlers: [monitoring_officer]\n",
        "        handlers: [monitoring_officer]\n        joint: true\n",
        text,
    )
    assert "joint handling needs two or more handlers" in only_error(one_handler).message
    both = edited(
        "        handlers: [raiser.director, monitoring_officer]\n",
        "        handlers: [raiser.director, monitoring_officer]\n"
        "        joint: true\n        choose_handler: true\n",
        text,
    )
    assert any("not both" in e.message for e in errors_of(both))


# --- A record on every ending (000 §50(f)) ----------------------------------------------------


def test_every_move_that_ends_a_concern_needs_the_confidential_note(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _officer_concern(built, version)
        case = case_transition(actor=built.users["director"], case=case, to="management_meeting")
        for key in ("chief_exec", "director", "mo"):
            engagement_record(actor=built.users[key], case=case)
        case = case_transition(
            actor=built.users["mo"],
            case=case,
            to="code_of_conduct_advice",
            records={"meeting_note": "Met."},
        )
        table_moves = {t.to: t for t in _moves(case)}
        assert "confidential_note" in records_needed(
            case, table_moves["referred_to_code_of_conduct"]
        )
        assert "confidential_note" not in records_needed(case, table_moves["follow_up"])
        with pytest.raises(ValidationFailed) as refused:
            case_transition(
                actor=built.users["mo"],
                case=case,
                to="referred_to_code_of_conduct",
                records={"breach_assessment": "Possible breach."},
            )
    assert [e.field for e in refused.value.errors] == ["records.confidential_note"]
    assert "§50(f)" in refused.value.errors[0].message


def _moves(case: Case) -> list[Any]:
    from accord.procedures.selectors import case_table

    return case_table(case).from_stage(case.stage)


# --- A subject named part-way (000 §22) -------------------------------------------------------


def _scrutiny(built: BuiltDirectory, version: ProfileVersion, subject: Any = None) -> Case:
    return case_open(
        actor=built.users["scrutiny_chair"],
        procedure="scrutiny_attendance",
        raiser=built.people["scrutiny_chair"],
        subject=subject,
        profile_version=version,
    )


def test_the_committee_cannot_fix_the_lead_member_when_it_asks(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False), pytest.raises(ValidationFailed) as refused:
        _scrutiny(built, version, subject=built.people["lead_member"])
    (error,) = refused.value.errors
    assert error.field == "subject"
    assert "§22" in error.message


def test_the_leader_names_a_lead_member_who_then_is_the_subject_and_it_is_audited(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _scrutiny(built, version)
        assert case.subject is None
        with pytest.raises(NotFound):
            case_get(built.users["lead_member"], case.public_id)
        for wrong in ("other_member", "scrutiny_chair"):
            with pytest.raises(ValidationFailed) as refused:
                case_transition(
                    actor=built.users["leader"],
                    case=case,
                    to="notice_given",
                    records={"decision_to_be_explained": "The bus decision."},
                    named=built.people[wrong],
                )
            assert [e.field for e in refused.value.errors] == ["named"]
        moved = case_transition(
            actor=built.users["leader"],
            case=case,
            to="notice_given",
            records={"decision_to_be_explained": "The bus decision."},
            named=built.people["lead_member"],
        )
    assert moved.subject_id == built.people["lead_member"].pk
    assert case_get(built.users["lead_member"], case.public_id).pk == case.pk
    (event,) = AuditEvent.objects.filter(verb="procedures.subject_named")
    assert event.data["person_id"] == built.people["lead_member"].pk
    assert event.data["role"] == "lead_member"
    assert event.data["cite"] == "22"
    assert event.data["replaced_person_id"] is None


def test_a_step_that_names_nobody_takes_no_name(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _officer_concern(built, version)
        with pytest.raises(ValidationFailed) as refused:
            case_transition(
                actor=built.users["director"],
                case=case,
                to="management_meeting",
                named=built.people["lead_member"],
            )
    assert [e.field for e in refused.value.errors] == ["named"]


# --- A reminder without content (000 §51(b)) --------------------------------------------------


def _member_concern_at_review(built: BuiltDirectory, version: ProfileVersion) -> Case:
    case = case_open(
        actor=built.users["councillor"],
        procedure="member_concern",
        raiser=built.people["councillor"],
        subject=built.people["officer"],
        profile_version=version,
    )
    case = case_transition(
        actor=built.users["manager"],
        case=case,
        to="management_reply",
        records={"reason": f"{MARKER} reason", "reply_to_member": f"{MARKER} reply"},
    )
    return case_transition(
        actor=built.users["councillor"],
        case=case,
        to="chief_executive_review",
        records={"reason": f"{MARKER} still unresolved"},
    )


def _secrets(built: BuiltDirectory, case: Case) -> list[str]:
    """What a content-free reminder must never carry: the markers, the parties' names, the
    case's id and its stage."""
    return [
        MARKER,
        built.people["councillor"].full_name,
        built.people["officer"].full_name,
        str(case.public_id),
        "Escalated to the Chief Executive",
        "member_concern",
    ]


def test_the_monitoring_officer_is_alerted_without_content_and_without_sight(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _member_concern_at_review(built, version)
    with time_machine.travel(dt.datetime(2026, 6, 16, 9, 0, tzinfo=LONDON), tick=False):
        assert timers_sweep() == 1
        assert timers_sweep() == 0
    mo = built.people["mo"]
    (alert,) = CaseAlert.objects.filter(person=mo)
    assert alert.explanation.endswith("— Protocol v2025 §51(b)")
    (email,) = Notification.objects.filter(recipient=mo)
    assert email.template == "matter_alert"
    rendered = render(email.template, email.personalisation, base_url="https://accord.test")
    assert email.personalisation["link"] == reverse("procedures:cases")
    for secret in _secrets(built, case):
        for text in (
            alert.explanation,
            rendered.subject,
            rendered.body,
            str(email.personalisation),
        ):
            assert secret not in text, secret
    # The alert gives no sight of the case, on any page or in the API.
    with pytest.raises(NotFound):
        case_get(built.users["mo"], case.public_id)
    client = _signed_in(built, "mo")
    listing = html.unescape(client.get(reverse("procedures:cases")).content.decode())
    assert "needs your attention" in listing
    assert "§51(b)" in listing
    for secret in _secrets(built, case):
        assert secret not in listing, secret
    assert client.get(reverse("procedures:case", args=[case.public_id])).status_code == 404
    api = ApiClient(token_create(actor=None, user=built.users["mo"], name="tests")[1])
    assert api.get(f"/api/v1/cases/{case.public_id}").status_code == 404
    listed = api.get("/api/v1/cases").json()
    assert listed["count"] == 0 if "count" in listed else listed["items"] == []
    for secret in _secrets(built, case):
        assert secret not in str(listed)
    # The Chief Executive, who handles it, has the ordinary reminder and no alert.
    assert not CaseAlert.objects.filter(person=built.people["chief_exec"]).exists()
    (event,) = AuditEvent.objects.filter(verb="procedures.timer_fired")
    assert event.data["alerted"] == 1


def test_a_content_free_reminder_names_no_party(council):
    text = (DATA / "example.yaml").read_text(encoding="utf-8")
    bad = edited(
        "          to: [monitoring_officer]\n",
        "          to: [monitoring_officer]\n          remind_without_content: [subject]\n",
        text,
    )
    assert "is a party to the case" in only_error(bad).message


# --- Pages and API ----------------------------------------------------------------------------


def _signed_in(built: BuiltDirectory, key: str) -> Client:
    """A browser signed in as `key`; a statutory officer has an authenticator app first."""
    user = built.users[key]
    if key in {"mo", "chief_exec", "deputy_mo", "cfo", "deputy_cfo"}:
        give_totp(user)
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, case: Case) -> str:
    response = client.get(reverse("procedures:case", args=[case.public_id]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_handlers_record_taking_part_on_the_case_page(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _officer_concern(built, version)
        case = case_transition(actor=built.users["director"], case=case, to="management_meeting")
        client = _signed_in(built, "chief_exec")
        page = _page(client, case)
        assert "Who has taken part at this stage" in page
        assert "Record that you have taken part" in page
        response = client.post(
            reverse("procedures:case", args=[case.public_id]), {"action": "engage"}
        )
        assert response.status_code == 302
        page = _page(client, case)
        assert "Record that you have taken part" not in page
        assert "Taken part" in page
        # The officer who raised it is not shown the button, and nobody is named.
        officer = _signed_in(built, "officer")
        assert "Record that you have taken part" not in _page(officer, case)
        for other in ("officer", "councillor"):
            assert built.people[other].full_name not in page
    assert CaseEngagement.objects.filter(person=built.people["chief_exec"]).count() == 1


def test_the_api_records_taking_part_and_refuses_a_move_naming_who_has_not(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _officer_concern(built, version)
        case = case_transition(actor=built.users["director"], case=case, to="management_meeting")
        api = ApiClient(token_create(actor=None, user=built.users["mo"], name="tests")[1])
        body = api.get(f"/api/v1/cases/{case.public_id}").json()
        assert body["you_may_engage"] is True
        assert [row["engaged"] for row in body["joint"]] == [False, False, False]
        response = api.post(f"/api/v1/cases/{case.public_id}/engagements")
        assert response.status_code == 201
        assert response.json()["you_may_engage"] is False
        assert api.post(f"/api/v1/cases/{case.public_id}/engagements").status_code == 400
        outsider = ApiClient(
            token_create(actor=None, user=built.users["councillor"], name="tests")[1]
        )
        assert outsider.post(f"/api/v1/cases/{case.public_id}/engagements").status_code == 404


def test_the_leader_names_the_lead_member_from_a_select_and_through_the_api(council):
    built, version = council
    with time_machine.travel(OPENED, tick=False):
        case = _scrutiny(built, version)
        client = _signed_in(built, "leader")
        page = _page(client, case)
        assert "Who is named as" in page
        lead = built.people["lead_member"]
        assert lead.full_name in page
        assert built.people["other_member"].full_name not in page
        url = reverse("procedures:case", args=[case.public_id])
        refused = client.post(
            url,
            {
                "action": "move",
                "to": "notice_given",
                "move-notice_given-decision_to_be_explained": "The bus decision.",
                "move-notice_given-named": str(built.people["other_member"].pk),
            },
        )
        assert refused.status_code == 200
        assert "from the list" in html.unescape(refused.content.decode())
        api = ApiClient(token_create(actor=None, user=built.users["leader"], name="tests")[1])
        body = api.get(f"/api/v1/cases/{case.public_id}").json()
        (action,) = [a for a in body["actions"] if a["to"] == "notice_given"]
        assert action["names_role"] == "lead_member"
        missing = api.post(
            f"/api/v1/cases/{case.public_id}/transitions",
            {"to": "notice_given", "records": {"decision_to_be_explained": "The bus decision."}},
        )
        assert missing.status_code == 400
        assert [e["field"] for e in missing.json()["errors"]] == ["named_id"]
        done = api.post(
            f"/api/v1/cases/{case.public_id}/transitions",
            {
                "to": "notice_given",
                "records": {"decision_to_be_explained": "The bus decision."},
                "named_id": lead.pk,
            },
        )
        assert done.status_code == 200
    assert Case.objects.get(pk=case.pk).subject_id == lead.pk
