"""Keep what Accord answers out of every cache: the browser's, a shared computer's, a proxy's.

Concerns, registers, the directory and the API carry confidential and personal detail, and a
response cached on a shared machine or by a proxy outlives the session that fetched it. So every
response Django makes, public or not, says `Cache-Control: no-store, private`: one rule with no
exception, so no page can be forgotten. None of the public pages (sign-in, password reset,
`/healthz`, `openapi.json`) is worth caching, and some carry a token in their URL.

Static files are the one exception: WhiteNoise, earlier in the chain, answers them before this
middleware runs, with its own caching headers. What a view already set is kept and added to
(`patch_cache_control`), so a stricter header (`max-age=0, no-cache, …`) stays as strict; a
`public` a view set gives way to `private`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
