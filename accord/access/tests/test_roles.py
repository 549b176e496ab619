"""Roles come from the directory on the day asked about, never from Django groups."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accord.access import policies, policy
from accord.access.roles import Role, roles_for
from accord.accounts.models import User
from accord.directory.models import RoleAppointment, StatutoryDesignation
from accord.directory.tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)


def _user_for(person):
    return f.UserFactory(person=person)


def test_an_officer_with_reports_is_a_line_manager_and_cmt_is_derived():
    manager = f.OfficerFactory(is_cmt=True)
    f.OfficerFactory(line_manager=manager)
    roles = roles_for(_user_for(manager.person), on=DAY)
    assert {Role.OFFICER, Role.LINE_MANAGER, Role.CMT} <= roles
    assert Role.MEMBER not in roles


def test_statutory_designation_gives_the_role_only_while_it_runs():
    officer = f.OfficerFactory()
    f.StatutoryDesignationFactory(
        officer=officer,
        office=StatutoryDesignation.Office.MONITORING_OFFICER,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    user = _user_for(officer.person)
    assert Role.MONITORING_OFFICER in roles_for(user, on=DAY)
    assert Role.MONITORING_OFFICER not in roles_for(user, on=dt.date(2027, 1, 1))


def test_a_deputy_monitoring_officer_is_not_the_monitoring_officer():
    officer = f.OfficerFactory()
    f.StatutoryDesignationFactory(
        officer=officer, office=StatutoryDesignation.Office.MONITORING_OFFICER, is_deputy=True
    )
    roles = roles_for(_user_for(officer.person), on=DAY)
    assert Role.DEPUTY_MONITORING_OFFICER in roles
    assert Role.MONITORING_OFFICER not in roles


def test_a_group_leader_appointment_is_dated():
    member = f.MemberFactory()
    f.RoleAppointmentFactory(
        person=member.person,
        role=RoleAppointment.Role.GROUP_LEADER,
        group=member.group,
        starts_on=dt.date(2026, 5, 1),
    )
    user = _user_for(member.person)
    assert {Role.MEMBER, Role.GROUP_LEADER} <= roles_for(user, on=DAY)
    assert Role.GROUP_LEADER not in roles_for(user, on=dt.date(2026, 4, 30))


def test_an_inactive_person_or_account_has_no_roles():
    officer = f.OfficerFactory()
    user = _user_for(officer.person)
    user.is_active = False
    assert roles_for(user, on=DAY) == frozenset()
    account_without_person = cast(User, f.UserFactory())
    assert roles_for(account_without_person, on=DAY) == frozenset()


def test_a_role_gated_view_answers_404_not_403_to_others():
    @policy.allowed_by(policies.AUDIT_READERS)
    def view(request):
        return HttpResponse("secret")

    request = RequestFactory().get("/")
    request.user = _user_for(f.OfficerFactory().person)
    with pytest.raises(Http404):
        view(request)
    assert policy.declared_access(view) == "policy:audit_readers"
