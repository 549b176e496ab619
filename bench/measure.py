"""The measurements themselves: each page through Django's test client, and the audit trail."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.accounts.models import User
from accord.accounts.selectors import requires_mfa
from accord.accounts.testing import give_totp
from accord.api.services import token_create
from accord.audit.services import record
from accord.audit.verify import verify_stored
from accord.demo.selectors import demo_accounts
from accord.library.models import ProtocolReview
from accord.library.reviews.workflow import ACTIVE
from bench.pages import REVIEW_UNDER_WAY, Page


@dataclass(frozen=True)
class PageResult:
    label: str
    path: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    bytes: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AuditResult:
    appended: int
    append_per_second: float
    verified: int
    verify_per_second: float
    chain_ok: bool


class Visitors:
    """One signed-in browser session and one API token per demo account, made on first use."""

    def __init__(self) -> None:
        self._people = {a.username: a.person_id for a in demo_accounts()}
        self._clients: dict[str, Client] = {}
        self._tokens: dict[str, str] = {}

    def person_id(self, username: str) -> int:
        person_id = self._people.get(username)
        if person_id is None:
            raise LookupError(f"The demo account {username!r} has no directory person.")
        return person_id

    def client(self, username: str) -> Client:
        if username not in self._clients:
            user = User.objects.get(username=username)
            if requires_mfa(user):
                give_totp(user)
            client = Client()
            client.force_login(user)
            self._clients[username] = client
        return self._clients[username]

    def token(self, username: str) -> str:
        if username not in self._tokens:
            user = User.objects.get(username=username)
            _, plaintext = token_create(actor=None, user=user, name="benchmark")
            self._tokens[username] = plaintext
        return self._tokens[username]


def _review_under_way() -> str:
    review = ProtocolReview.objects.filter(status__in=ACTIVE).order_by("-started_on", "-pk").first()
    if review is None:
        raise LookupError("No protocol review is under way: bench/scale.py opens one.")
    return str(review.public_id)


# How each name a page's `looked_up` may use (bench.pages.LOOKUPS) is found in the database.
LOOKUPS: dict[str, Callable[[], str]] = {REVIEW_UNDER_WAY: _review_under_way}


def page_path(page: Page, visitors: Visitors) -> str:
    kwargs: dict[str, object] = {
        arg: visitors.person_id(account) for arg, account in page.person_of.items()
    }
    kwargs.update(page.kwargs)
    kwargs.update({arg: LOOKUPS[name]() for arg, name in page.looked_up.items()})
    path = reverse(page.url_name, kwargs=kwargs or None)
    return f"{path}?{page.query}" if page.query else path


def measure_page(page: Page, visitors: Visitors, *, requests: int) -> PageResult:
    """One warm-up request, one counted request, then `requests` timed ones."""
    path = page_path(page, visitors)
    if page.api:
        client = Client(headers={"Authorization": f"Bearer {visitors.token(page.username)}"})
    else:
        client = visitors.client(page.username)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    # Read now: the captured list is a view on the connection's log, which the next request clears.
    query_count = len(queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return PageResult(
        label=page.label,
        path=path,
        status=response.status_code,
        queries=query_count,
        median_ms=round(statistics.median(timings), 2),
        p95_ms=round(timings[max(0, math.ceil(0.95 * len(timings)) - 1)], 2),
        bytes=len(response.content),
    )


def measure_audit(*, events: int) -> AuditResult:
    """Append `events` events one at a time (each its own transaction), then verify the chain."""
    started = time.perf_counter()
    for n in range(events):
        record(actor=None, verb="bench.appended", data={"n": n})
    append_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = verify_stored()
    verify_seconds = time.perf_counter() - started
    return AuditResult(
        appended=events,
        append_per_second=round(events / append_seconds, 1),
        verified=result.count,
        verify_per_second=round(result.count / verify_seconds, 1),
        chain_ok=result.ok,
    )
