"""Importing, approving and putting in force protocol versions, through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.access.actor import Actor
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.library.models import Acknowledgement, ProtocolParagraph, ProtocolVersion
from accord.library.services import (
    paragraph_mark,
    profile_citations_missing,
    version_activate_due,
    version_approve,
    version_import,
    version_put_in_force,
    version_withdraw,
)
from accord.procedures.tests.example_council import ExampleCouncil, example_council
from accord.profiles.citations import cited_paragraphs
from accord.profiles.management.commands.profile import default_protocols_dir
from accord.profiles.selectors import profile_of
from accord.profiles.services import profile_version_store
from accord.profiles.shipped import shipped_texts

pytestmark = pytest.mark.django_db

SMALL = (
    b"# Protocol\n\n## Enquiries\n\n"
    b"1. Officers will answer a councillor's enquiry within five working days.\n\n"
    b"2. The Monitoring Officer will review this protocol.\n"
)


def _file(prefix: str) -> tuple[str, bytes]:
    (path,) = default_protocols_dir().glob(f"{prefix}_*.txt")
    return path.name, path.read_bytes()


def _errors(failed: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.message for e in failed.value.errors}


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _import(actor: Actor, **overrides: Any) -> ProtocolVersion:
    arguments: dict[str, Any] = {
        "actor": actor,
        "document_key": "protocol",
        "label": "2026",
        "source_name": "protocol.md",
        "data": SMALL,
        "council": "Example County Council",
    } | overrides
    version = version_import(**arguments).version
    assert version is not None
    return version


def _in_force(actor: Actor, version: ProtocolVersion, day: dt.date | None = None) -> None:
    day = day or clock.today()
    version_approve(actor=actor, version=version, approved_on=day, in_force_from=day)
    version_put_in_force(actor=actor, version=version)


def test_a_dry_run_parses_the_file_and_writes_nothing(example: ExampleCouncil) -> None:
    before = AuditEvent.objects.count()
    result = version_import(
        actor=example.user("mo"),
        document_key="protocol",
        label="2026",
        source_name="protocol.md",
        data=SMALL,
        council="Example County Council",
        dry_run=True,
    )
    assert result.version is None
    assert [p.reference for p in result.parsed.numbered()] == ["1", "2"]
    assert not ProtocolVersion.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_dry_run_gives_the_warnings_of_reading_the_file_and_of_parsing_it(
    example: ExampleCouncil,
) -> None:
    # Not UTF-8 (a Windows-1252 curly quote), and paragraph 1 numbered twice.
    data = (
        b"# Protocol\n\n1. Officers give \x93frank\x94 advice.\n\n"
        b"1. Members respect officers' impartiality.\n"
    )
    result = version_import(
        actor=example.user("mo"),
        document_key="protocol",
        label="2026",
        source_name="protocol.txt",
        data=data,
        council="Example County Council",
        dry_run=True,
    )

    assert "Windows-1252" in result.warnings[0].message
    assert result.parsed.warnings
    assert result.warnings[1:] == result.parsed.warnings
    assert [w["message"] for w in result.structure_json()["warnings"]] == [
        w.message for w in result.warnings
    ]


def test_importing_stores_the_text_as_given_with_its_paragraphs_as_a_draft(
    example: ExampleCouncil,
) -> None:
    version = _import(example.user("mo"))
    assert version.status == ProtocolVersion.Status.DRAFT
    assert version.source_text == SMALL.decode()
    paragraphs = list(version.paragraphs.order_by("position"))
    assert [p.reference for p in paragraphs] == ["1", "2"]
    assert paragraphs[0].citation == "protocol@2026:1"
    assert "five working days" in paragraphs[0].text
    assert paragraphs[0].section == "Enquiries"
    event = AuditEvent.objects.get(verb="library.version_imported")
    assert event.data["paragraphs"] == 2


def test_the_real_2025_protocol_imports_with_the_parts_its_profile_declares(
    example: ExampleCouncil,
) -> None:
    profile_version_store(actor=None, text=shipped_texts("leicestershire-000")[-1])
    name, data = _file("000")
    result = version_import(
        actor=None,
        document_key="member-officer-protocol",
        label="2025",
        source_name=name,
        data=data,
        council="Leicestershire County Council",
    )
    version = result.version
    assert version is not None
    references = set(version.paragraphs.values_list("reference", flat=True))
    assert {"1", "52", "SO 4.3", "App B 8.2"} <= references
    assert version.paragraphs.filter(kind="paragraph", part="").count() == 52
    assert profile_citations_missing(version) == {}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"document_key": "Not a key!"}, "document"),
        ({"label": ""}, "version"),
        ({"council": ""}, "council"),
        ({"source_name": "protocol.exe"}, "file"),
        ({"data": b"No numbers here at all.\n"}, "file"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    example: ExampleCouncil, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as failed:
        _import(example.user("mo"), **overrides)
    assert field in _errors(failed)
    assert not ProtocolVersion.objects.exists()


def test_a_label_is_used_once_per_document(example: ExampleCouncil) -> None:
    _import(example.user("mo"))
    with pytest.raises(ValidationFailed) as failed:
        _import(example.user("mo"))
    assert "already has a version labelled 2026" in _errors(failed)["version"]


@pytest.mark.parametrize("who", ["officer", "councillor", "chief_exec"])
def test_only_the_librarys_keepers_may_import(example: ExampleCouncil, who: str) -> None:
    with pytest.raises(PermissionDenied):
        _import(example.user(who))
    assert not ProtocolVersion.objects.exists()


def test_only_an_approved_version_whose_day_has_come_goes_in_force(
    example: ExampleCouncil,
) -> None:
    mo = example.user("mo")
    version = _import(mo)
    with pytest.raises(ValidationFailed) as failed:
        version_put_in_force(actor=mo, version=version)
    assert "approved by Full Council" in _errors(failed)["version"]
    today = clock.today()
    version_approve(
        actor=mo, version=version, approved_on=today, in_force_from=today + dt.timedelta(days=7)
    )
    with pytest.raises(ValidationFailed) as failed:
        version_put_in_force(actor=mo, version=version)
    assert "in_force_from" in _errors(failed)
    assert version_activate_due(on=today) == []
    assert version_activate_due(on=today + dt.timedelta(days=7)) == [version]
    version.refresh_from_db()
    assert version.status == ProtocolVersion.Status.IN_FORCE


def test_approval_dates_are_checked(example: ExampleCouncil) -> None:
    version = _import(example.user("mo"))
    today = clock.today()
    with pytest.raises(ValidationFailed) as failed:
        version_approve(
            actor=example.user("mo"),
            version=version,
            approved_on=today + dt.timedelta(days=1),
            in_force_from=today,
        )
    assert set(_errors(failed)) == {"approved_on", "in_force_from"}
    version.refresh_from_db()
    assert version.status == ProtocolVersion.Status.DRAFT


def test_a_new_version_in_force_supersedes_the_last_and_asks_everyone_to_acknowledge(
    example: ExampleCouncil,
) -> None:
    mo = example.user("mo")
    first = _import(mo, label="2025")
    _in_force(mo, first, clock.today() - dt.timedelta(days=60))
    second = _import(mo, label="2026")
    _in_force(mo, second)
    first.refresh_from_db()
    assert first.status == ProtocolVersion.Status.SUPERSEDED
    assert first.in_force_until == clock.today() - dt.timedelta(days=1)
    assert ProtocolVersion.objects.filter(status="in_force").get() == second
    asked = Acknowledgement.objects.filter(version=second)
    assert asked.count() == len({p.pk for p in example.built.people.values()})
    assert asked.filter(acknowledged_at__isnull=False).count() == 0


def test_a_version_missing_a_paragraph_its_profile_cites_cannot_go_in_force(
    example: ExampleCouncil,
) -> None:
    stored = profile_version_store(actor=None, text=shipped_texts("council-004")[-1])
    name, _ = _file("004")
    # A text of two paragraphs, named as the file the profile was written from.
    version = _import(
        example.user("mo"), document_key="council-004", label="undated", source_name=name
    )
    today = clock.today()
    version_approve(
        actor=example.user("mo"), version=version, approved_on=today, in_force_from=today
    )
    with pytest.raises(ValidationFailed) as failed:
        version_put_in_force(actor=example.user("mo"), version=version)
    message = _errors(failed)["version"]
    first_cite = next(iter(cited_paragraphs(profile_of(stored))))
    assert "council-004" in message
    assert first_cite in message
    version.refresh_from_db()
    assert version.status == ProtocolVersion.Status.APPROVED


def test_a_draft_can_be_withdrawn_with_a_reason(example: ExampleCouncil) -> None:
    version = _import(example.user("mo"))
    with pytest.raises(ValidationFailed) as failed:
        version_withdraw(actor=example.user("mo"), version=version, reason=" ")
    assert "reason" in _errors(failed)
    version_withdraw(actor=example.user("mo"), version=version, reason="Superseded by events.")
    version.refresh_from_db()
    assert version.status == ProtocolVersion.Status.WITHDRAWN


def test_the_monitoring_officer_marks_a_paragraph_actionable(example: ExampleCouncil) -> None:
    version = _import(example.user("mo"))
    paragraph = ProtocolParagraph.objects.get(version=version, reference="1")
    marking = paragraph_mark(
        actor=example.user("mo"), paragraph=paragraph, actionable=False, note="Background."
    )
    assert marking.marked_by_id == example.person("mo").pk
    with pytest.raises(PermissionDenied):
        paragraph_mark(actor=example.user("officer"), paragraph=paragraph, actionable=True)
    assert AuditEvent.objects.filter(verb="library.paragraph_marked").count() == 1
