"""/api/v1/rules: the council's rules in force and every stored version, each rule with an
explanation object naming its paragraph."""

from __future__ import annotations

from typing import Any

import pytest

from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.procedures.tests.example_council import ExampleCouncil, example_council
from accord.profiles import shipped
from accord.profiles.services import profile_version_store

pytestmark = pytest.mark.django_db

RULES = "/api/v1/rules"
NOT_FOUND = {"detail": "Not found.", "errors": []}


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _client(example: ExampleCouncil, key: str = "other_member") -> ApiClient:
    return ApiClient(token_create(actor=None, user=example.user(key), name="tests")[1])


def _explanations(node: Any) -> list[dict[str, Any]]:
    """Every explanation object anywhere in a response."""
    if isinstance(node, dict):
        found = [node] if {"text", "cite", "reference", "line"} <= set(node) else []
        for value in node.values():
            found += _explanations(value)
        return found
    if isinstance(node, list):
        return [e for item in node for e in _explanations(item)]
    return []


def test_the_rules_in_force_name_the_council_source_and_versions(example):
    response = _client(example).get(RULES)

    assert response.status_code == 200
    body = response.json()
    assert body["profile_id"] == "example"
    assert body["version"] == 1
    assert body["council"] == "Example County Council"
    assert body["source_title"] == "Member/Officer Protocol"
    assert body["source_version"] == "2026"
    assert body["in_force_from"] == "2026-04-01"
    assert [(v["version"], v["status"]) for v in body["versions"]] == [(1, "in_force")]


def test_a_version_returns_every_rule_with_its_explanation(example):
    response = _client(example).get(f"{RULES}/example/versions/1")

    assert response.status_code == 200
    body = response.json()
    (procedure,) = body["procedures"]
    discussion = procedure["stages"][0]
    assert discussion["handlers"] == [
        "the Director of the person who raised it",
        "the Monitoring Officer",
    ]
    assert discussion["no_members"] is True
    assert discussion["timer"]["duration_words"] == "5 working days"
    assert discussion["timer"]["explanation"] == {
        "text": "If the case is still here after 5 working days, a reminder goes to the "
        "Monitoring Officer",
        "cite": "6.2",
        "reference": "Protocol v2026 §6.2",
        "profile": "example",
        "profile_version": 1,
        "line": "If the case is still here after 5 working days, a reminder goes to the "
        "Monitoring Officer — Protocol v2026 §6.2",
    }
    gated = procedure["transitions"][0]
    assert gated["consent"]["line"] == (
        "This step can be taken only with the agreement of the person who raised it to the "
        "concern being raised with the member's Group Leader — Protocol v2026 §6.3"
    )
    assert [d["key"] for d in body["durations"]] == ["enquiry_response", "concern_reminder"]
    told, event = body["duties"][0], body["duties"][1]
    assert (told["trigger"], told["explanation"]["cite"]) == ("stage_entered", "6.3")
    assert told["runs"].startswith("Accord tells them when it happens")
    assert told["explanation"]["text"].startswith(
        "When an officer's concern about a member reaches 'The Monitoring Officer raises it "
        "with the member's Group Leader', tell the Group Leader of the person it is about:"
    )
    assert (event["trigger"], event["explanation"]["cite"]) == ("matter_logged", "5.1")
    assert event["runs"].startswith("Waits for Keeping members informed")
    assert body["information"][0]["explanation"]["reference"] == "Protocol v2026 §3.2"
    assert body["conflicts"][0]["alternates"] == [
        "the Deputy monitoring officer",
        "the Chief Executive",
    ]
    assert body["silences"][0]["default"].startswith("The Monitoring Officer is reminded")


@pytest.mark.parametrize("name", shipped.shipped_names())
def test_every_explanation_of_every_shipped_profile_is_one_line_with_its_reference(example, name):
    client = _client(example)
    for text in shipped.shipped_texts(name):
        stored = profile_version_store(actor=None, text=text)
        response = client.get(f"{RULES}/{stored.profile_id}/versions/{stored.version}")
        assert response.status_code == 200
        explanations = _explanations(response.json())
        assert explanations
        for explanation in explanations:
            assert explanation["line"] == f"{explanation['text']} — {explanation['reference']}"
            assert explanation["cite"].split()[-1] in explanation["reference"]
            assert "\n" not in explanation["line"]


def test_an_unknown_version_or_profile_is_not_found(example):
    client = _client(example)
    for path in (f"{RULES}/example/versions/2", f"{RULES}/nothing/versions/1"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_the_rules_need_a_token(example, anonymous):
    assert anonymous.get(RULES).status_code == 401
    assert anonymous.get(f"{RULES}/example/versions/1").status_code == 401


def test_without_a_council_profile_the_rules_in_force_are_not_found(api):
    response = api.get(RULES)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_the_openapi_description_types_the_rules_and_their_explanations(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()

    assert "/api/v1/rules" in schema["paths"]
    assert "/api/v1/rules/{profile_id}/versions/{version}" in schema["paths"]
    explanation = schema["components"]["schemas"]["ExplanationOut"]
    assert set(explanation["required"]) == {
        "text",
        "cite",
        "reference",
        "profile",
        "profile_version",
        "line",
    }
    assert "RulesOut" in schema["components"]["schemas"]
