"""A memo that lasts one request: for reads a page repeats (who the reader is in the council
today), so a page with several lists works them out once.

Outside a request (services, tasks, tests calling selectors) nothing is kept. Every audited
write empties it (`accord.audit.services.record` calls `forget()`), so a request that changes
something and then reads never sees what it read before the change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("accord_request_memo", default=None)


@contextmanager
def scope() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per request for `key`; every time outside a request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    value: T = memo[key]
    return value


def forget() -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with scope():
            return self.get_response(request)
