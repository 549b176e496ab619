"""`accord protocol`: import (with --dry-run --json), list, compare and activate."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accord.core import clock
from accord.directory.models import Person
from accord.directory.tests.factories import PersonFactory
from accord.library.models import Acknowledgement, ProtocolDocument, ProtocolVersion
from accord.library.services import acknowledgements_request
from accord.library.testing import make_version
from accord.notifications.tests.helpers import person
from accord.profiles.management.commands.profile import default_protocols_dir

pytestmark = pytest.mark.django_db

SMALL = (
    "# Protocol\n\n## Enquiries\n\n"
    "1. Officers will answer a councillor's enquiry within ten working days.\n\n"
    "2. The Monitoring Officer will review this protocol.\n"
)
AMENDED = (
    "# Protocol\n\n## Enquiries\n\n"
    "1. Officers will answer a councillor's enquiry within five working days.\n\n"
    "2. The Monitoring Officer will review this protocol.\n\n"
    "3. Group leaders are consulted on every review.\n"
)


def _protocol(prefix: str) -> Path:
    (path,) = default_protocols_dir().glob(f"{prefix}_*.txt")
    return path


def _run(*args: str) -> str:
    out = StringIO()
    call_command("protocol", *args, stdout=out)
    return out.getvalue()


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_dry_run_prints_the_structure_as_json_and_saves_nothing() -> None:
    printed = _run("import", str(_protocol("000")), "--version", "2025", "--dry-run", "--json")

    parsed = json.loads(printed)
    main = [p["number"] for p in parsed["paragraphs"] if p["part"] == ""]
    assert main[:3] == ["1", "2", "3"]
    assert "50" in main
    assert "52" in main
    for paragraph in parsed["paragraphs"]:
        assert isinstance(paragraph["text"], str)
        assert isinstance(paragraph["items"], list)
    assert not ProtocolDocument.objects.exists()


def test_an_import_with_a_past_date_is_put_in_force_and_listed(tmp_path: Path) -> None:
    printed = _run(
        "import",
        _file(tmp_path, "protocol.md", SMALL),
        "--council",
        "Example County Council",
        "--version",
        "2025",
        "--in-force-from",
        "2025-04-01",
    )

    assert "Imported protocol.md: 2 numbered paragraphs" in printed
    assert "is in force" in printed
    listing = _run("list")
    assert "protocol  Protocol (Example County Council)" in listing
    assert "  2025: In force from 2025-04-01" in listing


def test_compare_prints_the_paragraph_changes_and_writes_a_pdf(tmp_path: Path) -> None:
    for label, text, since in (("2024", SMALL, "2024-01-01"), ("2025", AMENDED, "2025-01-01")):
        _run(
            "import",
            _file(tmp_path, "protocol.md", text),
            "--council",
            "Example County Council",
            "--version",
            label,
            "--in-force-from",
            since,
        )

    summary = _run("compare", "protocol", "2024", "2025")
    pdf = tmp_path / "redline.pdf"
    _run("compare", "protocol", "2024", "2025", "--pdf", str(pdf))

    assert summary.splitlines() == [
        "Changes: 1 changed, 1 inserted; 1 unchanged.",
        "changed 1: Officers will answer a councillor's enquiry within [-ten-][+five+] working"
        " days.",
        "inserted 3: Group leaders are consulted on every review.",
    ]
    assert pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError, match="protocol has no version 1999"):
        _run("compare", "protocol", "2024", "1999")


def test_bad_input_names_the_option_or_field_and_saves_nothing(tmp_path: Path) -> None:
    path = _file(tmp_path, "protocol.md", SMALL)
    with pytest.raises(CommandError, match="--in-force-from: 'soon' is not a date"):
        _run("import", path, "--version", "2025", "--in-force-from", "soon")
    with pytest.raises(CommandError, match="give the date it came into force, or --draft"):
        _run("import", path, "--version", "2025")
    with pytest.raises(CommandError, match="council: Enter the council"):
        _run("import", path, "--version", "2025", "--draft")
    with pytest.raises(CommandError, match="no such file"):
        _run("import", str(tmp_path / "missing.md"), "--version", "2025", "--draft")
    assert not ProtocolVersion.objects.exists()


def test_activate_puts_due_versions_in_force_and_asks_the_people_who_joined_since() -> None:
    PersonFactory(kind=Person.Kind.MEMBER, email="sitting.member@example.gov.uk")
    current = make_version(key="protocol", label="2025")
    acknowledgements_request(version=current, actor=None)
    newcomer = person(kind=Person.Kind.OFFICER, email="new.starter@example.gov.uk")
    due = make_version(key="other", label="2026", status="approved", in_force_from=clock.today())

    printed = _run("activate")

    due.refresh_from_db()
    assert due.status == ProtocolVersion.Status.IN_FORCE
    assert "1 version(s) put in force." in printed
    assert "1 newcomer(s) asked" in printed
    assert Acknowledgement.objects.filter(version=current, person=newcomer).exists()
