"""The protocol's rules as the council's profile encodes them: public to anyone signed in.

Thin: `accord.profiles.selectors.presentation` turns a stored profile version into rules with their
explanations and citations; these views only render them.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access import policy
from accord.core import clock
from accord.profiles.selectors import presentation, profile_version_get


@policy.signed_in
def rules(request: HttpRequest) -> HttpResponse:
    return render(
        request, "profiles/index.html", {"rules": presentation.council_rules(on=clock.today())}
    )


@policy.signed_in
def rules_version(request: HttpRequest, profile_id: str, version: int) -> HttpResponse:
    stored = profile_version_get(profile_id, version)
    return render(
        request,
        "profiles/version.html",
        {"rules": presentation.profile_rules(stored), "stored": stored},
    )
