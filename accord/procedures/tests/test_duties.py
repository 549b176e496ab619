"""Notification duties run: the people a duty names are told when its case event happens, in
the same transaction, and the case records it as done, late, or with no one to tell. Notices
and emails never carry a case's content, and a person who may not see the case learns nothing
of it."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail

from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed
from accord.notifications.models import Notification
from accord.procedures.errors import ConsentMissing
from accord.procedures.models import Case, CaseDuty, CaseNotice
from accord.procedures.selectors import notices_for
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    notices_read,
)
from accord.procedures.tests.example_council import EXAMPLE, ExampleCouncil, example_council
from accord.profiles.loader import ProfileInvalid, load_profile
from accord.profiles.services import council_profile_set, profile_version_store

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
OPENED = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
MARKER = "MARKER-7f3a-duty-content"

DUTIES = """
  - key: leader_told
    trigger: stage_entered
    procedure: officer_concern
    stage: group_leader_engagement
    tell: [subject.group_leader, monitoring_officer]
    says: The concern has been taken to the member's Group Leader.
    cite: "6.3"
  - key: line_manager_told
    trigger: case_opened
    procedure: officer_concern
    tell: [subject.line_manager]
    says: A concern has been raised about someone you manage.
    cite: "6.1"
  - key: leader_told_of_end
    trigger: outcome
    procedure: officer_concern
    outcome: resolved
    tell: [subject.group_leader]
    says: A matter under the protocol has been resolved.
    cite: "6.4"
  - key: agreement_noted
    trigger: consent_given
    procedure: officer_concern
    stage: group_leader_engagement
    tell: [monitoring_officer]
    says: The officer has agreed to the Group Leader being approached.
    cite: "6.3"
  - key: reason_noted
    trigger: record_written
    procedure: officer_concern
    record: reason
    tell: [chief_executive]
    says: A reason has been written down for how a concern was resolved.
    cite: "6.4"
  - key: before_publication
    trigger: case_opened
    procedure: officer_concern
    when: before_public
    tell: [chief_executive]
    says: A matter is to be made public.
    cite: "5.1"
"""


def _profile_text(version: int = 2) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("version: 1\n", f"version: {version}\nsupersedes: 1\n", 1)
    return text.replace("notification_duties:\n", "notification_duties:" + DUTIES, 1)


@pytest.fixture
def council() -> ExampleCouncil:
    with time_machine.travel(OPENED, tick=False):
        built = example_council()
        built.version = profile_version_store(actor=None, text=_profile_text())
        council_profile_set(actor=None, profile_id=built.version.profile_id)
    return built


def _open(council: ExampleCouncil, *, public_on: dt.date | None = None) -> Case:
    return case_open(
        actor=council.user("officer"),
        procedure="officer_concern",
        raiser=council.person("officer"),
        subject=council.person("councillor"),
        profile_version=council.version,
        public_on=public_on,
    )


def _duty(case: Case, key: str) -> CaseDuty:
    return CaseDuty.objects.filter(case=case, duty=key).latest("at", "pk")


def _told(duty: CaseDuty) -> set[int]:
    return set(CaseNotice.objects.filter(duty=duty).values_list("person_id", flat=True))


def test_the_profile_format_says_what_sets_a_duty_off() -> None:
    profile = load_profile(_profile_text())
    keys = {d.key: d for d in profile.notification_duties}
    assert keys["leader_told"].on_case
    assert not keys["local_event"].on_case


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ("    stage: group_leader_engagement\n", "stage", "names the stage"),
        ("    says: The concern has been taken to the member's Group Leader.\n", "says", "says"),
        ("    procedure: officer_concern\n", "procedure", "names the procedure it watches"),
    ],
)
def test_a_case_duty_missing_what_it_needs_is_refused_naming_the_field(
    change: str, path: str, words: str
) -> None:
    text = _profile_text().replace(change, "", 1)
    with pytest.raises(ProfileInvalid) as refused:
        load_profile(text)
    assert any(
        e.path == f"notification_duties[0].{path}" and words in e.message
        for e in refused.value.errors
    ), refused.value.errors


def test_an_audience_found_by_place_cannot_be_told_about_a_case() -> None:
    text = _profile_text().replace(
        "tell: [subject.group_leader, monitoring_officer]", "tell: [division_members]", 1
    )
    with pytest.raises(ProfileInvalid) as refused:
        load_profile(text)
    assert any("a case has no place" in e.message for e in refused.value.errors)


def test_deferring_to_a_capability_that_exists_is_refused() -> None:
    text = _profile_text().replace(
        '    when: before_public\n    cite: "5.1"',
        '    when: before_public\n    deferred_to: concerns\n    cite: "5.1"',
        1,
    )
    with pytest.raises(ProfileInvalid) as refused:
        load_profile(text)
    assert any("exists now" in e.message for e in refused.value.errors)


def test_entering_a_stage_tells_the_people_the_duty_names_in_the_same_transaction(
    council: ExampleCouncil,
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)
        consent_give(actor=council.user("officer"), case=case, to="group_leader_engagement")
        case_transition(actor=council.user("mo"), case=case, to="group_leader_engagement")
    duty = _duty(case, "leader_told")
    # The Monitoring Officer made the move, so knows: counted as told, sent nothing.
    assert duty.status == CaseDuty.Status.DONE
    assert duty.told == 2
    assert _told(duty) == {council.person("blue_leader").pk}
    assert duty.cite == "6.3"
    assert duty.at == OPENED
    email = Notification.objects.get(key=f"duty:{duty.pk}:{council.person('blue_leader').pk}")
    assert email.template == "duty_notice"
    assert email.personalisation["link"] == f"/cases/{case.public_id}/"
    audited = AuditEvent.objects.filter(verb="procedures.duty_done", data__duty=duty.duty)
    assert audited.count() == 1


def test_a_duty_whose_recipients_name_nobody_is_recorded_as_no_one_to_tell(
    council: ExampleCouncil,
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)  # a member has no line manager
    duty = _duty(case, "line_manager_told")
    assert duty.status == CaseDuty.Status.NO_ONE
    assert duty.told == 0
    assert "No one to tell" in duty.says
    assert not CaseNotice.objects.filter(duty=duty).exists()


def test_a_duty_before_the_matter_is_public_done_on_or_after_that_day_is_late(
    council: ExampleCouncil,
) -> None:
    with time_machine.travel(OPENED, tick=False):
        on_time = _open(council, public_on=OPENED.date() + dt.timedelta(days=1))
        late = _open(council, public_on=OPENED.date())
        unknown = _open(council)
    assert _duty(on_time, "before_publication").status == CaseDuty.Status.DONE
    assert _duty(late, "before_publication").status == CaseDuty.Status.LATE
    assert _duty(late, "before_publication").due_before == OPENED.date()
    assert _duty(unknown, "before_publication").status == CaseDuty.Status.DONE
    # Only a duty due before publication can be late.
    assert _duty(late, "line_manager_told").status == CaseDuty.Status.NO_ONE


def test_consent_outcome_and_record_events_set_their_duties_off(council: ExampleCouncil) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)
        consent_give(actor=council.user("officer"), case=case, to="group_leader_engagement")
        assert _told(_duty(case, "agreement_noted")) == {council.person("mo").pk}
        case_transition(
            actor=council.user("mo"), case=case, to="resolved", records={"reason": MARKER}
        )
    assert _told(_duty(case, "reason_noted")) == {council.person("chief_exec").pk}
    assert _told(_duty(case, "leader_told_of_end")) == {council.person("blue_leader").pk}


def test_a_refused_move_tells_no_one(council: ExampleCouncil) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)
        before = CaseDuty.objects.count(), Notification.objects.count()
        with pytest.raises(ConsentMissing):
            case_transition(actor=council.user("mo"), case=case, to="group_leader_engagement")
    assert (CaseDuty.objects.count(), Notification.objects.count()) == before


def test_a_failure_while_telling_undoes_the_move(
    council: ExampleCouncil, monkeypatch: pytest.MonkeyPatch
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)
        consent_give(actor=council.user("officer"), case=case, to="group_leader_engagement")

        def broken(**_: object) -> None:
            raise RuntimeError("outbox unavailable")

        monkeypatch.setattr("accord.notifications.services.notify", broken)
        with pytest.raises(RuntimeError):
            case_transition(actor=council.user("mo"), case=case, to="group_leader_engagement")
    case.refresh_from_db()
    assert case.stage == "discussion"
    assert not CaseDuty.objects.filter(case=case, duty="leader_told").exists()


def test_someone_told_who_may_not_see_the_case_learns_nothing_of_it(
    council: ExampleCouncil, client: object
) -> None:
    """The Group Leader is told the concern was resolved, but resolved from the first stage the
    case was never theirs to see: the notice and email carry the duty's words alone."""
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)
        case_transition(
            actor=council.user("mo"), case=case, to="resolved", records={"reason": MARKER}
        )
    leader = council.user("blue_leader")
    notice = CaseNotice.objects.get(person=council.person("blue_leader"))
    assert notice.with_content is False
    email = Notification.objects.get(recipient=council.person("blue_leader"))
    assert email.personalisation["link"] == "/cases/notices/"
    shown = council.client("blue_leader").get("/cases/notices/").content.decode()
    assert "A matter under the protocol has been resolved" in shown
    api = council.api("blue_leader").get("/api/v1/cases/notices")
    for text in (shown, api.content.decode(), str(email.personalisation)):
        assert MARKER not in text
        assert str(case.public_id) not in text
        for name in ("Quillfeather", "Wolstenholme"):
            assert name not in text
    assert api.json()["items"][0]["link"] is None
    assert getattr(notices_for(leader).get(), "can_open") is False  # noqa: B009


def test_emails_from_duties_carry_no_content_even_to_those_who_may_see_the_case(
    council: ExampleCouncil, fake_gateway: object
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)
        consent_give(actor=council.user("officer"), case=case, to="group_leader_engagement")
        case_transition(actor=council.user("mo"), case=case, to="group_leader_engagement")
        case_transition(
            actor=council.user("mo"), case=case, to="resolved", records={"reason": MARKER}
        )
    rows = Notification.objects.filter(template="duty_notice")
    assert rows.count() >= 3
    for row in rows:
        text = str(row.personalisation)
        for hidden in (MARKER, "Wolstenholme", "Quillfeather"):
            assert hidden not in text
    for message in mail.outbox:
        assert MARKER not in message.body


def test_the_case_page_shows_its_handlers_who_was_told_and_no_one_else(
    council: ExampleCouncil,
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council)
    path = f"/cases/{case.public_id}/"
    handler = council.client("mo").get(path).content.decode()
    assert "Who has been told" in handler
    assert "No one to tell" in handler
    raiser = council.client("officer").get(path).content.decode()
    assert "Who has been told" not in raiser
    api = council.api("mo").get(f"/api/v1/cases/{case.public_id}").json()
    assert {d["duty"] for d in api["duties"]} == {"line_manager_told", "before_publication"}
    assert council.api("officer").get(f"/api/v1/cases/{case.public_id}").json()["duties"] == []


def test_reading_notices_marks_them_read(council: ExampleCouncil) -> None:
    with time_machine.travel(OPENED, tick=False):
        _open(council)
        chief = council.user("chief_exec")
        assert notices_for(chief).filter(read_at__isnull=True).count() == 1
        listed = council.client("chief_exec").get("/cases/").content.decode()
        assert "1 new notice" in listed
        page = council.client("chief_exec").get("/cases/notices/").content.decode()
        assert "A matter is to be made public" in page
        assert notices_read(actor=chief) == 0
    assert notices_for(chief).filter(read_at__isnull=True).count() == 0


def test_a_person_without_notices_sees_none_and_cannot_read_anothers(
    council: ExampleCouncil,
) -> None:
    with time_machine.travel(OPENED, tick=False):
        _open(council)
    assert council.api("councillor").get("/api/v1/cases/notices").json()["items"] == []
    marked = council.api("chief_exec").post("/api/v1/cases/notices/read").json()
    assert marked == {"marked": 1}
    assert (
        "You have no notices"
        in council.client("councillor").get("/cases/notices/").content.decode()
    )


def test_a_scenario_that_expects_the_wrong_people_told_fails_naming_them() -> None:
    from accord.procedures.scenarios import ScenarioFile, run_scenarios

    text = EXAMPLE.read_text(encoding="utf-8")
    scenarios = ScenarioFile.model_validate(
        {
            "directory": {
                "groups": ["blue"],
                "people": {
                    "mo": {"kind": "officer", "roles": ["monitoring_officer"]},
                    "officer": {"kind": "officer"},
                    "councillor": {"kind": "member", "group": "blue"},
                    "leader": {"kind": "member", "group": "blue", "roles": ["group_leader"]},
                },
            },
            "scenarios": [
                {
                    "name": "wrong",
                    "procedure": "officer_concern",
                    "raiser": "officer",
                    "subject": "councillor",
                    "opened_on": "2026-06-01",
                    "steps": [
                        {"consent": {"by": "officer", "to": "group_leader_engagement"}},
                        {"act": {"by": "mo", "to": "group_leader_engagement"}},
                        {
                            "expect": {
                                "notified": {"group_leader_told": ["mo"]},
                                "no_one_to_tell": ["group_leader_told"],
                                "late": ["group_leader_told"],
                            }
                        },
                    ],
                }
            ],
        }
    )
    (result,) = run_scenarios(text, scenarios)
    assert result.failures == [
        "step 3: expected group_leader_told to tell ['mo'], it told ['leader']",
        "step 3: expected late ['group_leader_told'], got []",
        "step 3: expected no_one_to_tell ['group_leader_told'], got []",
    ]


def test_the_day_it_is_made_public_is_asked_only_where_a_duty_is_due_before_it(
    council: ExampleCouncil,
) -> None:
    with time_machine.travel(OPENED, tick=False):
        page = (
            council.client("officer")
            .get("/cases/new/", {"procedure": "officer_concern"})
            .content.decode()
        )
        assert "When will it be made public, if you know?" in page
        api = council.api("officer")
        subject = council.person("councillor").pk
        past = api.post(
            "/api/v1/cases",
            {"procedure": "officer_concern", "subject_id": subject, "public_on": "2026-05-31"},
        )
        assert past.status_code == 400
        assert past.json()["errors"] == [
            {"field": "public_on", "message": "The day it is made public cannot be in the past."}
        ]
        made = api.post(
            "/api/v1/cases",
            {"procedure": "officer_concern", "subject_id": subject, "public_on": "2026-06-01"},
        )
        assert made.status_code == 201
    case = Case.objects.get(public_id=made.json()["id"])
    assert case.public_on == OPENED.date()
    assert _duty(case, "before_publication").status == CaseDuty.Status.LATE


def test_a_day_made_public_is_refused_for_a_procedure_without_one() -> None:
    from accord.procedures.tests.example_council import example_council as plain

    with time_machine.travel(OPENED, tick=False):
        council = plain()
        with pytest.raises(ValidationFailed) as refused:
            _open(council, public_on=OPENED.date())
    assert refused.value.errors[0].field == "public_on"
