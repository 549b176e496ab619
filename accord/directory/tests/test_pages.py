"""The directory pages: who sees them, what they show, and what they cost in queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.directory.tests import factories

DASH = "\N{EN DASH}"  # the separator in page titles

pytestmark = pytest.mark.django_db


def page_urls(council) -> list[str]:
    return [
        reverse("web:home"),
        reverse("directory:people"),
        reverse("directory:person", args=[council.member.person_id]),
        reverse("directory:person", args=[council.officer.person_id]),
        reverse("directory:groups"),
        reverse("directory:group", args=[council.group.pk]),
        reverse("directory:divisions"),
        reverse("directory:division", args=[council.north.pk]),
        reverse("directory:committees"),
        reverse("directory:committee", args=[council.committee.pk]),
        reverse("directory:statutory"),
    ]


def test_every_directory_page_renders_for_a_signed_in_officer(council, officer_client):
    for url in page_urls(council):
        response = officer_client.get(url)
        assert response.status_code == 200, url
        assert b"govuk-template__body" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(council):
    for url in page_urls(council):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_health_check_needs_no_sign_in(db):
    response = Client().get(reverse("web:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_missing_person_is_a_govuk_page_not_found(council, officer_client):
    response = officer_client.get(reverse("directory:person", args=[999_999]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_inactive_person_is_not_found(council, officer_client):
    council.member.person.is_active = False
    council.member.person.save()
    response = officer_client.get(reverse("directory:person", args=[council.member.person_id]))
    assert response.status_code == 404


def test_people_search_finds_by_name_and_filters_by_kind(council, officer_client):
    def names(params: dict[str, str]) -> set[str]:
        response = officer_client.get(reverse("directory:people"), params)
        return {person.full_name for person in response.context["page_obj"].object_list}

    assert names({"q": "quill"}) == {"Ada Quill"}
    officers = names({"kind": "officer"})
    assert "Basil Thorne" in officers
    assert "Ada Quill" not in officers


def test_people_are_paginated_with_the_search_kept_in_the_links(council, officer_client):
    for _ in range(30):
        factories.OfficerFactory(job_title="Planner")
    page = officer_client.get(reverse("directory:people"), {"q": "planner"}).content.decode()
    assert "30 people" in page
    assert "q=planner&amp;page=2" in page


def test_people_page_costs_the_same_queries_however_many_people(council, officer_client):
    url = reverse("directory:people")
    officer_client.get(url)  # warm the session and per-process caches

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(url).status_code == 200
        return len(captured)

    few = queries_for_page()
    group = factories.GroupFactory()
    for _ in range(20):
        factories.MemberFactory(group=group, divisions=[council.north])
        factories.OfficerFactory()
    assert queries_for_page() == few


def test_people_page_stays_within_a_fixed_query_budget(
    council, officer_client, django_assert_max_num_queries
):
    for _ in range(40):
        factories.OfficerFactory()
    with django_assert_max_num_queries(15):
        officer_client.get(reverse("directory:people"))


def test_groups_list_counts_members_and_names_leaders_in_constant_queries(council, officer_client):
    url = reverse("directory:groups")
    officer_client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = officer_client.get(url).content.decode()
    assert council.chair.person.full_name in page
    for _ in range(5):
        extra = factories.GroupFactory()
        leader = factories.MemberFactory(group=extra)
        factories.RoleAppointmentFactory(person=leader.person, role="group_leader", group=extra)
    with CaptureQueriesContext(connection) as many:
        officer_client.get(url)
    assert len(many) == len(few)


def test_member_page_shows_group_divisions_and_committees(council, officer_client):
    page = officer_client.get(
        reverse("directory:person", args=[council.member.person_id])
    ).content.decode()
    assert "Harbour Party" in page
    assert "Northfield" in page
    assert "Scrutiny Board" in page


def test_officer_page_shows_directorate_line_manager_and_reports(council, officer_client):
    page = officer_client.get(
        reverse("directory:person", args=[council.officer.person_id])
    ).content.decode()
    assert "Highways Engineer" in page
    assert "Place" in page
    assert council.manager.person.full_name in page

    manager_page = officer_client.get(
        reverse("directory:person", args=[council.manager.person_id])
    ).content.decode()
    assert "Basil Thorne" in manager_page


def test_officer_page_lists_statutory_designations(council, officer_client):
    page = officer_client.get(
        reverse("directory:person", args=[council.deputy.person_id])
    ).content.decode()
    assert "Deputy Monitoring Officer" in page


def test_divisions_show_members_and_adjoining_divisions(council, officer_client):
    page = officer_client.get(reverse("directory:divisions")).content.decode()
    assert "Ada Quill" in page
    detail = officer_client.get(
        reverse("directory:division", args=[council.north.pk])
    ).content.decode()
    assert "Southmere" in detail


def test_committee_page_names_the_chair(council, officer_client):
    response = officer_client.get(reverse("directory:committee", args=[council.committee.pk]))
    assert response.context["chair"].member == council.chair
    assert "Ada Quill" in response.content.decode()


def test_statutory_page_shows_the_deputy_acting_while_the_holder_is_absent(council, officer_client):
    response = officer_client.get(reverse("directory:statutory"))
    monitoring = next(o for o in response.context["offices"] if o.slug == "monitoring_officer")
    assert monitoring.acting.officer == council.deputy
    page = response.content.decode()
    assert council.monitoring_officer.person.full_name in page
    assert "is absent" in page


def test_page_titles_name_the_page_the_service_and_the_council(council, officer_client):
    page = officer_client.get(reverse("directory:groups")).content.decode()
    assert f"<title>Political groups {DASH} Accord {DASH} " in page
