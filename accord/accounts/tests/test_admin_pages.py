"""Account administration pages: who may use them, what they show and cost, and what they do."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts.models import User, UserSession
from accord.accounts.services import account_create, sign_in_record
from accord.accounts.testing import give_totp
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.directory.models import RoleAppointment
from accord.directory.tests import factories as typed_factories

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")
# Session, the signed-in account and its roles, then the page: a count, one query for the rows
# (with their people and two-factor status) and four for the roles of everyone on it.
LIST_QUERIES = 15


def _user_with_role(username: str, role: str | None = None, *, member: bool = False) -> User:
    holder = factories.MemberFactory() if member else factories.OfficerFactory()
    if role:
        factories.RoleAppointmentFactory(
            person=holder.person, role=role, starts_on=clock.today() - dt.timedelta(days=7)
        )
    user: User = factories.UserFactory(username=username, person=holder.person)
    return user


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dem_services() -> User:
    return _user_with_role("dem.services", RoleAppointment.Role.DEMOCRATIC_SERVICES)


@pytest.fixture
def admin_client(dem_services: User) -> Client:
    return _client_for(dem_services)


@pytest.fixture
def target() -> User:
    return _user_with_role("target.officer")


def _urls(account: User) -> list[str]:
    return [
        reverse("accounts:account_admin_list"),
        reverse("accounts:account_admin_create"),
        reverse("accounts:account_admin_detail", args=[account.pk]),
        reverse("accounts:account_admin_disable", args=[account.pk]),
        reverse("accounts:account_admin_enable", args=[account.pk]),
    ]


def test_democratic_services_and_directory_admins_can_open_every_page(dem_services, target):
    directory_admin = _user_with_role("dir.admin", RoleAppointment.Role.DIRECTORY_ADMIN)
    give_totp(directory_admin)
    for user in (dem_services, directory_admin):
        client = _client_for(user)
        for url in _urls(target):
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)


@pytest.mark.parametrize("member", [False, True], ids=["officer", "member"])
def test_everyone_else_gets_not_found_on_every_page_and_post(member, target):
    client = _client_for(_user_with_role("someone.else", member=member))
    for url in _urls(target):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "username": "x"}).status_code == 404, url
    target.refresh_from_db()
    assert target.is_active
    assert not AuditEvent.objects.filter(verb="account.disabled").exists()


def test_the_accounts_section_shows_in_navigation_only_for_administrators(admin_client, target):
    list_url = reverse("accounts:account_admin_list")
    assert f'href="{list_url}"' in admin_client.get(HOME).content.decode()
    other = _client_for(target)
    assert f'href="{list_url}"' not in other.get(HOME).content.decode()


def test_a_missing_account_is_not_found(admin_client):
    assert (
        admin_client.get(reverse("accounts:account_admin_detail", args=[999_999])).status_code
        == 404
    )


def test_list_shows_person_roles_status_and_two_factor(admin_client, dem_services, target):
    give_totp(dem_services)
    response = admin_client.get(reverse("accounts:account_admin_list"))

    rows = {row["account"].username: row for row in response.context["rows"]}
    assert rows["dem.services"]["roles"] == ["Officer", "Democratic Services"]
    assert rows["dem.services"]["account"].has_two_factor is True
    assert rows["target.officer"]["account"].has_two_factor is False
    html = response.content.decode()
    assert target.person.full_name in html
    assert "Never" in html  # nobody has signed in through the sign-in page


def test_list_search_matches_username_email_and_name(admin_client, target):
    def usernames(q: str) -> set[str]:
        response = admin_client.get(reverse("accounts:account_admin_list"), {"q": q})
        return {row["account"].username for row in response.context["rows"]}

    assert usernames("target") == {"target.officer"}
    assert usernames(target.person.family_name) == {"target.officer"}
    assert usernames(target.email.upper()) == {"target.officer"}
    assert usernames("zzz-nobody") == set()


def _accounts(n: int) -> None:
    for i in range(n):
        role = RoleAppointment.Role.DEMOCRATIC_SERVICES if i % 3 == 0 else None
        user = _user_with_role(f"bulk{i:03d}", role, member=i % 2 == 1)
        if i % 4 == 0:
            give_totp(user)


@pytest.mark.parametrize("extra", [3, 40])
def test_list_costs_the_same_queries_whatever_the_page_holds(
    admin_client, django_assert_max_num_queries, extra
):
    _accounts(extra)
    admin_client.get(reverse("accounts:account_admin_list"))  # warm the session and role caches
    with django_assert_max_num_queries(LIST_QUERIES):
        response = admin_client.get(reverse("accounts:account_admin_list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(extra + 1, 25)


def test_list_is_paginated_with_the_search_kept(admin_client):
    _accounts(30)
    response = admin_client.get(reverse("accounts:account_admin_list"), {"q": "bulk", "page": 2})
    assert response.context["page_obj"].number == 2
    assert len(response.context["rows"]) == 5
    assert "q=bulk" in response.content.decode()


def test_detail_shows_sessions_and_the_accounts_own_audit_events(admin_client, target):
    _client_for(target)
    _client_for(target)
    other = _user_with_role("other.officer")
    sign_in_record(user=target, methods=["password", "totp"])
    sign_in_record(user=other, methods=["password"])

    response = admin_client.get(reverse("accounts:account_admin_detail", args=[target.pk]))

    assert response.context["sessions"] == 2
    labels = [(row["label"], row["details"]) for row in response.context["events"]]
    assert labels == [("Signed in", "password, then totp")]
    assert b"Disable account" in response.content


def test_create_makes_an_account_without_a_password_and_redirects_with_a_banner(
    admin_client, dem_services
):
    officer = factories.OfficerFactory()

    response = admin_client.post(
        reverse("accounts:account_admin_create"),
        {"person": officer.person.pk, "username": "new.one"},
    )

    account = User.objects.get(username="new.one")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account_admin_detail", args=[account.pk])
    assert account.person == officer.person
    assert not account.has_usable_password()
    event = AuditEvent.objects.get(verb="account.created")
    assert event.actor_id == dem_services.pk
    page = admin_client.get(response["Location"])
    assert "Account new.one created" in page.content.decode()


def test_create_offers_only_active_people_without_an_account(admin_client, target):
    free = factories.OfficerFactory()
    gone = factories.OfficerFactory(person__is_active=False)
    response = admin_client.get(reverse("accounts:account_admin_create"))
    offered = set(response.context["form"].fields["person"].queryset)
    assert free.person in offered
    assert target.person not in offered
    assert gone.person not in offered


def test_create_errors_are_in_the_summary_and_name_the_field(admin_client, target):
    officer = factories.OfficerFactory()

    response = admin_client.post(
        reverse("accounts:account_admin_create"),
        {"person": officer.person.pk, "username": "TARGET.officer"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"username": ["That username is already in use"]}
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert '<a href="#id_username">That username is already in use</a>' in html
    assert not User.objects.filter(person=officer.person).exists()


def test_disable_page_warns_that_sessions_will_end(admin_client, target):
    _client_for(target)
    response = admin_client.get(reverse("accounts:account_admin_disable", args=[target.pk]))
    assert "its 1 active session will end now" in " ".join(response.content.decode().split())


def test_disable_ends_sessions_records_the_actor_and_shows_a_banner(
    admin_client, dem_services, target
):
    target_browser = _client_for(target)
    assert target_browser.get(HOME).status_code == 200

    response = admin_client.post(
        reverse("accounts:account_admin_disable", args=[target.pk]), {"reason": "Left the council"}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert not UserSession.objects.filter(user=target).exists()
    assert target_browser.get(HOME).status_code == 302
    event = AuditEvent.objects.get(verb="account.disabled")
    assert event.actor_id == dem_services.pk
    assert event.target_id == str(target.pk)
    assert event.data == {"reason": "Left the council", "sessions_ended": 1}
    page = admin_client.get(response["Location"])
    assert "Account target.officer disabled: 1 session ended" in page.content.decode()
    assert b"Enable account" in page.content


def test_disable_needs_a_reason(admin_client, target):
    response = admin_client.post(
        reverse("accounts:account_admin_disable", args=[target.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Enter the reason"]}
    assert '<a href="#id_reason">Enter the reason</a>' in response.content.decode()
    target.refresh_from_db()
    assert target.is_active


def test_an_administrator_cannot_disable_their_own_account(admin_client, dem_services):
    detail = admin_client.get(reverse("accounts:account_admin_detail", args=[dem_services.pk]))
    assert b"Disable account" not in detail.content

    response = admin_client.post(
        reverse("accounts:account_admin_disable", args=[dem_services.pk]), {"reason": "Testing"}
    )

    assert response.status_code == 200
    assert "You cannot disable your own account" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    dem_services.refresh_from_db()
    assert dem_services.is_active
    assert not AuditEvent.objects.filter(verb="account.disabled").exists()


def test_enable_lets_the_account_sign_in_again_and_is_audited(admin_client, dem_services):
    person = factories.OfficerFactory().person
    account = account_create(actor=None, person=person, username="returning")
    account.is_active = False
    account.save()

    response = admin_client.post(
        reverse("accounts:account_admin_enable", args=[account.pk]), {"reason": "Returned"}
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_active
    event = AuditEvent.objects.get(verb="account.enabled")
    assert event.actor_id == dem_services.pk
    assert "Account returning enabled" in admin_client.get(response["Location"]).content.decode()


def test_enabling_an_active_account_is_refused_in_the_summary(admin_client, target):
    response = admin_client.post(
        reverse("accounts:account_admin_enable", args=[target.pk]), {"reason": "Why not"}
    )
    assert response.status_code == 200
    assert "This account is already enabled" in response.content.decode()


def test_pages_have_no_inline_styles_or_scripts(admin_client, target):
    from accord.web.tests.test_page_hygiene import inline_code

    for url in _urls(target):
        finder = inline_code(admin_client.get(url).content.decode())
        assert finder.problems == [], url


def test_create_can_start_with_the_person_chosen(admin_client):
    officer = factories.OfficerFactory()
    url = reverse("accounts:account_admin_create")
    response = admin_client.get(url, {"person": officer.person.pk})
    assert f'<option value="{officer.person.pk}" selected>' in response.content.decode()
