"""The limits on what the API takes (docs/api.md, "Limits on input"): a body too large is a 413
naming the limit, an integer beyond 0 to 2^31-1 or not written in digits a 422, a search of
too many words a 422, and text holding a control character a 422, each naming the field; a
protocol file up to the documented 10 MB is taken, one over it is a 413."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from accord.accounts.models import User
from accord.api.services import token_create
from accord.audit.models import AuditEvent
from accord.concerns.models import Concern
from accord.concerns.tests.helpers import account, person
from accord.library.parsing.limits import MAX_FILE_BYTES
from accord.library.tests.hostile import word_file_of_size

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_council", "fake_gateway", "fast_passwords"),
]

TOO_LARGE = "the limit is 2.5 MB (2,621,440 bytes)"
NUL_REFUSED = "Contains the control character U+0000 (NUL), which cannot be used."


class Api:
    def __init__(self, username: str) -> None:
        user: User = account(username)
        self.token = token_create(actor=None, user=user, name="tests")[1]
        self.client = Client()

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers())

    def post(self, path: str, body: str | dict[str, Any]) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(path, data, content_type="application/json", headers=self.headers())


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def _padded(body: dict[str, Any], size: int) -> str:
    """`body` as JSON of exactly `size` bytes, by a field the endpoint ignores."""
    text = json.dumps({**body, "padding": ""})
    return text.replace('"padding": ""', '"padding": "' + "x" * (size - len(text)) + '"')


# --- bodies -------------------------------------------------------------------------------------


def test_a_body_one_byte_over_the_limit_is_413_naming_the_limit():
    api = Api("officer")
    declaration = {"other_id": person("member").pk, "nature": "family"}

    over = api.post("/api/v1/registers/relationships", _padded(declaration, 2_621_441))
    at_the_limit = api.post("/api/v1/registers/relationships", _padded(declaration, 2_621_440))

    assert over.status_code == 413
    assert over.json() == {
        "detail": f"The request is 2,621,441 bytes; {TOO_LARGE}.",
        "errors": [],
    }
    assert at_the_limit.status_code == 201


def test_every_operation_that_may_take_a_body_documents_the_413(anonymous):
    description = anonymous.get("/api/v1/openapi.json").json()
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            if method != "get":
                assert "413" in operation["responses"], (method, path)


def _import(api: Api, data: bytes, **fields: Any) -> Any:
    body = {
        "document": "member-officer-protocol",
        "version": "2027 draft",
        "file_name": "protocol.docx",
        "content_base64": base64.b64encode(data).decode(),
        "dry_run": True,
        **fields,
    }
    return api.post("/api/v1/protocols/import", body)


def test_a_protocol_file_just_under_the_documented_10_mb_is_imported():
    response = _import(Api("democratic-services"), word_file_of_size(MAX_FILE_BYTES - 1))

    assert response.status_code == 200, response.content[:300]
    assert response.json()["saved"] is False
    assert len(response.json()["parsed"]["paragraphs"]) == 3


def test_a_protocol_file_just_over_10_mb_is_413_naming_the_limit():
    response = _import(Api("democratic-services"), word_file_of_size(MAX_FILE_BYTES + 1))

    message = "The file is 10,485,761 bytes; the limit is 10 MB (10,485,760 bytes)."
    assert response.status_code == 413
    assert response.json() == {"detail": message, "errors": [{"field": "file", "message": message}]}


def test_an_import_body_past_what_a_10_mb_file_needs_is_413_naming_that_limit():
    response = _import(Api("democratic-services"), b"x" * (MAX_FILE_BYTES + 100_000))

    assert response.status_code == 413
    assert (
        "the limit for importing a protocol (a file of up to 10 MB, base64-encoded) is"
        in (response.json()["detail"])
    )


def test_a_query_string_of_too_many_fields_is_400_not_a_server_error():
    query = "&".join(["x=1"] * 1_001)

    response = Api("officer").client.get(
        f"/api/v1/directory/people?{query}", headers=Api("officer").headers()
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request is not valid.", "errors": []}


# --- integers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/cases?offset=9223372036854775808", "offset"),
        ("/api/v1/protocol-reviews?offset=9223372036854775808", "offset"),
        ("/api/v1/directory/people?offset=2147483648", "offset"),
        ("/api/v1/directory/people?limit=9223372036854775808", "limit"),
        ("/api/v1/directory/people?group=9223372036854775808", "group"),
        ("/api/v1/registers/relationships?person_id=9223372036854775808", "person_id"),
        ("/api/v1/directory/people/9223372036854775808", "person_id"),
        ("/api/v1/directory/people/-1", "person_id"),
        ("/api/v1/audit/events/99999999999999999999999999", "seq"),
        ("/api/v1/rules/leicestershire/versions/9223372036854775808", "version"),
    ],
)
def test_an_integer_beyond_0_to_2_31_minus_1_is_422_naming_it(path, field):
    response = Api("monitoring-officer").client.get(
        path, headers=Api("monitoring-officer").headers()
    )

    assert response.status_code == 422, response.content
    assert _fields(response) == [field]


@pytest.mark.parametrize("written", [" 6", "6 ", "6\r", "+6", "6_0", "6.0", "٦", "0x6", ""])
def test_an_integer_must_be_written_in_digits_alone(written):
    response = Api("officer").get("/api/v1/directory/people", offset=written)

    assert response.status_code == 422, response.content
    assert _fields(response) == ["offset"]


def test_the_largest_id_is_read_and_is_simply_missing():
    response = Api("officer").get("/api/v1/directory/people/2147483647")

    assert response.status_code == 404


@pytest.mark.parametrize("field", ["other_id", "person_id"])
def test_an_id_in_a_body_beyond_2_31_minus_1_is_422_naming_it(field):
    body = {"other_id": person("member").pk, "nature": "family", field: 2**63}

    response = Api("monitoring-officer").post("/api/v1/registers/relationships", body)

    assert response.status_code == 422
    assert _fields(response) == [field]


def test_every_integer_the_api_takes_is_described_as_0_to_2_31_minus_1(anonymous):
    description = anonymous.get("/api/v1/openapi.json").json()
    schemas = description["components"]["schemas"]
    found: list[tuple[str, dict[str, Any]]] = []

    def integers(where: str, spec: dict[str, Any]) -> None:
        if "$ref" in spec:
            spec = schemas[spec["$ref"].rsplit("/", 1)[-1]]
        for option in spec.get("anyOf", []):
            integers(where, option)
        if spec.get("type") == "integer":
            found.append((where, spec))
        if spec.get("type") == "array":
            integers(where, spec.get("items", {}))
        for name, field in spec.get("properties", {}).items():
            integers(f"{where}.{name}", field)

    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                integers(f"{method} {path} {parameter['name']}", parameter["schema"])
            for content in operation.get("requestBody", {}).get("content", {}).values():
                integers(f"{method} {path} body", content["schema"])

    assert len(found) > 20
    assert [
        where
        for where, spec in found
        if spec.get("minimum", -1) < 0 or spec.get("maximum", 2**63) > 2**31 - 1
    ] == []


# --- searches -----------------------------------------------------------------------------------

ELEVEN_WORDS = " ".join(["north"] * 11)
TEN_WORDS = " ".join(["north"] * 10)


@pytest.mark.parametrize(
    ("username", "path", "field"),
    [
        ("officer", "/api/v1/directory/people", "q"),
        ("officer", "/api/v1/protocols/search", "q"),
        ("democratic-services", "/api/v1/accounts", "q"),
        ("monitoring-officer", "/api/v1/concerns/register", "q"),
        ("monitoring-officer", "/api/v1/audit/events", "actor"),
        ("monitoring-officer", "/api/v1/audit/events", "verb"),
    ],
)
def test_a_search_of_more_than_ten_words_is_422_naming_it(username, path, field):
    api = Api(username)

    refused = api.get(path, **{field: ELEVEN_WORDS})
    taken = api.get(path, **{field: TEN_WORDS})

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": field, "message": "Search for at most 10 words; this has 11."}
    ]
    assert taken.status_code == 200


def test_a_directory_search_of_thirty_words_is_refused_not_a_server_error():
    response = Api("officer").get("/api/v1/directory/people", q=" ".join(["ab"] * 30))

    assert response.status_code == 422
    assert _fields(response) == ["q"]


def test_a_question_may_be_a_sentence_of_up_to_thirty_words():
    api = Api("officer")
    sentence = "can I forward an officer's email to a resident who asked me about it " * 2

    assert api.get("/api/v1/protocols/ask", question=sentence.strip()).status_code == 200
    assert api.get("/api/v1/protocols/ask", question=sentence * 2).status_code == 422


# --- characters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["verb", "actor", "target_type", "target_id"])
def test_a_nul_in_an_audit_filter_is_422_naming_it_and_nothing_is_recorded(field):
    api = Api("monitoring-officer")
    before = AuditEvent.objects.count()

    response = api.get("/api/v1/audit/events", **{field: "a\x00b"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": NUL_REFUSED}]
    assert AuditEvent.objects.count() == before


def test_a_nul_in_a_concerns_text_is_422_naming_it_and_nothing_is_stored():
    api = Api("officer")
    before = Concern.objects.count()
    body = {
        "direction": "officer_about_member",
        "subject_id": person("member").pk,
        "what_happened": "Shouted at me.\x00",
        "tried_direct": False,
        "first_contact": "monitoring_officer",
    }

    response = api.post("/api/v1/concerns", body)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "what_happened", "message": NUL_REFUSED}]
    assert Concern.objects.count() == before


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f", "\x85", "\ud800"])
def test_other_control_characters_in_a_body_are_refused_too(character):
    body = {"other_id": person("member").pk, "nature": "family", "description": character}

    response = Api("officer").post("/api/v1/registers/relationships", json.dumps(body))

    assert response.status_code == 422
    assert _fields(response) == ["description"]


def test_line_breaks_and_tabs_are_text_in_a_body_but_not_in_a_query():
    api = Api("officer")
    body = {
        "other_id": person("member").pk,
        "nature": "family",
        "description": "Married.\r\nSince\t2010.",
    }

    assert api.post("/api/v1/registers/relationships", body).status_code == 201
    refused = api.get("/api/v1/directory/people", q="north\tfield")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "q", "message": "Must be on one line: it contains a tab (U+0009)."}
    ]


def test_a_control_character_in_a_record_key_or_a_path_is_422_naming_where():
    api = Api("monitoring-officer")

    in_path = api.get("/api/v1/protocols/member-officer-protocol/versions/20%0025")
    case = api.get("/api/v1/cases").json()["items"][0]["id"]
    in_key = api.post(f"/api/v1/cases/{case}/transitions", {"to": "x", "records": {"a\x00": ""}})

    assert in_path.status_code == 422
    assert _fields(in_path) == ["label"]
    assert in_key.status_code == 422
    assert _fields(in_key) == ["records"]


def test_without_a_working_token_a_control_character_is_still_401():
    response = Client().get("/api/v1/audit/events", {"verb": "a\x00"})

    assert response.status_code == 401
