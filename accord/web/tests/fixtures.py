"""A small council directory, and a signed-in ordinary officer to look at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from accord.core import clock
from accord.directory import models
from accord.directory.tests import factories as typed_factories

# factory-boy is untyped: its instances are the model rows, which mypy cannot know.
factories: Any = typed_factories


@dataclass
class Council:
    """Factory-made rows (typed loosely: factory-boy is untyped)."""

    group: Any
    north: Any
    south: Any
    member: Any
    chair: Any
    manager: Any
    officer: Any
    monitoring_officer: Any
    deputy: Any
    committee: Any


@pytest.fixture
def council(db: Any) -> Council:
    today = clock.today()
    group = factories.GroupFactory(name="Harbour Party", short_name="HP")
    north = factories.DivisionFactory(name="Northfield")
    south = factories.DivisionFactory(name="Southmere")
    north.adjacent.add(south)
    member = factories.MemberFactory(
        group=group, divisions=[north], person__given_name="Ada", person__family_name="Quill"
    )
    chair = factories.MemberFactory(group=group, divisions=[south])
    factories.RoleAppointmentFactory(person=chair.person, role="group_leader", group=group)
    directorate = factories.DirectorateFactory(name="Place")
    manager = factories.OfficerFactory(directorate=directorate, job_title="Head of Highways")
    officer = factories.OfficerFactory(
        directorate=directorate,
        job_title="Highways Engineer",
        line_manager=manager,
        person__given_name="Basil",
        person__family_name="Thorne",
    )
    monitoring_officer = factories.OfficerFactory(job_title="Director of Law")
    deputy = factories.OfficerFactory(job_title="Head of Legal")
    factories.StatutoryDesignationFactory(office="monitoring_officer", officer=monitoring_officer)
    factories.StatutoryDesignationFactory(
        office="monitoring_officer", officer=deputy, is_deputy=True, deputy_rank=1
    )
    models.Absence.objects.create(
        officer=monitoring_officer,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
        reason="Leave",
    )
    committee = factories.CommitteeFactory(name="Scrutiny Board")
    models.CommitteeMembership.objects.create(
        committee=committee, member=chair, position="chair", starts_on=today
    )
    models.CommitteeMembership.objects.create(
        committee=committee, member=member, position="member", starts_on=today
    )
    return Council(
        group, north, south, member, chair, manager, officer, monitoring_officer, deputy, committee
    )


@pytest.fixture
def officer_client(council: Council) -> Client:
    user = factories.UserFactory(username="basil", person=council.officer.person)
    client = Client()
    client.force_login(user)
    return client
