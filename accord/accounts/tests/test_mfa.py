from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from accord.accounts.testing import give_totp, totp_code
from accord.accounts.tests.conftest import PASSWORD, sign_in
from accord.audit.models import AuditEvent
from accord.core import clock

HOME = "/"
MFA_REQUIRED = reverse("accounts_mfa_required")


@pytest.fixture(params=["monitoring_officer_account", "directory_admin_account"])
def must_use_mfa(request):
    return request.getfixturevalue(request.param)


@pytest.mark.django_db
def test_account_that_must_use_mfa_is_sent_to_set_it_up(must_use_mfa):
    client = Client()
    client.force_login(must_use_mfa)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == MFA_REQUIRED
    page = client.get(MFA_REQUIRED)
    assert page.status_code == 200
    assert b"You need to set this up before you can continue" in page.content
    assert reverse("mfa_activate_totp").encode() in page.content


@pytest.mark.django_db
def test_ordinary_officer_is_not_made_to_set_up_mfa(officer_account):
    client = Client()
    client.force_login(officer_account)

    assert client.get(HOME).status_code == 200
    page = client.get(MFA_REQUIRED)
    assert b"You can protect your account" in page.content


@pytest.mark.django_db
def test_account_with_an_authenticator_app_goes_where_it_asked(must_use_mfa):
    give_totp(must_use_mfa)
    client = Client()
    client.force_login(must_use_mfa)
    assert client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_account_that_must_use_mfa_can_still_reach_setup_and_sign_out(must_use_mfa):
    client = Client()
    client.force_login(must_use_mfa)

    setup = client.get(reverse("mfa_activate_totp"))
    assert not (setup.status_code == 302 and setup["Location"] == MFA_REQUIRED)
    signed_out = client.post(reverse("account_logout"))
    assert signed_out.status_code == 302
    assert signed_out["Location"] == reverse("account_login")


@pytest.mark.django_db
def test_statutory_officer_sets_up_totp_then_needs_a_code_to_sign_in(
    monitoring_officer_account,
):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = Client()
        sign_in(client, "monitoring.officer")
        assert client.get(HOME)["Location"] == MFA_REQUIRED

        # allauth asks for the password again before changing how the account signs in.
        asked = client.get(reverse("mfa_activate_totp"))
        assert asked["Location"].startswith(reverse("account_reauthenticate"))
        confirm = client.get(asked["Location"])
        assert b"Confirm it is you" in confirm.content
        confirmed = client.post(
            asked["Location"], {"password": PASSWORD, "next": reverse("mfa_activate_totp")}
        )
        assert confirmed["Location"] == reverse("mfa_activate_totp")
        form_page = client.get(reverse("mfa_activate_totp"))
        assert form_page.status_code == 200
        assert b"Set up your authenticator app" in form_page.content
        secret = form_page.context["form"].secret
        activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
        assert activated["Location"] == reverse("mfa_view_recovery_codes")
        codes = client.get(activated["Location"])
        assert b"Your recovery codes" in codes.content
        assert codes.content.count(b'class="accord-code"') == 10
        assert Authenticator.objects.filter(
            user=monitoring_officer_account, type=Authenticator.Type.TOTP
        ).exists()
        assert client.get(HOME).status_code == 200
        client.post(reverse("account_logout"))

        traveller.shift(dt.timedelta(minutes=1))
        again = Client()
        challenged = sign_in(again, "monitoring.officer")
        assert challenged["Location"] == reverse("mfa_authenticate")
        assert again.get(HOME).status_code == 302
        done = again.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert done.status_code == 302
        assert again.get(HOME).status_code == 200

    methods = [
        event.data["methods"]
        for event in AuditEvent.objects.filter(verb="account.signed_in").order_by("seq")
    ]
    assert methods == [["password"], ["password", "mfa"]]


@pytest.mark.django_db
def test_a_wrong_security_code_does_not_sign_in(monitoring_officer_account):
    give_totp(monitoring_officer_account)
    client = Client()
    sign_in(client, "monitoring.officer")

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert client.get(HOME).status_code == 302
    assert not AuditEvent.objects.filter(verb="account.signed_in").exists()
