from __future__ import annotations

import json
from collections import Counter, deque
from io import StringIO

import pytest
from django.core.management import call_command

from accord.access.roles import MFA_REQUIRED_ROLES, Role, roles_for
from accord.accounts.models import User
from accord.audit.models import AuditEvent
from accord.concerns.demo import SAMPLE_CONCERNS
from accord.demo import data
from accord.demo.plan import build_plan
from accord.demo.services import SAMPLE_CASES, demo_seed
from accord.directory import selectors
from accord.directory.models import (
    Committee,
    CommitteeMembership,
    Council,
    Directorate,
    Division,
    Member,
    Officer,
    Person,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)
from accord.procedures.models import Case
from accord.procedures.selectors import visible_cases

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council")]

MODELS = (
    Council,
    PoliticalGroup,
    Division,
    Directorate,
    Person,
    Member,
    Officer,
    RoleAppointment,
    StatutoryDesignation,
    Committee,
    CommitteeMembership,
    User,
    AuditEvent,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _adjacency() -> dict[int, set[int]]:
    graph: dict[int, set[int]] = {pk: set() for pk in Division.objects.values_list("pk", flat=True)}
    through = Division.adjacent.through
    for a, b in through.objects.values_list("from_division_id", "to_division_id"):
        graph[a].add(b)
    return graph


def _account(username: str) -> User:
    return User.objects.select_related("person").get(username=username)


def _member(user: User) -> Member:
    return Member.objects.select_related("group").get(person__user=user)


def test_the_county_has_the_size_of_a_real_shire_council():
    council = Council.objects.get()
    assert council.name == data.COUNCIL_NAME
    assert council.governance == Council.Governance.LEADER_AND_CABINET
    assert Member.objects.filter(is_co_opted=False).count() == 55
    assert Member.objects.filter(is_co_opted=True).count() == data.CO_OPTED_MEMBERS
    assert PoliticalGroup.objects.filter(is_independent=False).count() == 4
    assert PoliticalGroup.objects.filter(is_independent=True).count() == 1
    assert Division.objects.count() == 50
    assert 280 <= Officer.objects.count() <= 320
    assert Directorate.objects.count() == 6


def test_division_adjacency_is_symmetric_irreflexive_and_connected():
    graph = _adjacency()
    for division, neighbours in graph.items():
        assert division not in neighbours
        assert neighbours, f"division {division} adjoins nothing"
        for other in neighbours:
            assert division in graph[other]
    start = next(iter(graph))
    seen = {start}
    queue = deque([start])
    while queue:
        for other in graph[queue.popleft()] - seen:
            seen.add(other)
            queue.append(other)
    assert seen == set(graph)


def test_every_division_is_represented_and_some_elect_two_members():
    per_division = Counter(
        Member.objects.filter(is_co_opted=False).values_list("divisions__code", flat=True)
    )
    assert set(per_division) == set(Division.objects.values_list("code", flat=True))
    assert sorted(set(per_division.values())) == [1, 2]
    assert sum(1 for seats in per_division.values() if seats == 2) == len(data.TWO_MEMBER_DIVISIONS)


def test_co_opted_members_have_no_group_or_division_and_sit_on_standards():
    for member in Member.objects.filter(is_co_opted=True):
        assert member.group is None
        assert not member.divisions.exists()
        assert member.committee_memberships.filter(committee__kind="standards").exists()


def test_every_officer_but_the_chief_executive_has_a_line_manager_without_loops():
    managers = dict(Officer.objects.values_list("pk", "line_manager_id"))
    tops = [pk for pk, manager in managers.items() if manager is None]
    assert len(tops) == 1
    assert Officer.objects.get(pk=tops[0]).job_title == "Chief Executive"
    for officer in managers:
        seen: set[int] = set()
        current: int | None = officer
        while current is not None:
            assert current not in seen, f"line management loop through officer {current}"
            seen.add(current)
            current = managers[current]


def test_line_management_runs_chief_executive_directors_heads_managers_officers():
    chief = Officer.objects.get(line_manager__isnull=True)
    directors = Officer.objects.filter(job_title__startswith="Director of")
    assert directors.count() == 5
    assert all(d.line_manager_id == chief.pk for d in directors)
    heads = Officer.objects.filter(job_title__startswith="Head of")
    assert heads.count() == sum(len(d.services) for d in data.DIRECTORATES)
    assert all(h.line_manager_id in {chief.pk, *(d.pk for d in directors)} for h in heads)
    for head in heads:
        assert head.reports.exists()
        assert all(manager.reports.exists() for manager in head.reports.all())


def test_corporate_management_team_is_the_chief_executive_and_directors():
    cmt = set(Officer.objects.filter(is_cmt=True).values_list("job_title", flat=True))
    assert cmt == {"Chief Executive"} | {
        d.director_title for d in data.DIRECTORATES if d.director_title
    }


@pytest.mark.parametrize(
    ("office", "deputies"),
    [
        ("head_of_paid_service", 1),
        ("monitoring_officer", 2),
        ("chief_finance_officer", 1),
        ("scrutiny_officer", 1),
    ],
)
def test_each_statutory_office_has_a_holder_and_deputies(office, deputies):
    acting = selectors.acting_statutory_officer(office=office)
    assert acting.officer is not None
    assert not acting.is_deputy
    current = StatutoryDesignation.objects.current_on(data.ANNUAL_MEETING).filter(office=office)
    assert current.filter(is_deputy=True).count() == deputies


def test_the_chief_executive_is_head_of_paid_service():
    acting = selectors.acting_statutory_officer(office="head_of_paid_service")
    assert acting.officer is not None
    assert acting.officer.job_title == "Chief Executive"


def test_the_administration_has_a_leader_deputy_and_lead_members():
    administration = selectors.current_administration()
    assert administration is not None
    assert {g.short_name for g in administration.groups.all()} == set(data.ADMINISTRATION_GROUPS)
    current = RoleAppointment.objects.current_on(data.ANNUAL_MEETING)
    leader = current.get(role="leader")
    assert leader.person_id == administration.leader.person_id
    assert current.filter(role="deputy_leader").count() == 1
    lead_members = current.filter(role="lead_member")
    assert sorted(area for a in lead_members for area in a.areas) == sorted(
        area for area, _ in data.PORTFOLIOS
    )
    childrens = lead_members.get(is_statutory_childrens_lead=True)
    assert childrens.areas == ["Children and Family Services"]


def test_every_political_group_has_a_group_leader():
    current = RoleAppointment.objects.current_on(data.ANNUAL_MEETING)
    for group in PoliticalGroup.objects.filter(is_independent=False):
        assert current.filter(role="group_leader", group=group).count() == 1, group


def test_committees_each_have_one_chair_and_members():
    kinds = set(Committee.objects.values_list("kind", flat=True))
    assert kinds == {
        "cabinet",
        "overview_scrutiny",
        "regulatory",
        "standards",
        "corporate_governance",
        "employment",
    }
    for committee in Committee.objects.all():
        positions = Counter(committee.memberships.values_list("position", flat=True))
        assert positions["chair"] == 1, committee
        assert positions["member"] >= 3, committee


def test_scrutiny_has_no_executive_members():
    executive = set(
        RoleAppointment.objects.filter(role__in=["leader", "lead_member"]).values_list(
            "person_id", flat=True
        )
    )
    scrutiny = Committee.objects.get(kind="overview_scrutiny")
    on_scrutiny = set(scrutiny.memberships.values_list("member__person_id", flat=True))
    assert not executive & on_scrutiny


def test_democratic_services_officers_and_a_directory_administrator_are_appointed():
    assert RoleAppointment.objects.filter(role="democratic_services").count() >= 5
    assert RoleAppointment.objects.filter(role="directory_admin").count() == 1


def test_addresses_are_on_the_example_domain_and_unique():
    emails = list(Person.objects.values_list("email", flat=True))
    assert all(email.endswith(f"@{data.EMAIL_DOMAIN}") for email in emails)
    assert len(set(emails)) == len(emails)


@pytest.mark.parametrize("spec", data.DEMO_ACCOUNTS, ids=lambda spec: spec.username)
def test_each_demo_account_signs_in_as_its_role(spec):
    user = _account(spec.username)
    assert user.person is not None
    assert user.check_password(data.DEMO_PASSWORD)
    assert spec.role in roles_for(user)


def test_the_member_account_is_an_ordinary_backbencher_with_neighbours():
    user = _account("member")
    roles = roles_for(user)
    assert Role.MEMBER in roles
    assert not roles & {Role.GROUP_LEADER, Role.LEADER, Role.DEPUTY_LEADER, Role.LEAD_MEMBER}
    member = _member(user)
    assert member.group is not None
    assert not member.group.is_independent
    division = member.divisions.get()
    assert division.adjacent.count() >= 3


def test_the_group_leader_account_leads_an_opposition_group():
    user = _account("group-leader")
    administration = selectors.current_administration()
    assert administration is not None
    group = _member(user).group
    assert group is not None
    assert group not in set(administration.groups.all())
    assert Role.LEADER not in roles_for(user)


def test_statutory_officer_accounts_must_set_up_two_factor_and_others_need_not():
    needing = {
        spec.username
        for spec in data.DEMO_ACCOUNTS
        if roles_for(_account(spec.username)) & MFA_REQUIRED_ROLES
    }
    assert needing == {
        "chief-executive",
        "monitoring-officer",
        "deputy-monitoring-officer",
        "chief-finance-officer",
    }


def test_every_person_and_account_was_created_through_an_audited_service():
    verbs = Counter(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs["directory.member_created"] == Member.objects.count()
    assert verbs["directory.officer_created"] == Officer.objects.count()
    assert verbs["account.created"] == len(data.DEMO_ACCOUNTS)
    assert verbs["directory.administration_changed"] == 1
    # Everything is written by the system, except the sample cases, opened by their raisers.
    by_people = AuditEvent.objects.exclude(actor_label="system")
    assert set(by_people.values_list("verb", flat=True)) == {
        "procedures.case_opened",
        "concerns.concern_raised",
    }
    assert set(by_people.values_list("actor_label", flat=True)) == {
        raiser for _, raiser, _ in SAMPLE_CASES
    } | {raiser for _, raiser, _, _ in SAMPLE_CONCERNS}


def test_the_sample_cases_open_under_the_council_profile_and_reach_their_handlers():
    cases = list(Case.objects.order_by("pk"))
    assert [case.procedure for case in cases] == [
        "member_enquiry",
        "delegated_decision_consultation",
        "member_concern",
        "officer_concern",
    ]
    assert {case.profile_version.profile_id for case in cases} == {"leicestershire"}
    officer = User.objects.get(username="officer")
    member = User.objects.get(username="member")
    # The member the sample officer's concern is about cannot see it.
    assert list(visible_cases(member)) == [cases[0]]
    assert cases[0] in visible_cases(officer)


def test_seeding_again_writes_nothing():
    before = _counts()
    outcome = demo_seed()
    assert not outcome.created
    assert _counts() == before


def test_seed_demo_command_run_again_says_so_and_changes_nothing():
    before = _counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already seeded" in out.getvalue()
    assert data.DEMO_PASSWORD in out.getvalue()
    assert _counts() == before


def test_demo_users_json_lists_every_account_with_exactly_the_agreed_keys():
    out = StringIO()
    call_command("demo_users", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [row["username"] for row in rows] == list(data.DEMO_USERNAMES)
    for row in rows:
        assert set(row) == {"username", "name", "role", "person_id"}
        person = Person.objects.get(pk=row["person_id"])
        assert row["name"] == person.full_name
    roles = {row["username"]: row["role"] for row in rows}
    assert roles["monitoring-officer"] == "Monitoring Officer"


def test_demo_users_table_shows_usernames_and_the_password():
    out = StringIO()
    call_command("demo_users", stdout=out)
    text = out.getvalue()
    assert all(username in text for username in data.DEMO_USERNAMES)
    assert data.DEMO_PASSWORD in text


def test_the_seeded_names_are_the_planned_ones(demo_council):
    planned = {m.person.email for m in demo_council.members} | {
        o.person.email for o in demo_council.officers
    }
    assert set(Person.objects.values_list("email", flat=True)) == planned
    assert build_plan() == demo_council


@pytest.mark.parametrize("username", ["officer", "member", "leader"])
def test_demo_accounts_sign_in_with_the_published_password(client, username):
    response = client.post("/accounts/login/", {"login": username, "password": data.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(_account(username).pk)
