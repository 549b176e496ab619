"""What happens to a concern raised today, on the raise form and at
`GET /api/v1/concerns/guidance`, on the demo council (Leicestershire's 000 §49-51).

Both read `selectors.concern_guidance`, so they must say the same for each route; it describes
the rules, never a concern, and only to someone who may raise one that way.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts.models import User
from accord.accounts.selectors import has_totp, requires_mfa
from accord.accounts.testing import give_totp
from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.concerns.selectors import concern_guidance
from accord.concerns.tests.helpers import (
    MARKER,
    account,
    member_led_by,
    person,
    raise_member_concern,
    raise_officer_concern,
)
from accord.core.errors import NotFound
from accord.directory.tests.factories import account_holding

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_council", "fake_gateway", "fast_passwords"),
]

GUIDANCE = "/api/v1/concerns/guidance"
NEW = reverse("concerns:concern_new")
# The demo council's two routes: who raises each, and the direction the raise form offers them.
ROUTES = [("officer", "officer_about_member"), ("member", "member_about_officer")]


def _api(user: User) -> ApiClient:
    return ApiClient(token_create(actor=None, user=user, name="tests")[1])


def _page(user: User) -> str:
    if requires_mfa(user) and not has_totp(user):
        give_totp(user)
    client = Client()
    client.force_login(user)
    response = client.get(NEW)
    assert response.status_code == 200
    return bytes(response.content).decode()


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", fragment)).strip()


def _shown_on_the_page(page: str) -> dict[str, Any]:
    """What the raise form says of the route: its caption, the lines under "What happens next"
    and the choices of whom to talk to first."""
    steps = page[page.index('id="what-happens-next"') : page.index("</ul>", page.index("next"))]
    choices = re.findall(
        r'name="first_contact" type="radio" value="([^"]+)">\s*<label[^>]*>([^<]+)</label>', page
    )
    return {
        "procedure_title": _text(re.findall(r'govuk-caption-l">([^<]+)<', page)[0]),
        "lines": [_text(line) for line in re.findall(r"<li>(.*?)</li>", steps)],
        "first_contacts": [{"key": key, "label": _text(label)} for key, label in choices],
        "may_record_for_others": 'name="raiser"' in page,
    }


def _given_by_the_api(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "procedure_title": body["procedure_title"],
        "lines": [line["line"] for line in body["what_happens_next"]],
        "first_contacts": body["first_contacts"],
        "may_record_for_others": body["may_record_for_others"],
    }


@pytest.mark.parametrize(("username", "direction"), [*ROUTES, ("director", "officer_about_member")])
def test_the_page_and_the_api_give_the_same_guidance_for_each_route(username, direction):
    user = account(username)

    response = _api(user).get(GUIDANCE, direction=direction)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["direction"] == direction
    assert _given_by_the_api(body) == _shown_on_the_page(_page(user))
    assert body["what_happens_next"][0]["reference"].startswith("Protocol v2025 §")


def test_the_guidance_says_whom_an_officer_may_choose_and_cites_each_line():
    body = _api(account("officer")).get(GUIDANCE, direction="officer_about_member").json()

    assert body["about"] == "member"
    assert body["raised_by"] == "officer"
    assert body["procedure"] == "officer_concern"
    assert [c["key"] for c in body["first_contacts"]] == [
        "raiser.director",
        "chief_executive",
        "monitoring_officer",
    ]
    assert [line["cite"] for line in body["what_happens_next"]] == ["50(a)", "49", "50(c)", "50"]
    assert body["may_record_for_others"] is False


def test_only_those_a_concern_goes_to_first_are_told_they_may_record_one_for_someone():
    assert concern_guidance(account("director")).may_record_for_others is True
    assert concern_guidance(account("officer")).may_record_for_others is False


@pytest.mark.parametrize(("username", "direction"), ROUTES)
def test_the_guidance_is_about_the_route_and_never_about_a_concern(username, direction):
    client = _api(account(username))
    before = client.get(GUIDANCE, direction=direction).content

    raise_officer_concern(about=member_led_by("group-leader"))
    raise_member_concern(about=person("officer"))
    after = client.get(GUIDANCE, direction=direction).content

    assert after == before
    assert MARKER.encode() not in after
    for someone in (person("officer"), person("member"), member_led_by("group-leader")):
        assert someone.full_name.encode() not in after


@pytest.mark.parametrize(("username", "direction"), ROUTES)
def test_asking_for_the_other_sides_route_is_refused_naming_direction(username, direction):
    other = next(d for _, d in ROUTES if d != direction)

    response = _api(account(username)).get(GUIDANCE, direction=other)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["direction"]
    assert direction in errors[0]["message"]


@pytest.mark.parametrize("query", [{}, {"direction": "sideways"}, {"direction": ""}])
def test_a_missing_or_unknown_direction_is_a_422_naming_it(query):
    response = _api(account("officer")).get(GUIDANCE, **query)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["direction"]


def test_an_account_linked_to_nobody_gets_no_guidance_as_on_the_page():
    nobody = account_holding("nobody")

    response = _api(nobody).get(GUIDANCE, direction="officer_about_member")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert "Your account is not linked to anyone" in _page(nobody)
    with pytest.raises(NotFound):
        concern_guidance(nobody)


def test_someone_no_longer_active_gets_no_guidance():
    officer = account("officer")
    assert officer.person is not None
    officer.person.is_active = False
    officer.person.save(update_fields=["is_active"])

    with pytest.raises(NotFound):
        concern_guidance(account("officer"))
