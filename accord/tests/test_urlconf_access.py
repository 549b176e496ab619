"""Every URL declares who may reach it, and anonymous requests cannot get past sign-in."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accord.access.policy import declared_access

# Converter name -> a value that satisfies it, so each route can be requested.
SAMPLE_VALUES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


@dataclass(frozen=True)
class Route:
    path: str
    callback: Callable[..., Any]
    name: str
    has_parameters: bool


def _concrete(route: str) -> str:
    # Regex routes (re_path): named groups become a sample value, anchors and escapes go.
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route).replace("^", "").replace("$", "")
    route = re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "x"), route
    )
    return route.replace("\\", "")


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            concrete = "/" + _concrete(route)
            yield Route(concrete, pattern.callback, pattern.name or "", concrete != "/" + route)


ROUTES = list(_walk(get_resolver()))


def test_the_urlconf_has_routes_to_check():
    assert len(ROUTES) > 10


@pytest.mark.parametrize("route", ROUTES, ids=[r.path for r in ROUTES])
def test_every_view_declares_who_may_reach_it(route: Route):
    assert declared_access(route.callback) is not None, (
        f"{route.path} ({route.name or route.callback}) declares no access policy: decorate it "
        "with accord.access.policy.public / signed_in / allowed_by(<policy>)"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if declared_access(r.callback) != "public"],
    ids=lambda r: r.path,
)
def test_anonymous_requests_get_sign_in_or_401(client, route: Route):
    response = client.get(route.path)
    if route.path.startswith("/api/"):
        assert response.status_code in {401, 404, 405}, response.status_code
        if response.status_code == 401:
            body = response.json()
            assert set(body) >= {"detail", "errors"}
    else:
        assert response.status_code in {302, 404, 405}, (route.path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse(settings.LOGIN_URL))
