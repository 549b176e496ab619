"""The account administration reads: who may make them, and bulk roles that agree with roles_for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.access.roles import roles_for, roles_for_people
from accord.accounts import selectors
from accord.accounts.services import sign_in_record
from accord.core import clock
from accord.core.errors import NotFound
from accord.directory.models import RoleAppointment
from accord.directory.tests import factories as typed_factories

factories: Any = typed_factories

pytestmark = pytest.mark.django_db


def _account(holder: Any, username: str) -> Any:
    return factories.UserFactory(username=username, person=holder.person)


def test_bulk_roles_agree_with_roles_for_person_by_person():
    today = clock.today()
    manager = factories.OfficerFactory(is_cmt=True)
    report = factories.OfficerFactory(line_manager=manager)
    monitoring = factories.StatutoryDesignationFactory(office="monitoring_officer").officer
    deputy = factories.StatutoryDesignationFactory(
        office="monitoring_officer", is_deputy=True, deputy_rank=1
    ).officer
    factories.StatutoryDesignationFactory(
        office="chief_finance_officer", officer=report, ends_on=today - dt.timedelta(days=1)
    )
    member = factories.MemberFactory()
    co_opted = factories.MemberFactory(is_co_opted=True)
    leader = factories.MemberFactory()
    factories.RoleAppointmentFactory(
        person=leader.person, role=RoleAppointment.Role.GROUP_LEADER, group=leader.group
    )
    dem = factories.OfficerFactory()
    factories.RoleAppointmentFactory(person=dem.person, role="democratic_services")
    factories.RoleAppointmentFactory(
        person=dem.person, role="directory_admin", starts_on=today + dt.timedelta(days=3)
    )
    gone = factories.OfficerFactory(person__is_active=False)
    holders = [manager, report, monitoring, deputy, member, co_opted, leader, dem, gone]
    users = [_account(h, f"u{i}") for i, h in enumerate(holders)]

    bulk = roles_for_people(h.person_id for h in holders)

    for holder, user in zip(holders, users, strict=True):
        assert bulk[holder.person_id] == roles_for(user), holder
    assert bulk[leader.person_id] == {"member", "group_leader"}


def test_bulk_roles_cost_four_queries_however_many_people(django_assert_num_queries):
    people = [factories.OfficerFactory().person_id for _ in range(12)]
    with django_assert_num_queries(4):
        roles_for_people(people)
    with django_assert_num_queries(0):
        assert roles_for_people([]) == {}


@pytest.mark.parametrize("role", ["democratic_services", "directory_admin"])
def test_administrators_may_read_accounts(role):
    admin = _account(factories.OfficerFactory(), "admin")
    factories.RoleAppointmentFactory(person=admin.person, role=role)

    assert selectors.can_administer_accounts(admin)
    assert list(selectors.account_list(actor=admin)) == [admin]
    assert selectors.account_get(actor=admin, user_id=admin.pk) == admin


def test_everyone_else_is_told_accounts_do_not_exist():
    officer = _account(factories.OfficerFactory(), "officer")
    head = _account(factories.OfficerFactory(), "head")
    factories.RoleAppointmentFactory(
        person=head.person, role="head_of_service", directorate=head.person.officer.directorate
    )
    for actor in (officer, head, None):
        with pytest.raises(NotFound):
            selectors.account_list(actor=actor)
        with pytest.raises(NotFound):
            selectors.account_get(actor=actor, user_id=officer.pk)
        with pytest.raises(NotFound):
            selectors.people_without_account(actor=actor)
        with pytest.raises(NotFound):
            selectors.account_events(actor=actor, user=officer)


def test_account_events_are_that_accounts_newest_first():
    admin = _account(factories.OfficerFactory(), "admin")
    factories.RoleAppointmentFactory(person=admin.person, role="democratic_services")
    target = _account(factories.OfficerFactory(), "target")
    sign_in_record(user=target, methods=["password"])
    sign_in_record(user=admin, methods=["password"])
    sign_in_record(user=target, methods=["password", "totp"])

    events = selectors.account_events(actor=admin, user=target)

    assert [e.data["methods"] for e in events] == [["password", "totp"], ["password"]]
