"""The procedure engine at service level: history, constraints, versions, races and timers."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.db import IntegrityError, transaction

from accord.audit.models import AuditEvent
from accord.core.errors import NotFound, ValidationFailed
from accord.procedures.errors import ConsentMissing, TransitionNotAllowed
from accord.procedures.models import (
    Case,
    CaseReminder,
    CaseStage,
    CaseTimer,
    CaseTransition,
)
from accord.procedures.scenarios import BuiltDirectory, DirectorySpec, build_directory
from accord.procedures.selectors import case_actions, case_get, case_timer, visible_cases
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    timer_fire,
    timers_sweep,
)
from accord.profiles.explain import citation
from accord.profiles.loader import load_profile
from accord.profiles.models import ProfileVersion
from accord.profiles.services import profile_version_store

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "profiles" / "data"
LONDON = zoneinfo.ZoneInfo("Europe/London")
OPENED = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)

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


def _example_text(**changes: str) -> str:
    text = (DATA / "example.yaml").read_text(encoding="utf-8")
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
    return profile_version_store(actor=None, text=_example_text())


def _open(council: BuiltDirectory, version: ProfileVersion) -> Case:
    return case_open(
        actor=council.users["officer"],
        procedure="officer_concern",
        raiser=council.people["officer"],
        subject=council.people["councillor"],
        profile_version=version,
    )


@time_machine.travel(OPENED, tick=False)
def test_opening_writes_the_first_history_row_with_its_citation_and_version(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    (row,) = CaseTransition.objects.filter(case=case)
    assert (row.from_stage, row.to, row.cite) == ("", "discussion", "6")
    assert row.actor_id == council.people["officer"].pk
    assert row.profile_version_id == version.pk
    assert row.at == OPENED
    assert row.explanation.endswith("— Protocol v2026 §6")
    assert AuditEvent.objects.filter(verb="procedures.case_opened").count() == 1


@time_machine.travel(OPENED, tick=False)
def test_each_transition_is_stamped_with_actor_time_citation_and_profile_version(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    consent_give(actor=council.users["officer"], case=case, to="group_leader_engagement")
    case_transition(actor=council.users["mo"], case=case, to="group_leader_engagement")
    row = CaseTransition.objects.filter(case=case).last()
    assert row is not None
    assert (row.from_stage, row.to, row.cite) == ("discussion", "group_leader_engagement", "6.3")
    assert row.actor_id == council.people["mo"].pk
    assert row.profile_version_id == version.pk
    event = AuditEvent.objects.filter(verb="procedures.case_moved").get()
    assert event.data["cite"] == "6.3"
    assert event.data["consent_used"] is True


@time_machine.travel(OPENED, tick=False)
def test_the_database_allows_only_one_open_stage_per_case(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseStage.objects.create(case=case, stage="group_leader_engagement", entered_at=OPENED)


@time_machine.travel(OPENED, tick=False)
def test_records_are_kept_with_the_move_but_never_copied_into_the_audit_trail(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    case_transition(
        actor=council.users["director"],
        case=case,
        to="resolved",
        records={"reason": "MARKER-confidential-reason"},
    )
    assert CaseTransition.objects.filter(case=case).last().records == {  # type: ignore[union-attr]
        "reason": "MARKER-confidential-reason"
    }
    event = AuditEvent.objects.filter(verb="procedures.case_closed").get()
    assert "MARKER" not in str(event.data)
    assert event.data["records"] == ["reason"]


@time_machine.travel(OPENED, tick=False)
def test_a_missing_record_is_refused_naming_the_field_and_nothing_is_written(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    with pytest.raises(ValidationFailed) as refused:
        case_transition(actor=council.users["director"], case=case, to="resolved", records={})
    assert [e.field for e in refused.value.errors] == ["records.reason"]
    assert "Protocol v2026 §6.1" in refused.value.errors[0].message
    case.refresh_from_db()
    assert case.stage == "discussion"
    assert CaseTransition.objects.filter(case=case).count() == 1


@time_machine.travel(OPENED, tick=False)
def test_an_unknown_record_is_refused_rather_than_stored(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    with pytest.raises(ValidationFailed) as refused:
        case_transition(
            actor=council.users["director"],
            case=case,
            to="resolved",
            records={"reason": "done", "gossip": "x"},
        )
    assert [e.field for e in refused.value.errors] == ["records.gossip"]


@time_machine.travel(OPENED, tick=False)
def test_a_move_made_from_a_stale_copy_of_the_case_is_refused(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    stale = Case.objects.get(pk=case.pk)
    case_transition(
        actor=council.users["director"], case=case, to="resolved", records={"reason": "a"}
    )
    # The stale copy still says "discussion"; the engine reads the case afresh and refuses.
    with pytest.raises(TransitionNotAllowed) as refused:
        case_transition(
            actor=council.users["mo"], case=stale, to="resolved", records={"reason": "b"}
        )
    assert "has ended" in str(refused.value.explanation)
    assert CaseTransition.objects.filter(case=case).count() == 2


@time_machine.travel(OPENED, tick=False)
def test_a_refusal_explains_itself_with_its_citation(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    with pytest.raises(ConsentMissing) as refused:
        case_transition(actor=council.users["mo"], case=case, to="group_leader_engagement")
    explanation = refused.value.explanation
    assert explanation.cite == "6.3"
    assert str(explanation) == (
        "This step can be taken only with the agreement of the person who raised it to the "
        "concern being raised with the member's Group Leader — Protocol v2026 §6.3"
    )
    assert refused.value.status_code == 409
    assert explanation.as_dict()["profile_version"] == 1


def test_citations_name_the_annex_part_before_the_paragraph() -> None:
    profile = load_profile(_example_text())
    assert citation(profile, "50(c)") == "Protocol v2026 §50(c)"
    assert citation(profile, "SO 4.3") == "Protocol v2026 SO §4.3"
    assert citation(profile, "App B 8.2") == "Protocol v2026 App B §8.2"


@time_machine.travel(OPENED, tick=False)
def test_a_person_who_cannot_see_a_case_cannot_act_on_it_either(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    for outsider in ("councillor", "blue_leader", "chief_exec"):
        with pytest.raises(NotFound):
            case_transition(actor=council.users[outsider], case=case, to="resolved")
        with pytest.raises(NotFound):
            case_get(council.users[outsider], case.public_id)
    assert not visible_cases(council.users["councillor"]).exists()


@time_machine.travel(OPENED, tick=False)
def test_actions_list_only_the_moves_the_reader_may_make(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version)
    director = {a.to: a for a in case_actions(council.users["director"], case)}
    mo = {a.to: a for a in case_actions(council.users["mo"], case)}
    assert set(director) == {"resolved"}
    assert set(mo) == {"resolved", "group_leader_engagement"}
    gated = mo["group_leader_engagement"]
    assert gated.consent is not None
    assert not gated.consent_given
    assert director["resolved"].requires_records == ["reason"]
    assert case_actions(council.users["officer"], case) == []


def test_a_case_runs_to_its_end_under_the_version_it_opened_under(
    council: BuiltDirectory,
) -> None:
    with time_machine.travel(OPENED, tick=False):
        first = profile_version_store(actor=None, text=_example_text())
        old_case = case_open(
            actor=council.users["officer"],
            procedure="officer_concern",
            raiser=council.people["officer"],
            subject=council.people["councillor"],
            profile_id="example",
        )
    # Version 2, in force from July, lets only the Monitoring Officer resolve and needs a note.
    second_text = _example_text(
        **{
            "version: 1\n": "version: 2\nsupersedes: 1\n",
            "in_force_from: 2026-04-01": "in_force_from: 2026-07-01",
            '        by: [raiser.director, monitoring_officer]\n        cite: "6.4"\n'
            "        requires_records: [reason]": "        by: [monitoring_officer]\n"
            '        cite: "6.4"\n        requires_records: [reason, confidential_note]',
        }
    )
    with time_machine.travel(dt.datetime(2026, 7, 6, 9, 0, tzinfo=LONDON), tick=False):
        second = profile_version_store(actor=None, text=second_text)
        new_case = case_open(
            actor=council.users["officer"],
            procedure="officer_concern",
            raiser=council.people["officer"],
            subject=council.people["councillor"],
            profile_id="example",
        )
        assert old_case.profile_version_id == first.pk
        assert new_case.profile_version_id == second.pk
        # The old case still follows version 1: the Director may resolve it with a reason.
        case_transition(
            actor=council.users["director"], case=old_case, to="resolved", records={"reason": "a"}
        )
        with pytest.raises(TransitionNotAllowed):
            case_transition(
                actor=council.users["director"],
                case=new_case,
                to="resolved",
                records={"reason": "a"},
            )
        with pytest.raises(ValidationFailed) as refused:
            case_transition(
                actor=council.users["mo"], case=new_case, to="resolved", records={"reason": "a"}
            )
        assert [e.field for e in refused.value.errors] == ["records.confidential_note"]
    old_case.refresh_from_db()
    assert old_case.outcome == "resolved"
    last = CaseTransition.objects.filter(case=old_case).last()
    assert last is not None
    assert last.profile_version_id == first.pk


# --- Timers --------------------------------------------------------------------------------


def test_a_timer_fires_once_however_often_it_is_asked_to(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council, version)
    timer = case_timer(case)
    assert timer is not None
    assert timer.due_on == dt.date(2026, 6, 8)
    with time_machine.travel(dt.datetime(2026, 6, 8, 23, 0, tzinfo=LONDON), tick=False):
        assert timer_fire(timer_id=timer.pk) is False  # due today: not overdue yet
    with time_machine.travel(dt.datetime(2026, 6, 9, 0, 5, tzinfo=LONDON), tick=False):
        assert timer_fire(timer_id=timer.pk) is True
        assert timer_fire(timer_id=timer.pk) is False
        assert timers_sweep() == 0
    reminders = CaseReminder.objects.filter(case=case)
    assert [r.person_id for r in reminders] == [council.people["mo"].pk]
    assert reminders[0].explanation.endswith("— Protocol v2026 §6.2")
    assert "was due by 8 June 2026" in reminders[0].explanation
    assert AuditEvent.objects.filter(verb="procedures.timer_fired").count() == 1


def test_the_sweep_fires_timers_whose_queued_task_was_lost(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(OPENED, tick=False), transaction.atomic():
        case = _open(council, version)
    # As if the worker's queue had been wiped while it was down.
    DBTaskResult.objects.all().delete()
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=LONDON), tick=False):
        assert timers_sweep() == 1
        assert timers_sweep() == 0
    assert CaseReminder.objects.filter(case=case).count() == 1


def test_leaving_a_stage_cancels_its_timer(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council, version)
        timer = case_timer(case)
        assert timer is not None
        case_transition(
            actor=council.users["director"], case=case, to="resolved", records={"reason": "a"}
        )
    with time_machine.travel(dt.datetime(2026, 6, 20, 10, 0, tzinfo=LONDON), tick=False):
        assert timers_sweep() == 0
    timer.refresh_from_db()
    assert timer.cancelled_at is not None
    assert timer.fired_at is None


def test_a_timer_is_queued_on_the_worker_to_run_after_its_due_day(
    council: BuiltDirectory, version: ProfileVersion, django_capture_on_commit_callbacks: object
) -> None:
    from django_tasks_db.models import DBTaskResult

    with (
        time_machine.travel(OPENED, tick=False),
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        case = _open(council, version)
    timer = CaseTimer.objects.get(case=case)
    queued = DBTaskResult.objects.get(task_path="accord.procedures.tasks.fire_timer")
    assert queued.args_kwargs["args"] == [timer.pk]
    assert queued.run_after.astimezone(LONDON) == dt.datetime(2026, 6, 9, 0, 1, tzinfo=LONDON)


@time_machine.travel(OPENED, tick=False)
def test_the_visibility_filter_does_not_grow_with_the_number_of_cases(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    _open(council, version)
    one = str(visible_cases(council.users["mo"]).query)
    for _ in range(5):
        _open(council, version)
    assert str(visible_cases(council.users["mo"]).query) == one


@time_machine.travel(OPENED, tick=False)
def test_a_stage_record_written_on_the_way_in_need_not_be_written_again(
    council: BuiltDirectory,
) -> None:
    text = _example_text(
        **{
            "        visible_to: [raiser, handlers, subject.group_leader]\n": (
                "        visible_to: [raiser, handlers, subject.group_leader]\n"
                "        requires_records: [summary]\n"
            ),
            "        consent:\n          from: raiser\n": (
                "        requires_records: [summary]\n        consent:\n          from: raiser\n"
            ),
        }
    )
    version = profile_version_store(actor=None, text=text)
    case = _open(council, version)
    consent_give(actor=council.users["officer"], case=case, to="group_leader_engagement")
    case = case_transition(
        actor=council.users["mo"],
        case=case,
        to="group_leader_engagement",
        records={"summary": "What the officer agreed to share."},
    )
    (action,) = case_actions(council.users["mo"], case)
    assert action.requires_records == ["reason"]
    case_transition(actor=council.users["mo"], case=case, to="resolved", records={"reason": "a"})


@time_machine.travel(OPENED, tick=False)
def test_keeping_someone_off_a_case_is_audited_without_saying_why(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    from accord.procedures.services import involvement_record

    case = _open(council, version)
    involvement_record(
        actor=council.users["director"],
        case=case,
        person=council.people["mo"],
        note="MARKER-advised-earlier",
    )
    kept_off = AuditEvent.objects.get(verb="procedures.person_kept_off")
    assert kept_off.data == {"person_id": council.people["mo"].pk}
    assert not any("MARKER" in str(event.data) for event in AuditEvent.objects.all())
