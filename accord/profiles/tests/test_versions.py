"""Storing versions, choosing the one in force, and listing what changed between two."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.audit.models import AuditEvent
from accord.core.errors import NotFound, ValidationFailed
from accord.profiles.diff import ChangeKind, profile_diff
from accord.profiles.loader import load_profile, text_sha256
from accord.profiles.models import ProfileVersion
from accord.profiles.selectors import (
    profile_in_force,
    profile_of,
    profile_version_get,
)
from accord.profiles.services import profile_version_store
from accord.profiles.tests.helpers import edited, example_text


def version_two(text: str | None = None) -> str:
    text = edited("version: 1\n", "version: 2\nsupersedes: 1\n", text)
    return edited("in_force_from: 2026-04-01", "in_force_from: 2027-04-01", text)


@pytest.mark.django_db
def test_storing_a_profile_keeps_its_text_hash_and_source_and_is_audited():
    stored = profile_version_store(actor=None, text=example_text())

    assert (stored.profile_id, stored.version) == ("example", 1)
    assert stored.council == "Example County Council"
    assert stored.source_document == "example_protocol"
    assert stored.in_force_from == dt.date(2026, 4, 1)
    assert stored.sha256 == text_sha256(example_text())
    event = AuditEvent.objects.get(verb="profiles.version_stored")
    assert event.target_id == str(stored.pk)
    assert event.data["sha256"] == stored.sha256


@pytest.mark.django_db
def test_storing_identical_text_again_changes_nothing():
    first = profile_version_store(actor=None, text=example_text())

    again = profile_version_store(actor=None, text=example_text())

    assert again.pk == first.pk
    assert ProfileVersion.objects.count() == 1
    assert AuditEvent.objects.filter(verb="profiles.version_stored").count() == 1


@pytest.mark.django_db
def test_different_text_under_a_stored_version_is_refused():
    profile_version_store(actor=None, text=example_text())
    changed = edited("amount: 10", "amount: 15")

    with pytest.raises(ValidationFailed) as caught:
        profile_version_store(actor=None, text=changed)

    assert caught.value.errors[0].field == "version"
    assert "already stored with different text" in caught.value.detail
    assert ProfileVersion.objects.get().sha256 == text_sha256(example_text())


@pytest.mark.django_db
def test_an_invalid_profile_is_refused_naming_each_path_and_stores_nothing():
    bad = edited("from: raiser\n", "from: monitoring_officer\n")

    with pytest.raises(ValidationFailed) as caught:
        profile_version_store(actor=None, text=bad)

    [error] = caught.value.errors
    assert error.field == "procedures.officer_concern.transitions[0].consent.from"
    assert error.message.startswith("line 70:")
    assert not ProfileVersion.objects.exists()


@pytest.mark.django_db
def test_the_version_in_force_is_chosen_by_date():
    profile_version_store(actor=None, text=example_text())
    profile_version_store(actor=None, text=version_two())

    assert profile_in_force("example", on=dt.date(2026, 4, 1)).version == 1
    assert profile_in_force("example", on=dt.date(2027, 3, 31)).version == 1
    assert profile_in_force("example", on=dt.date(2027, 4, 1)).version == 2
    with pytest.raises(NotFound):
        profile_in_force("example", on=dt.date(2026, 3, 31))


@pytest.mark.django_db
def test_a_correction_of_an_earlier_edition_governs_only_the_days_before_the_later_one():
    profile_version_store(actor=None, text=example_text())
    profile_version_store(actor=None, text=version_two())
    correction = edited("version: 1\n", "version: 3\nsupersedes: 1\n")
    profile_version_store(
        actor=None, text=edited("title: Member/Officer Protocol", "title: Corrected", correction)
    )

    assert profile_in_force("example", on=dt.date(2027, 3, 31)).version == 3
    assert profile_in_force("example", on=dt.date(2027, 4, 1)).version == 2


@pytest.mark.django_db
def test_a_correction_from_the_same_day_replaces_the_version_it_corrects():
    profile_version_store(actor=None, text=example_text())
    correction = edited("version: 1\n", "version: 2\nsupersedes: 1\n")
    profile_version_store(actor=None, text=correction)

    assert profile_in_force("example", on=dt.date(2026, 4, 1)).version == 2


@pytest.mark.django_db
def test_a_stored_version_can_be_fetched_and_parsed():
    profile_version_store(actor=None, text=example_text())

    stored = profile_version_get("example", 1)

    assert profile_of(stored).council == "Example County Council"
    with pytest.raises(NotFound):
        profile_version_get("example", 2)


def test_diff_lists_a_changed_duration_and_an_added_stage():
    old = load_profile(example_text())
    text = edited("amount: 10", "amount: 15", version_two())
    text = edited(
        "    transitions:\n",
        '      - key: review\n        title: Review\n        cite: "6.5"\n'
        "        handlers: [chief_executive]\n        visible_to: [handlers]\n"
        "    transitions:\n",
        text,
    )
    text = edited(
        "    outcomes:\n",
        "      - from: discussion\n        to: review\n        by: [monitoring_officer]\n"
        '        cite: "6.5"\n      - from: review\n        to: resolved\n'
        '        by: [chief_executive]\n        cite: "6.5"\n    outcomes:\n',
        text,
    )

    changes = {change.path: change for change in profile_diff(old, load_profile(text))}

    duration = changes["durations.enquiry_response"]
    assert duration.kind is ChangeKind.CHANGED
    assert "amount 10 -> 15" in duration.description
    stage = changes["procedures.officer_concern.stages.review"]
    assert stage.kind is ChangeKind.ADDED
    assert stage.description == "stage 'review' added"
    assert changes["procedures.officer_concern.transitions.review -> resolved"].kind is (
        ChangeKind.ADDED
    )
    assert changes["source.in_force_from"].description == "in_force_from 2026-04-01 -> 2027-04-01"
    assert changes["version"].description == "version 1 -> 2"


def test_diff_of_a_profile_with_itself_is_empty():
    profile = load_profile(example_text())

    assert profile_diff(profile, profile) == []


def test_diff_names_a_changed_role_title():
    old = load_profile(example_text())
    new = load_profile(edited("title: Group Leader", "title: Group Chair/Leader"))

    [change] = profile_diff(old, new)

    assert change.path == "roles.group_leader"
    assert "Group Leader -> Group Chair/Leader" in change.description


def test_diff_names_a_changed_conflict_arrangement():
    old = load_profile(example_text())
    new = load_profile(
        edited(
            "alternates: [deputy_monitoring_officer, chief_executive]",
            "alternates: [deputy_monitoring_officer]",
        )
    )

    [change] = profile_diff(old, new)

    assert change.path == "conflicts.monitoring_officer"
    assert "deputy_monitoring_officer, chief_executive] -> [deputy_monitoring_officer]" in (
        change.description
    )


def test_diff_names_a_procedure_given_a_different_purpose():
    old = load_profile(example_text())
    new = load_profile(edited("purpose: officer_concern", "purpose: other"))

    [change] = profile_diff(old, new)

    assert change.path == "procedures.officer_concern.purpose"
