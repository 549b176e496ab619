"""Leicestershire's earlier protocol, a corrected version of the profile the revision supersedes."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.access.roles import Role
from accord.core.errors import NotFound
from accord.profiles.diff import ChangeKind, profile_diff
from accord.profiles.expressions import Party, Relation
from accord.profiles.loader import load_profile
from accord.profiles.schema import DurationUnit, DutyTrigger, Matter, NotifyWhen, Profile, Side
from accord.profiles.selectors import profile_in_force, profile_of
from accord.profiles.services import profile_version_store
from accord.profiles.tests.helpers import DATA, LEICESTERSHIRE

EARLIER = DATA / "leicestershire-002.yaml"


@pytest.fixture(scope="module")
def earlier() -> Profile:
    return load_profile(EARLIER)


@pytest.fixture(scope="module")
def revised() -> Profile:
    """Version 2, the first encoding of the revised protocol, kept as it was stored."""
    return load_profile(DATA / "leicestershire-000-v2.yaml")


def test_the_earlier_protocol_is_a_corrected_version_of_the_leicestershire_profile(
    earlier, revised
):
    # Version 1 was the earlier protocol's first encoding; version 4 corrects it. Version 2
    # (and any correction of it) is the revised protocol, in force from a later date.
    assert (earlier.id, earlier.version, earlier.supersedes) == ("leicestershire", 4, 1)
    assert earlier.source.document == "002_3e805558d0b12ae5"
    assert (revised.id, revised.version, revised.supersedes) == ("leicestershire", 2, 1)
    assert earlier.source.in_force_from < revised.source.in_force_from


def test_a_member_chooses_the_director_or_the_monitoring_officer(earlier):
    first = earlier.procedures["member_concern"].stages[0]

    assert first.chooses_role
    assert [e.text for e in first.handlers] == ["subject.director", "monitoring_officer"]


def test_advice_on_a_disagreement_is_sought_from_the_one_appropriate_statutory_officer(earlier):
    advice = next(
        s
        for s in earlier.procedures["delegated_decision_consultation"].stages
        if s.key == "advice_sought"
    )

    assert advice.chooses_person
    assert [e.text for e in advice.handlers] == [
        "chief_executive",
        "monitoring_officer",
        "chief_finance_officer",
    ]


def test_a_members_concern_goes_to_the_officers_director_or_the_monitoring_officer(earlier):
    route = earlier.procedures["member_concern"]

    assert (route.raised_by, route.about) == (Side.MEMBER, Side.OFFICER)
    [stage] = route.stages
    assert stage.key == route.initial
    assert stage.cite == "9"
    director, monitoring_officer = stage.handlers
    assert (director.party, director.relation) == (Party.SUBJECT, Relation.DIRECTOR)
    assert monitoring_officer.role is Role.MONITORING_OFFICER
    assert "direct_discussion_note" in stage.requires_records


def test_a_members_concern_has_no_line_manager_step_and_no_chief_executive_review(earlier):
    route = earlier.procedures["member_concern"]
    actors = {str(e) for t in route.transitions for e in t.by} | {
        str(e) for s in route.stages for e in s.handlers
    }

    assert actors == {"subject.director", "monitoring_officer"}
    assert [outcome.key for outcome in route.outcomes] == ["dealt_with"]
    assert any("no step to the Chief Executive" in s.default for s in earlier.silences)


def test_a_members_concern_reminds_both_handlers_after_the_stated_default_of_10_working_days(
    earlier,
):
    timer = earlier.procedures["member_concern"].stages[0].timer
    assert timer is not None
    duration = earlier.durations[timer.after]

    assert (duration.amount, duration.unit, duration.cite) == (10, DurationUnit.WORKING_DAYS, "9")
    assert [str(e) for e in timer.to] == ["subject.director", "monitoring_officer"]
    assert list(earlier.durations) == [
        "member_concern_response",
        "enquiry_response",
        "scrutiny_notice",
    ]


def test_the_earlier_protocol_has_no_route_for_an_officers_concern_about_a_member(earlier):
    assert set(earlier.procedures) == {
        "member_concern",
        "delegated_decision_consultation",
        "member_enquiry",
        "scrutiny_attendance",
    }
    [silence] = [s for s in earlier.silences if s.topic == "An officer's concern about a member"]
    assert silence.default.startswith("No procedure.")


def test_a_delegated_decision_stays_with_the_chief_officer_and_needs_no_members_consent(earlier):
    route = earlier.procedures["delegated_decision_consultation"]

    assert all(t.consent is None for t in route.transitions)
    deciders = {str(e) for t in route.transitions for e in t.by}
    assert deciders == {"raiser"}
    decided = [t for t in route.transitions if t.to == "decided_by_chief_officer"]
    assert {t.from_ for t in decided} == {"consultation", "advice_sought"}
    assert all("consultation_record" in t.requires_records for t in decided)
    assert {rule.key: rule.cite for rule in earlier.information_rules}["no_member_sign_off"] == (
        "25"
    )


def test_a_material_disagreement_can_go_for_statutory_advice_or_back_to_the_delegating_body(
    earlier,
):
    route = earlier.procedures["delegated_decision_consultation"]
    advice = next(stage for stage in route.stages if stage.key == "advice_sought")

    assert {e.role for e in advice.handlers if e.role} == {
        Role.CHIEF_EXECUTIVE,
        Role.MONITORING_OFFICER,
        Role.CHIEF_FINANCE_OFFICER,
    }
    into = {(t.from_, t.to): t.cite for t in route.transitions}
    assert into[("consultation", "advice_sought")] == "24(a)"
    assert into[("consultation", "referred_back")] == "24(b)"
    assert into[("advice_sought", "referred_back")] == "24(b)"


def test_local_members_are_told_about_the_matters_paragraphs_26_to_30_list(earlier):
    duties = {duty.key: duty for duty in earlier.notification_duties}

    assert duties["sensitive_report"].cite == "26"
    assert duties["sensitive_report"].when is NotifyWhen.BEFORE_PUBLIC
    assert [str(e) for e in duties["particular_interest"].tell] == [
        "members_with_particular_interest"
    ]
    assert duties["division_matters"].cite == "29"
    examples = {key: d.cite for key, d in duties.items() if d.cite == "30"}
    assert set(examples) == {
        "delegated_decision",
        "press_approach",
        "partnership_action",
        "foi_request",
        "resident_complaints",
        "operational_matter",
    }
    assert all(duties[key].when is NotifyWhen.PROMPTLY for key in examples)


def test_the_earlier_protocol_has_no_event_meeting_consultation_or_major_incident_duty(earlier):
    matters = {duty.matter for duty in earlier.notification_duties}

    assert not matters & {
        Matter.EVENT,
        Matter.PUBLIC_MEETING,
        Matter.MEMBER_PUBLIC_MEETING,
        Matter.CONSULTATION,
        Matter.MAJOR_INCIDENT,
    }


def test_information_rules_cite_the_earlier_paragraph_numbers(earlier):
    rules = {rule.key: rule for rule in earlier.information_rules}

    assert rules["officer_confidences"].cite == "11"
    assert rules["equal_group_briefings"].cite == "14"
    assert "no exception for Cabinet" in rules["equal_group_briefings"].summary
    assert rules["party_political_confidentiality"].cite == "15"
    assert rules["need_to_know"].cite == "28"
    assert rules["senior_members_may_be_told"].cite == "31"


def test_role_titles_come_from_the_earlier_protocol_without_statutory_officer_roles(earlier):
    assert earlier.role_title(Role.CHIEF_EXECUTIVE) == "Chief Executive (Head of Paid Service)"
    assert earlier.role_title(Role.CHIEF_FINANCE_OFFICER) == "Chief Finance Officer"
    assert earlier.roles[Role.LEAD_MEMBER].cite == "19"
    assert earlier.role_title(Role.DEMOCRATIC_SERVICES) == "Head of Democratic Services"
    assert Role.DEPUTY_MONITORING_OFFICER not in earlier.roles
    assert Role.GROUP_LEADER not in earlier.roles


def test_the_revision_adds_the_officer_concern_route_and_reshapes_the_member_route(
    earlier, revised
):
    changes = {change.path: change for change in profile_diff(earlier, revised)}

    added = changes["procedures.officer_concern"]
    assert added.kind is ChangeKind.ADDED
    assert added.description == "procedure 'officer_concern' added"
    assert changes["version"].description == "version 4 -> 2"
    assert changes["procedures.member_concern.stages.chief_executive_review"].kind is (
        ChangeKind.ADDED
    )
    assert changes["procedures.member_concern.stages.director_or_monitoring_officer"].kind is (
        ChangeKind.REMOVED
    )


@pytest.mark.django_db
def test_each_version_is_in_force_from_its_own_date():
    profile_version_store(actor=None, text=EARLIER.read_text(encoding="utf-8"))
    profile_version_store(
        actor=None, text=(DATA / "leicestershire-000-v2.yaml").read_text(encoding="utf-8")
    )
    profile_version_store(actor=None, text=LEICESTERSHIRE.read_text(encoding="utf-8"))

    before = profile_in_force("leicestershire", on=dt.date(2025, 12, 31))
    after = profile_in_force("leicestershire", on=dt.date(2026, 1, 1))

    # The corrected earlier edition has the higher number but an earlier date: it never
    # displaces the revision, and governs only the days before it.
    assert (before.version, before.source_document) == (4, "002_3e805558d0b12ae5")
    # Version 3 corrects version 2's encoding of the same document from the same date, so new
    # cases open under it; cases opened under version 2 keep it.
    assert (after.version, after.source_document) == (3, "000_105dc4ba1c16665c")
    assert "officer_concern" not in profile_of(before).procedures
    assert "officer_concern" in profile_of(after).procedures
    with pytest.raises(NotFound):
        profile_in_force("leicestershire", on=dt.date(2019, 12, 31))


def test_a_members_enquiry_is_answered_by_the_officer_and_refused_only_on_mo_advice(earlier):
    route = earlier.procedures["member_enquiry"]
    moves = {(t.from_, t.to): t for t in route.transitions}

    assert (route.raised_by, route.about, route.cite) == (Side.MEMBER, Side.OFFICER, "3(h)")
    first = next(stage for stage in route.stages if stage.key == route.initial)
    assert [str(e) for e in first.handlers] == ["subject", "subject.line_manager"]
    assert first.cite == "5"
    assert ("officer_response", "withheld") not in moves
    refusal = moves[("need_to_know_advice", "withheld")]
    assert refusal.cite == "28"
    assert refusal.requires_records == ["need_to_know_advice", "reason"]
    response = earlier.durations["enquiry_response"]
    assert (response.amount, response.unit) == (10, DurationUnit.WORKING_DAYS)


def test_the_executive_names_a_lead_member_to_attend_scrutiny_with_stated_notice(earlier):
    route = earlier.procedures["scrutiny_attendance"]
    moves = {(t.from_, t.to): t for t in route.transitions}

    assert (route.about, route.cite) == (Side.MEMBER, "18")
    naming = moves[("executive_nomination", "notice_given")]
    assert [str(e) for e in naming.by] == ["leader"]
    # The Executive provides the Lead Member: the leader names them at this step.
    assert naming.names_subject is not None
    assert (naming.names_subject.role.value, naming.names_subject.cite) == ("lead_member", "18")
    assert moves[("notice_given", "attended")].cite == "20(d)"
    notice = earlier.durations["scrutiny_notice"]
    assert (notice.amount, notice.unit, notice.cite) == (5, DurationUnit.WORKING_DAYS, "18")
    duty = next(d for d in earlier.notification_duties if d.key == "scrutiny_attendance_notice")
    assert [str(e) for e in duty.tell] == ["subject"]
    assert (duty.trigger, duty.stage) == (DutyTrigger.STAGE_ENTERED, "notice_given")


def test_the_earlier_protocol_has_only_the_conflict_rule_paragraph_9_implies(earlier):
    [rule] = earlier.conflicts

    assert (str(rule.role), [str(a) for a in rule.alternates], rule.cite) == (
        "subject.director",
        ["monitoring_officer"],
        "9",
    )
    assert rule.external is None
    assert any(s.topic == "Conflicts of interest" for s in earlier.silences)


def test_rules_unchanged_by_the_revision_keep_their_keys_so_the_diff_shows_renumbering(
    earlier, revised
):
    changes = {change.path: change for change in profile_diff(earlier, revised)}

    for path, renumbered in (
        ("procedures.delegated_decision_consultation.cite", "cite 21 -> 25"),
        ("procedures.scrutiny_attendance.cite", "cite 18 -> 22"),
        ("procedures.member_enquiry.stages.officer_response", "cite 5 -> 7"),
        ("information_rules.need_to_know", "cite 28 -> 38"),
    ):
        assert changes[path].kind is ChangeKind.CHANGED
        assert renumbered in changes[path].description
    consulted = (
        "procedures.delegated_decision_consultation.transitions.consultation -> advice_sought"
    )
    assert "cite 24(a) -> 28(g)" in changes[consulted].description
    assert changes["procedures.statutory_officer_consultation"].kind is ChangeKind.ADDED
    removed = [c.path for c in changes.values() if c.kind is ChangeKind.REMOVED]
    assert not [path for path in removed if path.startswith("information_rules.")]
