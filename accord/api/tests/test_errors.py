from __future__ import annotations

import json

import pytest

from accord.api.errors import field_name

PEOPLE = "/api/v1/directory/people"


def test_validation_error_names_each_field(api):
    response = api.get(PEOPLE, limit=0, kind="alien")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid."
    assert {e["field"] for e in body["errors"]} == {"limit", "kind"}
    assert all(e["message"] for e in body["errors"])


def test_path_parameter_of_the_wrong_type_names_the_parameter(api):
    response = api.get(f"{PEOPLE}/not-a-number")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["person_id"]


def test_missing_record_is_404_with_the_error_body(api):
    response = api.get(f"{PEOPLE}/999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_unknown_api_path_is_404_in_the_api_error_shape(anonymous):
    for path in ("/api/v1/", "/api/v1/no/such/thing"):
        response = anonymous.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found.", "errors": []}


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("query", "limit"), "limit"),
        (("path", "person_id"), "person_id"),
        (("body", "payload", "officer_id"), "officer_id"),
        (("body", "payload", "areas", 0), "areas.0"),
        (("body", "payload"), "payload"),
        ((), "__all__"),
    ],
)
def test_pydantic_locations_become_dotted_field_names(loc, expected):
    assert field_name(loc, frozenset({"payload"})) == expected


def test_openapi_description_is_public_json_listing_every_path(anonymous):
    response = anonymous.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.1")
    assert {
        "/api/v1/me",
        "/api/v1/directory/people",
        "/api/v1/directory/people/{person_id}",
        "/api/v1/directory/groups",
        "/api/v1/directory/groups/{group_id}",
        "/api/v1/directory/divisions",
        "/api/v1/directory/divisions/{division_id}",
        "/api/v1/directory/directorates",
        "/api/v1/directory/committees",
        "/api/v1/directory/committees/{committee_id}",
        "/api/v1/directory/statutory-officers",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"


def test_every_api_url_declares_its_access_and_skips_the_session_sign_in():
    from django.urls import URLResolver, get_resolver

    from accord.access.policy import declared_access

    api_resolver = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    assert isinstance(api_resolver, URLResolver)
    seen = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            else:
                seen.append(pattern)
                assert declared_access(pattern.callback) in {"api-token", "public"}, pattern
                assert pattern.callback.login_required is False, pattern

    walk(api_resolver.url_patterns)
    assert [p.name for p in seen if declared_access(p.callback) == "public"] == [
        "openapi-json",
        "api-root",
        "api-not-found",
    ]


@pytest.mark.parametrize("written", ["0", "0.0", "1700000000", "2026-12-01T00:00:00", "1.12.2026"])
def test_a_day_must_be_written_yyyy_mm_dd_not_as_a_number_or_a_time(api, written):
    # Pydantic alone reads `0` as 1 January 1970 and a midnight date-time as its day.
    response = api.get("/api/v1/directory/statutory-officers", on=written)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "on", "message": "Input should be a date written YYYY-MM-DD"}
    ]


def test_a_day_in_a_body_must_be_written_yyyy_mm_dd(api):
    response = api.post(
        "/api/v1/registers/relationships", {"other_id": 1, "nature": "family", "starts_on": 0}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["starts_on"]


def test_a_day_written_yyyy_mm_dd_is_read(api):
    response = api.get("/api/v1/directory/statutory-officers", on="2026-12-01")

    assert response.status_code == 200
    assert response.json()["on"] == "2026-12-01"


def test_no_two_api_shapes_share_a_name():
    # The description names each shape by its class; two classes of one name would make one
    # answer's schema the other's (the rules' versions were described as protocol versions).
    from ninja import Schema

    import accord.api.main  # noqa: F401 - every router and its shapes

    def shapes(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("accord."):
                found.append(sub)
            found.extend(shapes(sub))
        return found

    by_name: dict[str, set[str]] = {}
    for shape in shapes(Schema):
        by_name.setdefault(shape.__name__, set()).add(f"{shape.__module__}.{shape.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


@pytest.mark.parametrize("written", [True, "1", 1.0])
def test_an_id_in_a_body_must_be_a_json_integer_not_true(api, written):
    # Pydantic alone reads `true` as 1 and would declare a relationship with person 1.
    response = api.post(
        "/api/v1/registers/relationships", {"other_id": written, "nature": "family"}
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["other_id"]


def test_a_refusal_no_endpoint_answered_is_the_engines_409_on_the_field_clients_send(rf):
    from accord.api.main import api as accord_api
    from accord.procedures.errors import TransitionNotAllowed
    from accord.profiles.explain import Explanation

    because = Explanation("Only the Monitoring Officer may close it", "7.2", "§7.2", "example", 1)

    response = accord_api.on_exception(
        rf.post("/api/v1/cases/x/transitions"), TransitionNotAllowed(because)
    )

    assert response.status_code == 409
    line = "Only the Monitoring Officer may close it — §7.2"
    assert json.loads(response.content) == {
        "detail": line,
        "errors": [{"field": "to", "message": line}],
    }
