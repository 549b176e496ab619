"""Loading profiles: the shipped ones validate; each kind of mistake is named by path and line."""

from __future__ import annotations

import pytest

from accord.access.roles import Role
from accord.profiles.expressions import ExpressionKind, Party, Relation
from accord.profiles.loader import ProfileInvalid, load_profile, yaml_path
from accord.profiles.schema import DurationUnit, Governance
from accord.profiles.tests.helpers import (
    EXAMPLE,
    LEICESTERSHIRE,
    edited,
    errors_of,
    example_text,
    only_error,
)


def test_the_example_profile_validates():
    profile = load_profile(EXAMPLE)

    assert profile.council == "Example County Council"
    assert profile.durations["enquiry_response"].unit is DurationUnit.WORKING_DAYS
    assert profile.procedures["officer_concern"].initial == "discussion"


def test_the_leicestershire_profile_encodes_both_concern_routes_of_000():
    profile = load_profile(LEICESTERSHIRE)

    assert profile.governance is Governance.LEADER_AND_CABINET
    assert profile.source.document == "000_105dc4ba1c16665c"
    officer_route = profile.procedures["officer_concern"]
    first = officer_route.stages[0]
    assert first.cite == "50(a)"
    assert first.no_members
    gate = next(t for t in officer_route.transitions if t.to == "group_leader_engagement")
    assert gate.consent is not None
    assert gate.consent.from_.party is Party.RAISER
    member_route = profile.procedures["member_concern"]
    assert [s.cite for s in member_route.stages] == ["51(a)", "51(b)", "51(b)"]
    assert profile.role_title(Role.CHIEF_EXECUTIVE) == "Chief Executive (Head of Paid Service)"


def test_role_expressions_are_parsed_into_typed_values():
    stage = load_profile(EXAMPLE).procedures["officer_concern"].stages[1]

    raiser, handlers, group_leader = stage.visible_to
    assert raiser.kind is ExpressionKind.PARTY
    assert raiser.can_consent
    assert handlers.kind is ExpressionKind.HANDLERS
    assert group_leader.kind is ExpressionKind.RELATIVE
    assert (group_leader.party, group_leader.relation) == (Party.SUBJECT, Relation.GROUP_LEADER)
    assert stage.handlers[0].role is Role.MONITORING_OFFICER
    assert not stage.handlers[0].can_consent


def test_an_unknown_role_key_is_rejected_with_its_path():
    error = only_error(edited("  chief_executive:\n", "  chief_exec:\n"))

    assert error.path == "roles.chief_exec"
    assert "'chief_exec' is not a known role key" in error.message


def test_an_unknown_role_in_an_expression_is_rejected_with_its_path_and_line():
    error = only_error(
        edited(
            "handlers: [raiser.director, monitoring_officer]",
            "handlers: [raiser.director, chief_whip]",
        )
    )

    assert error.path == "procedures.officer_concern.stages[0].handlers[1]"
    assert "'chief_whip' is not a known role" in error.message
    assert error.line == 51


def test_an_unknown_relation_is_rejected():
    error = only_error(edited("to: [monitoring_officer]", "to: [raiser.mentor]"))

    assert error.path == "procedures.officer_concern.stages[0].timer.to[0]"
    assert "unknown relation 'mentor'" in error.message


def test_handlers_may_be_used_only_in_visible_to():
    error = only_error(edited("handlers: [monitoring_officer]\n", "handlers: [handlers]\n"))

    assert error.path == "procedures.officer_concern.stages[1].handlers[0]"
    assert "only in visible_to" in error.message


def test_a_stage_no_transition_reaches_is_rejected():
    text = edited(
        "      - from: discussion\n        to: group_leader_engagement\n",
        "      - from: discussion\n        to: resolved\n",
    )

    errors = errors_of(text)

    unreachable = [e for e in errors if e.path == "procedures.officer_concern.stages[1]"]
    assert len(unreachable) == 1
    assert "no transition reaches stage 'group_leader_engagement'" in unreachable[0].message
    assert unreachable[0].line == 59


def test_a_consent_gate_on_a_role_that_cannot_consent_is_rejected():
    error = only_error(edited("from: raiser\n", "from: monitoring_officer\n"))

    assert error.path == "procedures.officer_concern.transitions[0].consent.from"
    assert "'monitoring_officer' cannot give consent" in error.message
    assert error.line == 70


def test_a_working_days_duration_without_a_calendar_is_rejected():
    text = edited(
        "calendar:\n  region: england-and-wales\n"
        '  closures: [2026-12-29, 2026-12-30, 2026-12-31]\n  cite: "1.4"\n',
        "",
    )

    errors = errors_of(text)

    assert [e.path for e in errors] == [
        "durations.enquiry_response.unit",
        "durations.concern_reminder.unit",
    ]
    assert "no calendar" in errors[0].message


def test_a_missing_cite_is_rejected_with_the_path_of_what_needs_one():
    error = only_error(edited('        cite: "6.1"\n', ""))

    assert error.path == "procedures.officer_concern.stages[0].cite"
    assert error.message.startswith("cite is missing")
    assert error.line == 48


def test_a_transition_to_an_unknown_stage_is_rejected():
    text = edited(
        "      - from: group_leader_engagement\n        to: resolved\n",
        "      - from: group_leader_engagement\n        to: closed\n",
    )

    error = only_error(text)

    assert error.path == "procedures.officer_concern.transitions[2].to"
    assert "no stage or outcome 'closed'" in error.message


def test_a_transition_out_of_an_outcome_is_rejected():
    text = edited(
        "    outcomes:\n",
        "      - from: resolved\n        to: discussion\n        by: [monitoring_officer]\n"
        '        cite: "6.5"\n    outcomes:\n',
    )

    error = only_error(text)

    assert error.path == "procedures.officer_concern.transitions[3].from"
    assert "'resolved' is an outcome" in error.message


def test_a_timer_naming_an_unknown_duration_is_rejected():
    error = only_error(edited("after: concern_reminder", "after: fortnight"))

    assert error.path == "procedures.officer_concern.stages[0].timer.after"


def test_a_member_at_a_no_members_stage_is_rejected():
    error = only_error(edited("visible_to: [raiser, handlers]\n", "visible_to: [subject]\n"))

    assert error.path == "procedures.officer_concern.stages[0].visible_to[0]"
    assert "no_members" in error.message


def test_every_problem_is_reported_not_just_the_first():
    text = edited("from: raiser\n", "from: chief_executive\n")
    text = edited("after: concern_reminder", "after: fortnight", text)
    text = edited(
        "to: resolved\n        by: [raiser.director", "to: gone\n        by: [raiser.director", text
    )

    paths = {e.path for e in errors_of(text)}

    assert paths == {
        "procedures.officer_concern.transitions[0].consent.from",
        "procedures.officer_concern.stages[0].timer.after",
        "procedures.officer_concern.transitions[1].to",
    }


def test_field_errors_are_all_collected_with_plain_messages():
    text = edited("governance: leader_and_cabinet", "governance: mayoral")
    text = edited('  version: "2026"\n', '  version: "2026"\n  edition: 3\n', text)

    errors = {e.path: e for e in errors_of(text)}

    assert "'mayoral' is not a known value" in errors["governance"].message
    assert errors["governance"].line == 5
    assert "'edition' is not a field" in errors["source.edition"].message


def test_a_key_written_twice_is_rejected_rather_than_silently_overwritten():
    error = only_error(edited("version: 1\n", "version: 1\nversion: 2\n"))

    assert error.path == "version"
    assert "written twice" in error.message


def test_yaml_syntax_errors_carry_their_line():
    error = only_error(example_text() + "broken: [unclosed\n")

    assert "not valid YAML" in error.message
    assert error.line is not None


def test_only_the_safe_loader_is_used():
    with pytest.raises(ProfileInvalid):
        load_profile("!!python/object/apply:os.system ['true']\n")


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (
            ("procedures", "officer_concern", "stages", 2, "handlers", 0),
            "procedures.officer_concern.stages[2].handlers[0]",
        ),
        (("roles", "chief_exec", "[key]"), "roles.chief_exec"),
        (("version",), "version"),
    ],
)
def test_pydantic_locations_become_yaml_paths(loc, path):
    assert yaml_path(loc) == path


def test_the_relevant_head_of_service_is_a_relative_role() -> None:
    from accord.profiles.expressions import Party, Relation, parse_role_expression

    expression = parse_role_expression("subject.head_of_service")

    assert (expression.party, expression.relation) == (Party.SUBJECT, Relation.HEAD_OF_SERVICE)
    assert not expression.can_consent


def test_a_conflict_rule_for_a_party_is_rejected() -> None:
    error = only_error(edited("  - role: raiser.director\n", "  - role: raiser\n"))

    assert error.path == "conflicts[1].role"
    assert "a party to the case" in error.message


def test_a_conflict_alternate_that_is_the_role_itself_is_rejected() -> None:
    error = only_error(
        edited(
            "alternates: [deputy_monitoring_officer, chief_executive]",
            "alternates: [monitoring_officer]",
        )
    )

    assert error.path == "conflicts[0].alternates[0]"
    assert "cannot stand in for itself" in error.message


def test_a_procedure_without_a_purpose_is_rejected_with_its_path() -> None:
    error = only_error(edited("    purpose: officer_concern\n", ""))

    assert error.path == "procedures.officer_concern.purpose"


# --- A stage's handler chosen on entering it, a move after the time, a dated event ----------


def test_a_stage_may_let_whoever_brings_the_case_there_choose_one_person() -> None:
    profile = load_profile(
        edited(
            "        handlers: [monitoring_officer]\n",
            "        handlers: [monitoring_officer, chief_executive]\n"
            "        choose_handler: person\n",
        )
    )
    later = profile.procedures["officer_concern"].stages[1]
    assert later.chooses_person
    assert not later.chooses_role


def test_choosing_a_person_among_the_cases_parties_is_rejected() -> None:
    error = only_error(
        edited(
            "        handlers: [monitoring_officer]\n",
            "        handlers: [monitoring_officer, raiser]\n        choose_handler: person\n",
        )
    )
    assert error.path == "procedures.officer_concern.stages[1].choose_handler"
    assert "party to the case" in error.message


def test_a_move_after_the_time_needs_a_stage_with_a_timer() -> None:
    error = only_error(
        edited(
            "      - from: group_leader_engagement\n        to: resolved\n",
            "      - from: group_leader_engagement\n        to: resolved\n"
            "        after_due: true\n",
        )
    )
    assert error.path == "procedures.officer_concern.transitions[2].after_due"
    assert "no timer" in error.message


def test_a_new_date_needs_an_event_and_an_event_needs_a_known_notice() -> None:
    errors = errors_of(
        edited(
            "      - from: group_leader_engagement\n        to: resolved\n",
            "      - from: group_leader_engagement\n        to: resolved\n"
            "        reschedules: true\n",
        )
    )
    assert [e.path for e in errors] == ["procedures.officer_concern.transitions[2].reschedules"] * 2
    error = only_error(
        edited(
            "    initial: discussion\n",
            "    initial: discussion\n"
            "    event:\n      title: the meeting\n      notice: fortnight\n"
            '      cite: "6"\n',
        )
    )
    assert error.path == "procedures.officer_concern.event.notice"


def test_a_duration_stated_as_an_aim_says_so() -> None:
    profile = load_profile(
        edited(
            "    amount: 10\n    unit: working_days\n",
            "    amount: 10\n    unit: working_days\n    aim: true\n",
        )
    )
    assert any(d.describe().endswith(", an aim") for d in profile.durations.values())
