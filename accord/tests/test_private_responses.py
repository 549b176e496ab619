"""No response Accord makes may be kept by a browser or a proxy: every one says
`Cache-Control: no-store, private` (accord.access.middleware), whatever made it: a page, a
download, an API answer, an error or the redirect to sign in. Static files keep WhiteNoise's
caching, and a stricter header a view set is kept as it is."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accord.access.middleware import PrivateResponsesMiddleware
from accord.accounts.selectors import has_totp, requires_mfa
from accord.accounts.testing import give_totp
from accord.api.services import token_create
from accord.concerns.tests.helpers import account, member_led_by, person, raise_officer_concern
from accord.tests.test_urlconf_access import ROUTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]

PROTOCOL_IN_FORCE = {"key": "member-officer-protocol", "label": "2025"}  # accord/demo/library.py


def directives(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def assert_not_stored(response: Any) -> None:
    assert {"no-store", "private"} <= directives(response), response.get("Cache-Control")


def signed_in(username: str) -> Client:
    user = account(username)
    if requires_mfa(user) and not has_totp(user):
        give_totp(user)
    client = Client()
    client.force_login(user)
    return client


def api_client(username: str) -> Client:
    token = token_create(actor=None, user=account(username), name="tests")[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


# --- Pages and downloads behind sign-in -----------------------------------------------------


def test_a_signed_in_page_is_not_stored():
    response = signed_in("officer").get(reverse("web:home"))

    assert response.status_code == 200
    assert_not_stored(response)


def test_a_concern_page_is_not_stored():
    concern = raise_officer_concern(about=member_led_by("group-leader"))

    response = signed_in("officer").get(
        reverse("concerns:concern_detail", args=[concern.case.public_id])
    )

    assert response.status_code == 200
    assert_not_stored(response)


def test_the_concern_register_and_its_csv_export_are_not_stored():
    raise_officer_concern(about=member_led_by("group-leader"))
    client = signed_in("monitoring-officer")

    page = client.get(reverse("concerns:concern_register"))
    export = client.get(reverse("concerns:concern_register_csv"))

    assert page.status_code == export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment;")
    assert_not_stored(page)
    assert_not_stored(export)


def test_directory_pages_are_not_stored():
    client = signed_in("officer")

    listing = client.get(reverse("directory:people"))
    one = client.get(reverse("directory:person", args=[person("leader").pk]))

    assert listing.status_code == one.status_code == 200
    assert_not_stored(listing)
    assert_not_stored(one)


def test_file_downloads_are_not_stored():
    text = signed_in("officer").get(
        reverse("library:protocol_version_text", kwargs=PROTOCOL_IN_FORCE)
    )
    checkpoint = signed_in("monitoring-officer").get(reverse("audit:audit_checkpoint"))

    for download in (text, checkpoint):
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment;")
        assert_not_stored(download)


def test_error_pages_for_a_signed_in_reader_are_not_stored():
    client = signed_in("officer")

    unknown_page = client.get("/no-such-page/")
    unknown_concern = client.get(reverse("concerns:concern_detail", args=[uuid.uuid4()]))
    not_a_register_reader = client.get(reverse("concerns:concern_register"))

    for response in (unknown_page, unknown_concern, not_a_register_reader):
        assert response.status_code == 404
        assert_not_stored(response)


def test_the_redirect_to_sign_in_is_not_stored():
    response = Client().get(reverse("concerns:concern_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert_not_stored(response)


def test_every_route_answers_an_anonymous_request_with_no_store():
    """Sign-in redirects, 401s, public pages and server errors alike (the single sign-on pages
    fail here, with no provider configured): the rule has no exception to forget."""
    stored = []
    for route in ROUTES:
        response = Client(raise_request_exception=False).get(route.path)
        if not {"no-store", "private"} <= directives(response):
            stored.append(f"{route.path}: {response.status_code} {response.get('Cache-Control')}")

    assert stored == []


# --- The API ----------------------------------------------------------------------------------


def test_an_api_list_is_not_stored():
    response = api_client("officer").get("/api/v1/directory/people")

    assert response.status_code == 200
    assert_not_stored(response)


def test_api_errors_are_not_stored():
    officer = api_client("officer")
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    sharing = f"/api/v1/concerns/{concern.case.public_id}/sharing"

    errors = {
        401: Client().get("/api/v1/directory/people"),
        403: officer.post(
            "/api/v1/registers/relationships",
            {
                "person_id": person("director").pk,
                "other_id": person("leader").pk,
                "nature": "family",
            },
            content_type="application/json",
        ),
        404: officer.get(f"/api/v1/concerns/{uuid.uuid4()}"),
        409: api_client("chief-executive").put(
            sharing, {"summary": "Mine now.", "share_identity": True}, "application/json"
        ),
        422: officer.get("/api/v1/directory/people", {"limit": "many"}),
    }

    for status, response in errors.items():
        assert response.status_code == status, response.content
        assert_not_stored(response)


# --- What is kept -----------------------------------------------------------------------------


def test_public_pages_are_not_stored_either():
    client = Client()

    for url in ("/healthz", "/api/v1/openapi.json", reverse("account_login")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_not_stored(response)


def test_the_sign_in_pages_stricter_header_is_kept():
    response = Client().get(reverse("account_login"))

    assert directives(response) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }


@pytest.mark.parametrize(
    ("set_by_view", "sent"),
    [
        ("", {"no-store", "private"}),
        (
            "max-age=0, no-cache, must-revalidate",
            {"max-age=0", "no-cache", "must-revalidate", "no-store", "private"},
        ),
        ("public, max-age=600", {"max-age=600", "no-store", "private"}),
    ],
    ids=["nothing", "stricter", "public"],
)
def test_what_a_view_set_is_added_to_and_public_gives_way(set_by_view: str, sent: set[str]):
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        if set_by_view:
            response["Cache-Control"] = set_by_view
        return response

    response = PrivateResponsesMiddleware(view)(RequestFactory().get("/"))

    assert directives(response) == sent


def test_static_files_keep_whitenoises_caching(tmp_path: Path):
    (tmp_path / "probe.css").write_text("body { color: black; }")

    with override_settings(STATIC_ROOT=tmp_path):
        response = Client().get("/static/probe.css")  # a new client loads the middleware anew

    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert "public" in directives(response)
