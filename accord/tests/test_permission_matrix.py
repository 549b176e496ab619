"""Every page against every demo account: what a role may open it opens, and for everyone else
the page answers exactly as one that does not exist.

The expectation comes from each view's declared policy and each account's roles on the day, so
adding a page or a role extends the matrix without editing this file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from accord.access.policies import named
from accord.access.policy import declared_access
from accord.accounts.models import User
from accord.accounts.selectors import requires_mfa
from accord.accounts.testing import give_totp
from accord.demo.selectors import demo_accounts
from accord.tests.test_urlconf_access import ROUTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council")]

# Our own pages without path parameters: each can be requested as it stands. (Package views
# and the API are covered by the URLconf walk and the API's own tests.)
PAGES = [
    route
    for route in ROUTES
    if not route.has_parameters
    and not route.path.startswith(("/api/", "/accounts/"))
    and route.callback.__module__.startswith("accord.")
]
REACHED = {200, 302, 405}


@dataclass(frozen=True)
class Expectation:
    allowed: bool
    policy: str


def expected(policy: str, user: User) -> Expectation:
    if policy in {"public", "signed_in"}:
        return Expectation(True, policy)
    assert policy.startswith("policy:"), policy
    return Expectation(named(policy.removeprefix("policy:")).allows(user), policy)


@pytest.fixture
def signed_in_clients() -> dict[str, tuple[User, Client]]:
    clients = {}
    for account in demo_accounts():
        user = User.objects.get(username=account.username)
        if requires_mfa(user):
            give_totp(user)
        client = Client()
        client.force_login(user)
        clients[account.username] = (user, client)
    return clients


def test_the_matrix_covers_every_demo_account_and_the_role_gated_pages(signed_in_clients):
    assert len(signed_in_clients) == 12
    gated = [r for r in PAGES if (declared_access(r.callback) or "").startswith("policy:")]
    assert len(gated) >= 5, [r.path for r in PAGES]


@pytest.mark.parametrize("route", PAGES, ids=[r.path for r in PAGES])
def test_each_page_opens_for_its_roles_and_is_not_found_for_everyone_else(route, signed_in_clients):
    policy = declared_access(route.callback) or ""
    wrong = []
    for username, (user, client) in signed_in_clients.items():
        expectation = expected(policy, user)
        status = client.get(route.path).status_code
        if expectation.allowed and status not in REACHED:
            wrong.append(f"{username} should reach {route.path} ({policy}) but got {status}")
        if not expectation.allowed and status != 404:
            wrong.append(f"{username} should get 404 on {route.path} ({policy}) but got {status}")
    assert wrong == []


# Who among the demo accounts the protocol's roles say should reach the sensitive pages: a
# second, independent statement of intent, so a loosened policy fails here too.
INTENDED_READERS = {
    "/audit/": {"monitoring-officer", "deputy-monitoring-officer"},
    "/audit/verify/": {"monitoring-officer", "deputy-monitoring-officer"},
    "/directory/manage/": {"democratic-services"},
    "/directory/manage/import/": {"democratic-services"},
    "/accounts-admin/": {"democratic-services"},
    "/registers/relationships/all/": {"monitoring-officer", "deputy-monitoring-officer"},
}


@pytest.mark.parametrize(("path", "readers"), INTENDED_READERS.items())
def test_sensitive_pages_open_only_for_the_intended_demo_accounts(path, readers, signed_in_clients):
    reached = {
        username
        for username, (_user, client) in signed_in_clients.items()
        if client.get(path).status_code in REACHED
    }
    assert reached == readers
