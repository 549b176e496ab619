"""Leicestershire's revised protocol with its Statutory Officers Protocol: the rules that matter."""

from __future__ import annotations

import pytest

from accord.access.roles import Role
from accord.profiles.citations import check_citations
from accord.profiles.expressions import RoleExpression
from accord.profiles.loader import load_profile
from accord.profiles.schema import (
    DurationUnit,
    DutyTrigger,
    Matter,
    NotifyWhen,
    Procedure,
    Profile,
    Side,
    Stage,
    TimerAction,
    Transition,
)
from accord.profiles.tests.helpers import DATA, LEICESTERSHIRE
from accord.profiles.tests.protocols import protocol_text

EARLIER = DATA / "leicestershire-002.yaml"
STATUTORY_OFFICERS = ["monitoring_officer", "chief_finance_officer", "chief_executive"]


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile(LEICESTERSHIRE)


def texts(expressions: list[RoleExpression]) -> list[str]:
    return [expression.text for expression in expressions]


def stage(procedure: Procedure, key: str) -> Stage:
    return next(s for s in procedure.stages if s.key == key)


def move(procedure: Procedure, source: str, target: str) -> Transition:
    (found,) = [t for t in procedure.transitions if (t.from_, t.to) == (source, target)]
    return found


def test_every_paragraph_cited_is_in_the_right_part_of_the_document(profile: Profile):
    report = check_citations(profile, protocol_text("000"))

    assert report.missing == []
    assert {"SO 6.2(c)", "App A 9.2", "App B 8.2", "App C 7.3", "28(g)"} <= set(report.found)


def test_it_covers_every_kind_of_rule_the_protocol_asks_for(profile: Profile):
    assert set(profile.procedures) == {
        "officer_concern",
        "member_concern",
        "member_enquiry",
        "delegated_decision_consultation",
        "scrutiny_attendance",
        "statutory_officer_consultation",
    }
    assert profile.notification_duties
    assert profile.information_rules
    assert profile.conflicts


def test_the_deputies_and_democratic_services_have_their_protocol_titles(profile: Profile):
    assert profile.role_title(Role.DEPUTY_CHIEF_FINANCE_OFFICER) == (
        "Deputy to the Chief Finance Officer"
    )
    assert profile.roles[Role.DEPUTY_CHIEF_FINANCE_OFFICER].cite == "App C 7.1"
    assert profile.role_title(Role.DEMOCRATIC_SERVICES) == "Head of Democratic Services"


def test_only_the_group_leader_step_of_an_officers_concern_needs_the_officers_consent(
    profile: Profile,
):
    route = profile.procedures["officer_concern"]
    gated = [t for t in route.transitions if t.consent is not None]

    assert [(t.from_, t.to) for t in gated] == [("management_meeting", "group_leader_engagement")]
    assert gated[0].consent is not None
    assert (gated[0].consent.from_.text, gated[0].consent.cite) == ("raiser", "50(c)")
    assert texts(gated[0].by) == ["chief_executive", "monitoring_officer"]
    assert stage(route, "discussion").no_members
    assert stage(route, "management_meeting").no_members


def test_a_members_concern_goes_to_line_management_then_the_chief_executive(profile: Profile):
    route = profile.procedures["member_concern"]

    assert texts(stage(route, "line_management").handlers) == [
        "subject.line_manager",
        "subject.director",
    ]
    # Only once the manager or Director has considered it and replied may the member escalate.
    assert not [
        t
        for t in route.transitions
        if (t.from_, t.to) == ("line_management", "chief_executive_review")
    ]
    reply = move(route, "line_management", "management_reply")
    assert texts(reply.by) == ["subject.line_manager", "subject.director"]
    escalation = move(route, "management_reply", "chief_executive_review")
    assert (texts(escalation.by), escalation.cite) == (["raiser"], "51(b)")
    assert texts(stage(route, "chief_executive_review").handlers) == ["chief_executive"]
    timer = stage(route, "chief_executive_review").timer
    assert timer is not None
    assert texts(timer.remind_without_content) == ["monitoring_officer"]


def test_the_three_senior_officers_all_take_part_and_the_note_is_kept_on_every_ending(
    profile: Profile,
):
    route = profile.procedures["officer_concern"]

    meeting = stage(route, "management_meeting")
    assert meeting.joint
    assert set(texts(meeting.handlers)) == {
        "chief_executive",
        "raiser.director",
        "monitoring_officer",
    }
    assert {t.to for t in route.transitions if t.from_ == "discussion"} == {"management_meeting"}
    assert route.every_ending is not None
    assert (route.every_ending.requires_records, route.every_ending.cite) == (
        ["confidential_note"],
        "50(f)",
    )
    # The retaliation route is a stated default, never cited to 50(d).
    assert route.reopen is not None
    assert route.reopen.cite != "50(d)"
    assert stage(route, "retaliation_review").cite != "50(d)"
    assert any("retaliation" in silence.topic for silence in profile.silences)


def test_a_members_enquiry_is_answered_by_the_officer_or_their_line_manager(profile: Profile):
    route = profile.procedures["member_enquiry"]
    first = stage(route, route.initial)

    assert (route.raised_by, route.about, route.cite) == (Side.MEMBER, Side.OFFICER, "3(h)")
    assert texts(first.handlers) == ["subject", "subject.line_manager"]
    assert first.timer is not None
    assert (first.timer.after, first.timer.action) == ("enquiry_response", TimerAction.REMIND)
    assert texts(first.timer.to) == ["subject", "subject.line_manager"]
    response = profile.durations["enquiry_response"]
    assert (response.amount, response.unit) == (10, DurationUnit.WORKING_DAYS)


def test_documents_are_withheld_only_after_the_monitoring_officers_advice(profile: Profile):
    route = profile.procedures["member_enquiry"]

    withheld = [t for t in route.transitions if t.to == "withheld"]
    assert [t.from_ for t in withheld] == ["need_to_know_advice"]
    assert withheld[0].requires_records == ["need_to_know_advice", "reason"]
    assert withheld[0].cite == "38"
    assert "monitoring_officer" in texts(stage(route, "need_to_know_advice").handlers)


def test_delegated_decision_consultation_is_consultation_not_approval(profile: Profile):
    route = profile.procedures["delegated_decision_consultation"]

    assert all(t.consent is None for t in route.transitions)
    assert {text for t in route.transitions for text in texts(t.by)} == {"raiser"}
    decided = [t for t in route.transitions if t.to == "decided_by_chief_officer"]
    assert all("consultation_record" in t.requires_records for t in decided)
    rule = next(r for r in profile.information_rules if r.key == "no_member_sign_off")
    assert (rule.cite, "usually" in rule.summary) == ("29", True)


def test_a_material_disagreement_goes_to_a_statutory_officer_or_back_to_the_delegator(
    profile: Profile,
):
    route = profile.procedures["delegated_decision_consultation"]

    advice = stage(route, "advice_sought")
    assert texts(advice.handlers) == [
        "raiser",
        "chief_executive",
        "monitoring_officer",
        "chief_finance_officer",
    ]
    assert move(route, "consultation", "advice_sought").cite == "28(g)"
    assert move(route, "consultation", "referred_back").cite == "28(h)"
    assert move(route, "advice_sought", "referred_back").cite == "28(h)"


def test_the_consultation_keeps_the_earlier_versions_keys(profile: Profile):
    earlier = load_profile(EARLIER).procedures["delegated_decision_consultation"]
    route = profile.procedures["delegated_decision_consultation"]

    assert [s.key for s in route.stages] == [s.key for s in earlier.stages]
    assert [o.key for o in route.outcomes] == [o.key for o in earlier.outcomes]
    assert [(t.from_, t.to) for t in route.transitions] == [
        (t.from_, t.to) for t in earlier.transitions
    ]


def test_the_leader_names_a_lead_member_to_attend_scrutiny_on_a_committees_request(
    profile: Profile,
):
    route = profile.procedures["scrutiny_attendance"]

    assert (route.raised_by, route.about, route.cite) == (Side.MEMBER, Side.MEMBER, "22")
    named = move(route, "executive_nomination", "notice_given")
    assert texts(named.by) == ["leader"]
    assert named.names_subject is not None
    assert (named.names_subject.role, named.names_subject.cite) == (Role.LEAD_MEMBER, "22")
    assert route.subject_named_later
    assert texts(stage(route, "notice_given").handlers) == [
        "scrutiny_officer",
        "democratic_services",
    ]
    assert move(route, "notice_given", "attended").cite == "24(d)"
    assert "subject" in texts(move(route, "notice_given", "executive_nomination").by)


def test_scrutiny_notice_is_a_stated_default_of_five_working_days(profile: Profile):
    notice = profile.durations["scrutiny_notice"]

    assert (notice.amount, notice.unit, notice.cite) == (5, DurationUnit.WORKING_DAYS, "22")
    duty = next(d for d in profile.notification_duties if d.key == "scrutiny_attendance_notice")
    assert (texts(duty.tell), duty.cite) == (["subject"], "22")
    # Told by Accord when the named Lead Member's notice stage begins.
    assert (duty.trigger, duty.procedure, duty.stage) == (
        DutyTrigger.STAGE_ENTERED,
        "scrutiny_attendance",
        "notice_given",
    )
    (silence,) = [s for s in profile.silences if "attend overview and scrutiny" in s.topic]
    assert "scrutiny_notice" in silence.default


def test_reports_go_to_the_statutory_officers_early_and_only_they_raise_a_concern(
    profile: Profile,
):
    route = profile.procedures["statutory_officer_consultation"]
    first = stage(route, route.initial)

    assert (route.raised_by, route.cite) == (Side.OFFICER, "SO 4.2")
    assert texts(first.handlers) == STATUTORY_OFFICERS
    assert first.timer is not None
    assert profile.durations[first.timer.after].cite == "SO 4.2"
    concern = move(route, "early_consultation", "concern_raised")
    assert texts(concern.by) == STATUTORY_OFFICERS
    assert all(t.consent is None for t in route.transitions)


def test_the_director_and_report_author_are_parties_so_no_conflict_rule_replaces_them(
    profile: Profile,
):
    route = profile.procedures["statutory_officer_consultation"]

    assert texts(stage(route, "concern_raised").handlers) == ["raiser", "subject"]
    actors = {text for t in route.transitions for text in texts(t.by)}
    assert "raiser.director" not in actors
    assert actors <= {"raiser", "subject", "cmt", *STATUTORY_OFFICERS}
    (silence,) = [s for s in profile.silences if s.topic.startswith("Who a statutory officer")]
    assert "subject" in silence.default


def test_a_report_is_finalised_without_statutory_input_only_with_the_reason_recorded(
    profile: Profile,
):
    route = profile.procedures["statutory_officer_consultation"]

    without = [t for t in route.transitions if t.to == "finalised_without_input"]
    assert {t.from_ for t in without} == {"early_consultation", "concern_raised"}
    for transition in without:
        assert transition.requires_records == ["reason"]
        assert transition.cite == "SO 6.1"
        assert texts(transition.by) == ["raiser"]


def test_an_unresolved_concern_escalates_to_cmt_then_the_leader_then_formal_advice(
    profile: Profile,
):
    route = profile.procedures["statutory_officer_consultation"]

    assert move(route, "concern_raised", "cmt_discussion").cite == "SO 6.2(b)"
    assert move(route, "cmt_discussion", "leader_discussion").cite == "SO 6.2(c)"
    assert move(route, "leader_discussion", "formal_written_advice").cite == "SO 6.2(d)"
    assert texts(stage(route, "cmt_discussion").handlers) == ["cmt"]
    assert texts(stage(route, "leader_discussion").handlers) == ["leader"]
    formal = [t for t in route.transitions if t.to == "formal_written_advice"]
    assert all(texts(t.by) == STATUTORY_OFFICERS for t in formal)
    waiting = stage(route, "concern_raised")
    assert waiting.timer is not None
    reply = profile.durations[waiting.timer.after]
    assert (reply.amount, reply.unit, reply.cite) == (5, DurationUnit.WORKING_DAYS, "SO 6.1")
    assert texts(waiting.timer.to) == ["raiser"]


def test_a_possible_section_114_report_is_flagged_early_to_the_golden_triangle_and_leader(
    profile: Profile,
):
    duty = next(d for d in profile.notification_duties if d.key == "section_114_early_warning")

    assert (duty.matter, duty.when, duty.cite) == (Matter.OTHER, NotifyWhen.PROMPTLY, "App C 8.1")
    assert texts(duty.tell) == ["chief_executive", "monitoring_officer", "leader", "lead_member"]


@pytest.mark.parametrize(
    ("role", "alternates", "cite"),
    [
        ("monitoring_officer", ["deputy_monitoring_officer"], "App B 8.2"),
        ("deputy_monitoring_officer", ["monitoring_officer"], "App B 8.2"),
        ("chief_finance_officer", ["deputy_chief_finance_officer"], "App C 7.3"),
        ("deputy_chief_finance_officer", ["chief_finance_officer"], "App C 7.3"),
        ("chief_executive", ["director"], "App A 9.2"),
        ("raiser.director", ["chief_executive", "monitoring_officer"], "50(a)"),
        ("subject.line_manager", ["subject.director"], "51(a)"),
        ("subject.director", ["chief_executive"], "App A 6.1"),
    ],
)
def test_a_conflicted_person_is_replaced_by_the_protocols_alternate(
    profile: Profile, role: str, alternates: list[str], cite: str
):
    rule = next(r for r in profile.conflicts if r.role.text == role)

    assert (texts(rule.alternates), rule.cite) == (alternates, cite)


def test_when_every_statutory_alternate_is_conflicted_external_help_is_named(profile: Profile):
    external = {r.role.text: r.external for r in profile.conflicts if r.external is not None}

    assert set(external) == {
        "monitoring_officer",
        "deputy_monitoring_officer",
        "chief_finance_officer",
        "deputy_chief_finance_officer",
        "chief_executive",
    }
    assert "another authority" in (external["monitoring_officer"] or "")
    assert "recorded" in (external["chief_finance_officer"] or "")
    assert "recorded" in (external["chief_executive"] or "")


def test_the_conflict_rules_themselves_cite_sections_7_1_and_7_3_and_reason_recording(
    profile: Profile,
):
    rules = {rule.key: rule.cite for rule in profile.information_rules}

    assert rules["statutory_conflicts_declared"] == "SO 7.1"
    assert rules["earlier_involvement_is_a_conflict"] == "SO 7.3"
    assert rules["alternative_arrangements_recorded"] == "App C 7.3"
    assert rules["close_relationships_declared"] == "10"
    assert any("nominated deputy" in s.topic for s in profile.silences)


def test_app_c_7_3_is_cited_for_the_chief_finance_officer_alone(profile: Profile):
    # App C 7.3 asks for the reasons for alternative arrangements to be recorded for the Chief
    # Finance Officer (or deputy) only; no rule may apply it to the other statutory officers.
    rule = next(r for r in profile.information_rules if r.cite == "App C 7.3")
    assert "Chief Finance Officer" in rule.summary
    assert "chief_finance_officer" in rule.applies_to
    conflicts = {c.role.text for c in profile.conflicts if c.cite == "App C 7.3"}
    assert conflicts == {"chief_finance_officer", "deputy_chief_finance_officer"}


def test_no_stated_default_claims_paragraph_51_tells_the_member_the_outcome(profile: Profile):
    told = next(s for s in profile.silences if s.topic.startswith("What the member"))
    assert told.note is not None
    assert "does not say that the member is told" in told.note
    assert not any(
        "says the member is told the outcome" in (s.note or "") for s in profile.silences
    )
