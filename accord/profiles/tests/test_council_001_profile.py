"""The profile for protocol 001: what makes this council's rules different from the others."""

from __future__ import annotations

import pytest

from accord.access.roles import Role
from accord.core.working_days import Region
from accord.profiles.citations import cited_paragraphs
from accord.profiles.loader import load_profile
from accord.profiles.schema import (
    DurationUnit,
    DutyTrigger,
    Governance,
    NotifyWhen,
    Procedure,
    Profile,
    Stage,
    Transition,
)
from accord.profiles.tests.helpers import DATA

COUNCIL_001 = DATA / "council-001.yaml"


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(COUNCIL_001)


def texts(expressions: object) -> list[str]:
    assert isinstance(expressions, list)
    return [str(expression) for expression in expressions]


def stage(procedure: Procedure, key: str) -> Stage:
    return next(s for s in procedure.stages if s.key == key)


def moves(procedure: Procedure, *, to: str) -> list[Transition]:
    return [t for t in procedure.transitions if t.to == to]


def test_the_profile_validates_and_names_its_unnamed_source_honestly(profile):
    assert profile.id == "council-001"
    assert "not named" in profile.council
    assert profile.governance is Governance.LEADER_AND_CABINET
    assert profile.source.document == "001_844f4fca9f5265fe"
    assert profile.source.version == "undated"


def test_roles_go_by_the_titles_this_protocol_uses(profile):
    assert profile.role_title(Role.CHIEF_EXECUTIVE) == "Head of Paid Service"
    assert profile.role_title(Role.GROUP_LEADER) == "Party Group Leader"
    assert profile.role_title(Role.DIRECTOR) == "Director"
    assert profile.role_title(Role.MONITORING_OFFICER) == "Monitoring Officer"
    assert profile.role_title(Role.CHIEF_FINANCE_OFFICER) == "Chief Finance Officer"
    assert profile.roles[Role.CHIEF_EXECUTIVE].cite == "3(b)(ii)"


def test_roles_the_protocol_never_mentions_are_left_to_accords_defaults(profile):
    for role in (Role.DEPUTY_MONITORING_OFFICER, Role.LEADER, Role.SCRUTINY_OFFICER, Role.CMT):
        assert role not in profile.roles


def test_the_calendar_is_england_and_wales_and_that_choice_is_recorded_as_a_silence(profile):
    assert profile.calendar is not None
    assert profile.calendar.region == Region.ENGLAND_AND_WALES
    assert profile.calendar.closures == []
    topics = [silence.topic for silence in profile.silences]
    assert any("bank holidays" in topic for topic in topics)
    assert any("closure" in topic.lower() for topic in topics)


def test_scrutiny_attendance_needs_ten_working_days_notice(profile):
    notice = profile.durations["scrutiny_notice"]

    assert (notice.amount, notice.unit, notice.cite) == (10, DurationUnit.WORKING_DAYS, "5(c)")
    duty = next(d for d in profile.notification_duties if d.key == "scrutiny_attendance_notice")
    assert duty.cite == "5(c)"
    assert duty.when is NotifyWhen.BEFORE_START
    assert texts(duty.tell) == ["subject"]


@pytest.mark.parametrize(
    ("key", "about"),
    [("scrutiny_attendance", "officer"), ("cabinet_member_scrutiny_attendance", "member")],
)
def test_scrutiny_notice_is_counted_back_from_the_meeting_the_case_carries(profile, key, about):
    route = profile.procedures[key]
    first = stage(route, route.initial)

    assert route.about == about
    assert route.event is not None
    assert (route.event.notice, route.event.cite) == ("scrutiny_notice", "5(c)")
    assert first.requires_records == ["issues_to_be_raised", "background_information_requested"]
    (rearrange,) = moves(route, to="alternative_date")
    assert "subject" in texts(rearrange.by)
    assert rearrange.requires_records == ["reason"]
    (again,) = moves(route, to="notice_given")
    assert again.from_ == "alternative_date"
    assert again.reschedules


def test_undefined_time_limits_are_stated_defaults_cited_to_the_silent_paragraph(profile):
    for name, cite in (
        ("member_concern_response", "10(a)"),
        ("officer_concern_response", "10(b)"),
        ("group_attendance_decision", "11(b)(i)"),
    ):
        duration = profile.durations[name]
        assert duration.cite == cite
        assert duration.unit is DurationUnit.WORKING_DAYS
        assert any(name in silence.default for silence in profile.silences)


def test_a_members_concern_goes_first_to_the_officers_line_manager_or_director(profile):
    route = profile.procedures["member_concern"]
    first = stage(route, route.initial)

    assert (route.raised_by, route.about) == ("member", "officer")
    assert first.cite == "10(a)"
    assert texts(first.handlers) == ["subject.line_manager", "subject.director"]
    assert "direct_resolution_attempt" in first.requires_records
    assert first.timer is not None
    assert first.timer.after == "member_concern_response"


def test_the_member_escalates_an_unresolved_concern_to_the_head_of_paid_service(profile):
    route = profile.procedures["member_concern"]

    escalations = moves(route, to="head_of_paid_service_review")
    assert {t.from_ for t in escalations} == {"line_management", "management_replied"}
    assert all(texts(t.by) == ["raiser"] for t in escalations)
    review = stage(route, "head_of_paid_service_review")
    assert texts(review.handlers) == ["chief_executive"]
    assert moves(route, to="resolved_by_head_of_paid_service")[0].by[0].role is Role.CHIEF_EXECUTIVE


def test_line_managements_answer_leaves_the_member_to_decide_it_is_resolved(profile):
    route = profile.procedures["member_concern"]

    (answer,) = moves(route, to="management_replied")
    assert texts(answer.by) == ["subject.line_manager", "subject.director"]
    assert "reply_to_member" in answer.requires_records
    (accepted,) = moves(route, to="resolved_by_management")
    assert (accepted.from_, texts(accepted.by)) == ("management_replied", ["raiser"])


def test_only_the_head_of_paid_service_ends_a_concern_with_an_officers_code_finding(profile):
    route = profile.procedures["member_concern"]

    deciders = {text for t in moves(route, to="officers_code_action") for text in texts(t.by)}
    assert deciders == {"chief_executive"}
    assert all(t.cite == "7(b)" for t in moves(route, to="officers_code_action"))


def test_an_officers_concern_goes_first_to_their_line_manager_or_director(profile):
    route = profile.procedures["officer_concern"]
    first = stage(route, route.initial)

    assert (route.raised_by, route.about) == ("officer", "member")
    assert first.cite == "10(b)"
    assert texts(first.handlers) == ["raiser.line_manager", "raiser.director"]
    assert texts(first.visible_to) == ["raiser", "handlers"]


def test_only_the_director_approaches_the_member_or_the_party_group_leader(profile):
    route = profile.procedures["officer_concern"]

    for target in ("member_approached", "group_leader_involved", "members_code_consideration"):
        for transition in moves(route, to=target):
            assert texts(transition.by) == ["raiser.director"], target


def test_the_director_may_approach_the_member_and_then_the_group_leader_too(profile):
    route = profile.procedures["officer_concern"]

    sources = {t.from_ for t in moves(route, to="group_leader_involved")}
    assert sources == {"with_management", "member_approached"}
    assert "subject" in texts(stage(route, "member_approached").visible_to)


def test_engaging_the_group_leader_needs_no_consent_from_the_officer(profile):
    route = profile.procedures["officer_concern"]

    assert all(transition.consent is None for transition in route.transitions)
    assert any("consent gate" in silence.default for silence in profile.silences)


def test_head_of_paid_service_and_monitoring_officer_are_told_once_the_group_leader_is_in(
    profile,
):
    involved = stage(profile.procedures["officer_concern"], "group_leader_involved")

    viewers = texts(involved.visible_to)
    assert {"subject.group_leader", "chief_executive", "monitoring_officer"} <= set(viewers)
    assert "subject" not in viewers
    duty = next(d for d in profile.notification_duties if d.key == "group_leader_involvement")
    assert texts(duty.tell) == ["chief_executive", "monitoring_officer"]
    # Told by Accord as the stage is entered, not left to a matter someone logs.
    assert (duty.trigger, duty.procedure, duty.stage) == (
        DutyTrigger.STAGE_ENTERED,
        "officer_concern",
        "group_leader_involved",
    )
    assert (duty.when, duty.cite) == (NotifyWhen.PROMPTLY, "10(b)")


def test_the_monitoring_officer_decides_on_a_members_code_breach(profile):
    route = profile.procedures["officer_concern"]
    consideration = stage(route, "members_code_consideration")

    assert texts(consideration.handlers) == ["monitoring_officer"]
    assert consideration.requires_records == ["breach_assessment"]
    for outcome in ("referred_under_members_code", "no_members_code_breach"):
        (decision,) = moves(route, to=outcome)
        assert texts(decision.by) == ["monitoring_officer"]
        assert decision.cite == "7(b)"


def test_a_group_meeting_request_goes_to_the_head_of_paid_service_with_its_items(profile):
    route = profile.procedures["group_meeting_attendance"]
    first = stage(route, route.initial)

    assert texts(first.handlers) == ["chief_executive"]
    assert first.requires_records == ["items_to_be_discussed"]
    assert first.cite == "11(b)(i)"


def test_group_meeting_attendance_needs_both_head_of_paid_service_and_director(profile):
    route = profile.procedures["group_meeting_attendance"]

    (to_director,) = moves(route, to="director_consent")
    assert texts(to_director.by) == ["chief_executive"]
    (agreed,) = moves(route, to="attendance_agreed")
    assert agreed.from_ == "director_consent"
    assert texts(agreed.by) == ["subject.director"]
    refusers = {text for t in moves(route, to="attendance_refused") for text in texts(t.by)}
    assert refusers == {"chief_executive", "subject.director"}


def test_no_officer_can_be_made_to_attend_a_group_meeting(profile):
    route = profile.procedures["group_meeting_attendance"]

    (agreed,) = moves(route, to="attendance_agreed")
    assert agreed.consent is not None
    assert agreed.consent.from_.text == "subject"
    assert agreed.consent.cite == "11(b)(ii)"
    declines = moves(route, to="officer_declined")
    assert {t.from_ for t in declines} == {s.key for s in route.stages}
    assert all(texts(t.by) == ["subject"] for t in declines)


def test_information_rules_cover_group_confidentiality_pressure_familiarity_and_press(profile):
    rules = {rule.key: rule for rule in profile.information_rules}

    assert rules["group_proceedings_confidential"].cite == "11(b)(iv)"
    assert rules["group_advice_needs_consent"].cite == "11(b)(i)"
    assert rules["group_attendance_voluntary"].cite == "11(b)(ii)"
    assert rules["no_undue_pressure_by_members"].cite == "8(a)"
    assert rules["no_undue_influence_by_officers"].cite == "8(b)"
    assert rules["avoid_close_familiarity"].cite == "9"
    assert rules["press_work_is_for_the_council"].cite == "12"


def test_the_profile_cites_these_paragraphs_of_its_document(profile):
    assert list(cited_paragraphs(profile)) == [
        "3(a)",
        "3(b)(i)",
        "3(b)(ii)",
        "4",
        "5(b)",
        "5(c)",
        "5(d)",
        "6",
        "7(b)",
        "8(a)",
        "8(b)",
        "9",
        "10(a)",
        "10(b)",
        "11(b)(i)",
        "11(b)",
        "11(b)(ii)",
        "11(b)(iv)",
        "11(b)(iii)",
        "11(b)(v)",
        "12",
        "13",
    ]


def test_a_members_enquiry_goes_to_the_officer_with_a_stated_default_reminder(profile):
    route = profile.procedures["member_enquiry"]
    first = stage(route, route.initial)

    assert (route.raised_by, route.about) == ("member", "officer")
    assert texts(first.handlers) == ["subject", "subject.line_manager"]
    assert first.timer is not None
    response = profile.durations[first.timer.after]
    assert (response.amount, response.unit, response.cite) == (
        10,
        DurationUnit.WORKING_DAYS,
        "3(b)(i)",
    )
    (declined,) = moves(route, to="declined")
    assert (declined.cite, declined.requires_records) == ("8(a)", ["reason"])
    assert any("enquiry_response" in silence.default for silence in profile.silences)


@pytest.mark.parametrize(
    "topic",
    [
        "Keeping members informed of matters affecting their area",
        "Consulting members on delegated decisions",
        "Consulting the statutory officers on reports, and escalating their concerns",
    ],
)
def test_what_the_document_does_not_provide_is_a_stated_silence(profile, topic):
    (silence,) = [s for s in profile.silences if s.topic == topic]

    assert silence.default.startswith(("Not run", "No such duties"))
    assert silence.note


def test_no_delegated_decision_or_statutory_officer_procedure_is_invented(profile):
    assert "delegated_decision_consultation" not in profile.procedures
    assert "statutory_officer_consultation" not in profile.procedures
    assert {duty.key for duty in profile.notification_duties} == {
        "scrutiny_attendance_notice",
        "cabinet_member_scrutiny_attendance_notice",
        "group_leader_involvement",
    }


def test_conflicted_managers_give_way_up_the_line_of_management(profile):
    rules = {str(rule.role): rule for rule in profile.conflicts}

    assert {role: texts(rule.alternates) for role, rule in rules.items()} == {
        "subject.line_manager": ["subject.director"],
        "subject.director": ["chief_executive"],
        "raiser.line_manager": ["raiser.director"],
        "raiser.director": ["chief_executive"],
        "chief_executive": ["director"],
        "monitoring_officer": ["deputy_monitoring_officer"],
    }
    assert rules["subject.line_manager"].cite == "10(a)"
    assert rules["subject.director"].cite == "7(b)"
    assert rules["raiser.line_manager"].cite == "10(b)"
    assert rules["monitoring_officer"].external is not None


def test_statutory_officer_conflict_rules_are_declared_as_accords_defaults(profile):
    (silence,) = [s for s in profile.silences if s.topic == "Conflicts of interest"]

    assert silence.note is not None
    assert "Accord's defaults" in silence.note
    assert "nearest paragraph" in silence.note
    for role in ("chief_executive", "monitoring_officer"):
        rule = next(r for r in profile.conflicts if str(r.role) == role)
        assert rule.cite == "3(b)(ii)"
