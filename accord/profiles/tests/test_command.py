"""`accord profile schema | check | load | diff`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.profiles.models import ProfileVersion
from accord.profiles.tests.helpers import EXAMPLE, LEICESTERSHIRE, edited


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("profile", *args, stdout=out)
    return out.getvalue()


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 1
    return str(caught.value)


def test_schema_prints_a_json_schema_of_the_format():
    schema = json.loads(run("schema"))

    assert schema["title"] == "Accord council profile"
    assert "procedures" in schema["properties"]
    assert schema["$defs"]["Transition"]["required"] == ["from", "to", "by", "cite"]
    assert schema["$defs"]["Stage"]["additionalProperties"] is False


def test_check_reports_a_valid_profile_and_the_paragraphs_it_cites(tmp_path):
    (tmp_path / "example_protocol.txt").write_text(
        "1.4 Closures.\n2.1 A.\n2.2 B.\n6. Concerns\n6.1 C\n6.2 D\n6.3 E\n",
        encoding="utf-8",
    )

    output = run("check", str(EXAMPLE), "--protocols", str(tmp_path))

    assert "valid" in output
    assert "1 procedure, 2 stages, 3 transitions" in output
    assert "Cites 13 paragraphs: 1.4, 2.1, 2.2, 2.3, 3.2, 4.1, 5.1, 5.2, 6, 6.1" in output
    assert "Found in example_protocol.txt: 7 of 13" in output
    assert "Not found: 2.3, 3.2, 4.1, 5.1, 5.2, 6.4" in output


def test_check_finds_every_paragraph_the_leicestershire_profile_cites(settings, tmp_path):
    document = tmp_path / "000_105dc4ba1c16665c.txt"
    document.write_text(
        "49. Early.\n50. Officers\n - (a) x\n - (b) x\n(c) x\n(d) x\n(e) x\n(f) x\n", "utf-8"
    )

    output = run("check", str(LEICESTERSHIRE), "--protocols", str(tmp_path))

    assert "Cites 29 paragraphs" in output
    assert "50(c)" in output.split("Not found:")[0]
    assert "Not found:" in output
    assert "51(a)" in output.split("Not found:")[1]


def test_check_says_when_the_source_document_is_missing(tmp_path):
    output = run("check", str(EXAMPLE), "--protocols", str(tmp_path))

    assert "was not found" in output


def test_check_exits_1_listing_each_error_with_path_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(edited("from: raiser\n", "from: monitoring_officer\n"), encoding="utf-8")

    message = fails("check", str(bad))

    assert (
        "procedures.officer_concern.transitions[0].consent.from (line 69): "
        "'monitoring_officer' cannot give consent"
    ) in message
    assert "1 problem" in message


def test_check_exits_1_for_a_missing_file(tmp_path):
    assert "Cannot read" in fails("check", str(tmp_path / "absent.yaml"))


@pytest.mark.django_db
def test_load_stores_the_version_once():
    first = run("load", str(EXAMPLE))
    second = run("load", str(EXAMPLE))

    assert "Profile 'example' version 1 is stored" in first
    assert second == first
    assert ProfileVersion.objects.count() == 1


@pytest.mark.django_db
def test_load_exits_1_for_changed_text_under_a_stored_version(tmp_path):
    run("load", str(EXAMPLE))
    changed = tmp_path / "changed.yaml"
    changed.write_text(edited("amount: 10", "amount: 15"), encoding="utf-8")

    assert "already stored with different text" in fails("load", str(changed))


def test_diff_prints_each_change_and_a_count(tmp_path):
    newer = tmp_path / "newer.yaml"
    newer.write_text(edited("amount: 10", "amount: 15"), encoding="utf-8")

    output = run("diff", str(EXAMPLE), str(newer))

    assert "changed  durations.enquiry_response: duration 'enquiry_response' changed" in output
    assert output.strip().endswith("1 change.")


def test_diff_of_identical_files_says_so():
    assert run("diff", str(EXAMPLE), str(EXAMPLE)).strip() == "No differences."
