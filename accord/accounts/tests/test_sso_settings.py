from __future__ import annotations

import pytest
from allauth.core import context
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.microsoft.views import MicrosoftGraphOAuth2Adapter
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from accord.settings import _social_providers

TENANT = "0b9f2d1e-0000-4000-8000-00000000c0de"


def test_no_sso_provider_without_configuration(monkeypatch):
    for name in ("ACCORD_ENTRA_CLIENT_ID", "ACCORD_OIDC_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    assert _social_providers() == {}


@pytest.mark.parametrize("tenant", ["", "common", "organizations", "consumers"])
def test_entra_refuses_a_tenant_that_is_not_the_councils_own(monkeypatch, tenant):
    monkeypatch.setenv("ACCORD_ENTRA_CLIENT_ID", "client")
    monkeypatch.setenv("ACCORD_ENTRA_TENANT", tenant)
    with pytest.raises(ImproperlyConfigured):
        _social_providers()


@pytest.mark.django_db
def test_entra_signs_in_against_the_councils_tenant_and_trusts_its_addresses(monkeypatch):
    monkeypatch.setenv("ACCORD_ENTRA_CLIENT_ID", "client")
    monkeypatch.setenv("ACCORD_ENTRA_CLIENT_SECRET", "secret")
    monkeypatch.setenv("ACCORD_ENTRA_TENANT", TENANT)
    request = RequestFactory().get("/")
    providers = _social_providers()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers), context.request_context(request):
        adapter = MicrosoftGraphOAuth2Adapter(request)
        provider = get_adapter().get_provider(request, "microsoft")
        assert adapter.authorize_url == (
            f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize"
        )
        assert provider.app.client_id == "client"
        assert get_adapter().is_email_verified(provider, "someone@council.example")


@pytest.mark.django_db
def test_oidc_trusts_only_the_listed_email_domains(monkeypatch):
    monkeypatch.setenv("ACCORD_OIDC_CLIENT_ID", "client")
    monkeypatch.setenv("ACCORD_OIDC_SERVER_URL", "https://login.council.example")
    monkeypatch.setenv("ACCORD_OIDC_TRUSTED_EMAIL_DOMAINS", "council.example")
    request = RequestFactory().get("/")
    providers = _social_providers()
    with override_settings(SOCIALACCOUNT_PROVIDERS=providers), context.request_context(request):
        provider = get_adapter().get_provider(request, "council-sso")
        assert provider.server_url == (
            "https://login.council.example/.well-known/openid-configuration"
        )
        assert get_adapter().is_email_verified(provider, "a@COUNCIL.example")
        assert not get_adapter().is_email_verified(provider, "a@elsewhere.example")
