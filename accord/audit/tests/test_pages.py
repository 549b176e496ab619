"""The audit trail pages: who reaches them, what they show, and that reading them is recorded."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.accounts.testing import give_totp
from accord.audit.checkpoint import check_checkpoint
from accord.audit.models import AuditEvent
from accord.audit.services import record
from accord.audit.tests.tampering import triggers_lifted
from accord.directory.tests import factories as typed_factories
from accord.web.tests.test_page_hygiene import inline_code

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

READERS = ["monitoring_officer", "deputy_monitoring_officer", "directory_admin"]
OTHERS = ["officer", "member", "director"]


def make_account(kind: str) -> Any:
    """A signed-in-able account whose directory person holds `kind` today."""
    user = factories.account_holding(kind)
    give_totp(user)
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reader() -> Any:
    return make_account("monitoring_officer")


@pytest.fixture
def reader_client(reader) -> Client:
    return client_for(reader)


@pytest.fixture
def trail(db) -> list[AuditEvent]:
    """Events with different verbs, actors and targets."""
    clerk = factories.UserFactory(username="clerk")
    visitor = factories.UserFactory(username="visitor")
    people = [factories.PersonFactory() for _ in range(2)]
    return [
        record(actor=clerk, verb="directory.person_created", target=people[0], data={"n": 1}),
        record(actor=clerk, verb="directory.person_updated", target=people[0], data={"n": 2}),
        record(actor=None, verb="directory.person_created", target=people[1], data={"n": 3}),
        record(actor=visitor, verb="accounts.signed_in", data={"n": 4}),
        record(actor=clerk, verb="directoryish.other", data={"n": 5}),
    ]


def audit_urls(seq: int) -> list[str]:
    return [
        reverse("audit:audit_events"),
        reverse("audit:audit_event", args=[seq]),
        reverse("audit:audit_verify"),
        reverse("audit:audit_checkpoint"),
    ]


def listed_seqs(client: Client, **params: str) -> list[int]:
    response = client.get(reverse("audit:audit_events"), params)
    assert response.status_code == 200
    return [event.seq for event in response.context["page_obj"].object_list]


@pytest.mark.parametrize("kind", READERS)
def test_the_monitoring_officer_deputy_and_directory_admins_reach_every_audit_page(trail, kind):
    client = client_for(make_account(kind))

    for url in audit_urls(trail[0].seq):
        assert client.get(url).status_code == 200, url
    assert client.post(reverse("audit:audit_verify")).status_code == 200


@pytest.mark.parametrize("kind", OTHERS)
def test_everyone_else_is_told_the_audit_pages_do_not_exist(trail, kind):
    client = client_for(make_account(kind))
    before = AuditEvent.objects.count()

    for url in audit_urls(trail[0].seq):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode()
    assert client.post(reverse("audit:audit_verify")).status_code == 404
    assert AuditEvent.objects.count() == before
    assert "Audit trail" not in client.get(reverse("web:home")).content.decode()


def test_readers_see_the_audit_trail_in_the_navigation(reader_client):
    page = reader_client.get(reverse("web:home")).content.decode()

    assert f'href="{reverse("audit:audit_events")}"' in page


def test_the_list_is_newest_first(trail, reader_client):
    seqs = listed_seqs(reader_client)

    assert seqs == sorted(seqs, reverse=True)
    assert set(seqs) >= {event.seq for event in trail}


def test_filters_narrow_the_list_by_verb_prefix_actor_and_target(trail, reader_client):
    person = trail[0]

    assert listed_seqs(reader_client, verb="directory.") == [3, 2, 1]
    assert listed_seqs(reader_client, actor="CLERK") == [5, 2, 1]
    assert listed_seqs(reader_client, actor="system") == [3]
    assert listed_seqs(
        reader_client, target_type=person.target_type, target_id=person.target_id
    ) == [2, 1]
    assert listed_seqs(reader_client, verb="directory.", actor="clerk") == [2, 1]


def test_the_date_filters_are_whole_uk_days_inclusive(reader, reader_client):
    # 23:30 on 1 July UTC is 00:30 on 2 July in the UK (BST).
    for moment, verb in [
        (dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC), "test.june"),
        (dt.datetime(2026, 7, 1, 22, 59, tzinfo=dt.UTC), "test.first"),
        (dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC), "test.second"),
    ]:
        with time_machine.travel(moment, tick=False):
            record(actor=None, verb=verb)

    def verbs(**params: str) -> list[str]:
        response = reader_client.get(reverse("audit:audit_events"), {"verb": "test.", **params})
        return [event.verb for event in response.context["page_obj"].object_list]

    first_of_july = {"occurred_from_day": "1", "occurred_from_month": "7"}
    assert verbs(**first_of_july, occurred_from_year="2026") == ["test.second", "test.first"]
    assert verbs(occurred_to_day="1", occurred_to_month="7", occurred_to_year="2026") == [
        "test.first",
        "test.june",
    ]
    assert verbs(
        occurred_from_day="2",
        occurred_from_month="7",
        occurred_from_year="2026",
        occurred_to_day="2",
        occurred_to_month="7",
        occurred_to_year="2026",
    ) == ["test.second"]


def test_a_backwards_date_range_is_an_error_not_an_empty_list(reader_client):
    response = reader_client.get(
        reverse("audit:audit_events"),
        {
            "occurred_from_day": "2",
            "occurred_from_month": "7",
            "occurred_from_year": "2026",
            "occurred_to_day": "1",
            "occurred_to_month": "7",
            "occurred_to_year": "2026",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "must be the same as or after the start date" in page
    assert response.context["page_obj"] is None


def test_the_list_costs_the_same_queries_for_few_or_many_events(reader, reader_client):
    def queries_for_first_and_second_page(verb: str) -> list[int]:
        counts = []
        for page in ("1", "2"):
            with CaptureQueriesContext(connection) as captured:
                response = reader_client.get(
                    reverse("audit:audit_events"), {"verb": verb, "page": page}
                )
            assert response.status_code == 200
            counts.append(len(captured))
        return counts

    reader_client.get(reverse("web:home"))  # the session's first request does extra work
    for _ in range(60):
        record(actor=reader, verb="test.few")
    few = queries_for_first_and_second_page("test.few")
    for _ in range(240):
        record(actor=reader, verb="test.many")
    many = queries_for_first_and_second_page("test.many")

    assert few == many


@pytest.mark.parametrize("size", [120, 400])
def test_a_page_of_the_list_stays_within_a_fixed_query_budget(
    reader, reader_client, django_assert_max_num_queries, size
):
    for n in range(size):
        record(actor=reader, verb=f"test.step{n % 5}", data={"n": n})

    with django_assert_max_num_queries(20):
        response = reader_client.get(reverse("audit:audit_events"), {"page": "2"})

    assert len(response.context["page_obj"].object_list) == 50


def test_an_event_shows_every_field_with_its_data_escaped(reader, reader_client):
    person = factories.PersonFactory()
    planted = record(
        actor=reader,
        verb="test.planted",
        target=person,
        data={"note": "<script>alert(1)</script>", "nested": {"ok": True}},
    )

    response = reader_client.get(reverse("audit:audit_event", args=[planted.seq]))

    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for shown in (
        planted.hash,
        planted.prev_hash,
        "test.planted",
        "directory.person",
        str(person.pk),
        reader.username,
        "&quot;nested&quot;: {",
    ):
        assert shown in page, shown
    assert inline_code(page).problems == []


def test_a_missing_event_is_not_found(reader_client):
    assert reader_client.get(reverse("audit:audit_event", args=[999_999])).status_code == 404


def test_verify_reports_an_intact_chain_with_its_count_and_head(trail, reader_client):
    response = reader_client.post(reverse("audit:audit_verify"))

    page = response.content.decode()
    result = response.context["result"]
    assert result.ok
    assert "Audit chain intact" in page
    assert f"{result.count} events checked" in page
    assert result.head_hash in page


def test_verify_names_the_first_event_of_a_tampered_chain(trail, reader_client):
    with triggers_lifted():
        AuditEvent.objects.filter(seq=trail[2].seq).update(data={"n": 300})

    response = reader_client.post(reverse("audit:audit_verify"))

    page = response.content.decode()
    assert "Audit chain broken" in page
    assert f"The chain is broken at event #{trail[2].seq}" in page
    assert "the event was edited" in page
    assert reverse("audit:audit_event", args=[trail[2].seq]) in page
    verified = AuditEvent.objects.filter(verb="audit.verified").get()
    assert verified.data["ok"] is False
    assert verified.data["first_break_seq"] == trail[2].seq


def test_the_detail_page_flags_an_edited_event(trail, reader_client):
    with triggers_lifted():
        AuditEvent.objects.filter(seq=trail[1].seq).update(verb="test.forged")

    page = reader_client.get(reverse("audit:audit_event", args=[trail[1].seq])).content.decode()

    assert "does not match its content" in page


def test_the_checkpoint_download_is_a_signed_file_the_verifier_accepts(trail, reader_client):
    response = reader_client.get(reverse("audit:audit_checkpoint"))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    document = json.loads(text)
    assert (document["seq"], document["hash"]) == (trail[-1].seq, trail[-1].hash)
    assert check_checkpoint(text).ok
    exported = AuditEvent.objects.get(verb="audit.checkpoint_exported")
    assert exported.data == {"seq": trail[-1].seq, "hash": trail[-1].hash}


def test_a_search_is_recorded_once_however_many_pages_are_turned(reader, reader_client):
    for _ in range(120):
        record(actor=None, verb="test.filler")

    for page in ("1", "2", "3", "2"):
        reader_client.get(reverse("audit:audit_events"), {"verb": "test.", "page": page})
    reader_client.get(reverse("audit:audit_events"), {"verb": "accounts."})

    views = AuditEvent.objects.filter(verb="audit.viewed", actor_id=reader.pk).order_by("seq")
    assert [event.data for event in views] == [
        {"filters": {"verb_prefix": "test."}},
        {"filters": {"verb_prefix": "accounts."}},
    ]


def test_the_same_search_is_recorded_again_after_half_an_hour(reader):
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = client_for(reader)
    # Within the session's idle timeout each time, but 45 minutes after the first.
    for minutes in (0, 20, 45):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("audit:audit_events")).status_code == 200

    assert AuditEvent.objects.filter(verb="audit.viewed", actor_id=reader.pk).count() == 2


def test_opening_an_event_and_verifying_are_recorded(trail, reader, reader_client):
    reader_client.get(reverse("audit:audit_event", args=[trail[0].seq]))
    reader_client.post(reverse("audit:audit_verify"))

    opened = AuditEvent.objects.get(verb="audit.viewed", target_type="audit.auditevent")
    assert (opened.actor_id, opened.target_id) == (reader.pk, str(trail[0].seq))
    verified = AuditEvent.objects.get(verb="audit.verified")
    assert verified.data["ok"] is True
    assert verified.data["head_seq"] == opened.seq


def test_audit_pages_have_no_inline_styles_or_scripts(trail, reader_client):
    for url in audit_urls(trail[0].seq)[:3]:
        assert inline_code(reader_client.get(url).content.decode()).problems == [], url
    verified = reader_client.post(reverse("audit:audit_verify")).content.decode()
    assert inline_code(verified).problems == []


def test_a_search_that_matches_nothing_says_so(trail, reader_client):
    response = reader_client.get(reverse("audit:audit_events"), {"verb": "nothing.like.this"})

    page = response.content.decode()
    assert "0 events matching the search" in page
    assert "No events match" in page
