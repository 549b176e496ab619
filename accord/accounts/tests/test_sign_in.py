from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accord.accounts.models import UserSession
from accord.accounts.tests.conftest import PASSWORD, sign_in
from accord.audit.models import AuditEvent
from accord.core import clock

LIMIT = settings.AXES_FAILURE_LIMIT


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.django_db
def test_signing_in_by_username_or_email_works_and_is_audited(officer_account):
    by_name, by_email = Client(), Client()

    assert sign_in(by_name, "ordinary.officer").status_code == 302
    assert sign_in(by_email, officer_account.email.upper()).status_code == 302

    assert _signed_in(by_name)
    assert _signed_in(by_email)
    events = AuditEvent.objects.filter(verb="account.signed_in", actor_id=officer_account.pk)
    assert [event.data for event in events] == [{"methods": ["password"]}] * 2


@pytest.mark.django_db
def test_a_wrong_password_shows_the_form_again_with_an_error(officer_account):
    response = sign_in(Client(), "ordinary.officer", "not the password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert b"govuk-error-summary" in response.content


@pytest.mark.django_db
def test_session_row_records_its_user_after_the_key_is_cycled_at_sign_in(officer_account):
    client = Client()
    client.get(reverse("account_login"))
    client.session.save()
    key_before = client.session.session_key

    sign_in(client, "ordinary.officer")

    key_after = client.session.session_key
    assert key_after != key_before
    assert not UserSession.objects.filter(session_key=key_before).exists()
    assert UserSession.objects.get(session_key=key_after).user_id == officer_account.pk


@pytest.mark.django_db
def test_signing_out_is_audited_and_ends_the_session_row(officer_account):
    client = Client()
    sign_in(client, "ordinary.officer")
    key = client.session.session_key

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert not UserSession.objects.filter(session_key=key).exists()
    event = AuditEvent.objects.get(verb="account.signed_out")
    assert event.actor_id == officer_account.pk
    assert event.data == {"reason": "signed_out"}


@pytest.mark.django_db
def test_lock_out_after_the_failure_limit_refuses_even_the_right_password(officer_account):
    client = Client()
    for _ in range(LIMIT - 1):
        assert sign_in(client, "ordinary.officer", "wrong password").status_code == 200

    locking = sign_in(client, "ordinary.officer", "wrong password")
    assert locking.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locking.templates]

    refused = sign_in(client, "ordinary.officer", PASSWORD)
    assert refused.status_code == 429
    assert b"Sign-in locked" in refused.content
    assert b"wait 30 minutes before you try again" in refused.content
    assert not _signed_in(client)


@pytest.mark.django_db
def test_lock_out_counts_username_case_and_email_against_one_account(officer_account):
    client = Client()
    variants = ["ordinary.officer", "ORDINARY.OFFICER", officer_account.email, " Ordinary.Officer "]
    for n in range(LIMIT):
        sign_in(client, variants[n % len(variants)], "wrong password")

    assert sign_in(client, "ordinary.officer", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_lock_out_is_per_address_so_another_address_can_still_sign_in(officer_account):
    for _ in range(LIMIT):
        sign_in(Client(), "ordinary.officer", "wrong password", ip="198.51.100.7")

    elsewhere = Client()
    response = sign_in(elsewhere, "ordinary.officer", PASSWORD, ip="198.51.100.8")

    assert response.status_code == 302
    assert _signed_in(elsewhere)


@pytest.mark.django_db
def test_lock_out_is_per_account_so_others_at_the_address_can_sign_in(make_account):
    make_account("target")
    make_account("colleague")
    for _ in range(LIMIT):
        sign_in(Client(), "target", "wrong password")

    assert sign_in(Client(), "colleague", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lock_out_ends_after_the_cool_off(officer_account):
    cool_off = settings.AXES_COOLOFF_TIME
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(LIMIT):
            sign_in(Client(), "ordinary.officer", "wrong password")

        traveller.shift(cool_off + dt.timedelta(minutes=1))
        client = Client()
        assert sign_in(client, "ordinary.officer", PASSWORD).status_code == 302
        assert _signed_in(client)


@pytest.mark.django_db
def test_an_attempt_while_locked_out_restarts_the_cool_off(officer_account):
    cool_off = settings.AXES_COOLOFF_TIME
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(LIMIT):
            sign_in(Client(), "ordinary.officer", "wrong password")
        traveller.shift(cool_off - dt.timedelta(minutes=1))
        assert sign_in(Client(), "ordinary.officer", PASSWORD).status_code == 429

        traveller.shift(dt.timedelta(minutes=2))
        assert sign_in(Client(), "ordinary.officer", PASSWORD).status_code == 429

        traveller.shift(cool_off + dt.timedelta(minutes=1))
        assert sign_in(Client(), "ordinary.officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_disabled_account_cannot_sign_in(officer_account):
    officer_account.is_active = False
    officer_account.save()
    client = Client()
    sign_in(client, "ordinary.officer")
    assert not _signed_in(client)


@pytest.mark.django_db
def test_sign_up_is_closed(db):
    response = Client().get(reverse("account_signup"))
    assert b"You cannot create an account here" in response.content


@pytest.mark.django_db
def test_sign_in_page_uses_the_council_layout_and_govuk_form(db):
    response = Client().get(reverse("account_login"))
    assert response.status_code == 200
    assert "base.html" in [t.name for t in response.templates]
    assert b'class="govuk-input' in response.content
    assert b'name="login"' in response.content
    assert b'name="password"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_logout", b"Are you sure you want to sign out?"),
        ("account_change_password", b"Change your password"),
        ("mfa_index", b"Two-factor sign-in"),
    ],
)
def test_account_pages_render_in_the_council_layout(officer_account, url_name, heading):
    client = Client()
    client.force_login(officer_account)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert heading in response.content
    assert "base.html" in [t.name for t in response.templates]
