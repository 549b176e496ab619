"""allauth hooks: no self-registration, audited sign-in and sign-out, SSO only for known people."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.http import Http404, HttpRequest
from django.shortcuts import render

from accord.accounts import services
from accord.accounts.selectors import account_for_sso_emails
from accord.accounts.session_timeout import mark_session_started


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: object) -> bool:
        # Accounts are made from the directory, never by self-registration.
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        # Called once every stage (password, two-factor, SSO) has passed.
        super().login(request, user)
        mark_session_started(request)
        records = get_authentication_records(request, user)
        methods = [str(entry.get("method")) for entry in records if entry.get("method")]
        provider = next((entry.get("provider") for entry in records if entry.get("provider")), None)
        services.sign_in_record(user=user, methods=methods, provider=provider)

    def logout(self, request: HttpRequest) -> None:
        user = request.user
        if user.is_authenticated:
            services.sign_out_record(user=user, reason="signed_out")
        super().logout(request)

    def set_password(self, user: Any, password: str) -> None:
        # Password change and reset forms have already applied the same validators.
        services.account_set_password(actor=user, user=user, password=password)


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def get_app(self, request: HttpRequest, provider: Any, client_id: str | None = None) -> Any:
        """The provider's configuration; a provider the deployment has not configured
        (docs/sign-in.md) has no pages: 404, as allauth itself answers for OpenID Connect."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("Single sign-on is not set up for this provider.") from None

    def is_open_for_signup(self, request: object, sociallogin: object) -> bool:
        return False

    def is_auto_signup_allowed(self, request: object, sociallogin: object) -> bool:
        return False

    def authenticate_by_email(self, sociallogin: Any) -> None:
        # allauth's own email matching would also wipe the local password; matching to the
        # directory is done in pre_social_login instead.
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Sign in only the existing account of the directory person the identity belongs to."""
        if sociallogin.is_existing:
            return
        if request.user.is_authenticated:
            # Connecting an identity from an already signed-in account: allauth checks that.
            return
        trusted = [address.email for address in sociallogin.email_addresses if address.verified]
        user = account_for_sso_emails(trusted)
        provider = str(sociallogin.account.provider)
        if user is None:
            services.sso_refused_record(provider=provider)
            raise ImmediateHttpResponse(render(request, "accounts/sso_no_account.html", status=403))
        services.account_link_sso(request=request, user=user, sociallogin=sociallogin)
