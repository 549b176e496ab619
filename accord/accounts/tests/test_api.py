"""/api/v1/accounts: administrators list, read, create, disable and enable; others get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accord.accounts.models import User, UserSession
from accord.accounts.testing import give_totp
from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.audit.models import AuditEvent
from accord.directory.tests import factories as typed_factories

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/accounts"
NOT_FOUND = {"detail": "Not found.", "errors": []}


def _holder(username: str, role: str | None = None, *, member: bool = False) -> User:
    holder = factories.MemberFactory() if member else factories.OfficerFactory()
    if role:
        factories.RoleAppointmentFactory(person=holder.person, role=role)
    user: User = factories.UserFactory(username=username, person=holder.person)
    return user


def _client(user: User) -> ApiClient:
    return ApiClient(token_create(actor=None, user=user, name="tests")[1])


@pytest.fixture
def admin_user() -> User:
    user = _holder("dir.admin", "directory_admin")
    give_totp(user)
    return user


@pytest.fixture
def admin(admin_user: User) -> ApiClient:
    return _client(admin_user)


@pytest.fixture
def target() -> User:
    return _holder("target.officer")


def _endpoints(target: User) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("get", ACCOUNTS, None),
        ("get", f"{ACCOUNTS}/{target.pk}", None),
        ("post", ACCOUNTS, {"person_id": target.person_id, "username": "x"}),
        ("post", f"{ACCOUNTS}/{target.pk}/disable", {"reason": "x"}),
        ("post", f"{ACCOUNTS}/{target.pk}/enable", {"reason": "x"}),
        # A malformed body would be a 422 for an administrator: the role is checked first.
        ("post", ACCOUNTS, {"person_id": "not-a-number"}),
    ]


@pytest.mark.parametrize("member", [False, True], ids=["officer", "member"])
def test_every_endpoint_is_not_found_for_anyone_else(member, target):
    client = _client(_holder("someone", member=member))
    for method, path, body in _endpoints(target):
        response = getattr(client, method)(path, body) if body else client.get(path)
        assert response.status_code == 404, (method, path)
        assert response.json() == NOT_FOUND
    target.refresh_from_db()
    assert target.is_active


def test_democratic_services_may_use_the_endpoints(target):
    client = _client(_holder("dem", "democratic_services"))
    assert client.get(ACCOUNTS).status_code == 200
    assert client.get(f"{ACCOUNTS}/{target.pk}").status_code == 200


def test_list_is_paginated_and_searchable(admin, admin_user, target):
    body = admin.get(ACCOUNTS, limit=1).json()
    assert body["count"] == 2
    assert [item["username"] for item in body["items"]] == ["dir.admin"]
    assert body["items"][0]["roles"] == ["directory_admin", "officer"]
    assert body["items"][0]["two_factor"] is True

    found = admin.get(ACCOUNTS, q=target.person.family_name).json()
    assert [item["username"] for item in found["items"]] == ["target.officer"]
    assert found["items"][0]["person"] == {
        "id": target.person_id,
        "full_name": target.person.full_name,
    }


def test_detail_counts_active_sessions(admin, target):
    Client().force_login(target)
    body = admin.get(f"{ACCOUNTS}/{target.pk}").json()
    assert body["active_sessions"] == 1
    assert body["is_active"] is True
    assert body["last_sign_in"] is not None


def test_a_missing_account_is_not_found(admin):
    response = admin.get(f"{ACCOUNTS}/999999")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_create_makes_an_account_without_a_password(admin, admin_user):
    person = factories.OfficerFactory().person

    response = admin.post(ACCOUNTS, {"person_id": person.pk, "username": "new.one"})

    assert response.status_code == 201, response.content
    assert response.json()["username"] == "new.one"
    account = User.objects.get(username="new.one")
    assert account.person == person
    assert not account.has_usable_password()
    assert AuditEvent.objects.get(verb="account.created").actor_id == admin_user.pk


def test_create_errors_name_the_field(admin, target):
    free = factories.OfficerFactory().person

    taken = admin.post(ACCOUNTS, {"person_id": free.pk, "username": "TARGET.officer"})
    has_one = admin.post(ACCOUNTS, {"person_id": target.person_id, "username": "another"})
    missing = admin.post(ACCOUNTS, {"person_id": 999999, "username": "another"})
    malformed = admin.post(ACCOUNTS, {"person_id": "x", "username": "another"})

    assert taken.status_code == 400
    assert taken.json()["errors"] == [
        {"field": "username", "message": "That username is already in use"}
    ]
    assert [e["field"] for e in has_one.json()["errors"]] == ["person_id"]
    assert [e["field"] for e in missing.json()["errors"]] == ["person_id"]
    assert malformed.status_code == 422
    assert [e["field"] for e in malformed.json()["errors"]] == ["person_id"]
    assert not User.objects.filter(person=free).exists()


def test_disable_ends_sessions_and_records_the_actor(admin, admin_user, target):
    Client().force_login(target)

    response = admin.post(f"{ACCOUNTS}/{target.pk}/disable", {"reason": "Left the council"})

    assert response.status_code == 200, response.content
    assert response.json()["sessions_ended"] == 1
    assert response.json()["is_active"] is False
    assert not UserSession.objects.filter(user=target).exists()
    event = AuditEvent.objects.get(verb="account.disabled")
    assert event.actor_id == admin_user.pk
    assert event.target_id == str(target.pk)


def test_an_administrator_cannot_disable_their_own_account(admin, admin_user):
    response = admin.post(f"{ACCOUNTS}/{admin_user.pk}/disable", {"reason": "Testing"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "user", "message": "You cannot disable your own account"}
    ]
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_disable_needs_a_reason(admin, target):
    blank = admin.post(f"{ACCOUNTS}/{target.pk}/disable", {"reason": "  "})
    absent = admin.post(f"{ACCOUNTS}/{target.pk}/disable", {})
    assert blank.status_code == 400
    assert [e["field"] for e in blank.json()["errors"]] == ["reason"]
    assert absent.status_code == 422
    assert [e["field"] for e in absent.json()["errors"]] == ["reason"]


def test_enable_reverses_disable_and_is_audited(admin, admin_user, target):
    admin.post(f"{ACCOUNTS}/{target.pk}/disable", {"reason": "Left"})

    response = admin.post(f"{ACCOUNTS}/{target.pk}/enable", {"reason": "Came back"})

    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert AuditEvent.objects.get(verb="account.enabled").actor_id == admin_user.pk
    again = admin.post(f"{ACCOUNTS}/{target.pk}/enable", {"reason": "Again"})
    assert again.status_code == 400
