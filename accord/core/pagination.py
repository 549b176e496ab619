"""One way to cut a list into pages, for the pages and for the API.

A page of a list costs two queries whatever its size: the rows shown and the count. On the
site, each page's links keep the rest of the address (search terms, filters, and the page of any
other list on the same page), so several lists on one page each keep their own place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import QueryDict


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for the ellipsis between distant pages
    href: str
    current: bool


@dataclass(frozen=True)
class WebPage:
    """A page of a list as the site shows it: what `web/partials/pagination.html` reads."""

    page: Page[Any]
    links: list[PageLink]  # empty when there is only one page
    previous_href: str
    next_href: str

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)

    def context(self) -> dict[str, Any]:
        return {"page_obj": self.page, "pagination": self}


def _href(query: QueryDict, key: str, number: int) -> str:
    params = query.copy()
    params[key] = str(number)
    return f"?{params.urlencode()}"


def links_for(page: Page[Any], query: QueryDict, *, key: str = "page") -> WebPage:
    """The links for a page already cut, its number kept in the address under `key`."""
    paginator = page.paginator
    links = [
        PageLink(number, _href(query, key, number), number == page.number)
        if isinstance(number, int)
        else PageLink(None, "", False)
        for number in paginator.get_elided_page_range(page.number)
    ]
    return WebPage(
        page=page,
        links=links if paginator.num_pages > 1 else [],
        previous_href=_href(query, key, page.previous_page_number()) if page.has_previous() else "",
        next_href=_href(query, key, page.next_page_number()) if page.has_next() else "",
    )


def web_page(
    rows: QuerySet[Any] | Sequence[Any], per_page: int, query: QueryDict, *, key: str = "page"
) -> WebPage:
    """The page the address asks for under `key` (a bad or missing value means the nearest)."""
    page = Paginator(rows, per_page).get_page(query.get(key))
    return links_for(page, query, key=key)


RowT = TypeVar("RowT", bound=Model)


class PageRequest(Protocol):
    """What an API list was asked for (`accord.api.schemas.PageQuery` and its subclasses)."""

    offset: int
    limit: int


def paginate(rows: QuerySet[RowT], page: PageRequest) -> tuple[list[RowT], dict[str, int]]:
    """One page of `rows` as an API list asked for it: two queries, whatever the page size."""
    return api_page(rows, offset=page.offset, limit=page.limit)


def api_page(rows: QuerySet[Any], *, offset: int, limit: int) -> tuple[list[Any], dict[str, int]]:
    """One page of `rows` for the API and the counts that describe it (`count`, `limit`,
    `offset`)."""
    items = list(rows[offset : offset + limit])
    return items, {"count": rows.count(), "limit": limit, "offset": offset}
