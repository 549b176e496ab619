from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from accord.api.services import token_create
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.directory.models import Absence, RoleAppointment
from accord.directory.tests.factories import MemberFactory, OfficerFactory, RoleAppointmentFactory

ABSENCES = "/api/v1/directory/absences"


@pytest.fixture
def admin_token(user):
    officer: Any = OfficerFactory(job_title="Directory administrator")
    RoleAppointmentFactory(person=officer.person, role=RoleAppointment.Role.DIRECTORY_ADMIN)
    user.person = officer.person
    user.save()
    return token_create(actor=None, user=user, name="admin")[1]


@pytest.fixture
def admin(admin_token):
    from accord.api.tests.fixtures import ApiClient

    return ApiClient(admin_token)


def _absence(person_id, starts=0, ends=2):
    today = clock.today()
    return {
        "person_id": person_id,
        "starts_on": (today + dt.timedelta(days=starts)).isoformat(),
        "ends_on": (today + dt.timedelta(days=ends)).isoformat(),
        "reason": "Annual leave",
    }


def test_directory_admin_records_an_absence(admin, user):
    officer: Any = OfficerFactory()

    response = admin.post(ABSENCES, _absence(officer.person.pk))

    assert response.status_code == 201, response.content
    body = response.json()
    absence = Absence.objects.get(pk=body["id"])
    assert absence.officer == officer
    assert body["officer"] == {"id": officer.person.pk, "full_name": str(officer)}
    event = AuditEvent.objects.get(verb="directory.absence_recorded")
    assert event.actor_id == user.pk


def test_absences_do_not_exist_for_anyone_else(api):
    officer: Any = OfficerFactory()

    response = api.post(ABSENCES, _absence(officer.person.pk))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}
    assert not Absence.objects.exists()


def test_schema_errors_name_the_body_field(admin):
    response = admin.post(ABSENCES, {"person_id": 1, "starts_on": "soon", "ends_on": "2026-01-01"})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["starts_on"]


def test_rule_errors_from_the_service_name_the_field(admin):
    officer: Any = OfficerFactory()

    response = admin.post(ABSENCES, _absence(officer.person.pk, starts=3, ends=1))

    assert response.status_code == 400
    assert "ends_on" in {e["field"] for e in response.json()["errors"]}
    assert not Absence.objects.exists()


def test_a_member_cannot_be_recorded_absent(admin):
    member: Any = MemberFactory()

    response = admin.post(ABSENCES, _absence(member.person.pk))

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["person_id"]


def test_malformed_json_is_a_400_in_the_error_shape(admin):
    response = admin.client.post(
        ABSENCES, "{not json", content_type="application/json", headers=admin._headers()
    )

    assert response.status_code == 400
    assert response.json()["errors"] == []


def test_token_requests_need_no_csrf_token(admin_token):
    strict = Client(enforce_csrf_checks=True)
    officer: Any = OfficerFactory()

    response = strict.post(
        ABSENCES,
        _absence(officer.person.pk),
        content_type="application/json",
        headers={"Authorization": f"Bearer {admin_token}"},
    )

    assert response.status_code == 201
