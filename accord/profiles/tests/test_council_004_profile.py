"""The seed 004 profile: a committee-system council whose concerns go to the Chief Executive."""

from __future__ import annotations

import pytest

from accord.access.roles import Role
from accord.profiles.expressions import ExpressionKind, Party, Relation, RoleExpression
from accord.profiles.loader import load_profile
from accord.profiles.schema import (
    DurationUnit,
    Governance,
    Matter,
    NotifyWhen,
    Procedure,
    Profile,
    Stage,
    TimerAction,
)
from accord.profiles.tests.helpers import DATA

COUNCIL_004 = DATA / "council-004.yaml"


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(COUNCIL_004)


def _stage(procedure: Procedure, key: str) -> Stage:
    return next(stage for stage in procedure.stages if stage.key == key)


def _texts(expressions: list[RoleExpression]) -> list[str]:
    return [expression.text for expression in expressions]


def test_it_encodes_the_undated_annex_of_an_unnamed_committee_system_council(profile: Profile):
    assert profile.id == "council-004"
    assert profile.governance is Governance.COMMITTEE_SYSTEM
    assert profile.source.document == "004_0739291e76a941b3"
    assert profile.source.version == "undated"
    assert "Unnamed" in profile.council
    topics = " ".join(silence.topic for silence in profile.silences)
    assert "name" in topics
    assert "came into force" in topics


def test_role_titles_are_the_ones_this_protocol_uses(profile: Profile):
    assert profile.role_title(Role.GROUP_LEADER) == "Group Chair / Leader"
    assert profile.role_title(Role.CMT) == "Corporate Management Team"
    assert profile.role_title(Role.LEAD_MEMBER) == "Committee Chair"
    assert profile.role_title(Role.CHIEF_EXECUTIVE) == "Chief Executive (Head of Paid Service)"
    assert profile.role_title(Role.MONITORING_OFFICER) == "Monitoring Officer"
    assert profile.role_title(Role.MEMBER) == "Councillor"
    assert Role.LEADER not in profile.roles


def test_the_unnamed_region_falls_back_to_england_and_wales_as_a_stated_silence(profile: Profile):
    assert profile.calendar is not None
    assert profile.calendar.region.value == "england-and-wales"
    assert any("bank holidays" in silence.topic for silence in profile.silences)


def test_one_week_for_a_reply_is_a_calendar_week_and_an_aim(profile: Profile):
    response = profile.durations["enquiry_response"]

    assert (response.amount, response.unit) == (1, DurationUnit.WEEKS)
    assert response.aim
    assert response.cite == "3.5"
    assert response.describe() == "1 week, an aim"
    week = next(s for s in profile.silences if "one week" in s.topic)
    assert "Seven calendar days" in week.default


def test_it_is_version_2_correcting_version_1_from_the_same_day(profile: Profile):
    assert (profile.version, profile.supersedes) == (2, 1)
    assert profile.source.in_force_from.isoformat() == "2026-01-01"


def test_a_service_query_goes_first_to_the_head_of_service_or_nominated_officer(profile: Profile):
    route = profile.procedures["service_enquiry"]
    first = _stage(route, route.initial)

    assert _texts(first.handlers) == ["subject", "subject.head_of_service"]
    assert first.cite == "3.2"
    redirect = next(t for t in route.transitions if t.to == "redirected_to_standard_process")
    assert redirect.cite == "3.1"
    assert redirect.requires_records == ["reason"]


def test_a_strategic_or_policy_matter_goes_to_one_cmt_member_the_councillor_chooses(
    profile: Profile,
):
    route = profile.procedures["strategic_enquiry"]
    first = _stage(route, route.initial)

    assert first.cite == "3.3"
    assert _texts(first.handlers) == ["cmt"]
    assert first.chooses_person


@pytest.mark.parametrize("procedure", ["service_enquiry", "strategic_enquiry"])
def test_an_unanswered_enquiry_is_followed_up_by_the_councillor_with_one_cmt_member(
    profile: Profile, procedure: str
):
    route = profile.procedures[procedure]
    timer = _stage(route, route.initial).timer

    assert timer is not None
    # The week is an aim: those answering are reminded, nobody is brought in.
    assert (timer.after, timer.action, timer.cite) == (
        "enquiry_response",
        TimerAction.REMIND,
        "3.5",
    )
    assert _texts(timer.to) == ["handlers"]
    chase = next(t for t in route.transitions if t.to == "cmt_follow_up")
    assert _texts(chase.by) == ["raiser"]
    assert chase.after_due
    follow_up = _stage(route, "cmt_follow_up")
    assert _texts(follow_up.handlers) == ["cmt"]
    assert follow_up.chooses_person


def test_delegated_decisions_are_notified_to_every_councillor(profile: Profile):
    duty = next(d for d in profile.notification_duties if d.matter is Matter.DELEGATED_DECISION)

    assert _texts(duty.tell) == ["member"]
    assert duty.when is NotifyWhen.PROMPTLY
    assert duty.cite == "3.7"


def test_ward_councillors_hear_of_urgent_or_sensitive_matters_promptly_and_before_the_public(
    profile: Profile,
):
    """§4.4 asks for both: as soon as reasonably possible, and before it is made public."""
    ward = {d.key: d for d in profile.notification_duties if d.cite == "4.4"}

    assert set(ward) == {"ward_matter", "urgent_ward_matter", "sensitive_ward_matter"}
    assert ward["sensitive_ward_matter"].matter is Matter.SENSITIVE_REPORT
    for key in ("urgent_ward_matter", "sensitive_ward_matter"):
        assert ward[key].when is NotifyWhen.PROMPTLY_AND_BEFORE_PUBLIC
        assert _texts(ward[key].tell) == ["division_members"]


def test_need_to_know_is_finally_decided_by_the_chief_executive_consulting_the_mo(
    profile: Profile,
):
    route = profile.procedures["need_to_know"]
    decision = _stage(route, "chief_executive_decision")

    assert decision.cite == "4.3"
    assert _texts(decision.handlers) == ["chief_executive"]
    assert "monitoring_officer" in _texts(decision.visible_to)
    assert decision.requires_records == ["monitoring_officer_consultation"]
    refusals = [t for t in route.transitions if t.to == "refused"]
    assert [_texts(t.by) for t in refusals] == [["chief_executive"]]
    assert "monitoring_officer_consultation" in refusals[0].requires_records


def test_a_need_to_know_request_is_hidden_from_other_councillors(profile: Profile):
    route = profile.procedures["need_to_know"]

    assert _texts(_stage(route, "request").visible_to) == ["raiser", "handlers"]
    rule = next(r for r in profile.information_rules if r.key == "requests_kept_private")
    assert rule.cite == "4.2"


def test_a_councillors_concern_is_first_discussed_with_their_group_chair(profile: Profile):
    route = profile.procedures["member_concern"]
    first = _stage(route, route.initial)

    assert (route.raised_by.value, route.about.value) == ("member", "officer")
    assert first.cite == "6.1"
    (handler,) = first.handlers
    assert handler.kind is ExpressionKind.RELATIVE
    assert (handler.party, handler.relation) == (Party.RAISER, Relation.GROUP_LEADER)


def test_a_formal_complaint_goes_to_the_chief_executive_and_not_to_the_group_chair(
    profile: Profile,
):
    route = profile.procedures["member_concern"]
    formal = _stage(route, "formal_complaint")

    assert _texts(formal.handlers) == ["chief_executive"]
    assert "raiser.group_leader" not in _texts(formal.visible_to)
    step = next(t for t in route.transitions if t.to == "formal_complaint")
    assert _texts(step.by) == ["raiser"]
    assert step.requires_records == ["complaint_form"]
    confidential = next(
        r for r in profile.information_rules if r.key == "member_complaint_kept_from_group_chair"
    )
    assert confidential.cite == "6.1"


def test_an_officers_concern_goes_to_the_chief_executive_not_the_monitoring_officer(
    profile: Profile,
):
    route = profile.procedures["officer_concern"]
    first = _stage(route, route.initial)

    assert (route.raised_by.value, route.about.value) == ("officer", "member")
    assert first.cite == "6.2"
    assert _texts(first.handlers) == ["chief_executive"]
    assert first.no_members
    every_actor = [e.text for t in route.transitions for e in t.by] + _texts(first.handlers)
    assert "monitoring_officer" not in every_actor


def test_only_the_person_who_raised_a_concern_takes_it_to_another_procedure(profile: Profile):
    for key in ("member_concern", "officer_concern"):
        diversions = [t for t in profile.procedures[key].transitions if t.to == "other_procedure"]
        assert diversions
        assert all(_texts(t.by) == ["raiser"] and t.cite == "6.3" for t in diversions)


def test_no_concern_route_needs_anyones_consent(profile: Profile):
    for key in ("member_concern", "officer_concern"):
        assert all(t.consent is None for t in profile.procedures[key].transitions)


def test_concern_reminders_are_a_stated_default_because_section_6_sets_no_time(
    profile: Profile,
):
    reminder = profile.durations["concern_reminder"]

    assert (reminder.amount, reminder.unit) == (10, DurationUnit.WORKING_DAYS)
    assert any("concern routes" in silence.topic for silence in profile.silences)


@pytest.mark.parametrize(
    ("key", "cite"),
    [
        ("equal_briefing_offers", "7.2"),
        ("group_meeting_attendance_via_chief_executive", "7.4"),
        ("group_meeting_officer_role", "7.5"),
        ("group_discussions_confidential", "7.6"),
        ("personal_connections_declared", "5.7"),
        ("need_to_know_onward_disclosure", "4.5"),
        ("no_instructions_to_officers", "3.4"),
    ],
)
def test_information_rules_cite_their_paragraphs(profile: Profile, key: str, cite: str):
    rule = next(r for r in profile.information_rules if r.key == key)

    assert rule.cite == cite


def test_renumbered_paragraphs_are_cited_by_their_current_numbers(profile: Profile):
    cites = {d.cite for d in profile.durations.values()} | {
        d.cite for d in profile.notification_duties
    }

    assert {"3.5", "3.7"} <= cites
    assert not cites & {"3.3.5", "3.4.3.6", "3.5.3.7"}


def test_a_delegated_decision_consultation_needs_no_councillors_consent(profile: Profile):
    route = profile.procedures["delegated_decision_consultation"]

    assert (route.raised_by.value, route.about.value, route.cite) == ("officer", "member", "3.7")
    (decision,) = route.transitions
    assert decision.consent is None
    assert _texts(decision.by) == ["raiser"]
    assert decision.requires_records == ["consultation_record", "decision"]
    assert decision.cite == "2.2"
    assert _stage(route, "consultation").timer is None
    assert any("approves" in silence.topic for silence in profile.silences)


@pytest.mark.parametrize(
    "topic",
    [
        "Consulting the statutory officers on reports, and escalating their concerns",
        "Notice to attend scrutiny",
    ],
)
def test_a_committee_system_council_runs_no_scrutiny_or_statutory_officer_route(
    profile: Profile, topic: str
):
    (silence,) = [s for s in profile.silences if s.topic == topic]

    assert silence.default == "Not run for this council."
    assert silence.note


def test_the_committee_system_profile_has_no_scrutiny_or_statutory_officer_procedure(
    profile: Profile,
):
    assert "scrutiny_attendance" not in profile.procedures
    assert "statutory_officer_consultation" not in profile.procedures
    assert "scrutiny_notice" not in profile.durations


def test_a_conflicted_group_chair_or_chief_executive_gives_way_to_the_monitoring_officer(
    profile: Profile,
):
    rules = {rule.role.text: rule for rule in profile.conflicts}

    assert set(rules) == {"raiser.group_leader", "chief_executive"}
    for rule in rules.values():
        assert _texts(rule.alternates) == ["monitoring_officer"]
        assert rule.cite == "1.9"
    assert rules["chief_executive"].external is not None


def test_the_monitoring_officers_own_deputy_is_a_silence_because_nothing_can_be_cited(
    profile: Profile,
):
    assert "monitoring_officer" not in {rule.role.text for rule in profile.conflicts}
    (silence,) = [s for s in profile.silences if s.topic == "Conflicts of interest"]
    assert "deputy" in silence.default
    assert "no paragraph" in silence.default
