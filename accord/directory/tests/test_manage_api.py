"""Maintaining the directory through the API: role-gated, audited, errors naming the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.audit.models import AuditEvent
from accord.directory import models
from accord.directory.api.manage import MAX_CSV_BYTES
from accord.directory.tests import factories as typed_factories

factories: Any = typed_factories

BASE = "/api/v1/directory"
# A fixed Monday: the absences and appointments here are dated from it.
TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _on_a_fixed_day() -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10, 30), tzinfo=dt.UTC)):
        yield


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def client_for(user: Any) -> ApiClient:
    return ApiClient(token_create(actor=None, user=user, name="tests")[1])


@pytest.fixture
def admin_user(user):
    officer = factories.OfficerFactory(job_title="Committee Services Officer")
    factories.RoleAppointmentFactory(person=officer.person, role="democratic_services")
    user.person = officer.person
    user.save()
    return user


@pytest.fixture
def admin(admin_user):
    return client_for(admin_user)


@pytest.fixture
def officer_api(db):
    officer = factories.OfficerFactory()
    return client_for(factories.UserFactory(person=officer.person))


@pytest.fixture
def member_api(db):
    member = factories.MemberFactory()
    return client_for(factories.UserFactory(person=member.person))


def post_csv(client: ApiClient, text: str, *, dry_run: bool | None = None) -> Any:
    path = f"{BASE}/import" + ("" if dry_run is None else f"?dry_run={str(dry_run).lower()}")
    return client.client.post(
        path, text.encode("utf-8"), content_type="text/csv", headers=client._headers()
    )


def last_event(verb: str) -> AuditEvent:
    event = AuditEvent.objects.filter(verb=verb).order_by("-seq").first()
    assert event is not None, verb
    return event


# --- who may -----------------------------------------------------------------------------------


def every_endpoint() -> list[str]:
    return [
        f"{BASE}/import",
        f"{BASE}/appointments",
        f"{BASE}/appointments/1/end",
        f"{BASE}/statutory-designations",
        f"{BASE}/statutory-designations/1/end",
        f"{BASE}/committees/1/members",
        f"{BASE}/administrations",
    ]


@pytest.mark.django_db
def test_every_endpoint_is_not_found_for_officers_and_members(officer_api, member_api):
    before = AuditEvent.objects.count()
    for client in (officer_api, member_api):
        for path in every_endpoint():
            # An empty body would be a 422 for someone allowed: the role is checked first.
            response = client.post(path, {})
            assert response.status_code == 404, path
            assert response.json() == {"detail": "Not found.", "errors": []}, path
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_every_endpoint_needs_a_token(anonymous):
    for path in every_endpoint():
        assert anonymous.post(path, {}).status_code == 401, path


@pytest.mark.django_db
def test_a_directory_administrator_may_use_them_too(db):
    officer = factories.OfficerFactory()
    factories.RoleAppointmentFactory(person=officer.person, role="directory_admin")
    api = client_for(factories.UserFactory(person=officer.person))
    subject = factories.OfficerFactory()
    response = api.post(
        f"{BASE}/statutory-designations",
        {"person_id": subject.person_id, "office": "monitoring_officer", "starts_on": day(0)},
    )
    assert response.status_code == 201, response.content


# --- roles and designations --------------------------------------------------------------------


def test_appointing_returns_the_new_id_and_is_audited_with_the_actor(admin, admin_user):
    member = factories.MemberFactory()
    response = admin.post(
        f"{BASE}/appointments",
        {
            "person_id": member.person_id,
            "role": "lead_member",
            "starts_on": day(0),
            "areas": ["Highways"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    appointment = models.RoleAppointment.objects.get(pk=body["id"])
    assert (appointment.person, appointment.areas) == (member.person, ["Highways"])
    assert body["person"] == {"id": member.person_id, "full_name": member.person.full_name}
    assert last_event("directory.role_appointed").actor_id == admin_user.pk


def test_a_group_leader_without_a_group_names_group_id(admin):
    member = factories.MemberFactory()
    response = admin.post(
        f"{BASE}/appointments",
        {"person_id": member.person_id, "role": "group_leader", "starts_on": day(0)},
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["group_id"]
    assert not models.RoleAppointment.objects.filter(person=member.person).exists()


def test_an_unknown_person_names_person_id(admin):
    response = admin.post(
        f"{BASE}/appointments", {"person_id": 999_999, "role": "leader", "starts_on": day(0)}
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["person_id"]


def test_ending_an_appointment(admin, admin_user):
    member = factories.MemberFactory()
    appointment = factories.RoleAppointmentFactory(person=member.person, role="deputy_leader")
    response = admin.post(f"{BASE}/appointments/{appointment.pk}/end", {"ends_on": day(3)})
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == day(3)
    appointment.refresh_from_db()
    assert appointment.ends_on.isoformat() == day(3)
    assert last_event("directory.role_ended").actor_id == admin_user.pk


def test_ending_a_missing_appointment_is_not_found(admin):
    response = admin.post(f"{BASE}/appointments/999999/end", {"ends_on": day(3)})
    assert response.status_code == 404


def test_an_end_before_the_start_names_ends_on_and_changes_nothing(admin):
    member = factories.MemberFactory()
    appointment = factories.RoleAppointmentFactory(person=member.person, role="deputy_leader")
    response = admin.post(f"{BASE}/appointments/{appointment.pk}/end", {"ends_on": "2000-01-01"})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["ends_on"]
    appointment.refresh_from_db()
    assert appointment.ends_on is None


def test_designating_a_deputy_and_ending_it(admin, admin_user):
    officer = factories.OfficerFactory()
    response = admin.post(
        f"{BASE}/statutory-designations",
        {
            "person_id": officer.person_id,
            "office": "chief_finance_officer",
            "is_deputy": True,
            "deputy_rank": 1,
            "starts_on": day(0),
        },
    )
    assert response.status_code == 201, response.content
    designation_id = response.json()["id"]
    assert last_event("directory.statutory_designated").actor_id == admin_user.pk

    ended = admin.post(f"{BASE}/statutory-designations/{designation_id}/end", {"ends_on": day(10)})
    assert ended.status_code == 200
    ends_on = models.StatutoryDesignation.objects.get(pk=designation_id).ends_on
    assert ends_on is not None
    assert ends_on.isoformat() == day(10)


def test_a_second_holder_is_refused_naming_the_office(admin):
    factories.StatutoryDesignationFactory(office="monitoring_officer")
    officer = factories.OfficerFactory()
    response = admin.post(
        f"{BASE}/statutory-designations",
        {"person_id": officer.person_id, "office": "monitoring_officer", "starts_on": day(0)},
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["office"]
    assert models.StatutoryDesignation.objects.count() == 1


def test_a_member_cannot_be_designated(admin):
    member = factories.MemberFactory()
    response = admin.post(
        f"{BASE}/statutory-designations",
        {"person_id": member.person_id, "office": "monitoring_officer", "starts_on": day(0)},
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["person_id"]


# --- committees and administrations ------------------------------------------------------------


def test_adding_a_committee_member(admin, admin_user):
    committee = factories.CommitteeFactory()
    member = factories.MemberFactory()
    response = admin.post(
        f"{BASE}/committees/{committee.pk}/members",
        {"person_id": member.person_id, "position": "chair", "starts_on": day(0)},
    )
    assert response.status_code == 201, response.content
    membership = models.CommitteeMembership.objects.get(pk=response.json()["id"])
    assert (membership.member, membership.position) == (member, "chair")
    assert last_event("directory.committee_member_added").actor_id == admin_user.pk


def test_adding_someone_already_on_the_committee_names_person_id(admin):
    committee = factories.CommitteeFactory()
    member = factories.MemberFactory()
    models.CommitteeMembership.objects.create(
        committee=committee, member=member, position="member", starts_on=TODAY
    )
    response = admin.post(
        f"{BASE}/committees/{committee.pk}/members",
        {"person_id": member.person_id, "starts_on": day(1)},
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["person_id"]


def test_changing_the_administration_reports_what_ended(admin, admin_user):
    group = factories.GroupFactory()
    old_leader = factories.MemberFactory(group=group)
    old_role = factories.RoleAppointmentFactory(
        person=old_leader.person, role="leader", group=group
    )
    new_group = factories.GroupFactory()
    new_leader = factories.MemberFactory(group=new_group)
    response = admin.post(
        f"{BASE}/administrations",
        {
            "group_ids": [new_group.pk],
            "leader_person_id": new_leader.person_id,
            "starts_on": day(5),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ended_appointment_ids"] == [old_role.pk]
    assert body["ended_on"] == day(4)
    assert models.Administration.objects.get(pk=body["id"]).leader == new_leader
    assert last_event("directory.administration_changed").actor_id == admin_user.pk


def test_a_leader_outside_the_groups_names_leader_person_id(admin):
    member = factories.MemberFactory()
    other = factories.GroupFactory()
    response = admin.post(
        f"{BASE}/administrations",
        {"group_ids": [other.pk], "leader_person_id": member.person_id, "starts_on": day(5)},
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["leader_person_id"]
    assert not models.Administration.objects.exists()


def test_an_unknown_group_names_its_position_in_group_ids(admin):
    member = factories.MemberFactory()
    response = admin.post(
        f"{BASE}/administrations",
        {
            "group_ids": [member.group_id, 999_999],
            "leader_person_id": member.person_id,
            "starts_on": day(5),
        },
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["group_ids.1"]


# --- CSV import --------------------------------------------------------------------------------

HEADER = "kind,given_name,family_name,email,directorate,job_title,term_starts_on\n"
GOOD = (
    "officer,Kim,Specimen,kim.specimen@council.example,ADU,Team Manager,\n"
    "member,Sam,Example,sam.example@council.example,,,2025-05-01\n"
)


@pytest.fixture
def directorate(db):
    return factories.DirectorateFactory(code="ADU")


def test_a_dry_run_reports_counts_and_saves_nothing(admin, directorate):
    response = post_csv(admin, HEADER + GOOD, dry_run=True)
    assert response.status_code == 200, response.content
    assert response.json() == {"dry_run": True, "created": 2, "updated": 0, "unchanged": 0}
    assert not models.Person.objects.filter(email__endswith="@council.example").exists()


def test_an_import_saves_and_is_audited_with_the_actor(admin, admin_user, directorate):
    response = post_csv(admin, HEADER + GOOD)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    assert models.Person.objects.filter(email__endswith="@council.example").count() == 2
    assert last_event("directory.import_completed").actor_id == admin_user.pk
    again = post_csv(admin, HEADER + GOOD)
    assert again.json() == {"dry_run": False, "created": 0, "updated": 0, "unchanged": 2}


def test_every_problem_is_named_by_row_and_column_and_nothing_is_imported(admin, directorate):
    bad = GOOD + "member,Alex,Sample,not-an-email,,,2025-13-01\n"
    response = post_csv(admin, HEADER + bad)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "2 problems found; nothing was imported."
    assert [e["field"] for e in body["errors"]] == ["rows.4.email", "rows.4.term_starts_on"]
    assert not models.Person.objects.filter(email__endswith="@council.example").exists()


def test_a_header_problem_names_row_one(admin):
    response = post_csv(admin, "kind,given_name,family_name\n")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["rows.1"]


def test_multipart_upload_with_a_dry_run_flag(admin, directorate):
    upload = SimpleUploadedFile("people.csv", (HEADER + GOOD).encode(), content_type="text/csv")
    response = admin.client.post(
        f"{BASE}/import", {"file": upload, "dry_run": "true"}, headers=admin._headers()
    )
    assert response.status_code == 200, response.content
    assert response.json()["dry_run"] is True
    assert not models.Person.objects.filter(email__endswith="@council.example").exists()


def test_multipart_without_a_file_names_the_file_field(admin):
    response = admin.client.post(f"{BASE}/import", {"dry_run": "true"}, headers=admin._headers())
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["file"]


def test_an_oversized_body_is_refused_naming_the_file_field(admin):
    response = post_csv(admin, HEADER + "x" * (MAX_CSV_BYTES + 1))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["file"]


def test_a_body_that_is_not_utf8_is_refused(admin):
    response = admin.client.post(
        f"{BASE}/import",
        "kind,given_name\nmember,Zoë\n".encode("cp1252"),
        content_type="text/csv",
        headers=admin._headers(),
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["file"]


def test_the_endpoints_are_described_in_openapi(anonymous):
    paths = anonymous.get("/api/v1/openapi.json").json()["paths"]
    assert "text/csv" in paths["/api/v1/directory/import"]["post"]["requestBody"]["content"]
    for path in ("appointments", "statutory-designations", "administrations"):
        assert f"/api/v1/directory/{path}" in paths
