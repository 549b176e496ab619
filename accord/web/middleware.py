"""Turn the service layer's NotFound into the site's 404 page.

Selectors raise `accord.core.errors.NotFound` for records that are missing *or* not visible to
the actor; views let it propagate and this answers exactly as for a URL that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from accord.core.errors import NotFound


class NotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(exception.detail) from exception
