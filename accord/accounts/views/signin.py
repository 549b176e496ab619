from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access import policy
from accord.accounts.selectors import has_totp, requires_mfa


@policy.signed_in
def mfa_required(request: HttpRequest) -> HttpResponse:
    """Why two-factor sign-in is needed before going further, and the way to set it up."""
    context = {"required": requires_mfa(request.user), "has_totp": has_totp(request.user)}
    return render(request, "accounts/mfa_required.html", context)


@policy.signed_in
def managed_in_directory(request: HttpRequest) -> HttpResponse:
    """Email addresses come from the council directory, so allauth's own page for adding and
    changing them is not offered: it answers as a page that does not exist."""
    raise Http404
