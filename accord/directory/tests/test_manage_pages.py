"""Maintaining the directory in the browser: who may, what each page changes, what it refuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accord.accounts.testing import give_totp
from accord.audit.models import AuditEvent
from accord.directory import models
from accord.directory.forms import MAX_UPLOAD_BYTES
from accord.directory.tests import factories as typed_factories
from accord.directory.views.manage import PENDING_IMPORT_KEY
from accord.web.tests.test_page_hygiene import inline_code

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

# A fixed Monday: the absences and appointments here are dated from it.
TODAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _on_a_fixed_day() -> Iterator[None]:
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10, 30), tzinfo=dt.UTC)):
        yield


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def date_fields(name: str, value: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def signed_in(person: Any, role: str | None = None, *, totp: bool = False) -> tuple[Client, Any]:
    if role:
        factories.RoleAppointmentFactory(person=person, role=role)
    user = factories.UserFactory(person=person)
    if totp:
        give_totp(user)
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def admin(council) -> tuple[Client, Any]:
    """Democratic Services: the demo's directory maintainer."""
    officer = factories.OfficerFactory(job_title="Democratic Services Officer")
    return signed_in(officer.person, "democratic_services")


@pytest.fixture
def admin_client(admin) -> Client:
    client: Client = admin[0]
    return client


@pytest.fixture
def member_client(council) -> Client:
    return signed_in(council.member.person)[0]


def events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


def admin_urls(council) -> list[str]:
    appointment = models.RoleAppointment.objects.get(person=council.chair.person)
    designation = models.StatutoryDesignation.objects.filter(is_deputy=False).first()
    assert designation is not None
    return [
        reverse("directory:directory_admin"),
        reverse("directory:directory_admin_import"),
        reverse("directory:directory_admin_import_preview", args=["not-a-token"]),
        reverse("directory:directory_admin_person", args=[council.officer.person_id]),
        reverse("directory:directory_admin_role_appoint", args=[council.member.person_id]),
        reverse("directory:directory_admin_designate", args=[council.officer.person_id]),
        reverse("directory:directory_admin_role_end", args=[appointment.pk]),
        reverse("directory:directory_admin_designation_end", args=[designation.pk]),
        reverse("directory:directory_admin_absence"),
        reverse("directory:directory_admin_committee_member"),
        reverse("directory:directory_admin_administration"),
    ]


# --- who may -----------------------------------------------------------------------------------


def test_every_page_is_not_found_for_officers_and_members(council, officer_client, member_client):
    for client in (officer_client, member_client):
        for url in admin_urls(council):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url


def test_every_page_opens_for_democratic_services_and_directory_administrators(council, admin):
    directory_admin = factories.OfficerFactory(job_title="Directory administrator")
    admin_with_totp, _ = signed_in(directory_admin.person, "directory_admin", totp=True)
    for client in (admin[0], admin_with_totp):
        for url in admin_urls(council):
            expected = 404 if "/import/not-a-token/" in url else 200
            response = client.get(url)
            assert response.status_code == expected, url
            if expected == 200:
                assert inline_code(response.content.decode()).problems == [], url


def test_the_manage_directory_link_shows_only_for_those_who_may_use_it(
    council, admin_client, officer_client
):
    href = f'href="{reverse("directory:directory_admin")}"'
    assert href in admin_client.get(reverse("web:home")).content.decode()
    assert href not in officer_client.get(reverse("web:home")).content.decode()


def test_searching_finds_people_to_manage(council, admin_client):
    page = admin_client.get(reverse("directory:directory_admin"), {"q": "thorne"}).content.decode()
    assert reverse("directory:directory_admin_person", args=[council.officer.person_id]) in page


# --- absences ----------------------------------------------------------------------------------


def test_recording_an_absence_is_audited_with_the_actor(council, admin):
    client, user = admin
    response = client.post(
        reverse("directory:directory_admin_absence"),
        {
            "officer": council.deputy.person_id,
            **date_fields("starts_on", day(10)),
            **date_fields("ends_on", day(12)),
            "reason": "Annual leave",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "directory:directory_admin_person", args=[council.deputy.person_id]
    )
    assert "govuk-notification-banner--success" in response.content.decode()
    absence = models.Absence.objects.get(officer=council.deputy)
    assert (absence.starts_on, absence.ends_on, absence.reason) == (
        day(10),
        day(12),
        "Annual leave",
    )
    [event] = events("directory.absence_recorded")
    assert event.actor_id == user.pk


def test_an_absence_ending_before_it_starts_names_the_field_and_writes_nothing(
    council, admin_client
):
    before = AuditEvent.objects.count()
    response = admin_client.post(
        reverse("directory:directory_admin_absence"),
        {
            "officer": council.deputy.person_id,
            **date_fields("starts_on", day(12)),
            **date_fields("ends_on", day(10)),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_ends_on"' in page
    assert "must not be before the start date" in page
    assert page.count("<title>Error: ") == 1
    assert not models.Absence.objects.filter(officer=council.deputy).exists()
    assert AuditEvent.objects.count() == before


def test_an_overlapping_absence_is_refused_beside_the_start_date(council, admin_client):
    response = admin_client.post(
        reverse("directory:directory_admin_absence"),
        {
            "officer": council.monitoring_officer.person_id,
            **date_fields("starts_on", TODAY),
            **date_fields("ends_on", day(3)),
        },
    )
    assert 'href="#id_starts_on"' in response.content.decode()
    assert models.Absence.objects.filter(officer=council.monitoring_officer).count() == 1


# --- roles and designations --------------------------------------------------------------------


def test_appointing_and_ending_a_role(council, admin):
    client, user = admin
    person = council.member.person
    response = client.post(
        reverse("directory:directory_admin_role_appoint", args=[person.pk]),
        {"role": "lead_member", "areas": "Highways, Transport", **date_fields("starts_on", TODAY)},
    )
    assert response.status_code == 302
    appointment = models.RoleAppointment.objects.get(person=person, role="lead_member")
    assert appointment.areas == ["Highways", "Transport"]
    assert events("directory.role_appointed")[-1].actor_id == user.pk

    response = client.post(
        reverse("directory:directory_admin_role_end", args=[appointment.pk]),
        date_fields("ends_on", day(30)),
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.ends_on == day(30)
    assert events("directory.role_ended")[-1].actor_id == user.pk


def test_a_second_group_leader_is_refused_beside_the_group(council, admin_client):
    before = models.RoleAppointment.objects.count()
    response = admin_client.post(
        reverse("directory:directory_admin_role_appoint", args=[council.member.person_id]),
        {"role": "group_leader", "group": council.group.pk, **date_fields("starts_on", TODAY)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_group"' in page
    assert "a group has one Group Leader at a time" in page
    assert models.RoleAppointment.objects.count() == before


def test_only_member_roles_are_offered_for_a_member(council, admin_client):
    page = admin_client.get(
        reverse("directory:directory_admin_role_appoint", args=[council.member.person_id])
    ).content.decode()
    assert 'value="lead_member"' in page
    assert 'value="director"' not in page
    assert 'name="directorate"' not in page


def test_designating_a_deputy_and_ending_the_designation(council, admin):
    client, user = admin
    response = client.post(
        reverse("directory:directory_admin_designate", args=[council.officer.person_id]),
        {
            "office": "monitoring_officer",
            "is_deputy": "on",
            "deputy_rank": "2",
            **date_fields("starts_on", TODAY),
        },
    )
    assert response.status_code == 302
    designation = models.StatutoryDesignation.objects.get(officer=council.officer)
    assert (designation.is_deputy, designation.deputy_rank) == (True, 2)
    assert events("directory.statutory_designated")[-1].actor_id == user.pk

    client.post(
        reverse("directory:directory_admin_designation_end", args=[designation.pk]),
        date_fields("ends_on", day(5)),
    )
    designation.refresh_from_db()
    assert designation.ends_on == day(5)
    assert events("directory.statutory_designation_ended")[-1].actor_id == user.pk


def test_a_deputy_without_a_rank_is_refused_beside_the_rank(council, admin_client):
    response = admin_client.post(
        reverse("directory:directory_admin_designate", args=[council.officer.person_id]),
        {"office": "monitoring_officer", "is_deputy": "on", **date_fields("starts_on", TODAY)},
    )
    assert 'href="#id_deputy_rank"' in response.content.decode()
    assert not models.StatutoryDesignation.objects.filter(officer=council.officer).exists()


def test_members_cannot_be_designated_statutory_officers(council, admin_client):
    url = reverse("directory:directory_admin_designate", args=[council.member.person_id])
    assert admin_client.get(url).status_code == 404


# --- committees --------------------------------------------------------------------------------


def test_adding_a_member_to_a_committee(council, admin):
    client, user = admin
    newcomer = factories.MemberFactory(group=council.group)
    response = client.post(
        reverse("directory:directory_admin_committee_member"),
        {
            "committee": council.committee.pk,
            "member": newcomer.person_id,
            "position": "vice_chair",
            **date_fields("starts_on", TODAY),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:committee", args=[council.committee.pk])
    membership = models.CommitteeMembership.objects.get(member=newcomer)
    assert membership.position == "vice_chair"
    assert events("directory.committee_member_added")[-1].actor_id == user.pk


def test_a_second_chair_is_refused_beside_the_position(council, admin_client):
    newcomer = factories.MemberFactory(group=council.group)
    response = admin_client.post(
        reverse("directory:directory_admin_committee_member"),
        {
            "committee": council.committee.pk,
            "member": newcomer.person_id,
            "position": "chair",
            **date_fields("starts_on", TODAY),
        },
    )
    assert 'href="#id_position"' in response.content.decode()
    assert not models.CommitteeMembership.objects.filter(member=newcomer).exists()


# --- change of administration ------------------------------------------------------------------


def test_a_change_of_administration_is_confirmed_before_anything_ends(council, admin):
    client, user = admin
    old_leader = factories.MemberFactory(group=council.group)
    leader_role = factories.RoleAppointmentFactory(
        person=old_leader.person, role="leader", group=council.group
    )
    new_group = factories.GroupFactory(name="Valley Alliance")
    new_leader = factories.MemberFactory(group=new_group)
    answers = {
        "groups": [new_group.pk],
        "leader": new_leader.person_id,
        **date_fields("starts_on", day(7)),
        "note": "Annual council meeting",
    }
    url = reverse("directory:directory_admin_administration")

    confirm = client.post(url, answers)
    page = confirm.content.decode()
    assert "Confirm the change of administration" in page
    assert f"Leader of the Council: {old_leader.person.full_name}" in page
    assert 'value="confirm"' in page
    leader_role.refresh_from_db()
    assert leader_role.ends_on is None
    assert not models.Administration.objects.exists()

    done = client.post(url, {**answers, "action": "confirm"})
    assert done.status_code == 302
    leader_role.refresh_from_db()
    assert leader_role.ends_on == day(6)
    administration = models.Administration.objects.get()
    assert administration.leader == new_leader
    assert list(administration.groups.all()) == [new_group]
    [event] = events("directory.administration_changed")
    assert event.actor_id == user.pk


def test_a_leader_outside_the_administration_is_refused_beside_the_leader(council, admin_client):
    other_group = factories.GroupFactory()
    response = admin_client.post(
        reverse("directory:directory_admin_administration"),
        {
            "groups": [other_group.pk],
            "leader": council.member.person_id,
            **date_fields("starts_on", day(7)),
            "action": "confirm",
        },
    )
    page = response.content.decode()
    assert 'href="#id_leader"' in page
    assert not models.Administration.objects.exists()


def test_changing_the_details_returns_to_the_filled_in_form(council, admin_client):
    response = admin_client.post(
        reverse("directory:directory_admin_administration"),
        {
            "groups": [council.group.pk],
            "leader": council.member.person_id,
            **date_fields("starts_on", day(7)),
            "action": "edit",
        },
    )
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Change of political administration</h1>' in page
    assert f'value="{council.group.pk}" checked' in page


# --- CSV import --------------------------------------------------------------------------------

HEADER = "kind,given_name,family_name,email,directorate,job_title,group,term_starts_on\n"


def csv_file(text: str, name: str = "people.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def directorate(db) -> Any:
    return factories.DirectorateFactory(code="ADU", name="Adult Services")


GOOD_ROWS = (
    "officer,Kim,Specimen,kim.specimen@council.example,ADU,Team Manager,,\n"
    "member,Sam,Example,sam.example@council.example,,,HP,2025-05-01\n"
)
BAD_ROW = "member,Alex,Sample,alex.sample@council.example,,,HP,2025-13-01\n"


def test_a_file_with_a_bad_row_lists_row_and_column_and_imports_nothing(
    council, directorate, admin_client
):
    before = models.Person.objects.count()
    response = admin_client.post(
        reverse("directory:directory_admin_import"),
        {"file": csv_file(HEADER + GOOD_ROWS + BAD_ROW)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_file"' in page
    problems = response.context["problems"]
    assert [(p.row, p.column) for p in problems] == [(4, "term_starts_on")]
    assert "is not a date; use YYYY-MM-DD or DD/MM/YYYY" in page
    assert '<td class="govuk-table__cell">term_starts_on</td>' in page
    assert models.Person.objects.count() == before
    assert PENDING_IMPORT_KEY not in admin_client.session


def test_a_good_file_is_previewed_then_imported_only_when_confirmed(council, directorate, admin):
    client, user = admin
    before = models.Person.objects.count()
    response = client.post(
        reverse("directory:directory_admin_import"), {"file": csv_file(HEADER + GOOD_ROWS)}
    )
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url)
    assert (preview.context["pending"].created, preview.context["pending"].updated) == (2, 0)
    assert "Nothing has been saved yet" in preview.content.decode()
    assert models.Person.objects.count() == before

    done = client.post(preview_url, follow=True)
    assert "Imported: 2 created, 0 updated, 0 unchanged." in done.content.decode()
    assert models.Person.objects.count() == before + 2
    [event] = events("directory.import_completed")
    assert event.actor_id == user.pk
    # The token is spent: confirming again finds nothing to import.
    assert client.post(preview_url).status_code == 404


def test_an_import_token_from_another_session_is_not_found(council, directorate, admin_client):
    response = admin_client.post(
        reverse("directory:directory_admin_import"), {"file": csv_file(HEADER + GOOD_ROWS)}
    )
    other = factories.OfficerFactory()
    other_client, _ = signed_in(other.person, "democratic_services")
    assert other_client.get(response["Location"]).status_code == 404
    assert other_client.post(response["Location"]).status_code == 404
    assert not models.Person.objects.filter(email="kim.specimen@council.example").exists()


def test_confirming_reports_problems_that_arose_after_the_preview(
    council, directorate, admin_client
):
    response = admin_client.post(
        reverse("directory:directory_admin_import"), {"file": csv_file(HEADER + GOOD_ROWS)}
    )
    models.Directorate.objects.filter(code="ADU").update(code="ADS")
    confirm = admin_client.post(response["Location"])
    assert confirm.status_code == 200
    assert [(p.row, p.column) for p in confirm.context["problems"]] == [(2, "directorate")]
    assert not models.Person.objects.filter(email="kim.specimen@council.example").exists()


def test_a_file_over_the_size_limit_is_refused_naming_the_file_field(council, admin_client):
    big = HEADER + "x" * (MAX_UPLOAD_BYTES + 1)
    response = admin_client.post(
        reverse("directory:directory_admin_import"), {"file": csv_file(big)}
    )
    page = response.content.decode()
    assert 'href="#id_file"' in page
    assert "must be smaller than 2 MB" in page


def test_a_file_that_is_not_utf8_is_refused(council, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("people.csv", "kind,given_name\nmember,Zoë\n".encode("cp1252"))
    response = admin_client.post(reverse("directory:directory_admin_import"), {"file": upload})
    assert "saved as UTF-8" in response.content.decode()


def test_no_file_asks_for_one(council, admin_client):
    response = admin_client.post(reverse("directory:directory_admin_import"), {})
    assert "Select a CSV file" in response.content.decode()
