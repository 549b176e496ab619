"""/api/v1/cases: the cases a caller may see, opening one, and moving it on or agreeing to a
step, every stage, deadline, step and refusal explained with the paragraph it comes from.

A case the caller may not see answers exactly as one that does not exist, on every endpoint, and
nothing written in a case's records comes back from any of them.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine

from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.procedures.models import Case, CaseConsent
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    involvement_record,
)
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOT_FOUND = {"detail": "Not found.", "errors": []}
MARKER = "MARKER-2b8d41-never-returned"
CONSENT = (
    "This step can be taken only with the agreement of the person who raised it to the concern "
    "being raised with the member's Group Leader — Protocol v2026 §6.3"
)
NOT_VIEWERS = ("councillor", "director", "colleague", "manager", "other_member", "deputy_mo")


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _client(example: ExampleCouncil, key: str) -> ApiClient:
    return ApiClient(token_create(actor=None, user=example.user(key), name="tests")[1])


def _open(example: ExampleCouncil) -> Case:
    return case_open(
        actor=example.user("officer"),
        procedure="officer_concern",
        raiser=example.person("officer"),
        subject=example.person("councillor"),
        profile_id="example",
    )


def _planted_case(example: ExampleCouncil) -> Case:
    case = _open(example)
    involvement_record(
        actor=example.user("mo"), case=case, person=example.person("chief_exec"), note=MARKER
    )
    consent_give(
        actor=example.user("officer"), case=case, to="group_leader_engagement", note=MARKER
    )
    case = case_transition(actor=example.user("mo"), case=case, to="group_leader_engagement")
    return case_transition(
        actor=example.user("mo"), case=case, to="resolved", records={"reason": MARKER}
    )


def test_an_officer_opens_a_case_and_gets_its_stage_and_deadline_explained(example):
    with time_machine.travel(dt.datetime(2026, 12, 21, 9, tzinfo=LONDON), tick=False):
        response = _client(example, "officer").post(
            CASES,
            {"procedure": "officer_concern", "subject_id": example.person("councillor").pk},
        )

    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == str(case.public_id)
    assert case.raiser_id == example.person("officer").pk
    assert body["stage"] == "discussion"
    assert body["stage_explanation"]["line"] == (
        "At 'Confidential discussion with a senior officer', handled by the Director of the "
        "person who raised it or the Monitoring Officer — Protocol v2026 §6.1"
    )
    assert body["deadline"]["due_on"] == "2027-01-05"
    assert body["deadline"]["duration"] == "5 working days"
    assert body["deadline"]["explanation"]["line"] == (
        "Due by 5 January 2027 (5 working days) — Protocol v2026 §6.2"
    )
    assert body["history"][0]["by_you"] is True
    assert body["history"][0]["explanation"]["text"] == (
        "Opened: An officer's concern about a member"
    )
    assert body["actions"] == []
    (agreement,) = body["agreements"]
    assert agreement["status"] == "not_given"
    assert agreement["can_give"] is True
    assert agreement["explanation"]["line"] == CONSENT
    # No party is named: neither who raised it nor who it is about.
    assert "raiser" not in body
    assert "subject" not in body
    assert example.person("councillor").full_name not in response.content.decode()


def test_opening_names_the_field_at_fault(example):
    client = _client(example, "officer")

    unknown = client.post(CASES, {"procedure": "officer_concern", "subject_id": 999_999})
    officer = client.post(
        CASES, {"procedure": "officer_concern", "subject_id": example.person("colleague").pk}
    )
    member = _client(example, "councillor").post(
        CASES, {"procedure": "officer_concern", "subject_id": example.person("colleague").pk}
    )

    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "subject_id"
    assert officer.status_code == 400
    assert officer.json()["errors"] == [
        {"field": "subject_id", "message": "This procedure is about a member."}
    ]
    assert member.status_code == 400
    assert member.json()["errors"][0]["field"] == "procedure"
    assert not Case.objects.exists()


def test_a_refused_move_is_409_with_the_explanation_line_in_the_one_error_body(example):
    case = _open(example)

    response = _client(example, "mo").post(
        f"{CASES}/{case.public_id}/transitions", {"to": "group_leader_engagement"}
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": CONSENT,
        "errors": [{"field": "consent", "message": CONSENT}],
    }


def test_a_move_by_someone_the_rules_do_not_name_is_refused_on_the_field_to(example):
    case = _open(example)

    response = _client(example, "director").post(
        f"{CASES}/{case.public_id}/transitions", {"to": "group_leader_engagement"}
    )

    line = "Only the Monitoring Officer can take this step — Protocol v2026 §6.3"
    assert response.status_code == 409
    assert response.json() == {"detail": line, "errors": [{"field": "to", "message": line}]}


def test_a_missing_record_is_400_naming_it(example):
    case = _open(example)

    response = _client(example, "director").post(
        f"{CASES}/{case.public_id}/transitions", {"to": "resolved", "records": {}}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "records.reason",
            "message": "Write the reason: this step needs it (Protocol v2026 §6.1).",
        }
    ]


def test_consent_given_then_used_by_the_move_and_then_not_withdrawable(example):
    case = _open(example)
    officer = _client(example, "officer")
    mo = _client(example, "mo")
    path = f"{CASES}/{case.public_id}"

    given = officer.post(f"{path}/consents", {"to": "group_leader_engagement", "note": "All."})
    assert given.status_code == 201
    assert given.json()["agreements"][0]["status"] == "given"
    assert given.json()["agreements"][0]["can_withdraw"] is True
    (action,) = [a for a in mo.get(path).json()["actions"] if a["to"] != "resolved"]
    assert action["consent"]["line"] == CONSENT
    assert action["consent_given"] is True

    moved = mo.post(f"{path}/transitions", {"to": "group_leader_engagement"})
    assert moved.status_code == 200
    assert moved.json()["stage"] == "group_leader_engagement"
    assert [step["by_you"] for step in moved.json()["history"]] == [False, True]

    late = officer.post(f"{path}/consents/withdraw", {"to": "group_leader_engagement"})
    line = (
        "The step you agreed to has already been taken, so the agreement can no longer be "
        "withdrawn — Protocol v2026 §6.3"
    )
    assert late.status_code == 409
    assert late.json() == {"detail": line, "errors": [{"field": "consent", "message": line}]}


def test_withdrawing_consent_stops_the_step(example):
    case = _open(example)
    officer = _client(example, "officer")
    path = f"{CASES}/{case.public_id}"
    officer.post(f"{path}/consents", {"to": "group_leader_engagement"})

    withdrawn = officer.post(f"{path}/consents/withdraw", {"to": "group_leader_engagement"})

    assert withdrawn.status_code == 200
    assert withdrawn.json()["agreements"][0]["status"] == "withdrawn"
    assert withdrawn.json()["agreements"][0]["can_give"] is True
    refused = _client(example, "mo").post(f"{path}/transitions", {"to": "group_leader_engagement"})
    assert refused.status_code == 409


def test_only_the_party_named_may_give_consent(example):
    case = _open(example)

    response = _client(example, "mo").post(
        f"{CASES}/{case.public_id}/consents", {"to": "group_leader_engagement"}
    )

    line = "Only the person who raised it can give or withdraw this agreement — Protocol v2026 §6.3"
    assert response.status_code == 409
    assert response.json() == {"detail": line, "errors": [{"field": "to", "message": line}]}
    assert not CaseConsent.objects.exists()


def test_the_list_counts_and_pages_only_visible_cases_newest_first(example):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=LONDON), tick=False):
        older = _open(example)
    with time_machine.travel(dt.datetime(2026, 6, 2, 9, tzinfo=LONDON), tick=False):
        newer = _open(example)
    officer = _client(example, "officer")

    first = officer.get(CASES, limit=1).json()
    second = officer.get(CASES, limit=1, offset=1).json()

    assert first["count"] == 2
    assert [item["id"] for item in first["items"]] == [str(newer.public_id)]
    assert [item["id"] for item in second["items"]] == [str(older.public_id)]
    assert first["items"][0]["stage_title"] == "Confidential discussion with a senior officer"
    assert first["items"][0]["deadline"]["explanation"]["reference"] == "Protocol v2026 §6.2"
    assert _client(example, "councillor").get(CASES).json()["count"] == 0


def test_a_hidden_case_and_an_unknown_one_give_identical_404s_everywhere(example):
    case = _planted_case(example)
    bodies = {
        "transitions": {"to": "resolved", "records": {"reason": "x"}},
        "consents": {"to": "group_leader_engagement"},
        "consents/withdraw": {"to": "group_leader_engagement"},
    }
    for key in NOT_VIEWERS:
        client = _client(example, key)
        for public_id in (case.public_id, uuid.uuid4(), "not-a-uuid"):
            response = client.get(f"{CASES}/{public_id}")
            assert response.status_code == 404, (key, public_id)
            assert response.content == b'{"detail": "Not found.", "errors": []}'
            for tail, body in bodies.items():
                posted = client.post(f"{CASES}/{public_id}/{tail}", body)
                assert posted.status_code == 404, (key, public_id, tail)
                assert posted.json() == NOT_FOUND


def test_the_planted_marker_is_in_no_response_for_anyone(example):
    case = _planted_case(example)
    for key in (*NOT_VIEWERS, "officer", "mo", "blue_leader", "chief_exec"):
        client = _client(example, key)
        listing = client.get(CASES)
        detail = client.get(f"{CASES}/{case.public_id}")
        for response in (listing, detail):
            assert MARKER.encode() not in response.content, key
        visible = key in {"officer", "mo", "blue_leader"}
        assert listing.json()["count"] == (1 if visible else 0), key
        assert detail.status_code == (200 if visible else 404), key


def test_stand_in_explanations_go_only_to_those_handling_the_case(example):
    from accord.registers.services import relationship_declare

    case = _open(example)
    relationship_declare(
        actor=None,
        person=example.person("mo"),
        other=example.person("councillor"),
        nature="family",
    )

    deputy = _client(example, "deputy_mo").get(f"{CASES}/{case.public_id}").json()
    raiser = _client(example, "officer").get(f"{CASES}/{case.public_id}").json()

    assert deputy["you_handle"] is True
    assert any(
        note.endswith("acts instead — Protocol v2026 §2.2") for note in deputy["handling_notes"]
    )
    assert raiser["you_handle"] is False
    assert raiser["handling_notes"] == []


def test_the_openapi_description_types_the_case_endpoints(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    assert set(paths["/api/v1/cases"]) == {"get", "post"}
    for tail in ("", "/transitions", "/consents", "/consents/withdraw"):
        assert f"/api/v1/cases/{{public_id}}{tail}" in paths
    refusal = paths["/api/v1/cases/{public_id}/transitions"]["post"]["responses"]["409"]
    assert refusal["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    case = schema["components"]["schemas"]["CaseOut"]
    assert {"stage_explanation", "deadline", "history", "actions", "agreements"} <= set(
        case["properties"]
    )


def test_a_move_that_takes_the_case_out_of_the_movers_sight_answers_204(
    example: ExampleCouncil,
) -> None:
    from accord.procedures.tests.example_council import EXAMPLE
    from accord.profiles.services import profile_version_store

    text = EXAMPLE.read_text(encoding="utf-8")
    # Version 2 lets the raiser's Director, who cannot see the Group Leader stage, move it there.
    changed = text.replace("version: 1\n", "version: 2\nsupersedes: 1\n", 1).replace(
        '        by: [monitoring_officer]\n        cite: "6.3"',
        '        by: [raiser.director, monitoring_officer]\n        cite: "6.3"',
        1,
    )
    assert changed.count('raiser.director, monitoring_officer]\n        cite: "6.3"') == 1
    profile_version_store(actor=None, text=changed)
    case = _open(example)
    consent_give(actor=example.user("officer"), case=case, to="group_leader_engagement")
    director = _client(example, "director")
    response = director.post(
        f"{CASES}/{case.public_id}/transitions", {"to": "group_leader_engagement", "records": {}}
    )
    assert response.status_code == 204
    assert response.content == b""
    case.refresh_from_db()
    assert case.stage == "group_leader_engagement"
    assert director.get(f"{CASES}/{case.public_id}").status_code == 404
