"""The engine's newer rules at service level: a first stage whose handler the raiser chooses, an
escalation bringing the Monitoring Officer in, reopening a case on a later report, retention in
calendar months, and the profile checks that keep each of those rules well formed."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import time_machine

from accord.audit.models import AuditEvent
from accord.core.errors import NotFound, ValidationFailed
from accord.core.working_days import add_months
from accord.procedures.errors import TransitionNotAllowed
from accord.procedures.models import Case, CaseEscalation, CaseReminder, CaseStage, CaseTimer
from accord.procedures.retention import expiry_of
from accord.procedures.scenarios import BuiltDirectory, DirectorySpec, build_directory
from accord.procedures.selectors import (
    case_actions,
    case_get,
    case_handlers,
    case_viewers,
    visible_cases,
)
from accord.procedures.services import (
    case_open,
    case_reopen,
    case_transition,
    timers_sweep,
)
from accord.profiles.models import ProfileVersion
from accord.profiles.services import profile_version_store
from accord.profiles.tests.helpers import edited, errors_of, only_error

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "profiles" / "data"
LONDON = zoneinfo.ZoneInfo("Europe/London")
OPENED = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)  # a Monday

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

# The example profile, with the officer choosing whom to go to first, the reminder turned into
# an escalation to the Monitoring Officer, a later report that reopens the case with them, and
# an ended case kept for 18 months.
CHANGES = (
    (
        "        handlers: [raiser.director, monitoring_officer]\n",
        "        handlers: [raiser.director, monitoring_officer]\n        choose_handler: true\n",
    ),
    ("          action: remind\n", "          action: escalate\n"),
    (
        "durations:\n",
        'durations:\n  concern_retention:\n    amount: 18\n    unit: months\n    cite: "6.4"\n',
    ),
    (
        '        title: Resolved, with a note of what was done\n        cite: "6.4"\n',
        '        title: Resolved, with a note of what was done\n        cite: "6.4"\n'
        "        retain_for: concern_retention\n"
        "    reopen:\n"
        "      to: retaliation_review\n"
        "      by: [raiser, monitoring_officer]\n"
        "      about: pressure on the officer for raising it\n"
        '      cite: "6.5"\n'
        "    shown_to_raiser: [reason]\n",
    ),
    (
        "        visible_to: [raiser, handlers, subject.group_leader]\n",
        "        visible_to: [raiser, handlers, subject.group_leader]\n"
        "      - key: retaliation_review\n"
        "        title: A report of pressure considered by the Monitoring Officer\n"
        '        cite: "6.5"\n'
        "        handlers: [monitoring_officer]\n"
        "        visible_to: [raiser, handlers]\n"
        "        timer:\n"
        "          after: concern_reminder\n"
        "          action: remind\n"
        "          to: [monitoring_officer]\n"
        '          cite: "6.5"\n',
    ),
    (
        "    transitions:\n",
        "    transitions:\n"
        "      - from: retaliation_review\n"
        "        to: resolved\n"
        "        by: [monitoring_officer]\n"
        '        cite: "6.5"\n'
        "        requires_records: [reason]\n",
    ),
)


def _text(*extra: tuple[str, str]) -> str:
    text = (DATA / "example.yaml").read_text(encoding="utf-8")
    for old, new in (*CHANGES, *extra):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def council() -> BuiltDirectory:
    with time_machine.travel(OPENED, tick=False):
        return build_directory(DIRECTORY)


@pytest.fixture
def version(council: BuiltDirectory) -> ProfileVersion:
    return profile_version_store(actor=None, text=_text())


def _open(council: BuiltDirectory, version: ProfileVersion, choice: str) -> Case:
    return case_open(
        actor=council.users["officer"],
        procedure="officer_concern",
        raiser=council.people["officer"],
        subject=council.people["councillor"],
        profile_version=version,
        handler_choice=choice,
    )


def _sees(council: BuiltDirectory, key: str, case: Case) -> bool:
    return visible_cases(council.users[key]).filter(pk=case.pk).exists()


def _who_sees(council: BuiltDirectory, case: Case) -> set[str]:
    """Who the case filter shows it to, checked person by person against the rules."""
    case.refresh_from_db()
    viewers = case_viewers(case)
    found = set()
    for key, person in council.people.items():
        listed = _sees(council, key, case)
        assert listed == (person.pk in viewers), key
        if listed:
            found.add(key)
    assert set(case_handlers(case)) <= viewers
    return found


def _names(council: BuiltDirectory, ids: list[int]) -> set[str]:
    return {council.names[i] for i in ids}


# --- Choosing the first handler -------------------------------------------------------------


@time_machine.travel(OPENED, tick=False)
def test_a_choice_the_first_stage_does_not_offer_is_refused_naming_handler_choice(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    for bad in ("chief_executive", "raiser", "nobody"):
        with pytest.raises(ValidationFailed) as refused:
            _open(council, version, bad)
        assert [e.field for e in refused.value.errors] == ["handler_choice"]
        assert "Choose one of" in refused.value.errors[0].message
    assert not Case.objects.exists()


@time_machine.travel(OPENED, tick=False)
def test_a_procedure_without_a_choice_refuses_one(council: BuiltDirectory) -> None:
    plain = profile_version_store(
        actor=None, text=(DATA / "example.yaml").read_text(encoding="utf-8")
    )
    with pytest.raises(ValidationFailed) as refused:
        _open(council, plain, "monitoring_officer")
    assert [e.field for e in refused.value.errors] == ["handler_choice"]


@time_machine.travel(OPENED, tick=False)
def test_without_a_choice_every_handler_takes_the_first_stage(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version, "")
    assert _names(council, case_handlers(case)) == {"director", "mo"}
    assert _who_sees(council, case) == {"officer", "director", "mo"}


@time_machine.travel(OPENED, tick=False)
def test_only_the_chosen_handler_sees_and_acts_and_the_passed_over_one_is_refused(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version, "raiser.director")
    assert case.handler_choice == "raiser.director"
    assert _names(council, case_handlers(case)) == {"director"}
    assert _who_sees(council, case) == {"officer", "director"}
    mo = council.users["mo"]
    assert case_actions(mo, case) == []
    # The Monitoring Officer was passed over: the case does not exist for them.
    with pytest.raises(NotFound):
        case_get(mo, case.public_id)
    with pytest.raises(NotFound):
        case_transition(actor=mo, case=case, to="resolved", records={"reason": "x"})
    director = council.users["director"]
    assert [a.to for a in case_actions(director, case)] == ["resolved"]
    case_transition(actor=director, case=case, to="resolved", records={"reason": "Settled."})
    case.refresh_from_db()
    assert case.outcome == "resolved"
    assert _who_sees(council, case) == {"officer", "director"}


def test_a_passed_over_handler_who_may_still_see_the_case_cannot_act_on_it(
    council: BuiltDirectory,
) -> None:
    # Here the Monitoring Officer is told of every concern at the first stage, whoever takes it.
    text = _text(
        (
            "        choose_handler: true\n        visible_to: [raiser, handlers]\n",
            "        choose_handler: true\n"
            "        visible_to: [raiser, handlers, monitoring_officer]\n",
        )
    )
    with time_machine.travel(OPENED, tick=False):
        version = profile_version_store(actor=None, text=text)
        case = _open(council, version, "raiser.director")
        mo = council.users["mo"]
        assert _who_sees(council, case) == {"officer", "director", "mo"}
        assert _names(council, case_handlers(case)) == {"director"}
        assert case_actions(mo, case) == []
        with pytest.raises(TransitionNotAllowed):
            case_transition(actor=mo, case=case, to="resolved", records={"reason": "x"})
        # Nor may they take the gated step that is theirs alone at the stage.
        with pytest.raises(TransitionNotAllowed):
            case_transition(actor=mo, case=case, to="group_leader_engagement")
        case.refresh_from_db()
        assert case.stage == "discussion"


def test_the_escalation_timer_brings_in_the_monitoring_officer_the_officer_passed_over(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    with time_machine.travel(OPENED, tick=False):
        case = _open(council, version, "raiser.director")
    timer = CaseTimer.objects.get(case=case)
    assert (timer.action, timer.due_on) == ("escalate", dt.date(2026, 6, 8))
    # On the due day itself nothing happens.
    with time_machine.travel(dt.datetime(2026, 6, 8, 23, 0, tzinfo=LONDON), tick=False):
        assert timers_sweep() == 0
        assert _who_sees(council, case) == {"officer", "director"}
    with time_machine.travel(dt.datetime(2026, 6, 9, 0, 5, tzinfo=LONDON), tick=False):
        assert timers_sweep() == 1
        assert timers_sweep() == 0
        escalation = CaseEscalation.objects.get(case=case)
        assert (escalation.expression, escalation.cite) == ("monitoring_officer", "6.2")
        assert _names(council, case_handlers(case)) == {"director", "mo"}
        assert _who_sees(council, case) == {"officer", "director", "mo"}
        assert set(CaseReminder.objects.filter(case=case).values_list("person_id", flat=True)) == {
            council.people["mo"].pk
        }
        assert AuditEvent.objects.filter(
            verb="procedures.timer_fired", target_id=str(case.pk)
        ).exists()
        mo = council.users["mo"]
        assert "resolved" in [a.to for a in case_actions(mo, case)]
        case_transition(actor=mo, case=case, to="resolved", records={"reason": "Taken up."})
        case.refresh_from_db()
        assert case.outcome == "resolved"


def test_a_relationship_declared_after_an_escalation_hands_the_escalated_person_over(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    from accord.registers.services import relationship_declare

    with time_machine.travel(OPENED, tick=False):
        case = _open(council, version, "raiser.director")
    with time_machine.travel(dt.datetime(2026, 6, 9, 9, 0, tzinfo=LONDON), tick=False):
        timers_sweep()
        assert "mo" in _who_sees(council, case)
        relationship_declare(
            actor=None,
            person=council.people["mo"],
            other=council.people["councillor"],
            nature="friend",
        )
        # Kept off at once, not only when they next try to act; the profile's alternate for
        # the Monitoring Officer takes their place.
        assert _who_sees(council, case) == {"officer", "director", "chief_exec"}
        assert _names(council, case_handlers(case)) == {"director", "chief_exec"}


@time_machine.travel(OPENED, tick=False)
def test_the_subject_never_sees_the_case_through_a_role_they_hold_on_it(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    from accord.procedures.services import consent_give

    # A concern about a Group Leader: "the member's Group Leader" is the member themselves.
    case = case_open(
        actor=council.users["officer"],
        procedure="officer_concern",
        raiser=council.people["officer"],
        subject=council.people["blue_leader"],
        profile_version=version,
        handler_choice="monitoring_officer",
    )
    consent_give(actor=council.users["officer"], case=case, to="group_leader_engagement")
    case_transition(actor=council.users["mo"], case=case, to="group_leader_engagement")
    assert _who_sees(council, case) == {"officer", "mo"}
    with pytest.raises(NotFound):
        case_get(council.users["blue_leader"], case.public_id)


# --- Reopening ------------------------------------------------------------------------------


def _resolved(council: BuiltDirectory, version: ProfileVersion, by: str = "mo") -> Case:
    choice = "monitoring_officer" if by == "mo" else "raiser.director"
    case = _open(council, version, choice)
    case_transition(
        actor=council.users[by], case=case, to="resolved", records={"reason": "Advice given."}
    )
    case.refresh_from_db()
    return case


@time_machine.travel(OPENED, tick=False)
def test_reopening_an_ended_case_writes_its_history_and_audit_without_the_report(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _resolved(council, version)
    assert not case.is_open
    revision = case.revision
    reopened = case_reopen(
        actor=council.users["officer"], case=case, report="  Pressed to withdraw it.  "
    )
    assert reopened.is_open
    assert (reopened.stage, reopened.outcome, reopened.closed_at) == (
        "retaliation_review",
        "",
        None,
    )
    assert reopened.revision == revision + 1
    row = reopened.history.order_by("-at", "-pk").first()
    assert row is not None
    assert (row.from_stage, row.to, row.cite) == ("resolved", "retaliation_review", "6.5")
    assert row.actor_id == council.people["officer"].pk
    assert row.records == {"report": "Pressed to withdraw it."}
    assert row.profile_version_id == version.pk
    assert row.explanation.endswith("— Protocol v2026 §6.5")
    event = AuditEvent.objects.get(verb="procedures.case_reopened")
    assert event.data == {
        "procedure": "officer_concern",
        "profile": "example",
        "profile_version": 1,
        "from": "resolved",
        "to": "retaliation_review",
        "was_closed": True,
        "cite": "6.5",
    }
    assert "Pressed" not in repr(event.data)
    (visit,) = CaseStage.objects.filter(case=case, left_at__isnull=True)
    assert visit.stage == "retaliation_review"
    assert CaseTimer.objects.filter(visit=visit, cancelled_at__isnull=True).count() == 1
    assert _who_sees(council, reopened) == {"officer", "mo"}
    assert expiry_of(reopened) is None


@time_machine.travel(OPENED, tick=False)
def test_reopening_an_open_case_moves_it_from_wherever_it_is(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version, "raiser.director")
    first_timer = CaseTimer.objects.get(case=case)
    reopened = case_reopen(actor=council.users["officer"], case=case, report="Told to drop it.")
    assert reopened.stage == "retaliation_review"
    row = reopened.history.order_by("-at", "-pk").first()
    assert row is not None
    assert (row.from_stage, row.to) == ("discussion", "retaliation_review")
    event = AuditEvent.objects.get(verb="procedures.case_reopened")
    assert (event.data["from"], event.data["was_closed"]) == ("discussion", False)
    first_timer.refresh_from_db()
    assert first_timer.cancelled_at is not None
    assert CaseStage.objects.filter(case=case, left_at__isnull=True).count() == 1
    # The Director who had it first is no longer part of it.
    assert _who_sees(council, reopened) == {"officer", "mo"}
    with pytest.raises(NotFound):
        case_reopen(actor=council.users["director"], case=reopened, report="x")


@time_machine.travel(OPENED, tick=False)
def test_reopening_is_refused_to_anyone_the_rule_does_not_name(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    case = _open(council, version, "raiser.director")
    # The Director handles the case but is not someone who may report pressure.
    with pytest.raises(TransitionNotAllowed) as refused:
        case_reopen(actor=council.users["director"], case=case, report="x")
    assert "6.5" in str(refused.value)
    # The member it is about cannot see it at all.
    with pytest.raises(NotFound):
        case_reopen(actor=council.users["councillor"], case=case, report="x")
    with pytest.raises(ValidationFailed) as empty:
        case_reopen(actor=council.users["officer"], case=case, report="   ")
    assert [e.field for e in empty.value.errors] == ["report"]
    # Once it has ended at the Director's stage they still see it, and still may not.
    ended = _resolved(council, version, by="director")
    assert _who_sees(council, ended) == {"officer", "director"}
    with pytest.raises(TransitionNotAllowed):
        case_reopen(actor=council.users["director"], case=ended, report="x")
    with pytest.raises(NotFound):
        case_reopen(actor=council.users["chief_exec"], case=ended, report="x")
    assert not AuditEvent.objects.filter(verb="procedures.case_reopened").exists()
    case.refresh_from_db()
    assert case.stage == "discussion"


@time_machine.travel(OPENED, tick=False)
def test_a_procedure_without_a_reopen_rule_cannot_be_reopened(council: BuiltDirectory) -> None:
    plain = profile_version_store(
        actor=None, text=(DATA / "example.yaml").read_text(encoding="utf-8")
    )
    case = _open(council, plain, "")
    with pytest.raises(TransitionNotAllowed):
        case_reopen(actor=council.users["officer"], case=case, report="Pressed.")


# --- Retention in months ------------------------------------------------------------------


def test_an_ended_case_is_kept_for_its_outcomes_months_counted_from_the_day_it_ended(
    council: BuiltDirectory, version: ProfileVersion
) -> None:
    with time_machine.travel(dt.datetime(2026, 8, 31, 16, 0, tzinfo=LONDON), tick=False):
        case = _resolved(council, version)
    # 18 months after 31 August 2026 is the end of February 2028 (a leap year).
    assert expiry_of(case) == dt.date(2028, 2, 29)
    with time_machine.travel(OPENED, tick=False):
        still_open = _open(council, version, "")
    assert expiry_of(still_open) is None


# --- Profile checks for the new rules -------------------------------------------------------


def test_the_example_with_every_new_rule_is_a_valid_profile() -> None:
    from accord.profiles.loader import load_profile

    profile = load_profile(_text())
    procedure = profile.procedures["officer_concern"]
    assert procedure.stages[0].choose_handler
    assert procedure.reopen is not None
    assert procedure.reopen.to == "retaliation_review"
    assert procedure.shown_to_raiser == ["reason"]
    assert profile.durations["concern_retention"].describe() == "18 months"
    assert procedure.outcomes[0].retain_for == "concern_retention"


def test_choose_handler_on_a_later_stage_is_rejected() -> None:
    error = only_error(
        edited(
            "        handlers: [monitoring_officer]\n",
            "        handlers: [monitoring_officer, chief_executive]\n"
            "        choose_handler: true\n",
        )
    )
    assert error.path == "procedures.officer_concern.stages[1].choose_handler"
    assert "only the initial stage" in error.message


def test_choose_handler_with_one_handler_is_rejected() -> None:
    error = only_error(
        edited(
            "        handlers: [raiser.director, monitoring_officer]\n",
            "        handlers: [monitoring_officer]\n        choose_handler: true\n",
        )
    )
    assert error.path == "procedures.officer_concern.stages[0].choose_handler"
    assert "nothing to choose" in error.message


def test_retain_for_naming_an_unknown_duration_is_rejected() -> None:
    error = only_error(
        edited(
            '        title: Resolved, with a note of what was done\n        cite: "6.4"\n',
            '        title: Resolved, with a note of what was done\n        cite: "6.4"\n'
            "        retain_for: forever\n",
        )
    )
    assert error.path == "procedures.officer_concern.outcomes[0].retain_for"
    assert "no duration 'forever'" in error.message


def test_reopen_to_an_unknown_stage_is_rejected() -> None:
    error = only_error(
        edited(
            '        title: Resolved, with a note of what was done\n        cite: "6.4"\n',
            '        title: Resolved, with a note of what was done\n        cite: "6.4"\n'
            "    reopen:\n      to: appeal\n      by: [raiser]\n"
            '      about: pressure\n      cite: "6.5"\n',
        )
    )
    assert error.path == "procedures.officer_concern.reopen.to"
    assert "'appeal' is not one of this procedure's stages" in error.message


def test_shown_to_raiser_naming_a_record_nothing_writes_is_rejected() -> None:
    errors = errors_of(
        edited(
            '        title: Resolved, with a note of what was done\n        cite: "6.4"\n',
            '        title: Resolved, with a note of what was done\n        cite: "6.4"\n'
            "    shown_to_raiser: [reason, reply]\n",
        )
    )
    assert [(e.path, e.message) for e in errors] == [
        (
            "procedures.officer_concern.shown_to_raiser[1]",
            "no stage or step of this procedure writes a 'reply' record.",
        )
    ]


@pytest.mark.parametrize("unit", ["months", "years"])
def test_months_and_years_are_durations_a_profile_may_use(unit: str) -> None:
    from accord.profiles.loader import load_profile

    text = edited(
        "durations:\n", f'durations:\n  kept:\n    amount: 1\n    unit: {unit}\n    cite: "6.4"\n'
    )
    assert load_profile(text).durations["kept"].describe() == f"1 {unit[:-1]}"


# --- Calendar months ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
        (dt.date(2028, 2, 29), 48, dt.date(2032, 2, 29)),
        (dt.date(2027, 3, 31), 1, dt.date(2027, 4, 30)),
        (dt.date(2027, 10, 31), 1, dt.date(2027, 11, 30)),
        (dt.date(2027, 12, 15), 1, dt.date(2028, 1, 15)),
        (dt.date(2027, 12, 31), 2, dt.date(2028, 2, 29)),
        (dt.date(2027, 11, 30), 1, dt.date(2027, 12, 30)),
        (dt.date(2027, 5, 17), 0, dt.date(2027, 5, 17)),
        (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),
        (dt.date(2027, 1, 15), -1, dt.date(2026, 12, 15)),
        (dt.date(2027, 1, 31), -13, dt.date(2025, 12, 31)),
        (dt.date(2026, 6, 1), 72, dt.date(2032, 6, 1)),
        (dt.date(2026, 6, 1), 1200, dt.date(2126, 6, 1)),
    ],
)
def test_adding_calendar_months_keeps_the_day_or_takes_the_months_last(
    start: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(start, months) == expected


def test_adding_months_past_the_last_representable_year_fails_loudly() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the date type's own error
        add_months(dt.date(9999, 12, 1), 1)
