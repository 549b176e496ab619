"""The benchmark in bench/ must keep pointing at pages that exist, or it rots unnoticed."""

from __future__ import annotations

from django.urls import reverse

from bench.measure import LOOKUPS as FOUND_BY
from bench.pages import LOOKUPS
from bench.run import PAGES, compare_queries


def test_every_benchmarked_page_names_a_url_that_resolves():
    for page in PAGES:
        kwargs: dict[str, object] = dict.fromkeys(page.person_of, 1)
        kwargs.update(page.kwargs)
        kwargs.update({arg: LOOKUPS[name] for arg, name in page.looked_up.items()})
        assert reverse(page.url_name, kwargs=kwargs or None).startswith("/"), page.label


def test_every_lookup_a_page_names_is_found_by_the_benchmark():
    assert set(FOUND_BY) == set(LOOKUPS)
    for page in PAGES:
        assert set(page.looked_up.values()) <= set(LOOKUPS), page.label


def test_benchmarked_pages_have_distinct_labels_and_cover_web_and_api():
    labels = [page.label for page in PAGES]
    assert len(labels) == len(set(labels))
    assert any(page.api for page in PAGES)
    assert any(not page.api for page in PAGES)


def test_growth_check_flags_only_pages_whose_query_count_rose():
    base = [{"label": "people", "queries": 10}, {"label": "groups", "queries": 8}]
    scaled = [{"label": "people", "queries": 11}, {"label": "groups", "queries": 7}]

    rows = {row["label"]: row for row in compare_queries(base, scaled)}

    assert rows["people"]["grew"] is True
    assert rows["groups"]["grew"] is False
