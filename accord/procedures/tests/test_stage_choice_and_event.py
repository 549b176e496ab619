"""A stage's one handler chosen on entering it (004 §3.3, §3.6: any member, the relevant member
of the Corporate Management Team), a move open only once the stage's time has run out (004
§3.6), and a notice period counted back from a dated event (001 §5(c)), at service level, in
the access rules both ways, on the case pages and in the API."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import time_machine
import yaml
from django.urls import reverse

from accord.accounts.testing import give_totp
from accord.audit.models import AuditEvent
from accord.core.errors import NotFound, ValidationFailed
from accord.directory.services import council_configure
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.models import Case, CaseStage
from accord.procedures.scenarios import DirectorySpec, build_directory
from accord.procedures.selectors import case_get, case_handlers, case_viewers, visible_cases
from accord.procedures.services import case_open, case_transition
from accord.procedures.tests.example_council import ExampleCouncil
from accord.profiles.services import council_profile_set, profile_version_store
from accord.registers.services import relationship_declare

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "profiles" / "data"
LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
STATUTORY = ("chief_exec", "mo", "deputy_mo")


class Council(ExampleCouncil):
    """A shipped profile's scenario council, with both directions of who may see a case."""

    def sees(self, case: Case) -> set[str]:
        """Who may see the case, both ways: the rules resolved, and each person's own list."""
        names = {pk: key for key, pk in ((k, p.pk) for k, p in self.built.people.items())}
        resolved = {names[pk] for pk in case_viewers(case)}
        listed = {
            key
            for key, user in self.built.users.items()
            if visible_cases(user).filter(pk=case.pk).exists()
        }
        assert resolved == listed
        return listed


def _council(name: str) -> Council:
    spec = yaml.safe_load((DATA / f"{name}.scenarios.yaml").read_text(encoding="utf-8"))
    built = build_directory(DirectorySpec.model_validate(spec["directory"]))
    for key in STATUTORY:
        if key in built.users:
            give_totp(built.users[key])
    version = profile_version_store(
        actor=None, text=(DATA / f"{name}.yaml").read_text(encoding="utf-8")
    )
    council_configure(
        actor=None, name="Test Council", short_name="Test", governance="leader_and_cabinet"
    )
    council_profile_set(actor=None, profile_id=version.profile_id)
    return Council(built, version)


@pytest.fixture
def c004() -> Any:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield _council("council-004"), traveller


@pytest.fixture
def c001() -> Any:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield _council("council-001"), traveller


def _strategic(council: Council, handler: str | None = "cmt_member") -> Case:
    return case_open(
        actor=council.user("councillor"),
        procedure="strategic_enquiry",
        raiser=council.person("councillor"),
        subject=council.person("head"),
        profile_version=council.version,
        handler=council.person(handler) if handler else None,
    )


def _service(council: Council) -> Case:
    return case_open(
        actor=council.user("councillor"),
        procedure="service_enquiry",
        raiser=council.person("councillor"),
        subject=council.person("officer"),
        profile_version=council.version,
    )


# --- Choosing the one handler of a stage ------------------------------------------------------


def test_only_the_cmt_member_the_councillor_chose_handles_and_sees_the_strategic_matter(c004):
    council, _ = c004
    case = _strategic(council)

    assert case_handlers(case) == [council.person("cmt_member").pk]
    assert council.sees(case) == {"councillor", "cmt_member"}
    assert CaseStage.objects.get(case=case).chosen_handler_id == council.person("cmt_member").pk
    with pytest.raises(NotFound):
        case_get(council.user("chief_exec"), case.public_id)
    opened = AuditEvent.objects.get(verb="procedures.case_opened")
    assert opened.data["handler_chosen"] == council.person("cmt_member").pk


@pytest.mark.parametrize("who", [None, "colleague", "head", "councillor"])
def test_a_missing_or_wrong_choice_is_refused_naming_the_handler_field(c004, who):
    council, _ = c004
    with pytest.raises(ValidationFailed) as refused:
        _strategic(council, handler=who)

    assert [e.field for e in refused.value.errors] == ["handler"]
    assert "§3.3" in refused.value.errors[0].message
    assert not Case.objects.exists()


def test_a_choice_on_a_stage_that_offers_none_is_refused(c004):
    council, _ = c004
    with pytest.raises(ValidationFailed) as refused:
        case_open(
            actor=council.user("councillor"),
            procedure="service_enquiry",
            raiser=council.person("councillor"),
            subject=council.person("officer"),
            profile_version=council.version,
            handler=council.person("cmt_member"),
        )
    assert [e.field for e in refused.value.errors] == ["handler"]


def test_the_follow_up_is_open_to_the_councillor_only_once_the_week_has_run_out(c004):
    council, traveller = c004
    case = _service(council)
    # One calendar week after Monday 1 June is Monday 8 June; on that day it is not yet late.
    traveller.move_to(dt.datetime(2026, 6, 8, 17, 0, tzinfo=LONDON))
    with pytest.raises(TransitionNotAllowed) as refused:
        case_transition(
            actor=council.user("councillor"),
            case=case,
            to="cmt_follow_up",
            handler=council.person("cmt_other"),
        )
    assert "§3.6" in str(refused.value.explanation)
    assert "8 June 2026" in str(refused.value.explanation)

    traveller.move_to(dt.datetime(2026, 6, 9, 9, 0, tzinfo=LONDON))
    moved = case_transition(
        actor=council.user("councillor"),
        case=case,
        to="cmt_follow_up",
        handler=council.person("cmt_other"),
    )
    assert moved.stage == "cmt_follow_up"
    assert case_handlers(moved) == [council.person("cmt_other").pk]
    assert council.sees(moved) == {"councillor", "officer", "cmt_other"}
    moved_event = AuditEvent.objects.get(verb="procedures.case_moved")
    assert moved_event.data["handler_chosen"] == council.person("cmt_other").pk


def test_a_chosen_handler_found_conflicted_later_does_not_open_the_stage_to_the_whole_team(c004):
    council, _ = c004
    case = _strategic(council)
    relationship_declare(
        actor=None,
        person=council.person("cmt_member"),
        other=council.person("councillor"),
        nature="family",
    )
    case.refresh_from_db()

    # 004 names nobody to stand in for a Corporate Management Team member: the stage needs an
    # arrangement, and no other member of the team is given it.
    assert case_handlers(case) == []
    assert council.sees(case) == {"councillor"}
    assert CaseStage.objects.get(case=case).arrangement_needed


def test_an_escalation_still_reaches_those_it_names_beside_the_one_chosen(c004):
    council, _ = c004
    # A profile whose chosen stage escalates to the Monitoring Officer.
    text = council.version.text.replace(
        "version: 2\nsupersedes: 1\n", "version: 3\nsupersedes: 2\n"
    )
    old = (
        "        choose_handler: person\n"
        "        visible_to: [raiser, handlers]\n"
        "        timer:\n"
        "          after: enquiry_response\n"
        "          action: remind\n"
        "          to: [handlers]\n"
    )
    assert old in text
    text = text.replace(
        old,
        old.replace("action: remind", "action: escalate").replace(
            "to: [handlers]", "to: [monitoring_officer]"
        ),
        1,
    )
    version = profile_version_store(actor=None, text=text)
    case = case_open(
        actor=council.user("councillor"),
        procedure="strategic_enquiry",
        raiser=council.person("councillor"),
        subject=council.person("head"),
        profile_version=version,
        handler=council.person("cmt_other"),
    )
    from accord.procedures.services import timers_sweep

    with time_machine.travel(dt.datetime(2026, 6, 9, 9, 0, tzinfo=LONDON), tick=False):
        timers_sweep()
        assert set(case_handlers(case)) == {
            council.person("cmt_other").pk,
            council.person("mo").pk,
        }
        assert council.sees(case) == {"councillor", "cmt_other", "mo"}


# --- A notice period counted back from a dated event -----------------------------------------


def _invite(council: Council, on: dt.date | None) -> Case:
    return case_open(
        actor=council.user("chair"),
        procedure="scrutiny_attendance",
        raiser=council.person("chair"),
        subject=council.person("officer"),
        profile_version=council.version,
        event_date=on,
    )


def test_an_invitation_carries_the_meeting_date_and_gives_the_notice(c001):
    council, _ = c001
    # 10 working days after Monday 1 June: Monday 15 June.
    case = _invite(council, dt.date(2026, 6, 15))

    assert case.event_date == dt.date(2026, 6, 15)
    opened = AuditEvent.objects.get(verb="procedures.case_opened")
    assert "2026-06-15" not in str(opened.data)


@pytest.mark.parametrize(
    ("on", "says"),
    [
        (None, "Give the date of the committee meeting"),
        (dt.date(2026, 6, 12), "15 June 2026 or later"),
        (dt.date(2026, 5, 29), "15 June 2026 or later"),
    ],
)
def test_too_little_notice_or_no_date_is_refused_naming_the_field_and_paragraph(c001, on, says):
    council, _ = c001
    with pytest.raises(ValidationFailed) as refused:
        _invite(council, on)

    (error,) = refused.value.errors
    assert error.field == "event_date"
    assert says in error.message
    assert "§5(c)" in error.message
    assert not Case.objects.exists()


def test_a_date_is_refused_on_a_procedure_without_an_event(c001):
    council, _ = c001
    with pytest.raises(ValidationFailed) as refused:
        case_open(
            actor=council.user("councillor"),
            procedure="member_enquiry",
            raiser=council.person("councillor"),
            subject=council.person("officer"),
            profile_version=council.version,
            event_date=dt.date(2026, 7, 1),
        )
    assert [e.field for e in refused.value.errors] == ["event_date"]


def test_an_alternative_date_must_give_the_same_notice(c001):
    council, traveller = c001
    case = _invite(council, dt.date(2026, 6, 15))
    case = case_transition(
        actor=council.user("officer"),
        case=case,
        to="alternative_date",
        records={
            "reason": "In hospital that week.",
            "issues_to_be_raised": "The library closures.",
            "background_information_requested": "None.",
        },
    )
    traveller.move_to(dt.datetime(2026, 6, 3, 9, 0, tzinfo=LONDON))
    dem = council.user("dem_services")
    with pytest.raises(ValidationFailed) as refused:
        case_transition(actor=dem, case=case, to="notice_given")
    assert [e.field for e in refused.value.errors] == ["event_date"]
    with pytest.raises(ValidationFailed) as refused:
        case_transition(actor=dem, case=case, to="notice_given", event_date=dt.date(2026, 6, 16))
    assert "17 June 2026" in refused.value.errors[0].message
    moved = case_transition(
        actor=dem, case=case, to="notice_given", event_date=dt.date(2026, 6, 17)
    )
    assert moved.event_date == dt.date(2026, 6, 17)
    # A step that sets no date takes none.
    with pytest.raises(ValidationFailed) as refused:
        case_transition(
            actor=dem,
            case=moved,
            to="request_withdrawn",
            records={
                "reason": "Not needed.",
                "issues_to_be_raised": "x",
                "background_information_requested": "x",
            },
            event_date=dt.date(2026, 7, 1),
        )
    assert [e.field for e in refused.value.errors] == ["event_date"]


# --- Pages ------------------------------------------------------------------------------------


def test_the_case_form_asks_whom_to_go_to_and_refuses_without_a_choice(c004):
    council, _ = c004
    client = council.client("councillor")
    url = reverse("procedures:case_new")
    page = client.get(url, {"procedure": "strategic_enquiry"})
    text = page.content.decode()
    assert "Who should handle it?" in text
    assert 'name="handler"' in text

    refused = client.post(
        url, {"procedure": "strategic_enquiry", "subject": council.person("head").pk}
    )
    assert refused.status_code == 200
    assert "Choose who handles" in refused.content.decode()
    assert not Case.objects.exists()

    done = client.post(
        url,
        {
            "procedure": "strategic_enquiry",
            "subject": council.person("head").pk,
            "handler": council.person("cmt_other").pk,
        },
    )
    assert done.status_code == 302
    case = Case.objects.get()
    assert case_handlers(case) == [council.person("cmt_other").pk]


def test_the_case_page_offers_the_choice_on_the_follow_up_and_makes_it(c004):
    council, traveller = c004
    case = _service(council)
    traveller.move_to(dt.datetime(2026, 6, 9, 9, 0, tzinfo=LONDON))
    client = council.client("councillor")
    url = reverse("procedures:case", args=[case.public_id])
    text = client.get(url).content.decode()
    assert 'name="move-cmt_follow_up-handler"' in text

    refused = client.post(url, {"action": "move", "to": "cmt_follow_up"})
    assert refused.status_code == 200
    assert "Choose who handles" in refused.content.decode()

    done = client.post(
        url,
        {
            "action": "move",
            "to": "cmt_follow_up",
            "move-cmt_follow_up-handler": council.person("cmt_member").pk,
        },
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.stage == "cmt_follow_up"
    assert case_handlers(case) == [council.person("cmt_member").pk]


def test_the_invitation_form_takes_the_meeting_date_and_refuses_short_notice(c001):
    council, _ = c001
    client = council.client("chair")
    url = reverse("procedures:case_new")
    assert (
        "event_date_day" in client.get(url, {"procedure": "scrutiny_attendance"}).content.decode()
    )
    post = {"procedure": "scrutiny_attendance", "subject": council.person("officer").pk}
    refused = client.post(
        url, {**post, "event_date_day": "12", "event_date_month": "6", "event_date_year": "2026"}
    )
    assert refused.status_code == 200
    assert "15 June 2026 or later" in refused.content.decode()
    done = client.post(
        url, {**post, "event_date_day": "15", "event_date_month": "6", "event_date_year": "2026"}
    )
    assert done.status_code == 302
    case = Case.objects.get()
    assert case.event_date == dt.date(2026, 6, 15)
    assert (
        "15 June 2026"
        in client.get(reverse("procedures:case", args=[case.public_id])).content.decode()
    )


# --- API --------------------------------------------------------------------------------------


def test_the_api_takes_the_handler_and_names_the_field_when_it_is_missing(c004):
    council, traveller = c004
    api = council.api("councillor")
    body = {"procedure": "strategic_enquiry", "subject_id": council.person("head").pk}
    refused = api.post("/api/v1/cases", body)
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["handler_id"]

    made = api.post("/api/v1/cases", {**body, "handler_id": council.person("cmt_member").pk})
    assert made.status_code == 201
    case = Case.objects.get()
    assert case_handlers(case) == [council.person("cmt_member").pk]

    service = _service(council)
    traveller.move_to(dt.datetime(2026, 6, 9, 9, 0, tzinfo=LONDON))
    shown = api.get(f"/api/v1/cases/{service.public_id}").json()
    (follow_up,) = [a for a in shown["actions"] if a["to"] == "cmt_follow_up"]
    offered = {choice["id"] for choice in follow_up["handler_choices"]}
    assert council.person("cmt_other").pk in offered
    assert council.person("officer").pk not in offered
    moved = api.post(
        f"/api/v1/cases/{service.public_id}/transitions",
        {"to": "cmt_follow_up", "handler_id": council.person("cmt_other").pk},
    )
    assert moved.status_code == 200
    assert moved.json()["stage"] == "cmt_follow_up"


def test_the_api_takes_the_meeting_date_and_refuses_short_notice(c001):
    council, _ = c001
    api = council.api("chair")
    body = {"procedure": "scrutiny_attendance", "subject_id": council.person("officer").pk}
    refused = api.post("/api/v1/cases", {**body, "event_date": "2026-06-12"})
    assert refused.status_code == 400
    (error,) = refused.json()["errors"]
    assert error["field"] == "event_date"
    assert "§5(c)" in error["message"]
    made = api.post("/api/v1/cases", {**body, "event_date": "2026-06-15"})
    assert made.status_code == 201
    assert made.json()["event_date"] == "2026-06-15"


def test_the_rules_pages_say_who_chooses_the_handler_when_a_follow_up_opens_and_the_notice(
    c004,
):
    council, _ = c004
    profile_version_store(actor=None, text=(DATA / "council-001.yaml").read_text(encoding="utf-8"))
    client = council.client("councillor")
    text_004 = client.get(reverse("profiles:rules_version", args=["council-004", 2])).content
    assert "handled by one person who is" in text_004.decode()
    assert "once the stage&#x27;s time has run out" in text_004.decode()
    assert "1 week, an aim" in text_004.decode()
    text_001 = client.get(reverse("profiles:rules_version", args=["council-001", 2])).content
    assert "Each case gives the date of the committee meeting" in text_001.decode()


# --- The arithmetic, on its own ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (dt.date(2026, 12, 21), dt.date(2026, 12, 28)),  # Christmas and Boxing Day's substitute
        (dt.date(2026, 4, 2), dt.date(2026, 4, 9)),  # Good Friday and Easter Monday
        (dt.date(2026, 5, 1), dt.date(2026, 5, 8)),  # the May Day bank holiday
    ],
)
def test_a_week_is_seven_calendar_days_whatever_holidays_fall_in_it(start, due):
    from accord.procedures.deadlines import due_on
    from accord.profiles.loader import load_profile

    profile = load_profile((DATA / "council-004.yaml").read_text(encoding="utf-8"))
    assert due_on(start, profile.durations["enquiry_response"], profile) == due


@pytest.mark.parametrize(
    ("meeting", "last_day", "earliest_from_next_day"),
    [
        # Easter 2026: Good Friday 3 and Easter Monday 6 April skipped.
        (dt.date(2026, 4, 7), dt.date(2026, 3, 20), dt.date(2026, 4, 8)),
        # Christmas 2026: the 25th, the Boxing Day substitute (28th) and 1 January skipped.
        (dt.date(2027, 1, 6), dt.date(2026, 12, 18), dt.date(2027, 1, 7)),
    ],
)
def test_notice_is_counted_back_from_the_meeting_in_working_days(
    meeting, last_day, earliest_from_next_day
):
    from accord.procedures.deadlines import earliest_event, notice_by
    from accord.profiles.loader import load_profile

    profile = load_profile((DATA / "council-001.yaml").read_text(encoding="utf-8"))
    notice = profile.durations["scrutiny_notice"]
    assert notice_by(meeting, notice, profile) == last_day
    assert earliest_event(last_day, notice, profile) == meeting
    assert earliest_event(last_day + dt.timedelta(days=1), notice, profile) > meeting
    next_working = last_day + dt.timedelta(days=3 if last_day.weekday() == 4 else 1)
    assert earliest_event(next_working, notice, profile) == earliest_from_next_day
