"""One error body for every failure the API reports:

    {"detail": "<what went wrong>", "errors": [{"field": "<dotted.name>", "message": "..."}]}

`errors` is empty unless particular fields were at fault.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accord.core import limits
from accord.core.errors import AccordError, FieldError, NotFound

logger = logging.getLogger("accord.api")

# Where ninja found a parameter; the client does not need telling, it knows what it sent.
_PARAM_SOURCES = frozenset({"query", "path", "body", "form", "file", "header", "cookie"})

NOT_FOUND = "Not found."
UNAUTHENTICATED = "Authentication credentials were not provided or are not valid."
INVALID = "The request is not valid."


def error_body(detail: str, errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    return {
        "detail": detail,
        "errors": [{"field": e.field, "message": e.message} for e in errors],
    }


def error_response(status: int, detail: str, errors: Iterable[FieldError] = ()) -> JsonResponse:
    return JsonResponse(error_body(detail, errors), status=status)


def field_name(loc: Sequence[Any], body_params: frozenset[str] = frozenset()) -> str:
    """A pydantic error location as the dotted field name the client sent.

    `("query", "limit")` becomes `limit`; `("body", "payload", "officer_id")` becomes
    `officer_id` because `payload` is only the view's argument name; list positions stay, so
    `("body", "payload", "areas", 0)` becomes `areas.0`.
    """
    parts = list(loc)
    if parts and parts[0] in _PARAM_SOURCES:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1 and parts[0] in body_params:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "__all__"


def validation_errors(exc: ValidationError, body_params: frozenset[str]) -> list[FieldError]:
    return [
        FieldError(field_name(error.get("loc", ()), body_params), str(error.get("msg", "")))
        for error in exc.errors
    ]


def install(api: NinjaAPI, *, body_params: frozenset[str] = frozenset()) -> None:
    """Replace ninja's default handlers with ones that all answer in the one shape.

    `body_params` names the view arguments that hold a whole JSON body, so they can be dropped
    from field names.
    """

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(422, INVALID, validation_errors(exc, body_params))

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(401, UNAUTHENTICATED)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = NOT_FOUND if exc.status_code == 404 else str(exc)
        return error_response(exc.status_code, detail)

    @api.exception_handler(AccordError)
    def on_accord_error(request: HttpRequest, exc: AccordError) -> HttpResponse:
        if isinstance(exc, NotFound):
            # One wording for every 404, so no message hints that a hidden record exists.
            return error_response(404, NOT_FOUND)
        return error_response(exc.status_code, exc.detail, exc.errors)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, NOT_FOUND)

    @api.exception_handler(DjangoPermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        return error_response(403, str(exc) or "You may not do this.")

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # Django refusing what it was sent: too many fields, or a body past its own ceiling
        # (routes refuse bodies past their own limits before this, with the same 413).
        if isinstance(exc, RequestDataTooBig):
            length = limits.declared_length(request.META)
            detail = limits.body_too_large(length, limits.MAX_REQUEST_BYTES)
            return error_response(413, detail)
        return error_response(400, INVALID)

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in API %s %s", request.method, request.path)
        return error_response(500, "Something went wrong on the server.")
