"""The limits on what the pages take (docs/api.md, "Limits on input", which they share with the
API): a body too large is the site's 413 page naming the limit, an id beyond 2^31-1 or a
control character in an address is no page (404), a control character in the query string a
400 naming it, a search of too many words and text holding a control character a form error on
the field; a protocol file up to the documented 10 MB is taken."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from accord.concerns.models import Concern
from accord.concerns.tests.helpers import person
from accord.library.models import PendingImport
from accord.library.parsing.limits import MAX_FILE_BYTES
from accord.library.tests.hostile import word_file_of_size
from accord.web.forms import AccordForm
from bench.measure import Visitors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_council", "fake_gateway", "fast_passwords"),
]


@pytest.fixture
def visitors() -> Visitors:
    return Visitors()


def _text(response: Any) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- bodies -------------------------------------------------------------------------------------


def test_a_form_one_byte_over_the_limit_is_the_413_page_naming_the_limit(visitors):
    client = visitors.client("officer")
    path = reverse("registers:relationship_new")
    padding = b"other=&nature=family&description="

    over = client.post(
        path,
        padding + b"x" * (2_621_441 - len(padding)),
        content_type="application/x-www-form-urlencoded",
    )
    at_the_limit = client.post(
        path,
        padding + b"x" * (2_621_440 - len(padding)),
        content_type="application/x-www-form-urlencoded",
    )

    assert over.status_code == 413
    page = _text(over)
    assert "What you sent is too large" in page
    assert "The request is 2,621,441 bytes; the limit is 2.5 MB (2,621,440 bytes)." in page
    assert "govuk-heading-l" in over.content.decode()
    assert at_the_limit.status_code == 200  # the form again, with its errors


def _import(client: Client, data: bytes) -> Any:
    return client.post(
        reverse("library:protocol_import"),
        {
            "file": SimpleUploadedFile("protocol.docx", data),
            "document": "member-officer-protocol",
            "version": "2027 draft",
        },
    )


def test_a_protocol_file_just_under_the_documented_10_mb_is_taken(visitors):
    response = _import(visitors.client("democratic-services"), word_file_of_size(MAX_FILE_BYTES))

    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert response["Location"] == reverse("library:protocol_import_preview", args=[pending.token])
    assert pending.status == PendingImport.Status.READY


def test_a_protocol_file_just_over_10_mb_is_refused_on_the_form_naming_the_limit(visitors):
    response = _import(
        visitors.client("democratic-services"), word_file_of_size(MAX_FILE_BYTES + 1)
    )

    assert response.status_code == 200
    assert "The file must be 10 MB or smaller" in _text(response)
    assert not PendingImport.objects.exists()


def test_an_upload_far_over_10_mb_is_the_413_page_naming_the_import_limit(visitors):
    response = _import(visitors.client("democratic-services"), b"x" * (MAX_FILE_BYTES + 100_000))

    assert response.status_code == 413
    assert "the limit for importing a protocol (a file of up to 10 MB) is" in _text(response)
    assert not PendingImport.objects.exists()


# --- addresses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/directory/people/2147483648/",
        "/directory/people/9223372036854775808/",
        "/directory/groups/99999999999999999999999/",
        "/audit/events/9223372036854775808/",
        "/registers/relationships/9223372036854775808/end/",
        "/protocols/member-officer-protocol/v/20%0025/",
        "/accounts/oidc/council%00/login/",
    ],
)
def test_an_id_beyond_2_31_minus_1_or_a_control_character_in_the_path_is_no_page(visitors, path):
    response = visitors.client("monitoring-officer").get(path)

    assert response.status_code == 404
    assert "Page not found" in _text(response)


def test_every_integer_in_the_sites_addresses_is_bounded():
    def unbounded(resolver: URLResolver, prefix: str = "") -> list[str]:
        found = []
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                found += unbounded(pattern, route)
            elif isinstance(pattern, URLPattern) and any(
                isinstance(c, IntConverter) for c in pattern.pattern.converters.values()
            ):
                found.append(route)
        return found

    assert unbounded(get_resolver()) == []


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/directory/?q=north%00", "q"),
        ("/concerns/register.csv?q=a%00b", "q"),
        ("/audit/?verb=directory%00", "verb"),
        ("/protocols/member-officer-protocol/compare/?old=2025%01", "old"),
    ],
)
def test_a_control_character_in_the_query_string_is_a_400_naming_the_parameter(
    visitors, path, parameter
):
    response = visitors.client("monitoring-officer").get(path)

    assert response.status_code == 400
    assert f"In the web address, \u2018{parameter}\u2019 contains the control character" in (
        _text(response)
    )


def test_an_id_written_in_other_digits_is_no_id(visitors):
    response = visitors.client("monitoring-officer").get(
        reverse("registers:relationships_all"), {"person": "\u00b2"}
    )

    assert response.status_code == 200


# --- searches -----------------------------------------------------------------------------------


@pytest.mark.parametrize("words", [11, 40])
def test_a_directory_search_of_too_many_words_is_a_form_error(visitors, words):
    response = visitors.client("officer").get(
        reverse("directory:people"), {"q": " ".join(["north"] * words)}
    )

    assert response.status_code == 200
    assert f"Search for at most 10 words; this has {words}." in _text(response)


@pytest.mark.parametrize(
    ("username", "url_name", "field"),
    [
        ("monitoring-officer", "audit:audit_events", "actor"),
        ("monitoring-officer", "concerns:concern_register", "q"),
        ("monitoring-officer", "registers:relationships_all", "q"),
        ("officer", "library:protocol_search", "q"),
        ("democratic-services", "accounts:account_admin_list", "q"),
    ],
)
def test_every_search_refuses_more_than_ten_words_on_its_field(visitors, username, url_name, field):
    response = visitors.client(username).get(reverse(url_name), {field: " ".join(["a"] * 11)})

    assert response.status_code == 200
    assert "Search for at most 10 words; this has 11." in _text(response)


def test_a_register_export_with_filters_that_cannot_be_used_exports_nothing(visitors):
    response = visitors.client("monitoring-officer").get(
        reverse("concerns:concern_register_csv"), {"q": " ".join(["a"] * 11)}
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Search for at most 10 words; this has 11." in _text(response)


# --- characters in forms ------------------------------------------------------------------------


class Example(AccordForm):
    line = forms.CharField(required=False)
    text = forms.CharField(required=False, widget=forms.Textarea)


def _control(code: str) -> list[str]:
    return [f"Contains the control character {code}, which cannot be used."]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        # Django's own CharField refuses NUL first, on the field.
        ({"line": "a\x00b"}, {"line": ["Null characters are not allowed."]}),
        ({"line": "a\x1bb"}, {"line": _control("U+001B")}),
        ({"line": "a\nb"}, {"line": ["Must be on one line: it contains a line feed (U+000A)."]}),
        ({"text": "a\r\n\tb"}, {}),
        ({"text": "a\x0bb"}, {"text": _control("U+000B")}),
        ({"text": "a\x85b"}, {"text": _control("U+0085")}),
        ({"text": "a\x7fb"}, {"text": _control("U+007F (DEL)")}),
    ],
)
def test_every_form_refuses_control_characters_on_the_field(data, errors):
    form = Example(data)

    assert form.is_valid() is (not errors)
    assert form.errors == errors


def test_every_form_on_the_site_is_an_accord_form():
    # Each app keeps its own forms (ADR 0011): load every page, and with it every form.
    def load(resolver: URLResolver) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                load(pattern)

    load(get_resolver())

    def subclasses(cls: type) -> list[type]:
        return [s for sub in cls.__subclasses__() for s in (sub, *subclasses(sub))]

    ours = [
        f
        for f in subclasses(forms.Form)
        if f.__module__.startswith("accord.") and ".tests." not in f.__module__
    ]
    assert len(ours) > 30
    assert [f for f in ours if not issubclass(f, AccordForm)] == []


def test_a_concern_with_a_control_character_is_refused_on_its_field_and_not_stored(visitors):
    client = visitors.client("officer")
    before = Concern.objects.count()

    response = client.post(
        reverse("concerns:concern_new"),
        {
            "subject": person("member").pk,
            "what_happened": "Shouted at me.\x1b",
            "tried_direct": "no",
            "first_contact": "monitoring_officer",
        },
    )

    assert response.status_code == 200
    assert "Contains the control character U+001B, which cannot be used." in _text(response)
    assert Concern.objects.count() == before
