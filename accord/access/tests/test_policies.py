"""The named policies are the one vocabulary of section access: pages, menu and API agree."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from accord.access import policies
from accord.access.policy import declared_access
from accord.core import clock
from accord.directory.services import absence_record
from accord.procedures.tests.example_council import example_council
from accord.web.navigation import SECTIONS


def test_every_policy_has_a_unique_name_and_a_reason():
    names = [access.name for access in policies.ALL]
    assert len(names) == len(set(names))
    assert all(access.roles and access.reason for access in policies.ALL)
    assert policies.named("audit_readers") is policies.AUDIT_READERS
    with pytest.raises(KeyError):
        policies.named("nobody")


def test_a_gated_menu_section_uses_the_same_policy_as_its_page():
    gated = {
        item: access
        for item in SECTIONS
        if isinstance(access := getattr(item.visible_to, "__self__", None), policies.Policy)
    }
    assert len(gated) >= 5
    for item, access in gated.items():
        page = resolve(reverse(item.url_name)).func
        assert declared_access(page) == f"policy:{access.name}", item.label


@pytest.mark.django_db
def test_an_absent_monitoring_officer_is_not_a_register_keeper_but_their_deputy_is():
    example = example_council()
    today = clock.today()
    absence_record(actor=None, officer=example.person("mo").officer, starts_on=today, ends_on=today)
    assert not policies.REGISTER_KEEPERS.allows(example.user("mo"))
    assert policies.REGISTER_KEEPERS.allows(example.user("deputy_mo"))
    # On paper the office is still held: the concerns register does not depend on acting.
    assert policies.CONCERN_REGISTER_READERS.allows(example.user("mo"))


def test_a_visitor_and_the_system_are_allowed_by_no_policy():
    from django.contrib.auth.models import AnonymousUser

    for actor in (None, AnonymousUser()):
        assert not any(access.allows(actor) for access in policies.ALL)
