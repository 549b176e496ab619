from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accord.accounts.models import User, UserSession
from accord.accounts.services import (
    account_create,
    account_disable,
    account_enable,
    account_set_password,
)
from accord.accounts.tests.conftest import PASSWORD
from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed


def _fields(error: ValidationFailed) -> set[str]:
    return {item.field for item in error.errors}


def _events(verb: str, user: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(verb=verb, target_type="accounts.user", target_id=str(user.pk))
    )


@pytest.mark.django_db
def test_account_create_links_the_person_and_takes_their_email(make_officer, make_account):
    person = make_officer(email="clerk@council.example")
    actor = make_account("admin.person")

    user = account_create(actor=actor, person=person, username="clerk")

    user.refresh_from_db()
    assert user.person == person
    assert user.email == "clerk@council.example"
    assert (user.first_name, user.last_name) == (person.given_name, person.family_name)
    assert not user.has_usable_password()
    [event] = _events("account.created", user)
    assert event.actor_id == actor.pk
    assert event.data == {"username": "clerk", "person_id": person.pk, "has_password": False}


@pytest.mark.django_db
def test_account_create_with_a_password_lets_it_be_checked(make_officer):
    user = account_create(actor=None, person=make_officer(), username="clerk", password=PASSWORD)
    assert user.check_password(PASSWORD)
    assert PASSWORD not in str(_events("account.created", user)[0].data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("", None, "username"),
        ("has space", None, "username"),
        ("taken", None, "username"),
        ("TAKEN", None, "username"),
        ("fresh", "short", "password"),
        ("fresh", "password1234", "password"),
    ],
)
def test_account_create_refuses_bad_input_naming_the_field(
    make_officer, make_account, username, password, field
):
    make_account("taken")
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        account_create(actor=None, person=make_officer(), username=username, password=password)
    assert field in _fields(caught.value)
    assert AuditEvent.objects.count() == events_before
    assert not User.objects.filter(username="fresh").exists()


@pytest.mark.django_db
def test_account_create_refuses_a_second_account_for_one_person(make_account):
    first = make_account("first")
    with pytest.raises(ValidationFailed) as caught:
        account_create(actor=None, person=first.person, username="second")
    assert _fields(caught.value) == {"person"}


@pytest.mark.django_db
def test_account_create_refuses_a_malformed_email(make_officer):
    with pytest.raises(ValidationFailed) as caught:
        account_create(actor=None, person=make_officer(), username="x", email="not-an-email")
    assert _fields(caught.value) == {"email"}


@pytest.mark.django_db
def test_account_create_refuses_an_inactive_person(make_officer):
    person = make_officer()
    person.is_active = False
    person.save()
    with pytest.raises(ValidationFailed) as caught:
        account_create(actor=None, person=person, username="leaver")
    assert _fields(caught.value) == {"person"}


@pytest.mark.django_db
def test_account_disable_ends_every_session_and_is_audited(make_account):
    admin, user = make_account("admin"), make_account("leaver")
    other = make_account("stays")
    for owner in (user, user, other):
        UserSession.objects.create(
            session_key=f"key-{UserSession.objects.count()}",
            session_data="",
            expire_date="2099-01-01T00:00Z",
            user=owner,
        )

    ended = account_disable(actor=admin, user=user, reason="Left the council")

    user.refresh_from_db()
    assert not user.is_active
    assert ended == 2
    assert not UserSession.objects.filter(user=user).exists()
    assert UserSession.objects.filter(user=other).count() == 1
    [event] = _events("account.disabled", user)
    assert event.actor_id == admin.pk
    assert event.data == {"reason": "Left the council", "sessions_ended": 2}


@pytest.mark.django_db
def test_account_disable_needs_a_reason_and_refuses_self_and_repeats(make_account):
    admin, user = make_account("admin"), make_account("leaver")
    with pytest.raises(ValidationFailed) as no_reason:
        account_disable(actor=admin, user=user, reason="  ")
    assert _fields(no_reason.value) == {"reason"}
    with pytest.raises(ValidationFailed) as own:
        account_disable(actor=admin, user=admin, reason="Oops")
    assert _fields(own.value) == {"user"}
    account_disable(actor=admin, user=user, reason="Left")
    with pytest.raises(ValidationFailed) as again:
        account_disable(actor=admin, user=user, reason="Left")
    assert _fields(again.value) == {"user"}
    assert len(_events("account.disabled", user)) == 1


@pytest.mark.django_db
def test_account_enable_restores_sign_in_and_is_audited(make_account):
    admin, user = make_account("admin"), make_account("returner")
    account_disable(actor=admin, user=user, reason="Secondment")

    account_enable(actor=admin, user=user, reason="Back from secondment")

    user.refresh_from_db()
    assert user.is_active
    assert _events("account.enabled", user)[0].data == {"reason": "Back from secondment"}
    with pytest.raises(ValidationFailed):
        account_enable(actor=admin, user=user, reason="Again")


@pytest.mark.django_db
def test_account_set_password_validates_and_audits_without_the_password(make_account):
    user = make_account("changer")
    with pytest.raises(ValidationFailed) as caught:
        account_set_password(actor=user, user=user, password="changer")
    assert _fields(caught.value) == {"password"}

    account_set_password(actor=AnonymousUser(), user=user, password="a much better passphrase")

    user.refresh_from_db()
    assert user.check_password("a much better passphrase")
    [event] = _events("account.password_set", user)
    assert event.actor_id is None
    assert event.data == {"by_account_holder": False}


@pytest.mark.django_db
def test_accounts_get_no_django_groups_or_permissions(make_account):
    user = make_account("plain")
    assert not user.groups.exists()
    assert not user.user_permissions.exists()
    assert not user.is_staff
    assert not user.is_superuser
