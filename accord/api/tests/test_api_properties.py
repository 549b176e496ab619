"""The API against its own description, `/api/v1/openapi.json`, by Schemathesis (docs/api.md).

For every operation the description lists and each of several demo accounts (and a client with
no working token), Hypothesis makes requests that fit the description and requests that break
it, sends them to the Django application in-process, and checks every answer:

- it is not a server error (5xx), and nothing raised an unhandled exception;
- its status is one the description documents for the operation, with the documented content
  type, headers and a body that matches the documented schema;
- a request that breaks the description is refused with a 4xx;
- without a working token it is 401, with the one error body and `WWW-Authenticate: Bearer`;
- a 404 is always the one "Not found." body, so a hidden record answers as a missing one.

Path parameters, and the ids in query strings and bodies, are often taken from the demo
council's own records, so that requests reach real people, cases, protocol versions and
registers rather than only 404s. Each request runs in a savepoint that is rolled back after it:
the tester writes freely and nothing it writes reaches another request or test.

Sizes come from `accord.core.testing.examples` (docs/testing.md). When the module ends it prints
how many requests it made as each account (`pytest -s` or `-rP` shows it).
"""

from __future__ import annotations

import logging
import string
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accord.accounts.models import User
from accord.api.services import token_create
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.core.testing import examples
from accord.directory.models import (
    Committee,
    Directorate,
    Division,
    Person,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)
from accord.library.models import (
    ProtocolDocument,
    ProtocolParagraph,
    ProtocolReview,
    ProtocolVersion,
)
from accord.procedures.models import Case
from accord.profiles.models import ProfileVersion
from accord.profiles.selectors import council_profile_in_force, profile_of
from accord.registers.models import DeclaredRelationship

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]

OPENAPI = "/api/v1/openapi.json"
ANONYMOUS = "anonymous"
# An officer, a councillor, Democratic Services (the directory's administrators), the Monitoring
# Officer (the audit trail, the registers, every concern) and a client with no working token.
ROLES = ("officer", "member", "democratic-services", "monitoring-officer", ANONYMOUS)
NOT_FOUND_BODY = {"detail": "Not found.", "errors": []}
UNAUTHENTICATED_BODY = {
    "detail": "Authentication credentials were not provided or are not valid.",
    "errors": [],
}
# The protocol import parses uploaded files; its limits are proved by its own tests.
LEFT_OUT = frozenset({"POST /api/v1/protocols/import"})
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# --- The application, in-process ---------------------------------------------------------------


@contextmanager
def _connections_kept() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does: the
    real handler closes it when a request finishes, which would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


APP = WSGIHandler()
with _connections_kept():
    SCHEMA = schemathesis.openapi.from_wsgi(OPENAPI, APP)
# Unknown query parameters are ignored, not refused; the token is the test's own.
SCHEMA.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
OPERATIONS = [
    result.ok()
    for result in SCHEMA.get_all_operations()
    if isinstance(result, Ok) and result.ok().label not in LEFT_OUT
]


# --- What was sent, and what came back ---------------------------------------------------------


@dataclass
class Tally:
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)

    def report(self) -> str:
        lines = ["API property test: requests per account"]
        for role in ROLES:
            statuses = sorted((s, n) for (r, s), n in self.statuses.items() if r == role)
            detail = ", ".join(f"{s}: {n}" for s, n in statuses)
            lines.append(f"  {role}: {self.requests[role]} ({detail})")
        return "\n".join(lines)


TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if TALLY.requests:
        print("\n" + TALLY.report())
    TALLY.requests.clear()
    TALLY.statuses.clear()


@contextmanager
def _exceptions_logged() -> Iterator[list[BaseException]]:
    """The exceptions the API and Django log as unhandled while the block runs."""
    raised: list[BaseException] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.exc_info and record.exc_info[1] is not None:
                raised.append(record.exc_info[1])

    handler = Keep(level=logging.ERROR)
    loggers = [logging.getLogger("accord.api"), logging.getLogger("django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield raised
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


# --- The demo council's own records, for requests that reach something ------------------------


@pytest.fixture(scope="module")
def tokens(demo_council: Any, django_db_blocker: Any) -> dict[str, str]:
    """A working token for each demo account the tester signs in as (made inside the demo
    council's transaction, so rolled back with it)."""
    with django_db_blocker.unblock():
        made = {}
        for username in ROLES:
            if username != ANONYMOUS:
                user = User.objects.get(username=username)
                _, made[username] = token_create(actor=None, user=user, name="property tests")
        return made


def _first(values: Any, n: int = 6) -> list[Any]:
    return list(values[:n])


@pytest.fixture(scope="module")
def known(demo_council: Any, django_db_blocker: Any) -> dict[str, list[Any]]:
    """Values of the demo council's records, by the parameter and field names that take them."""
    with django_db_blocker.unblock():
        accounts = User.objects.filter(person__isnull=False).order_by("pk")
        people = sorted(
            {
                *accounts.values_list("person_id", flat=True),
                *_first(Person.objects.filter(kind="member").values_list("pk", flat=True)),
                *_first(Person.objects.filter(kind="officer").values_list("pk", flat=True)),
            }
        )
        groups = list(PoliticalGroup.objects.order_by("pk").values_list("pk", flat=True))
        profile = profile_of(council_profile_in_force(on=clock.today()))
        labels = sorted(set(ProtocolVersion.objects.values_list("label", flat=True)))
        seqs = AuditEvent.objects.order_by("seq").values_list("seq", flat=True)
        values: dict[str, list[Any]] = {
            "person_id": people,
            "other_id": people,
            "subject_id": people,
            "raiser_id": people,
            "leader_person_id": people,
            "group_id": groups,
            "group": groups,
            "group_ids": [groups[:1], groups[:2]],
            "division_id": _first(Division.objects.order_by("pk").values_list("pk", flat=True)),
            "directorate_id": list(Directorate.objects.values_list("pk", flat=True)),
            "committee_id": list(Committee.objects.order_by("pk").values_list("pk", flat=True)),
            "user_id": list(accounts.values_list("pk", flat=True)),
            "seq": [*_first(seqs, 3), *_first(seqs.reverse(), 3)],
            "public_id": [str(p) for p in Case.objects.values_list("public_id", flat=True)],
            "review_id": [
                str(p) for p in ProtocolReview.objects.values_list("public_id", flat=True)
            ],
            "relationship_id": list(DeclaredRelationship.objects.values_list("pk", flat=True)),
            "appointment_id": _first(
                RoleAppointment.objects.order_by("pk").values_list("pk", flat=True)
            ),
            "designation_id": list(StatutoryDesignation.objects.values_list("pk", flat=True)),
            "profile_id": sorted(set(ProfileVersion.objects.values_list("profile_id", flat=True))),
            "version": sorted(set(ProfileVersion.objects.values_list("version", flat=True))),
            "key": list(ProtocolDocument.objects.values_list("key", flat=True)),
            "document": list(ProtocolDocument.objects.values_list("key", flat=True)),
            "label": labels,
            "old": labels,
            "new": labels,
            "draft": labels,
            "anchor": _first(
                ProtocolParagraph.objects.order_by("pk").values_list("anchor", flat=True)
            ),
            "procedure": sorted(profile.procedures),
            "to": sorted({t.to for p in profile.procedures.values() for t in p.transitions}),
        }
        return {name: found for name, found in values.items() if found}


def _with_known_values(case: Any, known: dict[str, list[Any]], data: st.DataObject) -> None:
    """Put the council's own ids into some of a request's parameters and body fields."""
    containers = [case.path_parameters, case.query]
    if isinstance(case.body, dict):
        containers.append(case.body)
    for container in containers:
        for name in sorted(container or {}):
            if name in known and data.draw(st.booleans(), label=f"known {name}"):
                container[name] = data.draw(st.sampled_from(known[name]), label=name)


_STRATEGIES: dict[tuple[str, GenerationMode], Any] = {}


def _cases(operation: Any, mode: GenerationMode) -> Any:
    key = (operation.label, mode)
    if key not in _STRATEGIES:
        _STRATEGIES[key] = operation.as_strategy(generation_mode=mode)
    return _STRATEGIES[key]


# Tokens a client without a working one might send: none, made-up ones, another scheme.
_FAKE_TOKEN = st.text(string.ascii_letters + string.digits + "_-.", max_size=60)
NO_WORKING_TOKEN = st.one_of(
    st.none(),
    _FAKE_TOKEN.map(lambda t: f"Bearer {t}"),
    _FAKE_TOKEN.map(lambda t: f"Bearer acc_{t[:8]}_{t[8:]}"),
    st.just("Basic ZGVtbzpkZW1v"),
)


# Bodies that are not JSON at all, for the operations that take JSON.
MALFORMED = "malformed"
NOT_JSON = st.one_of(
    st.sampled_from([b"{", b'{"to": ', b"[1, 2", b"\xff\xfe{}", b"nul", b"{'a': 1}"]),
    st.binary(max_size=40),
)


def _takes_json(operation: Any) -> bool:
    body = operation.definition.raw.get("requestBody", {})
    return "application/json" in body.get("content", {})


# --- The properties ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    request: str  # as a curl command, with the token left out
    status: int
    answer: str


def _exchange(case: Any, credential: str | None, raw_body: bytes | None, role: str) -> Exchange:
    """Send the request in a savepoint rolled back afterwards and run every check on the
    answer."""
    headers = {"Authorization": credential} if credential else {}
    sent = {"data": raw_body} if raw_body is not None else {}
    with _connections_kept(), _exceptions_logged() as raised, transaction.atomic():
        response = case.call(headers=headers, **sent)
        transaction.set_rollback(True)
    TALLY.requests[role] += 1
    TALLY.statuses[(role, response.status_code)] += 1

    request = case.as_curl_command(headers={"Authorization": "…"} if credential else {})
    if raw_body is not None:
        request += f"  (body replaced by {raw_body!r})"
    exchange = Exchange(request, response.status_code, f"{response.content[:500]!r}")
    assert not raised, f"{exchange}\nraised {raised[0]!r}"
    if raw_body is None:
        case.validate_response(response, checks=CHECKS, headers=headers)
    else:
        # Not JSON at all: refused, in a documented status, with the error body.
        checks = [check for check in CHECKS if check is not negative_data_rejection]
        case.validate_response(response, checks=checks, headers=headers)
        assert 400 <= response.status_code < 500, exchange
    if response.status_code == 404:
        assert response.json() == NOT_FOUND_BODY, exchange
    if response.status_code == 401:
        assert response.json() == UNAUTHENTICATED_BODY, exchange
        assert response.headers["www-authenticate"][0].startswith("Bearer"), exchange
    return exchange


def _draw_request(
    operation: Any, data: st.DataObject, known: dict[str, list[Any]]
) -> tuple[Any, bytes | None]:
    modes: list[Any] = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    if _takes_json(operation):
        modes.append(MALFORMED)
    mode = data.draw(st.sampled_from(modes), label="mode")
    case = data.draw(_cases(operation, mode if mode != MALFORMED else GenerationMode.POSITIVE))
    if mode is GenerationMode.POSITIVE:
        _with_known_values(case, known, data)
    return case, data.draw(NOT_JSON, label="body") if mode == MALFORMED else None


SIGNED_IN = [role for role in ROLES if role != ANONYMOUS]
# Each request is rolled back by hand, so function-scoped fixtures are safe to share.
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@pytest.mark.parametrize("role", SIGNED_IN)
@settings(max_examples=examples(12, quick=2), suppress_health_check=HEALTH)
@given(data=st.data())
def test_every_answer_is_documented_and_none_is_a_server_error(
    role: str,
    operation: Any,
    tokens: dict[str, str],
    known: dict[str, list[Any]],
    data: st.DataObject,
) -> None:
    case, raw_body = _draw_request(operation, data, known)
    _exchange(case, f"Bearer {tokens[role]}", raw_body, role)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@settings(max_examples=examples(6, quick=2), suppress_health_check=HEALTH)
@given(data=st.data())
def test_without_a_working_token_every_operation_answers_401(
    operation: Any, known: dict[str, list[Any]], data: st.DataObject
) -> None:
    case, raw_body = _draw_request(operation, data, known)
    credential = data.draw(NO_WORKING_TOKEN, label="credential")
    exchange = _exchange(case, credential, raw_body, ANONYMOUS)
    assert exchange.status == 401, exchange


def test_the_tester_sees_every_operation_the_description_lists() -> None:
    results = list(SCHEMA.get_all_operations())
    assert [r for r in results if not isinstance(r, Ok)] == []
    assert len(OPERATIONS) == len(results) - len(LEFT_OUT) >= 70
    assert {op.label for op in OPERATIONS} >= {
        "GET /api/v1/me",
        "POST /api/v1/cases",
        "GET /api/v1/audit/events",
        "PUT /api/v1/concerns/{public_id}/sharing",
    }
