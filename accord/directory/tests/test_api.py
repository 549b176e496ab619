from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.api.tests.fixtures import ApiClient
from accord.core import clock
from accord.directory.models import Absence, Committee, RoleAppointment, StatutoryDesignation
from accord.directory.tests.factories import (
    CommitteeFactory,
    DirectorateFactory,
    DivisionFactory,
    GroupFactory,
    MemberFactory,
    OfficerFactory,
    RoleAppointmentFactory,
    StatutoryDesignationFactory,
)

BASE = "/api/v1/directory"


@pytest.fixture
def council(db):
    """A small directory: two adjoining divisions, a group with its leader, a committee chair,
    a Monitoring Officer who is away today and the deputy acting for them."""
    north: Any = DivisionFactory(code="N01", name="Northgate")
    south: Any = DivisionFactory(name="Southgate")
    north.adjacent.add(south)
    group = GroupFactory(name="Harbour Party", short_name="HP")
    leader = MemberFactory(group=group, divisions=[north], person__family_name="Aardvark")
    other = MemberFactory(group=group, divisions=[south])
    RoleAppointmentFactory(
        person=leader.person, role=RoleAppointment.Role.GROUP_LEADER, group=group
    )
    committee: Any = CommitteeFactory(name="Scrutiny Board", kind=Committee.Kind.OVERVIEW_SCRUTINY)
    committee.memberships.create(member=leader, position="chair", starts_on=dt.date(2025, 5, 1))
    directorate = DirectorateFactory(code="LAW", name="Law and Governance")
    mo: Any = OfficerFactory(directorate=directorate, job_title="Monitoring Officer", is_cmt=True)
    deputy = OfficerFactory(directorate=directorate, job_title="Solicitor", line_manager=mo)
    StatutoryDesignationFactory(office="monitoring_officer", officer=mo)
    StatutoryDesignationFactory(
        office="monitoring_officer", officer=deputy, is_deputy=True, deputy_rank=1
    )
    Absence.objects.create(officer=mo, starts_on=clock.today(), ends_on=clock.today())
    return {
        "north": north,
        "south": south,
        "group": group,
        "leader": leader,
        "other": other,
        "committee": committee,
        "directorate": directorate,
        "mo": mo,
        "deputy": deputy,
    }


def test_people_list_is_paginated_with_a_total(api, council):
    response = api.get(f"{BASE}/people", limit=2, offset=1)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (4, 2, 1)
    assert len(body["items"]) == 2


def test_people_list_filters_by_kind_and_search(api, council):
    members = api.get(f"{BASE}/people", kind="member").json()
    assert {p["id"] for p in members["items"]} == {
        council["leader"].person.pk,
        council["other"].person.pk,
    }
    assert members["items"][0]["group"] == {
        "id": council["group"].pk,
        "name": "Harbour Party",
        "short_name": "HP",
    }

    found = api.get(f"{BASE}/people", q="Northgate").json()
    assert [p["id"] for p in found["items"]] == [council["leader"].person.pk]

    officers = api.get(f"{BASE}/people", kind="officer", q="solicitor").json()
    assert [p["job_title"] for p in officers["items"]] == ["Solicitor"]
    assert officers["items"][0]["directorate"]["code"] == "LAW"


def test_person_detail_shows_divisions_and_roles_for_a_member(api, council):
    leader = council["leader"]

    body = api.get(f"{BASE}/people/{leader.person.pk}").json()

    assert body["kind"] == "member"
    assert body["divisions"] == [{"id": council["north"].pk, "code": "N01", "name": "Northgate"}]
    assert [a["role"] for a in body["appointments"]] == ["group_leader"]
    assert body["appointments"][0]["group"]["id"] == council["group"].pk
    assert body["directorate"] is None


def test_person_detail_shows_line_management_for_an_officer(api, council):
    mo, deputy = council["mo"], council["deputy"]

    manager = api.get(f"{BASE}/people/{mo.person.pk}").json()
    report = api.get(f"{BASE}/people/{deputy.person.pk}").json()

    assert manager["is_cmt"] is True
    assert manager["direct_reports"] == [{"id": deputy.person.pk, "full_name": str(deputy)}]
    assert report["line_manager"] == {"id": mo.person.pk, "full_name": str(mo)}
    assert report["divisions"] == []


def test_inactive_person_is_not_found(api, council):
    person = council["other"].person
    person.is_active = False
    person.save()

    assert api.get(f"{BASE}/people/{person.pk}").status_code == 404


def test_groups_list_and_detail_with_leader_and_members(api, council):
    listing = api.get(f"{BASE}/groups").json()
    assert [g["short_name"] for g in listing["items"]] == ["HP"]

    detail = api.get(f"{BASE}/groups/{council['group'].pk}").json()
    assert detail["leader"]["id"] == council["leader"].person.pk
    assert {m["id"] for m in detail["members"]} == {
        council["leader"].person.pk,
        council["other"].person.pk,
    }
    assert api.get(f"{BASE}/groups/999999").status_code == 404


def test_divisions_list_adjacency_and_members(api, council):
    items = {d["code"]: d for d in api.get(f"{BASE}/divisions").json()["items"]}

    north = items["N01"]
    assert [a["id"] for a in north["adjacent"]] == [council["south"].pk]
    assert [m["id"] for m in north["members"]] == [council["leader"].person.pk]
    assert [a["code"] for a in items[council["south"].code]["adjacent"]] == ["N01"]

    detail = api.get(f"{BASE}/divisions/{council['north'].pk}").json()
    assert detail == north


def test_directorates_list(api, council):
    body = api.get(f"{BASE}/directorates").json()

    assert {d["code"] for d in body["items"]} == {"LAW"}


def test_committees_list_and_detail_with_memberships(api, council):
    listing = api.get(f"{BASE}/committees").json()
    assert listing["items"] == [
        {
            "id": council["committee"].pk,
            "name": "Scrutiny Board",
            "kind": "overview_scrutiny",
            "kind_label": "Overview and Scrutiny",
        }
    ]

    detail = api.get(f"{BASE}/committees/{council['committee'].pk}").json()
    assert [(m["member"]["id"], m["position"]) for m in detail["memberships"]] == [
        (council["leader"].person.pk, "chair")
    ]
    assert detail["memberships"][0]["group"]["short_name"] == "HP"


def test_statutory_officers_show_who_acts_today_and_why(api, council):
    body = api.get(f"{BASE}/statutory-officers").json()

    offices = {o["office"]: o for o in body["offices"]}
    assert set(offices) == set(StatutoryDesignation.Office.values)
    mo = offices["monitoring_officer"]
    assert mo["acting"]["officer"]["id"] == council["deputy"].person.pk
    assert mo["acting"]["is_deputy"] is True
    assert "absent" in mo["acting"]["reason"]
    assert [d["officer"]["id"] for d in mo["designations"]] == [
        council["mo"].person.pk,
        council["deputy"].person.pk,
    ]
    assert offices["chief_finance_officer"]["acting"]["officer"] is None


def test_statutory_officers_answer_for_another_day(api, council):
    tomorrow = clock.today() + dt.timedelta(days=1)

    body = api.get(f"{BASE}/statutory-officers", on=tomorrow.isoformat()).json()

    mo = next(o for o in body["offices"] if o["office"] == "monitoring_officer")
    assert body["on"] == tomorrow.isoformat()
    assert mo["acting"]["officer"]["id"] == council["mo"].person.pk
    assert mo["acting"]["is_deputy"] is False


def test_me_shows_the_callers_person_and_roles_today(user, council):
    from accord.api.services import token_create

    user.person = council["mo"].person
    user.save()
    _, plaintext = token_create(actor=None, user=user, name="me")

    body = ApiClient(plaintext).get("/api/v1/me").json()

    assert body["username"] == user.username
    assert body["person"]["id"] == council["mo"].person.pk
    assert {"officer", "cmt", "line_manager", "monitoring_officer"} <= set(body["roles"])


def test_me_without_a_directory_entry_has_no_person_or_roles(api, user):
    body = api.get("/api/v1/me").json()

    assert body == {"username": user.username, "person": None, "roles": []}


# --- constant queries per page -----------------------------------------------------------------


def _people(n):
    group = GroupFactory()
    for i in range(n):
        if i % 2:
            MemberFactory(group=group, divisions=[DivisionFactory()])
        else:
            OfficerFactory(line_manager=None)


def _divisions(n):
    previous = None
    for _ in range(n):
        division: Any = DivisionFactory()
        MemberFactory(divisions=[division])
        if previous is not None:
            division.adjacent.add(previous)
        previous = division


def _groups(n):
    for _ in range(n):
        GroupFactory()


def _directorates(n):
    for _ in range(n):
        DirectorateFactory()


def _committees(n):
    for _ in range(n):
        CommitteeFactory()


@pytest.mark.parametrize(
    ("path", "make"),
    [
        ("people", _people),
        ("divisions", _divisions),
        ("groups", _groups),
        ("directorates", _directorates),
        ("committees", _committees),
    ],
)
def test_list_pages_cost_the_same_queries_for_5_or_50_rows(
    api, path, make, django_assert_max_num_queries
):
    api.get("/api/v1/me")  # the token's first use writes last_used_at; keep it out of the count
    make(5)
    with CaptureQueriesContext(connection) as small:
        response = api.get(f"{BASE}/{path}", limit=200)
    assert len(response.json()["items"]) >= 5

    make(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get(f"{BASE}/{path}", limit=200)
    assert len(response.json()["items"]) >= 50


# --- The page and the API show the same thing: both read one selector ---------------------------


def _signed_in(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_statutory_officers_page_and_api_show_the_same_holders_deputies_and_acting(
    api, user, council
):
    page = _signed_in(user).get(reverse("directory:statutory")).context["offices"]
    body = api.get(f"{BASE}/statutory-officers").json()["offices"]

    assert [o.office for o in page] == [o["office"] for o in body]
    for shown, answered in zip(page, body, strict=True):
        designations = answered["designations"]
        assert [o.person_id for o in shown.holders] == [
            d["officer"]["id"] for d in designations if not d["is_deputy"]
        ]
        assert [o.person_id for o in shown.deputies] == [
            d["officer"]["id"] for d in designations if d["is_deputy"]
        ]
        acting = shown.acting.officer.person_id if shown.acting.officer else None
        assert acting == (answered["acting"]["officer"] or {}).get("id")


def test_a_persons_page_and_api_show_the_same_roles_and_reports(api, user, council):
    for person in (council["mo"].person, council["leader"].person):
        context = _signed_in(user).get(reverse("directory:person", args=[person.pk])).context
        body = api.get(f"{BASE}/people/{person.pk}").json()

        assert [(a.role, a.starts_on.isoformat()) for a in context["appointments"]] == [
            (a["role"], a["starts_on"]) for a in body["appointments"]
        ]
        assert [r.person_id for r in context["reports"]] == [
            r["id"] for r in body["direct_reports"]
        ]
