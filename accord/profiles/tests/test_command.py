"""`accord profile schema | check | load | diff`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.profiles.management.commands.profile import default_protocols_dir
from accord.profiles.models import ProfileVersion
from accord.profiles.tests.helpers import EXAMPLE, LEICESTERSHIRE, edited, example_text


def _quick(args: tuple[str, ...]) -> tuple[str, ...]:
    """`check` without its scenarios, which have tests of their own below."""
    return (*args, "--no-scenarios") if args[:1] == ("check",) else args


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("profile", *_quick(args), stdout=out)
    return out.getvalue()


def fails(*args: str) -> str:
    return fails_with_output(*args)[1]


def fails_with_output(*args: str) -> tuple[str, str]:
    """What the command printed before failing, and its error message; it must exit 1."""
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("profile", *_quick(args), stdout=out)
    assert caught.value.returncode == 1
    return out.getvalue(), str(caught.value)


def test_schema_prints_a_json_schema_of_the_format():
    schema = json.loads(run("schema"))

    assert schema["title"] == "Accord council profile"
    assert "procedures" in schema["properties"]
    assert schema["$defs"]["Transition"]["required"] == ["from", "to", "by", "cite"]
    assert schema["$defs"]["Stage"]["additionalProperties"] is False


# A protocol for the example profile: every paragraph it cites, and two duties it does not
# encode (5.3, 7.1). Its citation of "6" covers 6.5 too.
EXAMPLE_PROTOCOL = """\
1. Calendar
1.4 The Council closes between Christmas and New Year.
2. Enquiries
2.1 A member may ask any officer for information.
2.2 The officer must reply within ten working days.
2.3 The reply must say who else was told.
3. Briefings
3.2 A briefing offered to one group must be offered to every group.
4. Events
4.1 Division members must be told of an event before it is announced.
5. Records
5.1 Officers must keep a note of each enquiry.
5.2 The Monitoring Officer will review the notes each year.
5.3 Officers must not destroy a note within six years.
6. Concerns
6.1 An officer may raise a concern with their Director.
6.2 The Monitoring Officer must be told within five working days.
6.3 The Group Leader may be told only with the officer's agreement.
6.4 The outcome must be written down.
6.5 The Monitoring Officer will follow up each concern.
7. Reports
7.1 The Standards Committee must see a yearly summary.
"""


def example_protocols(tmp_path: Path, text: str = EXAMPLE_PROTOCOL) -> Path:
    (tmp_path / "example_protocol.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_check_lists_the_cited_paragraphs_and_the_actionable_ones_left_out(tmp_path):
    output = run("check", str(EXAMPLE), "--protocols", str(example_protocols(tmp_path)))

    assert "valid" in output
    assert "1 procedure, 2 stages, 3 transitions" in output
    assert "Cites 13 paragraphs of example_protocol: all found." in output
    assert "  1.4, 2.1, 2.2, 2.3, 3.2, 4.1, 5.1, 5.2, 6, 6.1, 6.2, 6.3, 6.4\n" in output
    assert (
        "Actionable paragraphs: 14 in the document; 12 cited, 0 explained as not encoded, "
        "2 neither:\n"
        "  5.3  Officers must not destroy a note within six years.\n"
        "  7.1  The Standards Committee must see a yearly summary.\n"
    ) in output


def test_check_counts_uncited_entries_as_explained_not_cited(tmp_path):
    profile = tmp_path / "explained.yaml"
    profile.write_text(
        example_text() + "uncited:\n"
        '  - cite: "5.3"\n'
        "    reason: Keeping notes is the records office's job, outside Accord.\n",
        encoding="utf-8",
    )

    output = run("check", str(profile), "--protocols", str(example_protocols(tmp_path)))

    assert "Cites 13 paragraphs of example_protocol: all found." in output
    assert "12 cited, 1 explained as not encoded, 1 neither:\n  7.1  The Standards" in output


def test_check_exits_1_naming_each_citation_not_in_the_document_and_where_it_is(tmp_path):
    shorter = EXAMPLE_PROTOCOL.replace("2.3 The reply", "2.4 The reply")

    output, message = fails_with_output(
        "check", str(EXAMPLE), "--protocols", str(example_protocols(tmp_path, shorter))
    )

    assert "Cites 13 paragraphs of example_protocol: 1 not found." in output
    assert "2.3: the main part has no paragraph 2.3; cited at roles.group_leader.cite." in output
    assert "Actionable paragraphs:" in output
    assert "1 citation problem in example_protocol.txt" in message


def test_check_prints_the_report_as_json(tmp_path):
    output = run("check", str(EXAMPLE), "--protocols", str(example_protocols(tmp_path)), "--json")
    report = json.loads(output)

    assert report["valid"] is True
    assert report["document_found"] is True
    assert report["counts"] == {
        "paragraphs": 22,
        "actionable": 14,
        "cited": 12,
        "explained": 0,
        "neither": 2,
    }
    assert [item["reference"] for item in report["actionable"]["neither"]] == ["5.3", "7.1"]
    assert report["actionable"]["neither"][0]["reason"] == "'must not destroy a'"
    assert report["citations"][0] == {
        "cite": "1.4",
        "paths": ["calendar.cite"],
        "found": True,
        "paragraph": "1.4",
        "problem": None,
    }


def test_check_finds_every_paragraph_the_leicestershire_profile_cites_in_its_parts():
    output = run("check", str(LEICESTERSHIRE), "--protocols", str(default_protocols_dir()))

    assert "paragraphs of 000_105dc4ba1c16665c: all found." in output
    assert "SO 2.1(a)" in output
    assert "App A 4.1" in output
    assert "Actionable paragraphs: 133 in the document;" in output


def test_check_says_when_the_source_document_is_missing(tmp_path):
    output = run("check", str(EXAMPLE), "--protocols", str(tmp_path))

    assert "was not found" in output


def test_check_exits_1_listing_each_error_with_path_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(edited("from: raiser\n", "from: monitoring_officer\n"), encoding="utf-8")

    message = fails("check", str(bad))

    assert (
        "procedures.officer_concern.transitions[0].consent.from (line 70): "
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


# --- Scenarios -------------------------------------------------------------------------------


def _profile_with_scenarios(tmp_path: Path, scenarios: str) -> Path:
    profile = tmp_path / "example.yaml"
    profile.write_text(example_text(), encoding="utf-8")
    (tmp_path / "example.scenarios.yaml").write_text(scenarios, encoding="utf-8")
    return profile


SCENARIO_FILE = (EXAMPLE.parent / "example.scenarios.yaml").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_scenarios_run_in_this_database_and_list_each_result(tmp_path):
    profile = _profile_with_scenarios(tmp_path, SCENARIO_FILE)
    output = run("scenarios", str(profile))
    assert "Scenarios (example.scenarios.yaml): 10 passed, 0 failed." in output
    assert "pass  The Group Leader is engaged only with the officer's agreement [6.3]" in output


@pytest.mark.django_db
def test_a_scenario_that_no_longer_holds_fails_naming_the_step(tmp_path):
    changed = SCENARIO_FILE.replace("- expect: {due: 2027-01-05}", "- expect: {due: 2027-01-06}")
    assert changed != SCENARIO_FILE
    profile = _profile_with_scenarios(tmp_path, changed)
    output, message = fails_with_output("scenarios", str(profile))
    assert "9 passed, 1 failed." in output
    assert "step 1: expected due 2027-01-06, got 2027-01-05" in output
    assert message == "A scenario failed."


@pytest.mark.django_db
def test_an_invalid_scenario_file_is_rejected_with_where_and_why(tmp_path):
    broken = SCENARIO_FILE.replace("procedure: officer_concern", "procedure: officer_concen", 1)
    profile = _profile_with_scenarios(tmp_path, broken)
    message = fails("scenarios", str(profile))
    assert "the profile has no procedure 'officer_concen'" in message


def test_check_runs_the_scenarios_in_a_scratch_database(tmp_path):
    profile = _profile_with_scenarios(tmp_path, SCENARIO_FILE)
    out = io.StringIO()
    call_command("profile", "check", str(profile), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["scenarios"]["passed"] is True
    assert len(report["scenarios"]["results"]) == 10


@pytest.mark.django_db
def test_use_runs_the_council_on_a_stored_profile():
    from accord.directory.models import Council
    from accord.directory.services import council_configure

    council_configure(
        actor=None,
        name="Example County Council",
        short_name="Example",
        governance="leader_and_cabinet",
    )
    assert "No profile 'example' is stored" in fails("use", "example")
    run("load", str(EXAMPLE))
    assert "now runs on the profile 'example'" in run("use", "example")
    assert Council.objects.get().profile_name == "example"
