from __future__ import annotations

import contextlib

import pytest
from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError

from accord.audit.chain import GENESIS_HASH, compute_hash
from accord.audit.models import AuditEvent
from accord.audit.services import record, record_read
from accord.audit.verify import verify_stored

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _record_then_fail(actor, *verbs):
    with transaction.atomic():
        for verb in verbs:
            record(actor=actor, verb=verb)
        raise Boom


def test_first_event_chains_from_genesis_and_each_next_from_the_one_before(officer):
    first = record(actor=officer, verb="test.first")
    second = record(actor=None, verb="test.second", target=officer, data={"x": 1})

    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert second.hash == compute_hash(AuditEvent.objects.get(seq=2))


def test_actor_and_target_are_described_for_reading_without_joins(officer):
    event = record(actor=officer, verb="test.done", target=officer)
    system = record(actor=None, verb="test.tick")

    assert (event.actor_id, event.actor_label) == (officer.pk, "officer.one")
    assert (event.target_type, event.target_id) == ("accounts.user", str(officer.pk))
    assert (system.actor_id, system.actor_label) == (None, "system")


def test_record_inside_a_rolled_back_transaction_leaves_no_event(officer):
    with pytest.raises(Boom):
        _record_then_fail(officer, "test.lost")

    assert not AuditEvent.objects.exists()


def test_chain_continues_correctly_after_a_rollback(officer):
    kept = record(actor=officer, verb="test.kept")
    with pytest.raises(Boom):
        _record_then_fail(officer, "test.lost", "test.lost.too")
    after = record(actor=officer, verb="test.after")

    assert (after.seq, after.prev_hash) == (kept.seq + 1, kept.hash)
    result = verify_stored()
    assert result.ok, result.summary()
    assert (result.count, result.head_seq) == (2, after.seq)


def test_a_failed_append_cannot_be_swallowed_by_the_caller(officer, monkeypatch):
    first = record(actor=officer, verb="test.kept")
    # As if another writer had taken the head: the insert violates the unique hash.
    monkeypatch.setattr("accord.audit.services.compute_hash", lambda event: first.hash)

    def change_officer_swallowing_the_audit_failure():
        with transaction.atomic():
            with contextlib.suppress(IntegrityError):
                record(actor=officer, verb="test.clash")
            officer.first_name = "changed without its event"
            officer.save()

    with pytest.raises(TransactionManagementError):
        change_officer_swallowing_the_audit_failure()

    officer.refresh_from_db()
    assert officer.first_name == ""
    assert AuditEvent.objects.count() == 1


def test_record_read_records_a_viewed_event_with_the_reason(officer):
    event = record_read(actor=officer, target=officer, reason="case review")
    quiet = record_read(actor=officer, target=officer)

    assert event.verb == "user.viewed"
    assert event.data == {"reason": "case review"}
    assert quiet.data == {}


def test_an_unsaved_target_is_refused(django_user_model):
    with pytest.raises(ValueError, match="saved"):
        record(actor=None, verb="test.bad", target=django_user_model(username="ghost"))


@pytest.mark.parametrize("verb", ["", "x" * 81])
def test_an_empty_or_overlong_verb_is_refused(verb):
    with pytest.raises(ValueError, match="verb"):
        record(actor=None, verb=verb)
