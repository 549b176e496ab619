from __future__ import annotations

from typing import Any

import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory, override_settings

from accord.accounts.models import User
from accord.audit.models import AuditEvent

OIDC = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "council-sso",
                "name": "Council single sign-on",
                "client_id": "client",
                "secret": "secret",
                "settings": {
                    "server_url": "https://login.council.example",
                    "verified_email": False,
                },
            }
        ]
    }
}


def _request() -> Any:
    request = RequestFactory().get("/accounts/oidc/council-sso/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)  # type: ignore[arg-type]
    request.session.save()
    request.user = AnonymousUser()
    setattr(request, "_messages", FallbackStorage(request))  # noqa: B010
    return request


def _sso(email: str, *, verified: bool = True, sub: str = "idp-123") -> tuple[Any, Any]:
    """Complete a single sign-on as if the provider had vouched for these claims."""
    request = _request()
    with context.request_context(request):
        provider = get_adapter().get_provider(request, "council-sso")
        claims = {"sub": sub, "email": email, "email_verified": verified}
        sociallogin = provider.sociallogin_from_response(request, {"userinfo": claims})
        sociallogin.state = {"process": "login"}
        response = complete_social_login(request, sociallogin)
    return request, response


@pytest.mark.django_db
@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_sso_for_someone_without_an_account_is_refused_and_creates_nothing(make_officer):
    make_officer(email="no.account@council.example")
    users_before = User.objects.count()

    request, response = _sso("no.account@council.example")

    assert response.status_code == 403
    assert b"There is no Accord account for you" in response.content
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()
    assert SESSION_KEY not in request.session
    assert AuditEvent.objects.get(verb="account.sso_refused").data == {"provider": "council-sso"}


@pytest.mark.django_db
@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_sso_for_an_unknown_address_is_refused(officer_account):
    _, response = _sso("stranger@elsewhere.example")
    assert response.status_code == 403
    assert User.objects.count() == 1


@pytest.mark.django_db
@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_sso_signs_in_the_account_of_the_matching_directory_person(officer_account):
    request, response = _sso(officer_account.email.upper())

    assert response.status_code == 302
    assert request.session[SESSION_KEY] == str(officer_account.pk)
    link = SocialAccount.objects.get()
    assert (link.user_id, link.provider, link.uid) == (officer_account.pk, "council-sso", "idp-123")
    assert AuditEvent.objects.filter(verb="account.sso_linked", target_id=str(officer_account.pk))
    signed_in = AuditEvent.objects.get(verb="account.signed_in")
    assert signed_in.data == {"methods": ["socialaccount"], "provider": "council-sso"}
    officer_account.refresh_from_db()
    assert officer_account.has_usable_password()


@pytest.mark.django_db
@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_sso_with_an_unverified_address_is_refused(officer_account):
    _, response = _sso(officer_account.email, verified=False)
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_sso_for_a_disabled_account_does_not_sign_in(officer_account):
    officer_account.is_active = False
    officer_account.save()
    request, response = _sso(officer_account.email)
    assert SESSION_KEY not in request.session
    assert response.status_code == 403


@pytest.mark.django_db
@override_settings(SOCIALACCOUNT_PROVIDERS=OIDC)
def test_a_linked_identity_signs_in_again_after_the_email_changes(officer_account):
    _sso(officer_account.email)
    request, response = _sso("renamed@council.example")
    assert response.status_code == 302
    assert request.session[SESSION_KEY] == str(officer_account.pk)
