"""Session timeouts and the two-factor requirement.

Both act only on a request signed in through a session. API requests carrying a bearer token
have no session user, so they pass through untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accord.access.policy import declared_access
from accord.accounts import services
from accord.accounts.selectors import has_totp, requires_mfa
from accord.accounts.session_timeout import expiry_message, expiry_of

_EXPIRED_ATTR = "accord_session_expired"

# Where someone who must set up two-factor may still go: the setup itself (allauth asks for the
# password again before activating), the recovery codes it then shows, and signing out.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "accounts_mfa_required",
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    }
)


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT.

    After signing out the request carries on as anonymous, so `LoginRequiredMiddleware` sends
    the person to sign in (returning them afterwards) and public pages still work. The message is
    added in `process_view`, once `MessageMiddleware` (later in the chain) has set up storage.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            expiry = expiry_of(request.session)
            if expiry is not None:
                services.sign_out_record(user=user, reason=expiry.value)
                logout(request)
                setattr(request, _EXPIRED_ATTR, expiry)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        expiry = getattr(request, _EXPIRED_ATTR, None)
        if expiry is not None:
            messages.info(request, expiry_message(expiry), fail_silently=True)


class MfaRequiredMiddleware:
    """Send a signed-in account that must use two-factor, but has no TOTP yet, to set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or _may_pass(request, view_func):
            return None
        if requires_mfa(user) and not has_totp(user):
            return redirect("accounts_mfa_required")
        return None


def _may_pass(request: HttpRequest, view_func: Callable[..., Any]) -> bool:
    if request.path.startswith(settings.STATIC_URL):
        return True
    match = request.resolver_match
    if match is not None and match.url_name in MFA_SETUP_URL_NAMES:
        return True
    return declared_access(view_func) == "public"
