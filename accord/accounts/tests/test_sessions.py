from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accord.accounts.services import account_disable
from accord.accounts.tests.conftest import sign_in
from accord.api.services import token_create
from accord.audit.models import AuditEvent
from accord.core import clock

IDLE = settings.SESSION_IDLE_TIMEOUT
ABSOLUTE = settings.SESSION_ABSOLUTE_TIMEOUT
HOME = "/"


def _sent_to_sign_in(response, next_path: str = HOME) -> bool:
    login = reverse("account_login")
    return (
        response.status_code == 302
        and response["Location"].startswith(login)
        and (f"next={next_path}" in response["Location"])
    )


@pytest.mark.django_db
def test_idle_session_is_signed_out_with_a_message(officer_account):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = Client()
        sign_in(client, "ordinary.officer")
        assert client.get(HOME).status_code == 200

        traveller.shift(IDLE + dt.timedelta(seconds=1))
        response = client.get(HOME)

        assert _sent_to_sign_in(response)
        assert SESSION_KEY not in client.session
        page = client.get(response["Location"])
        assert b"You were signed out after 30 minutes without activity" in page.content
    event = AuditEvent.objects.get(verb="account.signed_out")
    assert event.actor_id is None
    assert event.data == {"reason": "idle_timeout"}


@pytest.mark.django_db
def test_activity_keeps_a_session_alive_past_the_idle_limit(officer_account):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = Client()
        sign_in(client, "ordinary.officer")
        for _ in range(6):
            traveller.shift(IDLE - dt.timedelta(minutes=5))
            assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_session_ends_at_the_absolute_limit_however_active(officer_account):
    step = IDLE - dt.timedelta(minutes=5)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = Client()
        sign_in(client, "ordinary.officer")
        elapsed = dt.timedelta()
        while elapsed + step < ABSOLUTE:
            traveller.shift(step)
            elapsed += step
            assert client.get(HOME).status_code == 200

        traveller.shift(ABSOLUTE - elapsed)
        response = client.get(HOME)

        assert _sent_to_sign_in(response)
        page = client.get(response["Location"])
        assert b"You were signed out because you had been signed in for 10 hours" in page.content
    assert AuditEvent.objects.get(verb="account.signed_out").data == {"reason": "absolute_timeout"}


@pytest.mark.django_db
def test_a_session_signed_in_without_allauth_also_times_out(officer_account):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = Client()
        client.force_login(officer_account)
        assert client.get(HOME).status_code == 200
        traveller.shift(IDLE)
        assert _sent_to_sign_in(client.get(HOME))


@pytest.mark.django_db
def test_an_expired_session_can_still_open_public_pages(officer_account):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = Client()
        sign_in(client, "ordinary.officer")
        traveller.shift(IDLE + dt.timedelta(minutes=1))
        response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert b"without activity" in response.content


@pytest.mark.django_db
def test_disabling_an_account_ends_all_its_sessions(officer_account, make_account):
    admin = make_account("admin")
    laptop, phone = Client(), Client()
    sign_in(laptop, "ordinary.officer", ip="203.0.113.1")
    sign_in(phone, "ordinary.officer", ip="203.0.113.2")
    assert laptop.get(HOME).status_code == 200
    assert phone.get(HOME).status_code == 200

    ended = account_disable(actor=admin, user=officer_account, reason="Left the council")

    assert ended == 2
    assert _sent_to_sign_in(laptop.get(HOME))
    assert _sent_to_sign_in(phone.get(HOME))


@pytest.mark.django_db
def test_bearer_token_requests_are_untouched_by_session_rules(monitoring_officer_account):
    # An account that must set up two-factor, with no session at all: the API still answers.
    _, token = token_create(actor=None, user=monitoring_officer_account, name="tests")
    client = Client()
    with time_machine.travel(clock.now() + ABSOLUTE * 2, tick=False):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["username"] == "monitoring.officer"
    assert settings.SESSION_COOKIE_NAME not in response.cookies
