"""Who may reach a view. Every view in the URLconf declares one of these (a test walks them).

`LoginRequiredMiddleware` makes sign-in the default; these decorators say so explicitly and add
a named policy (`accord.access.policies`). A policy that refuses answers 404, like a missing page,
so that a URL never confirms to the wrong person that something exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse

from accord.access.policies import Policy

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])

ACCESS_ATTR = "accord_access"


def public(view: ViewFunc) -> ViewFunc:
    """Reachable without signing in (sign-in pages, health check)."""
    wrapped = login_not_required(view)
    setattr(wrapped, ACCESS_ATTR, "public")
    return wrapped


def signed_in(view: ViewFunc) -> ViewFunc:
    """Any signed-in account; what it shows is still scoped by selectors."""
    setattr(view, ACCESS_ATTR, "signed_in")
    return view


def allowed_by(access: Policy) -> Callable[[ViewFunc], ViewFunc]:
    """Signed in and allowed by the named policy today; otherwise 404."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not access.allows(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, f"policy:{access.name}")
        return wrapper  # type: ignore[return-value]

    return decorator


def declared_access(view: Callable[..., Any]) -> str | None:
    """The policy a view declared, looking through class-based `as_view()` wrappers."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is not None and hasattr(candidate, ACCESS_ATTR):
            return str(getattr(candidate, ACCESS_ATTR))
    return None


def adopt_third_party(patterns: list[Any]) -> list[Any]:
    """Declare the policy of views we include from packages (sign-in, two-factor).

    Such a view either opted out of sign-in itself (Django's `login_not_required`, which sets
    `login_required = False`) and is public, or `LoginRequiredMiddleware` guards it. We record
    which, so the URLconf walk sees a declaration for every view.
    """
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            adopt_third_party(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and declared_access(pattern.callback) is None:
            is_public = getattr(pattern.callback, "login_required", True) is False
            setattr(pattern.callback, ACCESS_ATTR, "public" if is_public else "signed_in")
    return patterns
