"""`accord audit verify | head | checkpoint`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.audit.models import AuditEvent
from accord.audit.services import record
from accord.audit.tests.tampering import rewrite_chain_from, triggers_lifted

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 1
    return str(caught.value)


def test_verify_reports_an_intact_chain_with_count_and_head(chain):
    output = run("verify", "--batch-size", "5")

    assert "intact: 12 events" in output
    assert f"#12 {chain[-1].hash}" in output


def test_verify_of_an_empty_trail_is_ok():
    assert "intact: 0 events" in run("verify")


def test_verify_exits_1_naming_the_first_edited_event(chain):
    with triggers_lifted():
        AuditEvent.objects.filter(seq=7).update(data={"n": 700})

    message = fails("verify")

    assert "event #7" in message
    assert "edited" in message


def test_verify_exits_1_naming_the_event_after_a_deletion(chain):
    with triggers_lifted():
        AuditEvent.objects.filter(seq__in=[4, 5]).delete()

    message = fails("verify", "--batch-size", "3")

    assert "event #6" in message
    assert "#4 to #5 are missing" in message


def test_head_prints_seq_and_hash(chain):
    assert run("head").split() == ["12", chain[-1].hash]


def test_checkpoint_round_trip_is_confirmed(chain, tmp_path, settings):
    settings.ACCORD_COUNCIL_NAME = "Example County Council"
    path = tmp_path / "checkpoint.json"
    run("checkpoint", "--output", str(path))
    document = json.loads(path.read_text())

    assert (document["seq"], document["hash"]) == (12, chain[-1].hash)
    assert document["council"] == "Example County Council"
    assert document["signature"]
    assert "Checkpoint confirmed: event #12" in run("checkpoint", "--verify", str(path))


def test_checkpoint_stays_valid_as_the_chain_grows(chain, tmp_path):
    path = tmp_path / "checkpoint.json"
    path.write_text(run("checkpoint"))
    record(actor=None, verb="test.later")

    assert "intact to #13" in run("checkpoint", "--verify", str(path))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seq", 11),
        ("hash", "f" * 64),
        ("time", "2020-01-01T00:00:00+00:00"),
        ("council", "Another Council"),
        ("signature", "forged"),
    ],
)
def test_a_tampered_checkpoint_is_rejected(chain, tmp_path, field, value):
    path = tmp_path / "checkpoint.json"
    document = json.loads(run("checkpoint"))
    document[field] = value
    path.write_text(json.dumps(document))

    assert "signature does not match" in fails("checkpoint", "--verify", str(path))


def test_a_checkpoint_signed_with_another_key_is_rejected(chain, tmp_path, settings):
    path = tmp_path / "checkpoint.json"
    settings.SECRET_KEY = "another-installation-" + "k" * 40
    path.write_text(run("checkpoint"))
    settings.SECRET_KEY = "this-installation-" + "k" * 40

    assert "signature does not match" in fails("checkpoint", "--verify", str(path))


def test_a_checkpoint_survives_a_secret_key_rotation(chain, tmp_path, settings):
    path = tmp_path / "checkpoint.json"
    old_key = "old-installation-key-" + "k" * 40
    settings.SECRET_KEY = old_key
    path.write_text(run("checkpoint"))
    settings.SECRET_KEY = "new-installation-key-" + "k" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert "Checkpoint confirmed" in run("checkpoint", "--verify", str(path))


def test_a_chain_rewritten_after_its_checkpoint_is_rejected(chain, tmp_path):
    path = tmp_path / "checkpoint.json"
    path.write_text(run("checkpoint"))
    with triggers_lifted():
        AuditEvent.objects.filter(seq=9).update(verb="test.forged")
    rewrite_chain_from(9)

    assert "intact" in run("verify")  # every link was recomputed: only the checkpoint knows
    message = fails("checkpoint", "--verify", str(path))
    assert "event #12" in message
    assert "differs from the checkpoint" in message


def test_a_chain_truncated_after_its_checkpoint_is_rejected(chain, tmp_path):
    path = tmp_path / "checkpoint.json"
    path.write_text(run("checkpoint"))
    with triggers_lifted():
        AuditEvent.objects.filter(seq__gte=11).delete()

    assert "intact: 10 events" in run("verify")
    message = fails("checkpoint", "--verify", str(path))
    assert "ends at event #10 but the checkpoint names event #12" in message


def test_a_checkpoint_for_another_council_is_rejected(chain, tmp_path, settings):
    path = tmp_path / "checkpoint.json"
    settings.ACCORD_COUNCIL_NAME = "Example County Council"
    path.write_text(run("checkpoint"))
    settings.ACCORD_COUNCIL_NAME = "Another Council"

    assert "is for 'Example County Council'" in fails("checkpoint", "--verify", str(path))


@pytest.mark.parametrize("text", ["not json", "[]", '{"seq": 1}'])
def test_a_malformed_checkpoint_is_rejected(tmp_path, text):
    path = tmp_path / "checkpoint.json"
    path.write_text(text)

    assert "checkpoint" in fails("checkpoint", "--verify", str(path))


def test_a_missing_checkpoint_file_is_reported(tmp_path):
    assert "Cannot read" in fails("checkpoint", "--verify", str(tmp_path / "absent.json"))
