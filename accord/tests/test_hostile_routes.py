"""Every web page and API route, called by a signed-in account with hostile values, answers
without a server error.

The routes are found, not listed: the web's from Django's URL resolver (the site's own pages and
the sign-in pages it takes from allauth), the API's from its own description, `openapi.json`
(and every API route in the resolver must be one it describes). Each is called, on the demo
council, as an officer and, outside `make test`'s quick run, as the Monitoring Officer and
Democratic Services on the routes that are theirs (the audit trail, the registers, the
directory's administration), with:

- each path parameter set to a hostile value: an integer of 2^63, -1, "1" followed by NUL, and
  forty words, each sent as GET and as POST;
- the route's real path (real ids) with every query parameter it could read set to each
  hostile value: the API's from its description, the web's from the names its page's forms
  use and the few it reads directly;
- a POST (the API: each operation's own method, with a JSON body whose every field is the
  hostile value) with every field the page's forms hold set to each hostile value;
- a body of 3 MB on every method that takes one: 413, unless the route takes a file larger
  than that.

Every answer must be below 500. Each request runs in a savepoint rolled back after it, so the
sign-in is fresh and nothing written reaches the next request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accord.accounts.models import User
from accord.api.main import api
from accord.audit.models import AuditEvent
from accord.core import limits
from accord.core.limits import body_limit_of
from accord.core.testing import properties
from accord.directory.models import (
    Committee,
    Division,
    Person,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)
from accord.library.models import ProtocolParagraph, ProtocolReview, ProtocolVersion
from accord.procedures.models import Case
from accord.profiles.models import ProfileVersion
from accord.registers.models import DeclaredRelationship
from bench.measure import Visitors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.hostile,
    pytest.mark.usefixtures("demo_council", "fake_gateway"),
]

# Every route as an officer; as the Monitoring Officer and Democratic Services, the routes that
# answer an officer 404 because they are theirs (not in `make test`'s quick run, for time: the
# limits those routes share are tested on them in accord/*/tests/test_input_limits.py).
ROLES = (
    ("officer",)
    if properties() == "quick"
    else ("officer", "monitoring-officer", "democratic-services")
)
AREAS = {
    "monitoring-officer": ("/audit/", "/concerns/", "/registers/", "/protocols/"),
    "democratic-services": ("/directory/manage/", "/accounts-admin/", "/directory/", "/accounts"),
}
HOSTILE = {
    "2^63": str(2**63),
    "-1": "-1",
    "NUL": "1\x00",
    "40 words": " ".join(["word"] * 40),
}
BIG_BODY = 3 * 1024 * 1024
# Read from the query string outside any form.
QUERY_NAMES = ("page", "person", "committee", "document", "old", "new", "watch", "next")
# Routes whose use ends the session the walk runs in.
SKIPPED = frozenset({"account_logout"})


@dataclass(frozen=True)
class Route:
    """One route: `path` with `{name}` where each parameter goes."""

    label: str
    path: str
    params: tuple[str, ...]
    view: Callable[..., Any] | None = None
    operation: dict[str, Any] | None = None  # an API operation's description
    method: str = ""

    def at(self, values: dict[str, str]) -> str:
        return self.path.format(**{n: quote(values[n], safe="") for n in self.params})


# --- the routes ---------------------------------------------------------------------------------

_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _template(route: str) -> tuple[str, tuple[str, ...]]:
    names: list[str] = []

    def named(match: re.Match[str]) -> str:
        names.append(match.group(1) or match.group(2))
        return "{" + names[-1] + "}"

    path = _PARAMETER.sub(named, route).replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path, tuple(names)


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def web_routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route, pattern in _patterns(get_resolver()):
        if route.startswith("api/") or pattern.name in SKIPPED:
            continue
        path, params = _template(route)
        seen.setdefault(path, Route(pattern.name or path, path, params, pattern.callback))
    return list(seen.values())


def _openapi() -> dict[str, Any]:
    return dict(json.loads(json.dumps(api.get_openapi_schema())))


OPENAPI = _openapi()


def api_routes() -> list[Route]:
    routes = []
    for path, operations in OPENAPI["paths"].items():
        for method, operation in operations.items():
            params = tuple(re.findall(r"{(\w+)}", path))
            routes.append(
                Route(f"{method.upper()} {path}", path, params, operation=operation, method=method)
            )
    return routes


WEB = web_routes()
API = api_routes()


def test_the_walk_finds_every_route() -> None:
    described = {re.sub(r"{\w+}", "{}", r.path) for r in API}
    in_resolver = {
        re.sub(r"<\w+>", "{}", "/" + route)
        for route, pattern in _patterns(get_resolver())
        if route.startswith("api/v1/") and pattern.name not in {"api-root", "api-not-found"}
    }
    assert in_resolver - {"/api/v1/openapi.json"} == described
    assert len(WEB) > 80
    assert len(API) > 70


# --- real values, so that hostile queries and bodies reach the views ---------------------------


def _first(rows: Any) -> str:
    value = rows.order_by("pk").values_list("pk", flat=True).first()
    return str(value if value is not None else 1)


def real_values(route: Route) -> dict[str, str]:
    version = ProtocolVersion.objects.order_by("pk").select_related("document").first()
    assert version is not None
    profile = ProfileVersion.objects.order_by("-version").first()
    assert profile is not None
    if route.path.startswith("/concerns/") or route.path.startswith("/api/v1/concerns/"):
        case = Case.objects.filter(concern__isnull=False).order_by("pk").first()
    else:
        case = Case.objects.order_by("pk").first()
    review = ProtocolReview.objects.order_by("pk").first()
    paragraph = ProtocolParagraph.objects.filter(version=version).order_by("pk").first()
    people = _first(Person.objects.filter(is_active=True, kind="member"))
    values = {
        "person_id": people,
        "group_id": _first(PoliticalGroup.objects.all()),
        "division_id": _first(Division.objects.all()),
        "committee_id": _first(Committee.objects.all()),
        "appointment_id": _first(RoleAppointment.objects.all()),
        "designation_id": _first(StatutoryDesignation.objects.all()),
        "relationship_id": _first(DeclaredRelationship.objects.all()),
        "seq": str(AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()),
        "user_id": "1",
        "profile_id": profile.profile_id,
        "version": str(profile.version),
        "key": version.document.key,
        "label": version.label,
        "anchor": paragraph.anchor if paragraph else "x",
        "public_id": str(case.public_id if case else "00000000-0000-0000-0000-000000000000"),
        "review_id": str(review.public_id if review else "00000000-0000-0000-0000-000000000000"),
    }
    if route.path.startswith("/protocols/reviews/"):
        values["public_id"] = values["review_id"]
    return {name: values.get(name, "x") for name in route.params}


# --- asking -------------------------------------------------------------------------------------


@dataclass
class Walk:
    client: Client
    sign_in: Callable[[], None]
    headers: dict[str, str]
    faults: list[str]

    def send(self, method: str, path: str, **kwargs: Any) -> Any:
        """One request in a savepoint rolled back after it; a fault if it answers 5xx."""
        with transaction.atomic():
            self.sign_in()
            try:
                response = getattr(self.client, method.lower())(
                    path, headers=self.headers, **kwargs
                )
            except Exception as error:  # an exception Django did not turn into an answer
                self.faults.append(f"{method} {path!r}: raised {error!r}"[:400])
                response = None
            transaction.set_rollback(True)
        if response is not None and response.status_code >= 500:
            self.faults.append(f"{method} {path!r}: {response.status_code}"[:400])
        return response


def _cases(routes: list[Route]) -> list[Any]:
    return [
        pytest.param(role, route, id=f"{role}-{route.label}")
        for role in ROLES
        for route in routes
        if role not in AREAS
        or any(route.path.removeprefix("/api/v1").startswith(area) for area in AREAS[role])
    ]


def _web_walk(role: str, visitors: Visitors) -> Walk:
    client = visitors.client(role)  # with two-factor set up, where the role needs it
    client.raise_request_exception = True
    user = User.objects.get(username=role)
    return Walk(client, lambda: client.force_login(user), {}, [])


def _api_walk(role: str, visitors: Visitors) -> Walk:
    token = visitors.token(role)
    client = Client(raise_request_exception=True)
    return Walk(client, lambda: None, {"Authorization": f"Bearer {token}"}, [])


_FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def _field_names(walk: Walk, path: str) -> list[str]:
    """The names of the fields the page's forms hold (its GET answer, read as HTML)."""
    response = walk.send("GET", path)
    if response is None or "html" not in response.get("Content-Type", ""):
        return []
    names = set(_FIELD.findall(response.content.decode("utf-8", "replace")))
    return sorted(names - {"csrfmiddlewaretoken"})


# --- the web ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "route"), _cases(WEB))
def test_no_web_route_fails_on_hostile_input(role: str, route: Route) -> None:
    walk = _web_walk(role, Visitors())
    for value in HOSTILE.values():
        if route.params:
            hostile_path = route.at(dict.fromkeys(route.params, value))
            walk.send("GET", hostile_path)
            walk.send("POST", hostile_path, data={})
    path = route.at(real_values(route))
    fields = _field_names(walk, path)
    for value in HOSTILE.values():
        walk.send("GET", f"{path}?{urlencode(dict.fromkeys([*fields, *QUERY_NAMES], value))}")
        walk.send("POST", path, data=dict.fromkeys(fields or ["x"], value))
    response = walk.send(
        "POST",
        path,
        data=b"x=" + b"x" * BIG_BODY,
        content_type="application/x-www-form-urlencoded",
    )
    if response is not None and body_limit_of(route.view or _nothing).max_bytes < BIG_BODY:
        assert response.status_code == 413, (path, response.status_code)
    assert walk.faults == []


def _nothing() -> None:  # pragma: no cover - a view without a body limit of its own
    return None


# --- the API ------------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in spec:
        spec = schema["components"]["schemas"][spec["$ref"].rsplit("/", 1)[-1]]
    return spec


def _hostile_for(spec: dict[str, Any], value: str) -> Any:
    """`value` as a field described by `spec` would be sent: a number where it takes one."""
    kinds = {spec.get("type")} | {s.get("type") for s in spec.get("anyOf", [])}
    if kinds & {"integer", "number"} and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    if "array" in kinds:
        return [_hostile_for(spec.get("items", {}), value)]
    if "object" in kinds and not spec.get("properties"):
        return {"reason": value, value: value}
    return value


def _body(schema: dict[str, Any], operation: dict[str, Any], value: str) -> str | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    spec = _resolve(schema, content["application/json"]["schema"])
    properties = {
        name: _resolve(schema, field) for name, field in spec.get("properties", {}).items()
    }
    return json.dumps({name: _hostile_for(field, value) for name, field in properties.items()})


@pytest.mark.parametrize(("role", "route"), _cases(API))
def test_no_api_route_fails_on_hostile_input(role: str, route: Route) -> None:
    walk = _api_walk(role, Visitors())
    schema = OPENAPI
    assert route.operation is not None
    queries = [p["name"] for p in route.operation.get("parameters", []) if p["in"] == "query"]
    for value in HOSTILE.values():
        if route.params:
            walk.send(route.method, route.at(dict.fromkeys(route.params, value)))
        path = route.at(real_values(route))
        query = f"?{urlencode(dict.fromkeys(queries, value))}" if queries else ""
        body = _body(schema, route.operation, value)
        sent = {"data": body, "content_type": "application/json"} if body else {}
        walk.send(route.method, path + query, **sent)
    if route.method not in {"get", "head"}:
        path = route.at(real_values(route))
        big = json.dumps({"x": "x" * BIG_BODY})
        response = walk.send(route.method, path, data=big, content_type="application/json")
        assert response is not None
        if not route.operation.get("operationId", "").endswith("protocol_import"):
            assert response.status_code == 413, response.status_code
            assert f"{limits.MAX_BODY_BYTES:,} bytes" in response.json()["detail"]
    assert walk.faults == []
