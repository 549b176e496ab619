"""The site's own middleware.

`InputLimitsMiddleware` refuses a request whose body is larger than its route takes (413), and a
web address whose query string holds a control character (400), before any view or other
middleware reads them. `NotFoundMiddleware` turns the service layer's NotFound into the site's
404 page: selectors raise `accord.core.errors.NotFound` for records that are missing *or* not
visible to the actor; views let it propagate and this answers exactly as for a URL that does
not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accord.api.errors import error_response
from accord.core import limits
from accord.core.errors import NotFound

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def too_large(request: HttpRequest, length: int, limit: limits.BodyLimit) -> HttpResponse:
    """413 naming the limit: the API's error body, or the site's page."""
    problem = limits.body_too_large(length, limit.max_bytes, limit.what)
    if is_api(request):
        return error_response(413, problem)
    return render(
        request,
        "413.html",
        {"problem": problem, "limit": limits.size(limit.max_bytes), "what": limit.what},
        status=413,
    )


def query_fault(request: HttpRequest) -> tuple[str, str] | None:
    """The first query-string parameter (name, why) holding a character no text may hold."""
    for name, values in request.GET.lists():
        for text in (name, *values):
            found = limits.refused_character(text)
            if found is not None:
                return name, limits.unusable_character(found)
    return None


class InputLimitsMiddleware:
    """Refuse what no view should read: a body beyond its route's limit (`accepts_body`), and,
    on the web pages, a control character in the address: in a path segment it is no page
    (404), in the query string a 400 naming the parameter. (The API refuses those after
    authenticating, in `accord.api.checks`, so that it never says more to a caller without a
    token than 401.)

    It must come before `CsrfViewMiddleware`, whose `process_view` reads a form's body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method not in limits.BODILESS:
            limit = limits.body_limit_of(view_func)
            length = limits.declared_length(request.META)
            if length > limit.max_bytes:
                return too_large(request, length, limit)
        if not is_api(request):
            # A path segment no converter of ours would take (allauth's routes take anything
            # but a slash): no such page.
            for value in [*view_args, *view_kwargs.values()]:
                if isinstance(value, str) and limits.refused_character(value) is not None:
                    raise Http404("No such page.")
            fault = query_fault(request)
            if fault is not None:
                name, why = fault
                problem = f"In the web address, \u2018{name}\u2019 {why[:1].lower()}{why[1:]}"
                return render(request, "400.html", {"problem": problem}, status=400)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Django's own ceiling (DATA_UPLOAD_MAX_MEMORY_SIZE), should a view read past it.
        if isinstance(exception, RequestDataTooBig):
            match = request.resolver_match
            limit = limits.body_limit_of(match.func) if match else limits.DEFAULT_BODY_LIMIT
            return too_large(request, limits.declared_length(request.META), limit)
        return None


class NotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404(exception.detail) from exception
