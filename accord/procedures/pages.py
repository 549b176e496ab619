"""Where a case is read and run in full: the pages of the app that runs its procedure.

The engine's own case page shows no content; an app that gives a procedure its pages (the
concerns app for both concern routes) registers them for that purpose when it starts. Links the
engine writes (reminder emails) then point there, and the engine's generic pages and endpoints
send anyone acting on such a case to the app, whose services add what the procedure needs
(validated records, emails to the people who now have it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from accord.procedures.models import Case
from accord.procedures.table import table_for
from accord.profiles.schema import Purpose

__all__ = ["AppPage", "app_page", "case_path", "register_case_page"]


@dataclass(frozen=True)
class _Registration:
    url_name: str
    api_prefix: str
    has_page: Callable[[Case], bool]


@dataclass(frozen=True)
class AppPage:
    path: str
    api_path: str


_PAGES: dict[Purpose, _Registration] = {}


def register_case_page(
    purpose: Purpose, *, url_name: str, api_prefix: str, has_page: Callable[[Case], bool]
) -> None:
    """`url_name` takes the case's public id as its one argument; `api_prefix` is the app's
    API path for one case, without the id; `has_page(case)` says whether the app holds this
    case (one opened through the engine alone has no page of the app's)."""
    _PAGES[purpose] = _Registration(url_name, api_prefix.rstrip("/"), has_page)


def app_page(case: Case) -> AppPage | None:
    """The app's page and API path for the case, or None if the engine alone runs it."""
    purpose = table_for(case.profile_version.text, case.procedure).procedure.purpose
    found = _PAGES.get(purpose)
    if found is None or not found.has_page(case):
        return None
    return AppPage(
        path=reverse(found.url_name, args=[case.public_id]),
        api_path=f"{found.api_prefix}/{case.public_id}",
    )


def case_path(case: Case) -> str:
    """The path of the page where the case is best read."""
    page = app_page(case)
    return page.path if page else reverse("procedures:case", args=[case.public_id])
