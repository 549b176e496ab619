"""Where a case is read in full: the page of the app that runs its procedure.

The engine's own case page shows no content; an app that gives a procedure its pages (the
concerns app for both concern routes) registers the URL name of its case page for that
purpose when it starts, and links the engine writes (reminder emails) point there instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from accord.procedures.models import Case
from accord.procedures.table import table_for
from accord.profiles.schema import Purpose

__all__ = ["case_path", "register_case_page"]

_PAGES: dict[Purpose, tuple[str, Callable[[Case], bool]]] = {}


def register_case_page(purpose: Purpose, url_name: str, has_page: Callable[[Case], bool]) -> None:
    """`url_name` takes the case's public id as its one argument; `has_page(case)` says whether
    the app holds this case (one opened through the engine alone has no page of the app's)."""
    _PAGES[purpose] = (url_name, has_page)


def case_path(case: Case) -> str:
    """The path of the page where the case is best read."""
    purpose = table_for(case.profile_version.text, case.procedure).procedure.purpose
    url_name, has_page = _PAGES.get(purpose, ("web:case", lambda _case: True))
    if not has_page(case):
        url_name = "web:case"
    return reverse(url_name, args=[case.public_id])
