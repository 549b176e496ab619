"""/api/v1/registers/relationships and /api/v1/cases/{id}/involvements.

A declaration is returned only to the two people it is between and to the Monitoring Officer
and deputies; to anyone else it answers exactly as one that does not exist, on every endpoint,
and is left out of every list and `count`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.core import clock
from accord.procedures.models import Case, CaseInvolvement
from accord.procedures.services import case_open
from accord.procedures.tests.example_council import EVERYONE, ExampleCouncil, example_council
from accord.registers.models import DeclaredRelationship
from accord.registers.services import relationship_declare

pytestmark = pytest.mark.django_db

RELATIONSHIPS = "/api/v1/registers/relationships"
CASES = "/api/v1/cases"
NOT_FOUND = {"detail": "Not found.", "errors": []}
MARKER = "MARKER-4c70ee-declared-in-confidence"
READERS = {"colleague", "councillor", "mo", "deputy_mo"}


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _client(example: ExampleCouncil, key: str) -> ApiClient:
    return ApiClient(token_create(actor=None, user=example.user(key), name="tests")[1])


def _planted(example: ExampleCouncil) -> DeclaredRelationship:
    return relationship_declare(
        actor=example.user("colleague"),
        person=example.person("colleague"),
        other=example.person("councillor"),
        nature="friend",
        description=MARKER,
    )


def _open(example: ExampleCouncil) -> Case:
    return case_open(
        actor=example.user("officer"),
        procedure="officer_concern",
        raiser=example.person("officer"),
        subject=example.person("councillor"),
        profile_id="example",
    )


def _errors(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    return {e["field"]: e["message"] for e in body["errors"]}


# --- Declarations ---------------------------------------------------------------------------


def test_a_person_declares_a_relationship_and_gets_it_back(example):
    response = _client(example, "officer").post(
        RELATIONSHIPS,
        {
            "other_id": example.person("councillor").pk,
            "nature": "partner",
            "description": "Married since 2019.",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert {body["person"]["id"], body["other"]["id"]} == {
        example.person("officer").pk,
        example.person("councillor").pk,
    }
    assert body["nature"] == "partner"
    assert body["nature_label"] == "Partner or close personal relationship"
    assert body["description"] == "Married since 2019."
    assert body["starts_on"] == clock.today().isoformat()
    assert body["ends_on"] is None
    assert body["is_current"] is True


def test_declaring_names_each_field_at_fault(example):
    client = _client(example, "officer")

    unknown = client.post(RELATIONSHIPS, {"other_id": 999_999, "nature": "friend"})
    myself = client.post(
        RELATIONSHIPS, {"other_id": example.person("officer").pk, "nature": "friend"}
    )
    future = client.post(
        RELATIONSHIPS,
        {
            "other_id": example.person("councillor").pk,
            "nature": "friend",
            "starts_on": (clock.today() + dt.timedelta(days=3)).isoformat(),
        },
    )
    kind = client.post(
        RELATIONSHIPS, {"other_id": example.person("councillor").pk, "nature": "cousin"}
    )

    assert unknown.status_code == 400
    assert set(_errors(unknown)) == {"other_id"}
    assert myself.status_code == 400
    assert set(_errors(myself)) == {"other_id"}
    assert future.status_code == 400
    assert set(_errors(future)) == {"starts_on"}
    assert kind.status_code == 422
    assert set(_errors(kind)) == {"nature"}
    assert not DeclaredRelationship.objects.exists()


def test_only_the_monitoring_officer_or_a_deputy_declares_for_two_other_people(example):
    data = {
        "person_id": example.person("colleague").pk,
        "other_id": example.person("manager").pk,
        "nature": "family",
    }

    refused = _client(example, "officer").post(RELATIONSHIPS, data)
    recorded = _client(example, "deputy_mo").post(RELATIONSHIPS, data)

    assert refused.status_code == 403
    assert set(_errors(refused)) == {"person_id"}
    assert recorded.status_code == 201
    assert DeclaredRelationship.objects.count() == 1


def test_an_account_without_a_directory_person_cannot_declare(example, user, api):
    response = api.post(
        RELATIONSHIPS, {"other_id": example.person("councillor").pk, "nature": "friend"}
    )

    assert response.status_code == 400
    assert "not linked" in response.json()["detail"]
    assert api.get(RELATIONSHIPS).json()["count"] == 0


def test_the_list_holds_what_the_caller_may_see_filtered_by_person_and_status(example):
    _planted(example)
    ended = relationship_declare(
        actor=None,
        person=example.person("colleague"),
        other=example.person("manager"),
        nature="family",
    )
    _client(example, "manager").post(f"{RELATIONSHIPS}/{ended.pk}/end", {})

    colleague = _client(example, "colleague")
    mo = _client(example, "mo")
    manager = _client(example, "manager")

    assert colleague.get(RELATIONSHIPS).json()["count"] == 2
    assert colleague.get(RELATIONSHIPS, status="current").json()["count"] == 1
    assert colleague.get(RELATIONSHIPS, status="ended").json()["items"][0]["id"] == ended.pk
    assert manager.get(RELATIONSHIPS).json()["count"] == 1
    assert mo.get(RELATIONSHIPS).json()["count"] == 2
    by_person = mo.get(RELATIONSHIPS, person_id=example.person("councillor").pk).json()
    assert [item["description"] for item in by_person["items"]] == [MARKER]
    assert colleague.get(RELATIONSHIPS, limit=1).json()["limit"] == 1


def test_the_planted_description_reaches_only_the_two_people_and_the_monitoring_officers(example):
    declared = _planted(example)
    for key in EVERYONE:
        client = _client(example, key)
        listing = client.get(RELATIONSHIPS)
        filtered = client.get(RELATIONSHIPS, person_id=example.person("colleague").pk)
        me = client.get("/api/v1/me")
        visible = key in READERS
        for response in (listing, filtered, me):
            assert (MARKER.encode() in response.content) is (visible and response is not me), key
        assert listing.json()["count"] == (1 if visible else 0), key
        assert filtered.json()["count"] == (1 if visible else 0), key
        ended = client.post(f"{RELATIONSHIPS}/{declared.pk}/end", {})
        if not visible:
            assert ended.status_code == 404, key
            assert ended.json() == NOT_FOUND, key
    declared.refresh_from_db()
    assert declared.ends_on is not None  # a reader ended it


def test_ending_a_hidden_declaration_answers_as_a_missing_one(example):
    declared = _planted(example)
    for key in EVERYONE:
        if key in READERS:
            continue
        client = _client(example, key)
        hidden = client.post(f"{RELATIONSHIPS}/{declared.pk}/end", {"ends_on": "2026-01-01"})
        missing = client.post(
            f"{RELATIONSHIPS}/{declared.pk + 1000}/end", {"ends_on": "2026-01-01"}
        )
        assert hidden.status_code == missing.status_code == 404, key
        assert hidden.json() == missing.json() == NOT_FOUND, key
    declared.refresh_from_db()
    assert declared.ends_on is None


def test_a_party_ends_a_declaration_once_and_not_before_it_started(example):
    declared = _planted(example)
    client = _client(example, "councillor")

    early = client.post(f"{RELATIONSHIPS}/{declared.pk}/end", {"ends_on": "2000-01-01"})
    done = client.post(f"{RELATIONSHIPS}/{declared.pk}/end", {})
    again = client.post(f"{RELATIONSHIPS}/{declared.pk}/end", {})

    assert early.status_code == 400
    assert set(_errors(early)) == {"ends_on"}
    assert done.status_code == 200
    assert done.json()["ends_on"] == clock.today().isoformat()
    assert done.json()["is_current"] is False
    assert again.status_code == 400
    assert set(_errors(again)) == {"ends_on"}


def test_declaring_a_relationship_with_a_cases_raiser_takes_the_declarer_off_it(example):
    case = _open(example)
    director = _client(example, "director")
    assert director.get(f"{CASES}/{case.public_id}").status_code == 200

    declared = director.post(
        RELATIONSHIPS, {"other_id": example.person("officer").pk, "nature": "family"}
    )

    assert declared.status_code == 201
    assert director.get(f"{CASES}/{case.public_id}").json() == NOT_FOUND
    assert director.get(CASES).json()["count"] == 0
    notes = _client(example, "chief_exec").get(f"{CASES}/{case.public_id}").json()
    assert notes["you_handle"] is True
    assert any("acts instead" in note for note in notes["handling_notes"])


# --- Involvement ----------------------------------------------------------------------------


def test_a_handler_records_involvement_and_the_case_is_handed_over(example):
    case = _open(example)

    response = _client(example, "director").post(
        f"{CASES}/{case.public_id}/involvements",
        {"person_id": example.person("mo").pk, "note": MARKER},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["person_id"] == example.person("mo").pk
    assert body["case"]["you_handle"] is True
    assert any("acts instead" in note for note in body["case"]["handling_notes"])
    assert MARKER.encode() not in response.content
    assert _client(example, "mo").get(f"{CASES}/{case.public_id}").json() == NOT_FOUND
    deputy = _client(example, "deputy_mo").get(f"{CASES}/{case.public_id}").json()
    assert deputy["you_handle"] is True


def test_recording_ones_own_involvement_answers_without_the_case(example):
    case = _open(example)

    response = _client(example, "mo").post(
        f"{CASES}/{case.public_id}/involvements",
        {"person_id": example.person("mo").pk, "note": "I advised the member earlier."},
    )

    assert response.status_code == 201
    assert response.json()["case"] is None
    assert CaseInvolvement.objects.filter(case=case).count() == 1


def test_involvement_names_each_field_at_fault(example):
    case = _open(example)
    client = _client(example, "director")
    url = f"{CASES}/{case.public_id}/involvements"

    unknown = client.post(url, {"person_id": 999_999, "note": "Earlier advice."})
    not_statutory = client.post(
        url, {"person_id": example.person("manager").pk, "note": "Earlier advice."}
    )
    blank = client.post(url, {"person_id": example.person("mo").pk, "note": "  "})
    missing = client.post(url, {"person_id": example.person("mo").pk})

    assert unknown.status_code == 400
    assert set(_errors(unknown)) == {"person_id"}
    assert not_statutory.status_code == 400
    assert set(_errors(not_statutory)) == {"person_id"}
    assert blank.status_code == 400
    assert set(_errors(blank)) == {"note"}
    assert missing.status_code == 422
    assert set(_errors(missing)) == {"note"}
    client.post(url, {"person_id": example.person("mo").pk, "note": "Earlier advice."})
    twice = client.post(url, {"person_id": example.person("mo").pk, "note": "Again."})
    assert twice.status_code == 400
    assert set(_errors(twice)) == {"person_id"}


def test_someone_who_sees_but_does_not_handle_the_case_is_refused_with_409(example):
    case = _open(example)

    response = _client(example, "officer").post(
        f"{CASES}/{case.public_id}/involvements",
        {"person_id": example.person("mo").pk, "note": "Earlier advice."},
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Only someone handling the case can record a statutory officer's involvement"
        " — Protocol v2026 §6.1",
        "errors": [],
    }
    assert not CaseInvolvement.objects.exists()


def test_involvement_on_a_case_the_caller_cannot_see_is_the_ordinary_404(example):
    case = _open(example)
    for key in ("colleague", "councillor", "manager", "deputy_mo"):
        client = _client(example, key)
        hidden = client.post(
            f"{CASES}/{case.public_id}/involvements",
            {"person_id": example.person("mo").pk, "note": "Earlier advice."},
        )
        missing = client.post(
            f"{CASES}/00000000-0000-0000-0000-000000000000/involvements",
            {"person_id": example.person("mo").pk, "note": "Earlier advice."},
        )
        assert hidden.status_code == missing.status_code == 404, key
        assert hidden.json() == missing.json() == NOT_FOUND, key
    assert not CaseInvolvement.objects.exists()
