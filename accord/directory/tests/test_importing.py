"""CSV import of members and officers: all rows checked, all problems named, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accord.audit.models import AuditEvent
from accord.directory.importing import ImportResult, RowError, directory_import_csv
from accord.directory.models import Member, Officer, Person
from accord.directory.tests.factories import (
    DirectorateFactory,
    DivisionFactory,
    GroupFactory,
    OfficerFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

HEADER = (
    "kind,given_name,family_name,email,phone,external_ref,group,divisions,term_starts_on,"
    "term_ends_on,co_opted,directorate,job_title,line_manager_email,cmt"
)
MEMBER = "member,Ada,Alpha,ada@example.gov.uk,01000,M-1,BLU,N01;S01,2025-05-01,,no,,,,"
COOPTED = "member,Cy,Gamma,cy@example.gov.uk,,M-2,,,01/06/2025,31/05/2029,yes,,,,"
# The report is listed before the manager: order in the file must not matter.
REPORT = "officer,Di,Delta,di@example.gov.uk,,E-2,,,,,,ADU,Team Manager,boss@example.gov.uk,no"
BOSS = "officer,Ed,Epsilon,boss@example.gov.uk,,E-1,,,,,,ADU,Director of Adults,,yes"
GOOD = [MEMBER, COOPTED, REPORT, BOSS]


@pytest.fixture(autouse=True)
def reference_data():
    GroupFactory.create(short_name="BLU")
    DivisionFactory.create(code="N01")
    DivisionFactory.create(code="S01")
    DirectorateFactory.create(code="ADU")


def run(*lines: str, header: str = HEADER, dry_run: bool = False) -> ImportResult:
    text = "\n".join([header, *lines]) + "\n"
    return directory_import_csv(actor=None, file=io.StringIO(text), dry_run=dry_run)


def where(result: ImportResult) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in result.errors}


def test_a_good_file_creates_members_and_officers_with_their_links():
    result = run(*GOOD)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    ada = Member.objects.get(person__email="ada@example.gov.uk")
    assert ada.group is not None
    assert ada.group.short_name == "BLU"
    assert sorted(ada.divisions.values_list("code", flat=True)) == ["N01", "S01"]
    assert ada.person.external_ref == "M-1"
    cy = Member.objects.get(person__email="cy@example.gov.uk")
    assert cy.is_co_opted
    assert cy.group is None
    assert (cy.term_starts_on, cy.term_ends_on) == (dt.date(2025, 6, 1), dt.date(2029, 5, 31))
    di = Officer.objects.get(person__email="di@example.gov.uk")
    assert di.line_manager is not None
    assert di.line_manager.person.email == "boss@example.gov.uk"
    assert di.line_manager.is_cmt
    assert AuditEvent.objects.filter(verb="directory.member_created").count() == 2
    assert AuditEvent.objects.filter(verb="directory.officer_created").count() == 2
    summary = AuditEvent.objects.get(verb="directory.import_completed")
    assert summary.data["created"] == 4


def test_one_bad_row_imports_nothing_and_names_the_row_and_column():
    bad = "member,Bo,Beta,bo@example.gov.uk,,,BLU,N01,2025-13-01,,no,,,,"

    result = run(MEMBER, bad, REPORT, BOSS)

    assert not result.ok
    assert where(result) == {(3, "term_starts_on")}
    assert "YYYY-MM-DD or DD/MM/YYYY" in result.errors[0].message
    assert str(result.errors[0]).startswith("Row 3, column term_starts_on:")
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\t"])
def test_a_control_character_in_a_cell_names_the_row_and_column_and_nothing_is_looked_up(
    character,
):
    bad = MEMBER.replace("ada@example.gov.uk", f"a{character}da@example.gov.uk")

    result = run(bad, REPORT, BOSS)

    assert where(result) == {(2, "email")}
    assert "control character" in result.errors[0].message or "one line" in (
        result.errors[0].message
    )
    assert not Person.objects.exists()


def test_every_problem_in_the_file_is_reported_at_once():
    result = run(
        "member,,Beta,not-an-email,,,XYZ,N01;Q99,2025-05-01,,maybe,,,,",
        "officer,Di,Delta,di@example.gov.uk,,,,,,,,NOPE,,,",
        "visitor,Ed,Epsilon,ed@example.gov.uk,,,,,,,,,,,",
    )

    assert where(result) == {
        (2, "given_name"),
        (2, "email"),
        (2, "group"),
        (2, "divisions"),
        (2, "co_opted"),
        (3, "directorate"),
        (3, "job_title"),
        (4, "kind"),
    }
    divisions_error = next(e for e in result.errors if e.column == "divisions")
    assert "Q99" in divisions_error.message
    assert not Person.objects.exists()


def test_reimporting_the_same_file_changes_nothing():
    run(*GOOD)
    events = AuditEvent.objects.count()

    result = run(*GOOD)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert Person.objects.count() == 4
    # Only the import summary is added; no person is recorded as changed.
    assert AuditEvent.objects.count() == events + 1


def test_reimporting_matches_by_external_ref_and_updates_changed_details():
    run(*GOOD)
    renamed = MEMBER.replace("ada@example.gov.uk", "ada.alpha@example.gov.uk").replace(
        "01000", "02000"
    )

    result = run(renamed, COOPTED, REPORT, BOSS)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    person = Person.objects.get(external_ref="M-1")
    assert (person.email, person.phone) == ("ada.alpha@example.gov.uk", "02000")
    event = AuditEvent.objects.get(verb="directory.member_updated")
    assert set(event.data["changed"]) == {"email", "phone"}


def test_a_column_left_out_keeps_the_current_value_on_reimport():
    run(*GOOD)
    header = "kind,given_name,family_name,email,external_ref,term_starts_on"

    result = run("member,Ada,Alpha,ada@example.gov.uk,M-1,2025-05-01", header=header)

    assert result.unchanged == 1, result
    ada = Member.objects.get(person__external_ref="M-1")
    assert ada.person.phone == "01000"
    assert ada.divisions.count() == 2


def test_a_line_manager_already_in_the_directory_resolves():
    manager = OfficerFactory.create(person=PersonFactory.create(email="chief@example.gov.uk"))

    result = run(REPORT.replace("boss@example.gov.uk", "chief@example.gov.uk"))

    assert result.ok, result.errors
    assert Officer.objects.get(person__email="di@example.gov.uk").line_manager == manager


def test_line_managers_form_a_chain_in_any_order():
    rows = [
        "officer,A,One,a@example.gov.uk,,,,,,,,ADU,Officer,b@example.gov.uk,",
        "officer,C,Three,c@example.gov.uk,,,,,,,,ADU,Director,,yes",
        "officer,B,Two,b@example.gov.uk,,,,,,,,ADU,Manager,c@example.gov.uk,",
    ]

    result = run(*rows)

    assert result.ok, result.errors
    a = Officer.objects.get(person__email="a@example.gov.uk")
    assert a.line_manager is not None
    assert a.line_manager.line_manager is not None
    assert a.line_manager.line_manager.person.email == "c@example.gov.uk"


def test_a_line_management_loop_in_the_file_is_rejected():
    rows = [
        "officer,A,One,a@example.gov.uk,,,,,,,,ADU,Officer,b@example.gov.uk,",
        "officer,B,Two,b@example.gov.uk,,,,,,,,ADU,Manager,a@example.gov.uk,",
    ]

    result = run(*rows)

    assert where(result) == {(2, "line_manager_email"), (3, "line_manager_email")}
    assert "loop" in result.errors[0].message
    assert not Officer.objects.exists()


def test_a_loop_through_officers_already_in_the_directory_is_rejected():
    run(*GOOD)  # di reports to boss
    boss_reports_to_di = BOSS.replace(",,yes", ",di@example.gov.uk,yes")

    result = run(boss_reports_to_di)

    assert where(result) == {(2, "line_manager_email")}
    boss = Officer.objects.get(person__email="boss@example.gov.uk")
    assert boss.line_manager is None


def test_a_line_manager_who_is_nobody_or_a_member_is_rejected():
    result = run(
        MEMBER,
        REPORT.replace("boss@example.gov.uk", "ada@example.gov.uk"),
        BOSS.replace(",,yes", ",ghost@example.gov.uk,yes"),
    )

    assert where(result) == {(3, "line_manager_email"), (4, "line_manager_email")}
    assert "member" in result.errors[0].message


def test_bom_and_blank_lines_are_handled_and_rows_numbered_as_a_spreadsheet_shows_them():
    text = "\ufeff" + HEADER + "\n" + MEMBER + "\n\n,,,,\n" + BOSS.replace("ADU", "XXX") + "\n"

    result = directory_import_csv(actor=None, file=io.StringIO(text))

    assert [(e.row, e.column) for e in result.errors] == [(5, "directorate")]


def test_unknown_and_missing_columns_are_named():
    result = run(MEMBER, header="kind,given_name,surname,phone")

    messages = [str(e) for e in result.errors]
    assert where(result) == {(1, "surname"), (1, "")}
    assert any("family_name, email" in m for m in messages)
    assert not Person.objects.exists()


def test_duplicate_emails_in_the_file_name_the_first_row():
    result = run(MEMBER, COOPTED.replace("cy@example.gov.uk", "ADA@example.gov.uk"))

    assert where(result) == {(3, "email")}
    assert "row 2" in result.errors[0].message


def test_a_member_column_filled_in_for_an_officer_is_rejected():
    result = run(BOSS.replace(",,,,,,ADU", ",BLU,,,,,ADU"))

    assert where(result) == {(2, "group")}


def test_a_row_cannot_turn_a_member_into_an_officer():
    run(MEMBER)

    result = run("officer,Ada,Alpha,ada@example.gov.uk,,M-1,,,,,,ADU,Officer,,")

    assert where(result) == {(2, "kind")}


def test_a_dry_run_reports_what_would_happen_and_writes_nothing():
    result = run(*GOOD, dry_run=True)

    assert result.ok
    assert result.created == 4
    assert result.summary().startswith("Would import: 4 created")
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_command_prints_a_summary(tmp_path: Path):
    path = tmp_path / "directory.csv"
    path.write_text("\n".join([HEADER, *GOOD]), encoding="utf-8-sig")
    out = io.StringIO()

    call_command("import_directory", str(path), stdout=out)

    assert out.getvalue().strip() == "Imported: 4 created, 0 updated, 0 unchanged."


def test_the_command_lists_every_problem_and_exits_with_1(tmp_path: Path):
    path = tmp_path / "directory.csv"
    path.write_text(
        "\n".join([HEADER, MEMBER.replace("BLU", "ZZZ"), "visitor,a,b,c@example.gov.uk"])
    )
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_directory", str(path), stderr=err)

    assert caught.value.returncode == 1
    assert "nothing was imported" in str(caught.value)
    lines = err.getvalue().splitlines()
    assert lines == [
        str(RowError(2, "group", "No political group has the short name 'ZZZ'.")),
        str(RowError(3, "kind", "Enter member or officer.")),
    ]
    assert not Person.objects.exists()
