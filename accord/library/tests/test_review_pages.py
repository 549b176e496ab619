"""Reviewing a protocol and acknowledging it, through the pages and the API.

Reviews are the keepers' alone: to an officer or a councillor every review page and route is
the ordinary 404, and a marker string planted in a review's `why` never reaches them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.api.services import token_create
from accord.core import clock
from accord.library.models import Acknowledgement, ProtocolReview, ProtocolVersion
from accord.library.services import review_open
from accord.library.testing import make_version
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

MARKER = "MARKER-7c2a-confidential-review-reasoning"
OTHERS = ("officer", "councillor")


@pytest.fixture
def example() -> ExampleCouncil:
    council = example_council()
    make_version(
        key="protocol",
        label="2025",
        paragraphs=[("1", "Officers answer enquiries."), ("2", "Old wording.")],
        in_force_from=dt.date(2025, 1, 1),
    )
    make_version(
        key="protocol",
        label="2026",
        status="draft",
        paragraphs=[("1", "Officers answer enquiries within ten days."), ("3", "New.")],
    )
    return council


def _date(prefix: str, value: dt.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def _headers(example: ExampleCouncil, who: str) -> dict[str, Any]:
    _, secret = token_create(actor=None, user=example.user(who), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _review(example: ExampleCouncil) -> ProtocolReview:
    return review_open(
        actor=example.user("mo"),
        document=ProtocolVersion.objects.get(label="2025").document,
        reason="incident",
        why=f"Learning from a complaint {MARKER}.",
    )


def _page(client: Client, name: str, *args: Any) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


def test_a_keeper_takes_a_review_from_opening_to_acknowledgement(example: ExampleCouncil) -> None:
    mo = example.client("mo")
    today = clock.today()
    assert "Protocol reviews" in _page(mo, "library:protocols")
    response = mo.post(
        reverse("library:protocol_review_new"),
        {"document": "protocol", "reason": "periodic", "why": "Not reviewed for years."},
    )
    review = ProtocolReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("library:protocol_review", args=[review.public_id])
    page = _page(mo, "library:protocol_review", review.public_id)
    assert "Propose a draft" in page
    assert "Record Full Council" not in page
    assert "Not reviewed for years." in page

    draft = ProtocolVersion.objects.get(label="2026")
    url = reverse("library:protocol_review", args=[review.public_id])
    assert mo.post(url, {"action": "propose", "propose-draft": str(draft.pk)}).status_code == 302
    page = _page(mo, "library:protocol_review", review.public_id)
    assert "Standards Committee" in page
    committee = {"action": "committee", "committee-recommendation": "approve"}
    response = mo.post(url, {**committee, **_date("committee-met_on", today)})
    assert response.status_code == 302
    council = {"action": "council_approve", "council-note": "Carried."}
    response = mo.post(
        url, {**council, **_date("council-met_on", today), **_date("council-in_force_from", today)}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved"

    report = _page(mo, "library:protocol_review_report", review.public_id)
    for title in ("Purpose of report", "Proposals", "Officer to contact", "000 §52"):
        assert title in report
    text = mo.get(reverse("library:protocol_review_report_text", args=[review.public_id]))
    assert text["Content-Type"].startswith("text/plain")
    assert "attachment" in text["Content-Disposition"]
    assert "1. PURPOSE OF REPORT" in text.content.decode()

    page = _page(mo, "library:protocol_review", review.public_id)
    assert "Put version 2026 in force" in page
    mo.post(reverse("library:protocol_put_in_force", args=["protocol", "2026"]))
    review.refresh_from_db()
    assert review.status == "in_force"

    officer = example.client("officer")
    page = _page(officer, "library:protocol_acknowledge")
    assert "1 protocol to read and acknowledge" in page
    response = officer.post(
        reverse("library:protocol_acknowledge"), {"key": "protocol", "label": "2026"}
    )
    assert response.status_code == 302
    assert "no protocols waiting" in _page(officer, "library:protocol_acknowledge")
    mine = Acknowledgement.objects.get(person=example.person("officer"), version=draft)
    assert mine.acknowledged_at is not None
    register = _page(mo, "library:protocol_acknowledgements", "protocol", "2026")
    assert example.person("officer").full_name in register
    assert '<dd class="govuk-summary-list__value" id="ack-done">1</dd>' in register


def test_the_review_page_saves_what_the_report_says_about_equality(
    example: ExampleCouncil,
) -> None:
    mo = example.client("mo")
    review = _review(example)
    page = _page(mo, "library:protocol_review", review.public_id)
    assert "Equality and human rights implications" in page

    response = mo.post(
        reverse("library:protocol_review", args=[review.public_id]),
        {
            "action": "report",
            "report-why": review.why,
            "report-equality_implications": "No differential effect found.",
        },
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.equality_implications == "No differential effect found."
    assert "No differential effect found." in _page(
        mo, "library:protocol_review_report", review.public_id
    )


def test_errors_are_shown_beside_their_fields_and_nothing_moves(example: ExampleCouncil) -> None:
    mo = example.client("mo")
    response = mo.post(reverse("library:protocol_review_new"), {"document": "protocol"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#id_reason' in page
    assert 'href="#id_why"' in page
    review = _review(example)
    url = reverse("library:protocol_review", args=[review.public_id])
    future = clock.today() + dt.timedelta(days=3)
    draft = ProtocolVersion.objects.get(label="2026")
    mo.post(url, {"action": "propose", "propose-draft": str(draft.pk)})
    response = mo.post(
        url,
        {
            "action": "committee",
            "committee-recommendation": "approve",
            **_date("committee-met_on", future),
        },
    )
    assert response.status_code == 400
    assert 'href="#id_committee-met_on' in response.content.decode()
    response = mo.post(url, {"action": "council_approve"})
    assert response.status_code == 400
    assert "That cannot be done at this stage" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "proposed"


@pytest.mark.parametrize("who", OTHERS)
def test_keeper_pages_are_not_found_for_others(example: ExampleCouncil, who: str) -> None:
    review = _review(example)
    client = example.client(who)
    for name, args in (
        ("library:protocol_reviews", ()),
        ("library:protocol_review_new", ()),
        ("library:protocol_review", (review.public_id,)),
        ("library:protocol_review_report", (review.public_id,)),
        ("library:protocol_review_report_text", (review.public_id,)),
        ("library:protocol_acknowledgements", ("protocol", "2025")),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    url = reverse("library:protocol_review", args=[review.public_id])
    assert client.post(url, {"action": "close", "close-reason": "x"}).status_code == 404
    assert "Protocol reviews" not in _page(client, "library:protocols")


@pytest.mark.parametrize("who", OTHERS)
def test_the_review_marker_never_reaches_anyone_else(example: ExampleCouncil, who: str) -> None:
    review = _review(example)
    client = example.client(who)
    for name, args in (
        ("web:home", ()),
        ("library:protocols", ()),
        ("library:protocol_acknowledge", ()),
        ("library:protocol_version", ("protocol", "2025")),
    ):
        assert MARKER not in _page(client, name, *args)
    headers = _headers(example, who)
    api = Client()
    for path in (
        "/api/v1/protocol-reviews",
        f"/api/v1/protocol-reviews/{review.public_id}",
        f"/api/v1/protocol-reviews/{review.public_id}/report",
    ):
        response = api.get(path, **headers)
        assert response.status_code == 404, path
        assert MARKER not in response.content.decode()
    response = api.post(
        f"/api/v1/protocol-reviews/{review.public_id}/close",
        "not json",
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    response = api.patch(
        f"/api/v1/protocol-reviews/{review.public_id}",
        {"why": "Changed by someone who may not."},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    assert MARKER not in response.content.decode()
    response = api.get("/api/v1/protocol-acknowledgements/pending", **headers)
    assert response.status_code == 200
    assert MARKER not in response.content.decode()


def test_the_api_changes_what_the_report_says_and_names_a_bad_field(
    example: ExampleCouncil,
) -> None:
    review = _review(example)
    headers = _headers(example, "mo")
    url = f"/api/v1/protocol-reviews/{review.public_id}"
    api = Client()

    response = api.patch(
        url,
        {"equality_implications": "No differential effect.", "consultations": "Group leaders."},
        content_type="application/json",
        **headers,
    )

    assert response.status_code == 200, response.content
    assert response.json()["equality_implications"] == "No differential effect."
    assert response.json()["consultations"] == "Group leaders."
    report = api.get(f"{url}/report", **headers).json()
    equality = {s["title"]: s["paragraphs"] for s in report["sections"]}[
        "Equality and human rights implications"
    ]
    assert equality == ["No differential effect."]
    refused = api.patch(url, {"why": " "}, content_type="application/json", **headers)
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["why"]
    review.refresh_from_db()
    assert review.consultations == "Group leaders."


def test_the_api_moves_a_review_and_refuses_an_illegal_move(example: ExampleCouncil) -> None:
    headers = _headers(example, "deputy_mo")
    api = Client()
    today = clock.today().isoformat()
    response = api.post(
        "/api/v1/protocol-reviews",
        {"document": "protocol", "reason": "periodic", "why": "Due."},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    review_id = response.json()["id"]
    assert response.json()["allowed_actions"] == ["propose", "close"]
    base = f"/api/v1/protocol-reviews/{review_id}"
    response = api.post(
        f"{base}/committee",
        {"met_on": today, "recommendation": "approve"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["action"]
    for path, body in (
        ("propose", {"draft": "2026"}),
        ("committee", {"met_on": today, "recommendation": "approve"}),
        ("council-approve", {"met_on": today, "in_force_from": today}),
    ):
        response = api.post(f"{base}/{path}", body, content_type="application/json", **headers)
        assert response.status_code == 200, (path, response.content)
    assert response.json()["status"] == "approved"
    report = api.get(f"{base}/report", **headers).json()
    assert report["sections"][0]["title"] == "Purpose of report"
    assert api.get("/api/v1/protocol-reviews", **headers).json()["count"] == 1

    officer = _headers(example, "officer")
    assert api.get("/api/v1/protocol-acknowledgements/pending", **officer).json() == []
    make_version(key="protocol", label="2027", status="approved", in_force_from=clock.today())
    mo = example.client("mo")
    ProtocolVersion.objects.filter(label="2026").update(status="withdrawn")
    mo.post(reverse("library:protocol_put_in_force", args=["protocol", "2027"]))
    pending = api.get("/api/v1/protocol-acknowledgements/pending", **officer).json()
    assert [p["label"] for p in pending] == ["2027"]
    response = api.post("/api/v1/protocol-acknowledgements/protocol/versions/2027", **officer)
    assert response.status_code == 200
    assert response.json()["acknowledged_at"]
    assert api.get("/api/v1/protocol-acknowledgements/pending", **officer).json() == []


def _asked_everyone_but_a_newcomer(example: ExampleCouncil) -> Any:
    from accord.directory.models import Person
    from accord.directory.tests.factories import PersonFactory
    from accord.library.services import acknowledgements_request

    version = ProtocolVersion.objects.get(label="2025")
    acknowledgements_request(version=version, actor=None)
    return PersonFactory(
        kind=Person.Kind.OFFICER,
        given_name="Newly",
        family_name=f"Joined {MARKER}",
        email="newly.joined@example.gov.uk",
    )


def test_a_keeper_asks_the_people_who_joined_since_from_the_register(
    example: ExampleCouncil,
) -> None:
    newcomer = _asked_everyone_but_a_newcomer(example)
    mo = example.client("mo")
    register = _page(mo, "library:protocol_acknowledgements", "protocol", "2025")
    assert '<dd class="govuk-summary-list__value" id="ack-not-asked">1</dd>' in register
    assert "Ask them to acknowledge it" in register

    response = mo.post(reverse("library:protocol_acknowledgements_ask", args=["protocol", "2025"]))

    assert response.status_code == 302
    assert Acknowledgement.objects.filter(person=newcomer, version__label="2025").exists()
    register = _page(mo, "library:protocol_acknowledgements", "protocol", "2025")
    assert '<dd class="govuk-summary-list__value" id="ack-not-asked">0</dd>' in register
    assert "Ask them to acknowledge it" not in register
    assert "Asked 1 person" in register


@pytest.mark.parametrize("who", OTHERS)
def test_only_keepers_see_the_register_or_ask_anyone(example: ExampleCouncil, who: str) -> None:
    newcomer = _asked_everyone_but_a_newcomer(example)
    client = example.client(who)
    ask = reverse("library:protocol_acknowledgements_ask", args=["protocol", "2025"])
    assert client.post(ask).status_code == 404
    headers = _headers(example, who)
    api = Client()
    base = "/api/v1/protocol-acknowledgements/protocol/versions/2025"
    response = api.get(f"{base}/register", **headers)
    assert response.status_code == 404
    assert MARKER not in response.content.decode()
    assert api.post(f"{base}/ask", **headers).status_code == 404
    assert not Acknowledgement.objects.filter(person=newcomer).exists()


def test_the_api_gives_the_register_and_asks_the_people_who_joined_since(
    example: ExampleCouncil,
) -> None:
    newcomer = _asked_everyone_but_a_newcomer(example)
    headers = _headers(example, "deputy_mo")
    api = Client()
    base = "/api/v1/protocol-acknowledgements/protocol/versions/2025"
    before = api.get(f"{base}/register?limit=2", **headers)
    assert before.status_code == 200, before.content
    body = before.json()
    assert body["not_asked"] == 1
    assert body["outstanding"] == body["asked"] == body["count"]
    assert len(body["items"]) == 2
    assert set(body["items"][0]) == {"person_id", "name", "requested_at", "acknowledged_at"}

    asked = api.post(f"{base}/ask", **headers)

    assert asked.status_code == 200
    assert asked.json() == {"asked": 1}
    after = api.get(f"{base}/register?limit=100", **headers).json()
    assert after["not_asked"] == 0
    assert newcomer.pk in [row["person_id"] for row in after["items"]]
    assert api.post(f"{base}/ask", **headers).json() == {"asked": 0}
