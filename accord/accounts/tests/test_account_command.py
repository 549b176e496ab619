"""`accord account create|disable|enable|list`."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accord.accounts.models import User, UserSession
from accord.accounts.testing import give_totp
from accord.audit.models import AuditEvent
from accord.cli import main
from accord.directory.models import RoleAppointment
from accord.directory.tests import factories as typed_factories

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough pass phrase 2026"


def run(*args: str, stdin: str = "") -> list[str]:
    out = io.StringIO()
    call_command("account", *args, stdout=out, stdin=io.StringIO(stdin))
    return out.getvalue().splitlines()


@pytest.fixture
def person() -> Any:
    return factories.OfficerFactory(person__email="Pat.Example@council.example").person


def test_create_links_the_person_with_that_email_and_prints_no_secret(person):
    lines = run("create", "pat", "--email", "pat.example@COUNCIL.example")

    user = User.objects.get(username="pat")
    assert user.person == person
    assert user.email == person.email
    assert not user.has_usable_password()
    assert lines[0] == f"Created account pat for {person.full_name} ({person.email})."
    assert "single sign-on" in lines[1]
    event = AuditEvent.objects.get(verb="account.created")
    assert event.actor_id is None
    assert event.data["has_password"] is False


def test_create_reads_a_password_from_stdin(person):
    lines = run("create", "pat", "--email", person.email, "--password-stdin", stdin=PASSWORD + "\n")

    user = User.objects.get(username="pat")
    assert user.check_password(PASSWORD)
    assert PASSWORD not in "\n".join(lines)


def test_create_errors_name_the_argument(person):
    with pytest.raises(CommandError, match=r"^--email: nobody in the directory"):
        run("create", "pat", "--email", "nobody@council.example")
    run("create", "pat", "--email", person.email)
    other = factories.OfficerFactory().person
    with pytest.raises(CommandError, match=r"^USERNAME: That username is already in use"):
        run("create", "PAT", "--email", other.email)
    with pytest.raises(CommandError, match=r"--email: This person already has an account"):
        run("create", "pat2", "--email", person.email)
    assert User.objects.count() == 1


def test_a_weak_password_is_refused_naming_the_option(person):
    with pytest.raises(CommandError, match=r"^--password-stdin: "):
        run("create", "pat", "--email", person.email, "--password-stdin", stdin="short\n")
    with pytest.raises(CommandError, match=r"^--password-stdin: no password was given"):
        run("create", "pat", "--email", person.email, "--password-stdin", stdin="")
    assert not User.objects.exists()


def test_disable_ends_every_session_and_says_how_many(person):
    user = factories.UserFactory(username="pat", person=person)
    laptop, phone = Client(), Client()
    laptop.force_login(user)
    phone.force_login(user)

    lines = run("disable", "pat", "--reason", "Left the council")

    assert lines == ["Disabled account pat. Ended 2 sessions."]
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert laptop.get("/").status_code == 302
    event = AuditEvent.objects.get(verb="account.disabled")
    assert event.data == {"reason": "Left the council", "sessions_ended": 2}


def test_disable_needs_a_reason_and_a_known_account(person):
    factories.UserFactory(username="pat", person=person)
    with pytest.raises(CommandError, match=r"^--reason: Enter the reason"):
        run("disable", "pat", "--reason", " ")
    with pytest.raises(CommandError, match=r"^USERNAME: no account has the username 'nobody'"):
        run("disable", "nobody", "--reason", "Left")


def test_enable_reverses_disable(person):
    factories.UserFactory(username="pat", person=person)
    run("disable", "pat", "--reason", "Left")

    assert run("enable", "pat") == ["Enabled account pat."]

    assert User.objects.get(username="pat").is_active
    with pytest.raises(CommandError, match=r"^USERNAME: This account is already enabled"):
        run("enable", "pat")


def test_list_as_json_gives_person_roles_status_and_two_factor(person):
    admin = factories.UserFactory(username="admin", person=person)
    factories.RoleAppointmentFactory(person=person, role=RoleAppointment.Role.DIRECTORY_ADMIN)
    give_totp(admin)
    member = factories.MemberFactory()
    factories.UserFactory(username="councillor", person=member.person, is_active=False)
    factories.UserFactory(username="unlinked")

    rows = json.loads("\n".join(run("list", "--json")))

    assert [row["username"] for row in rows] == ["admin", "councillor", "unlinked"]
    assert rows[0] == {
        "username": "admin",
        "person": person.full_name,
        "person_email": person.email,
        "roles": ["directory_admin", "officer"],
        "active": True,
        "two_factor": True,
        "last_sign_in": None,
    }
    assert rows[1]["roles"] == ["member"]
    assert rows[1]["active"] is False
    assert rows[2]["person"] is None


def test_list_as_a_table_has_a_row_per_account(person):
    factories.UserFactory(username="pat", person=person)
    lines = run("list")
    assert lines[0].split()[:3] == ["USERNAME", "PERSON", "ACTIVE"]
    assert lines[1].startswith("pat ")
    assert person.full_name in lines[1]


def test_the_accord_command_exits_with_1_and_names_the_argument(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["accord", "account", "enable", "nobody"])
    assert exited.value.code == 1
    assert "USERNAME: no account has the username 'nobody'" in capsys.readouterr().err
