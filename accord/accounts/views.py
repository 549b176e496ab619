from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access import policy
from accord.accounts.selectors import has_totp, requires_mfa


@policy.signed_in
def mfa_required(request: HttpRequest) -> HttpResponse:
    """Why two-factor sign-in is needed before going further, and the way to set it up."""
    context = {"required": requires_mfa(request.user), "has_totp": has_totp(request.user)}
    return render(request, "accounts/mfa_required.html", context)
