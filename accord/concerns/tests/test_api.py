"""/api/v1/concerns on the demo council (Leicestershire's 000 §49-51): raising a concern either
way, acting on it, consent and sharing, later reports, who has viewed it, and the register.

Each reader gets exactly what `concern_detail` lets them see: a concern someone may not see is
the same 404 as one that does not exist, on every endpoint, and is never listed or counted; a
marker planted in every confidential field reaches nobody who must not read it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from accord.accounts.models import User
from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.concerns.models import Concern
from accord.concerns.tests.helpers import MARKER, account, member_led_by, person
from accord.directory.models import Person
from accord.directory.tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_council", "fake_gateway", "fast_passwords"),
]

CONCERNS = "/api/v1/concerns"
REGISTER = f"{CONCERNS}/register"
NOT_FOUND_BODY = b'{"detail": "Not found.", "errors": []}'
DEMO_ACCOUNTS = (
    "officer",
    "director",
    "head-of-service",
    "chief-executive",
    "monitoring-officer",
    "deputy-monitoring-officer",
    "chief-finance-officer",
    "democratic-services",
    "member",
    "group-leader",
    "leader",
    "lead-member",
)
# For records only those handling a stage may read (the raiser does not see them either).
HANDLERS_ONLY = "HANDLERS-ONLY-5f02c9"
SHARED = "A councillor spoke to me rudely at a site visit."
CONSENT_LINE = (
    "This step can be taken only with the agreement of the person who raised it to the concern "
    "being taken to the leader of the member's political group — Protocol v2025 §50(c)"
)


class Client(ApiClient):
    def put(self, path: str, data: Any) -> Any:
        return self.client.put(
            path, json.dumps(data), content_type="application/json", headers=self._headers()
        )


def _client(user: User | str) -> Client:
    found = account(user) if isinstance(user, str) else user
    return Client(token_create(actor=None, user=found, name="tests")[1])


def _subject_with_account() -> tuple[Person, User]:
    """A member of the Group Leader's group, with an account of their own to try the API with."""
    subject = member_led_by("group-leader")
    return subject, UserFactory.create(username="subject-member", person=subject)


def _officer_concern(
    about: Person, *, first_contact: str = "chief_executive", by: str = "officer", **extra: Any
) -> dict[str, Any]:
    body = {
        "direction": "officer_about_member",
        "subject_id": about.pk,
        "what_happened": f"What happened {MARKER}",
        "happened_on": "2026-01-05",
        "outcome_wanted": f"Outcome {MARKER}",
        "tried_direct": True,
        "tried_direct_details": f"Tried {MARKER}",
        "first_contact": first_contact,
        **extra,
    }
    response = _client(by).post(CONCERNS, body)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def _member_concern(about: Person) -> dict[str, Any]:
    response = _client("member").post(
        CONCERNS,
        {
            "direction": "member_about_officer",
            "subject_id": about.pk,
            "what_happened": f"What happened {MARKER}",
            "outcome_wanted": f"Outcome {MARKER}",
            "tried_direct": False,
        },
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def _all_take_part(concern_id: str) -> None:
    """The three senior officers each record taking part in the management meeting (000
    §50(b)), through the cases API, where a joint stage is taken part in for every case."""
    for who in ("chief-executive", "director", "monitoring-officer"):
        taken = _client(who).post(f"/api/v1/cases/{concern_id}/engagements")
        assert taken.status_code == 201, taken.json()


def _to_group_leader(concern_id: str, *, share_identity: bool = False) -> None:
    """From discussion with the Chief Executive to the Group Leader, with the officer's consent."""
    ce = _client("chief-executive")
    path = f"{CONCERNS}/{concern_id}"
    assert ce.post(f"{path}/actions", {"to": "management_meeting"}).status_code == 200
    _all_take_part(concern_id)
    given = _client("officer").post(
        f"{path}/consent",
        {"to": "group_leader_engagement", "summary": SHARED, "share_identity": share_identity},
    )
    assert given.status_code == 201, given.json()
    moved = ce.post(
        f"{path}/actions",
        {"to": "group_leader_engagement", "records": {"meeting_note": f"Met {HANDLERS_ONLY}"}},
    )
    assert moved.status_code == 200, moved.json()


def _count(client: Client, **params: Any) -> int:
    return int(client.get(CONCERNS, **params).json()["count"])


def _listed(client: Client, **params: Any) -> set[str]:
    return {item["id"] for item in client.get(CONCERNS, limit=200, **params).json()["items"]}


# --- Raising ----------------------------------------------------------------------------------


def test_an_officer_raises_a_concern_about_a_member_and_gets_it_back_as_they_see_it():
    subject = member_led_by("group-leader")

    body = _officer_concern(subject, first_contact="chief_executive")

    concern = Concern.objects.get(case__public_id=body["id"])
    assert concern.case.raiser_id == person("officer").pk
    assert body["direction"] == "officer_about_member"
    assert body["reading"] == "full"
    assert body["is_raiser"] is True
    assert body["subject_name"] == subject.full_name
    assert body["raiser_name"] == person("officer").full_name
    assert body["what_happened"] == f"What happened {MARKER}"
    assert body["happened_on"] == "2026-01-05"
    assert body["tried_direct"] is True
    assert body["first_contact"] == "the Chief Executive (Head of Paid Service)"
    assert body["case"]["stage"] == "discussion"
    assert body["case"]["deadline"]["explanation"]["reference"] == "Protocol v2025 §49"
    assert body["timeline"][0]["by"] == "You"
    assert body["can_report"] is True


def test_a_member_raises_a_concern_about_an_officer_with_no_first_contact_to_choose():
    body = _member_concern(person("officer"))

    assert body["direction"] == "member_about_officer"
    assert body["case"]["procedure"] == "member_concern"
    assert body["case"]["stage"] == "line_management"
    assert body["first_contact"] is None
    assert body["raiser_name"] == person("member").full_name
    # Nothing to do yet: the member escalates only once the manager or Director has considered
    # it (000 §51(b)).
    assert body["case"]["actions"] == []


def test_raising_names_each_field_at_fault_and_writes_nothing():
    subject = member_led_by("group-leader")
    officer = _client("officer")
    before = Concern.objects.count()
    valid = {
        "direction": "officer_about_member",
        "subject_id": subject.pk,
        "what_happened": "Something happened.",
        "tried_direct": False,
        "first_contact": "monitoring_officer",
    }

    def fields(client: Client, **change: Any) -> list[str]:
        response = client.post(CONCERNS, {**valid, **change})
        assert response.status_code == 400, response.json()
        return sorted(e["field"] for e in response.json()["errors"])

    assert fields(officer, what_happened="  ", first_contact="leader") == [
        "first_contact",
        "what_happened",
    ]
    assert fields(officer, tried_direct=None) == ["tried_direct"]
    assert fields(officer, happened_on="2999-01-01") == ["happened_on"]
    assert fields(officer, subject_id=999_999) == ["subject_id"]
    assert fields(officer, subject_id=person("director").pk) == ["subject_id"]
    assert fields(_client("member"), subject_id=person("group-leader").pk) == ["direction"]
    unknown = officer.post(CONCERNS, {**valid, "direction": "sideways"})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["direction"]
    assert Concern.objects.count() == before


def test_the_person_an_officer_spoke_to_records_it_for_them_and_nobody_else_can():
    subject = member_led_by("group-leader")

    body = _officer_concern(
        subject, by="monitoring-officer", first_contact="", raiser_id=person("officer").pk
    )

    assert body["raiser_name"] == person("officer").full_name
    assert body["recorded_by_name"] == person("monitoring-officer").full_name
    assert body["is_raiser"] is False
    assert body["case"]["you_handle"] is True
    mine = _client("officer").get(f"{CONCERNS}/{body['id']}").json()
    assert mine["is_raiser"] is True
    refused = _client("democratic-services").post(
        CONCERNS,
        {
            "direction": "officer_about_member",
            "subject_id": subject.pk,
            "what_happened": "x",
            "tried_direct": False,
            "raiser_id": person("officer").pk,
        },
    )
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["raiser_id"]


# --- Who sees it ------------------------------------------------------------------------------


def test_the_member_it_is_about_and_other_members_get_the_same_404_as_for_a_missing_one():
    subject, subject_user = _subject_with_account()
    outsiders: list[User | str] = [subject_user, "member", "group-leader", "leader", "lead-member"]
    counts = {str(who): _count(_client(who)) for who in outsiders}

    body = _officer_concern(subject, first_contact="chief_executive")

    writes = {
        "actions": {"to": "management_meeting", "records": {}},
        "consent": {"to": "group_leader_engagement", "summary": "", "share_identity": False},
        "consent/withdraw": {"to": "group_leader_engagement"},
        "reports": {"report": "Pressure."},
    }
    for who in outsiders:
        client = _client(who)
        for public_id in (body["id"], str(uuid.uuid4()), "not-a-uuid"):
            for tail in ("", "/viewings"):
                response = client.get(f"{CONCERNS}/{public_id}{tail}")
                assert response.status_code == 404, (who, public_id, tail)
                assert response.content == NOT_FOUND_BODY, (who, public_id, tail)
            for tail, payload in writes.items():
                response = client.post(f"{CONCERNS}/{public_id}/{tail}", payload)
                assert response.content == NOT_FOUND_BODY, (who, public_id, tail)
            sharing = client.put(f"{CONCERNS}/{public_id}/sharing", {"summary": "x"})
            assert sharing.content == NOT_FOUND_BODY, (who, public_id)
        assert body["id"] not in _listed(client), who
        assert _count(client) == counts[str(who)], who
        for mine in ("raised", "handling"):
            assert body["id"] not in _listed(client, mine=mine), (who, mine)
    assert (
        not Concern.objects.get(case__public_id=body["id"])
        .case.history.filter(to="management_meeting")
        .exists()
    )


def test_the_group_leader_sees_only_the_shared_summary_and_only_after_consent():
    subject, subject_user = _subject_with_account()
    body = _officer_concern(subject, first_contact="chief_executive")
    gl = _client("group-leader")
    path = f"{CONCERNS}/{body['id']}"
    assert gl.get(path).status_code == 404

    _to_group_leader(body["id"])

    seen = gl.get(path)
    assert seen.status_code == 200
    shown = seen.json()
    assert shown["reading"] == "shared"
    assert shown["shared_summary"] == SHARED
    assert shown["raiser_name"] is None
    assert shown["what_happened"] is None
    assert shown["outcome_wanted"] is None
    assert shown["tried_direct_details"] is None
    assert shown["first_contact"] is None
    assert all(entry["records"] == [] and entry["by"] == "" for entry in shown["timeline"])
    assert shown["subject_name"] == subject.full_name
    (row,) = [item for item in gl.get(CONCERNS).json()["items"] if item["id"] == body["id"]]
    assert row["reading"] == "shared"
    assert _client(subject_user).get(path).content == NOT_FOUND_BODY

    named = _client("officer").put(f"{path}/sharing", {"summary": SHARED, "share_identity": True})
    assert named.status_code == 200
    assert gl.get(path).json()["raiser_name"] == person("officer").full_name
    assert gl.get(path).json()["what_happened"] is None


def test_only_the_raiser_decides_what_is_shared():
    body = _officer_concern(member_led_by("group-leader"), first_contact="chief_executive")
    path = f"{CONCERNS}/{body['id']}/sharing"

    refused = _client("chief-executive").put(path, {"summary": "Mine now.", "share_identity": True})
    own = _client("officer").put(path, {"summary": "Only this.", "share_identity": False})

    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(
        "Only the person who raised the concern decides what is shared"
    )
    assert own.status_code == 200
    assert own.json()["shared_summary"] == "Only this."


# --- Acting on it -----------------------------------------------------------------------------


def test_a_step_needing_consent_is_409_until_given_and_a_missing_record_is_400():
    body = _officer_concern(member_led_by("group-leader"), first_contact="chief_executive")
    ce = _client("chief-executive")
    path = f"{CONCERNS}/{body['id']}"
    moved = ce.post(f"{path}/actions", {"to": "management_meeting"})
    assert moved.status_code == 200
    (action,) = moved.json()["case"]["actions"]
    assert action["requires_records"] == ["meeting_note"]
    _all_take_part(body["id"])

    refused = ce.post(
        f"{path}/actions", {"to": "group_leader_engagement", "records": {"meeting_note": "Met."}}
    )
    missing = ce.post(f"{path}/actions", {"to": "group_leader_engagement", "records": {}})

    assert refused.status_code == 409
    assert refused.json() == {
        "detail": CONSENT_LINE,
        "errors": [{"field": "consent", "message": CONSENT_LINE}],
    }
    assert missing.status_code == 400
    assert [e["field"] for e in missing.json()["errors"]] == ["records.meeting_note"]


def test_a_step_by_someone_the_rules_do_not_name_is_refused_on_the_field_to():
    body = _officer_concern(member_led_by("group-leader"), first_contact="chief_executive")

    response = _client("officer").post(
        f"{CONCERNS}/{body['id']}/actions", {"to": "management_meeting"}
    )

    assert response.status_code == 409
    assert [e["field"] for e in response.json()["errors"]] == ["to"]


def test_consent_is_given_withdrawn_and_then_the_step_is_refused_again():
    body = _officer_concern(member_led_by("group-leader"), first_contact="chief_executive")
    path = f"{CONCERNS}/{body['id']}"
    ce = _client("chief-executive")
    officer = _client("officer")
    ce.post(f"{path}/actions", {"to": "management_meeting"})
    not_theirs = ce.post(f"{path}/consent", {"to": "group_leader_engagement"})
    assert not_theirs.status_code == 409

    given = officer.post(
        f"{path}/consent",
        {"to": "group_leader_engagement", "summary": SHARED, "share_identity": True},
    )
    withdrawn = officer.post(f"{path}/consent/withdraw", {"to": "group_leader_engagement"})

    assert given.status_code == 201
    assert given.json()["case"]["agreements"][0]["status"] == "given"
    assert given.json()["shared_summary"] == SHARED
    assert given.json()["share_identity"] is True
    assert withdrawn.status_code == 200
    assert withdrawn.json()["case"]["agreements"][0]["status"] == "withdrawn"
    refused = ce.post(
        f"{path}/actions", {"to": "group_leader_engagement", "records": {"meeting_note": "Met."}}
    )
    assert refused.status_code == 409


def test_a_step_that_takes_the_concern_out_of_the_movers_sight_answers_204():
    body = _officer_concern(member_led_by("group-leader"), first_contact="chief_executive")
    _to_group_leader(body["id"])
    ce = _client("chief-executive")

    response = ce.post(f"{CONCERNS}/{body['id']}/actions", {"to": "follow_up"})

    assert response.status_code == 204
    assert response.content == b""
    assert ce.get(f"{CONCERNS}/{body['id']}").content == NOT_FOUND_BODY


def test_a_member_concern_escalated_and_decided_shows_the_member_only_the_reply():
    body = _member_concern(person("officer"))
    path = f"{CONCERNS}/{body['id']}"
    member = _client("member")
    ce = _client("chief-executive")
    replied = _client("director").post(
        f"{path}/actions",
        {"to": "management_reply", "records": {"reason": "Seen.", "reply_to_member": "Seen."}},
    )
    assert replied.status_code == 200, replied.json()
    escalated = member.post(
        f"{path}/actions", {"to": "chief_executive_review", "records": {"reason": "No reply."}}
    )
    assert escalated.status_code == 200
    bad_action = ce.post(
        f"{path}/actions",
        {
            "to": "decided_by_chief_executive",
            "records": {"breach_assessment": "x", "action": "sack", "reply_to_member": "y"},
        },
    )
    assert bad_action.status_code == 400
    assert [e["field"] for e in bad_action.json()["errors"]] == ["records.action"]

    decided = ce.post(
        f"{path}/actions",
        {
            "to": "decided_by_chief_executive",
            "records": {
                "breach_assessment": f"Possible breach {MARKER}",
                "action": "hr_referral",
                "reply_to_member": "Dealt with under our procedures.",
            },
        },
    )

    assert decided.status_code in {200, 204}
    seen = member.get(path)
    assert seen.status_code == 200
    records = [r["value"] for entry in seen.json()["timeline"] for r in entry["records"]]
    assert "Dealt with under our procedures." in records
    assert "hr_referral" not in records
    assert seen.json()["case"]["outcome"] == "decided_by_chief_executive"
    assert _client("officer").get(path).content == NOT_FOUND_BODY


def test_a_later_report_reopens_an_ended_concern_with_the_monitoring_officer():
    body = _officer_concern(member_led_by("group-leader"), first_contact="raiser.director")
    path = f"{CONCERNS}/{body['id']}"
    director = _client("director")
    assert director.post(f"{path}/actions", {"to": "resolved_informally"}).status_code == 409
    assert director.post(f"{path}/actions", {"to": "management_meeting"}).status_code == 200
    _all_take_part(body["id"])
    mo = _client("monitoring-officer")
    followed = mo.post(
        f"{path}/actions",
        {"to": "follow_up", "records": {"meeting_note": "Met.", "reason": "Settled."}},
    )
    assert followed.status_code == 200, followed.json()
    resolved = mo.post(
        f"{path}/actions",
        {"to": "resolved_informally", "records": {"confidential_note": "Kept."}},
    )
    assert resolved.status_code in {200, 204}
    officer = _client("officer")
    empty = officer.post(f"{path}/reports", {"report": " "})
    assert empty.status_code == 400
    assert [e["field"] for e in empty.json()["errors"]] == ["report"]

    reported = officer.post(f"{path}/reports", {"report": f"Pressured {MARKER}"})

    assert reported.status_code == 201
    assert reported.json()["case"]["is_open"] is True
    assert reported.json()["case"]["stage"] == "retaliation_review"
    mo = _client("monitoring-officer")
    assert body["id"] in _listed(mo, mine="handling")
    assert _client("member").post(f"{path}/reports", {"report": "x"}).content == NOT_FOUND_BODY


# --- Viewings, lists and the register ---------------------------------------------------------


def test_only_the_raiser_is_told_who_has_opened_their_concern():
    body = _officer_concern(member_led_by("group-leader"), first_contact="monitoring_officer")
    path = f"{CONCERNS}/{body['id']}"
    mo = _client("monitoring-officer")
    assert mo.get(path).status_code == 200

    raiser = _client("officer").get(f"{path}/viewings")
    handler = mo.get(f"{path}/viewings")

    assert raiser.status_code == 200
    assert [v["name"] for v in raiser.json()] == [person("monitoring-officer").full_name]
    assert handler.status_code == 200
    assert handler.json() == []


def test_the_list_pages_and_filters_raised_and_handling():
    subject = member_led_by("group-leader")
    first = _officer_concern(subject, first_contact="chief_executive")
    second = _officer_concern(subject, first_contact="chief_executive")
    officer = _client("officer")
    ce = _client("chief-executive")

    page = officer.get(CONCERNS, limit=1).json()
    raised = _listed(officer, mine="raised")
    handling = _listed(ce, mine="handling")

    assert page["count"] >= 2
    assert [item["id"] for item in page["items"]] == [second["id"]]
    assert set(page["items"][0]) == {
        "id",
        "direction",
        "procedure",
        "stage",
        "stage_title",
        "outcome",
        "opened_at",
        "closed_at",
        "due_on",
        "reading",
        "subject_name",
        "raiser_name",
    }
    assert page["items"][0]["due_on"] is not None
    assert page["items"][0]["raiser_name"] == person("officer").full_name
    assert {first["id"], second["id"]} <= raised
    assert {first["id"], second["id"]} <= handling
    assert not {first["id"], second["id"]} & _listed(officer, mine="handling")
    assert officer.get(CONCERNS, mine="bogus").status_code == 422


def test_the_register_is_for_the_monitoring_officer_and_deputy_and_404_for_anyone_else():
    subject = member_led_by("group-leader")
    body = _officer_concern(subject, first_contact="monitoring_officer")
    mo = _client("monitoring-officer")

    found = mo.get(REGISTER, q=subject.family_name, status="open")
    said = mo.get(REGISTER, q=MARKER, direction="officer_about_member")
    closed = mo.get(REGISTER, status="closed")

    assert found.status_code == 200
    assert body["id"] in {item["id"] for item in found.json()["items"]}
    assert body["id"] in {item["id"] for item in said.json()["items"]}
    assert body["id"] not in {item["id"] for item in closed.json()["items"]}
    assert _client("deputy-monitoring-officer").get(REGISTER).status_code == 200
    assert mo.get(REGISTER, status="bogus").status_code == 422
    for who in DEMO_ACCOUNTS:
        if who in {"monitoring-officer", "deputy-monitoring-officer"}:
            continue
        client = _client(who)
        for params in ({}, {"status": "bogus", "limit": 0}):
            response = client.get(REGISTER, **params)
            assert response.status_code == 404, (who, params)
            assert response.content == NOT_FOUND_BODY, (who, params)


def test_a_marker_in_every_confidential_field_reaches_nobody_who_must_not_read_it():
    subject, subject_user = _subject_with_account()
    officer_body = _officer_concern(subject, first_contact="chief_executive")
    _to_group_leader(officer_body["id"])
    member_body = _member_concern(person("officer"))
    member_path = f"{CONCERNS}/{member_body['id']}"
    replied = _client("director").post(
        f"{member_path}/actions",
        {"to": "management_reply", "records": {"reason": "Seen.", "reply_to_member": "Seen."}},
    )
    assert replied.status_code == 200
    escalated = _client("member").post(
        f"{member_path}/actions",
        {"to": "chief_executive_review", "records": {"reason": f"Escalated {MARKER}"}},
    )
    assert escalated.status_code == 200
    _client("chief-executive").post(
        f"{member_path}/actions",
        {
            "to": "decided_by_chief_executive",
            "records": {
                "breach_assessment": f"Breach {HANDLERS_ONLY}",
                "action": "hr_referral",
                "reply_to_member": "Dealt with.",
            },
        },
    )
    # Who may read what each concern says (its raiser and those handling its stage today), and
    # who may read the records of those handling it (not its raiser).
    said = {
        officer_body["id"]: {"officer", "chief-executive", "monitoring-officer"},
        member_body["id"]: {"member", "chief-executive"},
    }
    handled = {
        officer_body["id"]: {"chief-executive", "monitoring-officer"},
        member_body["id"]: {"chief-executive"},
    }
    readers: list[User | str] = [*DEMO_ACCOUNTS, subject_user]

    for who in readers:
        client = _client(who)
        name = who if isinstance(who, str) else who.username
        for concern_id in said:
            responses = [
                client.get(CONCERNS, limit=200),
                client.get(CONCERNS, mine="raised"),
                client.get(CONCERNS, mine="handling"),
                client.get(f"{CONCERNS}/{concern_id}"),
                client.get(f"{CONCERNS}/{concern_id}/viewings"),
                client.get(REGISTER, q=MARKER),
            ]
            for marker, may_read in ((MARKER, said), (HANDLERS_ONLY, handled)):
                if name in may_read[concern_id]:
                    continue
                for response in responses:
                    assert marker.encode() not in response.content, (name, concern_id, marker)
    # The markers are there to be found by those who may read them.
    for concern_id, handlers in handled.items():
        for handler in handlers:
            assert (
                HANDLERS_ONLY.encode() in _client(handler).get(f"{CONCERNS}/{concern_id}").content
            )
    gl = _client("group-leader").get(f"{CONCERNS}/{officer_body['id']}")
    assert gl.status_code == 200
    assert gl.json()["shared_summary"] == SHARED
    assert MARKER.encode() not in gl.content


def test_the_openapi_description_types_the_concern_endpoints(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    assert set(paths["/api/v1/concerns"]) == {"get", "post"}
    assert "get" in paths["/api/v1/concerns/register"]
    for tail in ("", "/actions", "/consent", "/consent/withdraw", "/reports", "/viewings"):
        assert f"/api/v1/concerns/{{public_id}}{tail}" in paths
    assert "put" in paths["/api/v1/concerns/{public_id}/sharing"]
    concern = schema["components"]["schemas"]["ConcernOut"]
    assert {"reading", "what_happened", "shared_summary", "timeline", "case"} <= set(
        concern["properties"]
    )


def test_the_generic_case_endpoints_send_steps_on_a_concern_to_the_concern_endpoints():
    raised = _officer_concern(member_led_by("group-leader"), first_contact="chief_executive")
    ce = _client("chief-executive")
    cases = f"/api/v1/cases/{raised['id']}"

    moved = ce.post(f"{cases}/transitions", {"to": "management_meeting"})
    agreed = _client("officer").post(f"{cases}/consents", {"to": "group_leader_engagement"})

    for response in (moved, agreed):
        assert response.status_code == 409
        assert response.json()["detail"] == (
            f"Take steps on this case through {CONCERNS}/{raised['id']}"
        )
    assert ce.get(f"{CONCERNS}/{raised['id']}").json()["case"]["stage"] == "discussion"
