"""The audit trail over the API: role-gated, filtered, recorded, and able to expose tampering."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.audit.checkpoint import check_checkpoint
from accord.audit.models import AuditEvent
from accord.audit.services import record
from accord.audit.tests.tampering import triggers_lifted
from accord.directory.tests import factories as typed_factories

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/audit/events"
VERIFY = "/api/v1/audit/verify"
CHECKPOINT = "/api/v1/audit/checkpoint"

READERS = ["monitoring_officer", "deputy_monitoring_officer", "directory_admin"]
OTHERS = ["officer", "member", "director", "nobody"]


def make_account(kind: str) -> Any:
    return factories.account_holding(kind)


def api_for(user: Any) -> ApiClient:
    return ApiClient(token_create(actor=None, user=user, name="tests")[1])


@pytest.fixture
def reader() -> Any:
    return make_account("monitoring_officer")


@pytest.fixture
def reader_api(reader) -> ApiClient:
    return api_for(reader)


@pytest.fixture
def trail(reader_api) -> list[AuditEvent]:
    """Events with different verbs, actors and targets, recorded after the reader's token was
    issued (issuing one is itself an event)."""
    clerk = factories.UserFactory(username="clerk")
    people = [factories.PersonFactory() for _ in range(2)]
    return [
        record(actor=clerk, verb="directory.person_created", target=people[0], data={"n": 1}),
        record(actor=clerk, verb="directory.person_updated", target=people[0], data={"n": 2}),
        record(actor=None, verb="directory.person_created", target=people[1], data={"n": 3}),
        record(actor=clerk, verb="accounts.signed_in", data={"n": 4}),
    ]


def seqs(api: ApiClient, trail: list[AuditEvent], **params: Any) -> list[int]:
    """The trail's events listed, as positions in `trail` (1 = the first)."""
    response = api.get(EVENTS, **params)
    assert response.status_code == 200, response.content
    first = trail[0].seq
    return [item["seq"] - first + 1 for item in response.json()["items"]]


@pytest.mark.parametrize("kind", READERS)
def test_the_monitoring_officer_deputy_and_directory_admins_reach_every_endpoint(kind):
    api = api_for(make_account(kind))
    event = record(actor=None, verb="test.one")

    assert api.get(EVENTS).status_code == 200
    assert api.get(f"{EVENTS}/{event.seq}").status_code == 200
    assert api.post(VERIFY).status_code == 200
    assert api.get(CHECKPOINT).status_code == 200


@pytest.mark.parametrize("kind", OTHERS)
def test_every_endpoint_is_not_found_for_anyone_else(trail, kind):
    api = api_for(make_account(kind))
    before = AuditEvent.objects.count()

    responses = [
        api.get(EVENTS),
        api.get(f"{EVENTS}/{trail[0].seq}"),
        api.get(f"{EVENTS}/999999"),
        api.post(VERIFY),
        api.get(CHECKPOINT),
        # A malformed query would be a 422 for a reader: the role is checked before parsing.
        api.get(EVENTS, occurred_from="not-a-date", limit="-1"),
    ]

    for response in responses:
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "errors": []}
    assert AuditEvent.objects.count() == before


def test_without_a_token_the_endpoints_ask_for_one(trail, anonymous):
    for response in (anonymous.get(EVENTS), anonymous.post(VERIFY), anonymous.get(CHECKPOINT)):
        assert response.status_code == 401
        assert set(response.json()) == {"detail", "errors"}


def test_events_are_newest_first_with_count_limit_and_offset(trail, reader_api):
    response = reader_api.get(EVENTS, verb="directory.", limit=2, offset=1)

    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 1)
    assert [item["seq"] for item in body["items"]] == [trail[1].seq, trail[0].seq]
    first = body["items"][-1]
    assert first["hash"] == trail[0].hash
    assert first["prev_hash"] == trail[0].prev_hash
    assert first["data"] == {"n": 1}
    assert first["actor_label"] == "clerk"


def test_filters_narrow_by_verb_prefix_actor_and_target(trail, reader_api):
    target = trail[0]

    assert seqs(reader_api, trail, verb="directory.person_c") == [3, 1]
    assert seqs(reader_api, trail, actor="Clerk", verb="directory.") == [2, 1]
    assert seqs(reader_api, trail, actor="system", verb="directory.") == [3]
    assert seqs(reader_api, trail, target_type=target.target_type, target_id=target.target_id) == [
        2,
        1,
    ]


def test_the_date_filters_are_whole_uk_days_inclusive(reader_api):
    for moment, verb in [
        (dt.datetime(2026, 7, 1, 22, 59, tzinfo=dt.UTC), "test.first"),  # 23:59 BST
        (dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC), "test.second"),  # 00:30 BST next day
    ]:
        with time_machine.travel(moment, tick=False):
            record(actor=None, verb=verb)

    def verbs(**params: str) -> list[str]:
        return [
            item["verb"] for item in reader_api.get(EVENTS, verb="test.", **params).json()["items"]
        ]

    assert verbs(occurred_from="2026-07-02") == ["test.second"]
    assert verbs(occurred_to="2026-07-01") == ["test.first"]
    assert verbs(occurred_from="2026-07-01", occurred_to="2026-07-02") == [
        "test.second",
        "test.first",
    ]


def test_a_backwards_date_range_names_the_field(reader_api):
    response = reader_api.get(EVENTS, occurred_from="2026-07-02", occurred_to="2026-07-01")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["occurred_to"]


def test_bad_query_values_are_422_with_field_names(reader_api):
    response = reader_api.get(EVENTS, limit=0, occurred_from="yesterday")

    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"limit", "occurred_from"}


def test_an_event_is_returned_whole_and_its_reading_recorded(trail, reader, reader_api):
    response = reader_api.get(f"{EVENTS}/{trail[1].seq}")

    body = response.json()
    assert body["verb"] == "directory.person_updated"
    assert (body["target_type"], body["target_id"]) == (trail[1].target_type, trail[1].target_id)
    assert (body["hash"], body["prev_hash"]) == (trail[1].hash, trail[0].hash)
    assert body["data"] == {"n": 2}
    opened = AuditEvent.objects.get(verb="audit.viewed", target_type="audit.auditevent")
    assert (opened.actor_id, opened.target_id) == (reader.pk, str(trail[1].seq))


def test_a_missing_event_is_not_found(reader_api):
    response = reader_api.get(f"{EVENTS}/999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_a_search_is_recorded_once_however_many_pages_are_read(trail, reader, reader_api):
    for offset in (0, 2, 4, 0):
        reader_api.get(EVENTS, verb="directory.", limit=2, offset=offset)
    reader_api.get(EVENTS, actor="clerk")

    views = AuditEvent.objects.filter(verb="audit.viewed", actor_id=reader.pk).order_by("seq")
    assert [event.data for event in views] == [
        {"filters": {"verb_prefix": "directory."}},
        {"filters": {"actor": "clerk"}},
    ]


def test_verify_reports_an_intact_chain(trail, reader_api):
    body = reader_api.post(VERIFY).json()

    assert body["ok"] is True
    head = trail[-1]
    assert (body["count"], body["head_seq"], body["head_hash"]) == (head.seq, head.seq, head.hash)
    assert body["first_break"] is None
    assert AuditEvent.objects.get(verb="audit.verified").data["ok"] is True


def test_verify_names_the_first_event_of_a_tampered_chain(trail, reader_api):
    with triggers_lifted():
        AuditEvent.objects.filter(seq__in=[trail[1].seq, trail[2].seq]).delete()

    body = reader_api.post(VERIFY).json()

    assert body["ok"] is False
    assert body["first_break"]["seq"] == trail[3].seq
    assert body["first_break"]["problem"] == "seq_gap"
    assert f"#{trail[1].seq} to #{trail[2].seq} are missing" in body["first_break"]["message"]
    assert (body["count"], body["head_seq"]) == (trail[0].seq, trail[0].seq)


def test_the_checkpoint_is_signed_and_the_verifier_accepts_it(trail, reader_api):
    response = reader_api.get(CHECKPOINT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["seq"], body["hash"]) == (trail[-1].seq, trail[-1].hash)
    assert check_checkpoint(response.content.decode()).ok
    exported = AuditEvent.objects.get(verb="audit.checkpoint_exported")
    assert exported.data == {"seq": trail[-1].seq, "hash": trail[-1].hash}
