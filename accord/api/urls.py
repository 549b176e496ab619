"""The API's URLs, marked for the site's access rules.

Ninja generates its own view functions, so they are marked here rather than decorated: none of
them uses the session sign-in (LoginRequiredMiddleware must let them through), each operation
demands a bearer token instead, and the OpenAPI description is public. A route that takes a body
larger than the usual limit (the protocol import's file) is marked with its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from accord.access.policy import ACCESS_ATTR
from accord.api.errors import NOT_FOUND, error_response
from accord.api.main import BODY_LIMITS, api
from accord.core.limits import accepts_body

API_TOKEN_ACCESS = "api-token"  # noqa: S105 - a policy name, not a secret
PUBLIC_NAMES = frozenset({"openapi-json", "api-root"})


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown API paths answer in the API's error shape, not with the site's HTML page."""
    return error_response(404, NOT_FOUND)


def _mark(patterns: Iterable[URLPattern | URLResolver]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _mark(pattern.url_patterns)
            continue
        if pattern.name == "api-root":
            # Ninja's root view raises Http404 outside its own error handling.
            pattern.callback = not_found
        view = login_not_required(pattern.callback)
        setattr(view, ACCESS_ATTR, "public" if pattern.name in PUBLIC_NAMES else API_TOKEN_ACCESS)
        if pattern.name in BODY_LIMITS:
            accepts_body(BODY_LIMITS[pattern.name])(view)


_api_patterns, _app_name, _namespace = api.urls
_mark(_api_patterns)
setattr(not_found, ACCESS_ATTR, "public")

urlpatterns = [
    path("", (_api_patterns, _app_name, _namespace)),
    re_path(r"^.*$", login_not_required(not_found), name="api-not-found"),
]
