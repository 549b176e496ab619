"""The register of declared relationships in the browser, and recording a statutory officer's
earlier involvement on the case page.

A declaration is seen by the two people it is between and by the Monitoring Officer and their
deputies; to anyone else its pages are the site's ordinary 404, identical to a missing one.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.core import clock
from accord.directory.tests import factories as typed_factories
from accord.procedures.models import Case, CaseInvolvement
from accord.procedures.services import case_open
from accord.procedures.tests.example_council import EVERYONE, ExampleCouncil, example_council
from accord.registers.models import DeclaredRelationship
from accord.registers.services import relationship_declare, relationship_end
from accord.web.tests.test_page_hygiene import inline_code

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

MARKER = "MARKER-a93c51-declared-in-confidence"
READERS = {"colleague", "councillor", "mo", "deputy_mo"}
MINE = reverse("registers:relationships")
NEW = reverse("registers:relationship_new")
ALL = reverse("registers:relationships_all")


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _normalised(content: bytes) -> bytes:
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content)
    return re.sub(rb'nonce="[^"]+"', b"NONCE", content)


def _end_url(relationship: DeclaredRelationship | int) -> str:
    pk = relationship if isinstance(relationship, int) else relationship.pk
    return reverse("registers:relationship_end", args=[pk])


def _planted(example: ExampleCouncil) -> DeclaredRelationship:
    return relationship_declare(
        actor=example.user("colleague"),
        person=example.person("colleague"),
        other=example.person("councillor"),
        nature="friend",
        description=MARKER,
    )


def _open(example: ExampleCouncil) -> Case:
    return case_open(
        actor=example.user("officer"),
        procedure="officer_concern",
        raiser=example.person("officer"),
        subject=example.person("councillor"),
        profile_id="example",
    )


def _today() -> dict[str, str]:
    today = clock.today()
    return {"day": str(today.day), "month": str(today.month), "year": str(today.year)}


# --- Your declared relationships ------------------------------------------------------------


def test_your_list_shows_current_and_ended_declarations_with_the_other_person(example):
    current = _planted(example)
    ended = relationship_declare(
        actor=None,
        person=example.person("colleague"),
        other=example.person("manager"),
        nature="family",
    )
    relationship_end(actor=None, relationship=ended)

    page = _page(example.client("colleague"), MINE)

    current_table = page[
        page.index('id="relationships-current"') : page.index(
            "<h2", page.index('id="relationships-current"')
        )
    ]
    ended_table = page[page.index('id="relationships-ended"') :]
    assert example.person("councillor").full_name in current_table
    assert "Close friend" in current_table
    assert MARKER in current_table
    assert _end_url(current) in current_table
    assert example.person("manager").full_name in ended_table
    assert _end_url(ended) not in page


def test_the_navigation_offers_relationships_to_people_in_the_directory_only(example):
    user = factories.UserFactory(username="no-person", person=None)
    client = Client()
    client.force_login(user)

    assert f'href="{MINE}"' in _page(example.client("officer"), reverse("web:home"))
    assert f'href="{MINE}"' not in _page(client, reverse("web:home"))
    assert "not linked to anyone in the council's directory" in _page(client, MINE)
    assert "not linked to anyone in the council's directory" in _page(client, NEW)
    assert client.post(NEW, {}).status_code == 200
    assert not DeclaredRelationship.objects.exists()


def test_an_officer_declares_a_relationship_and_sees_it_on_their_list(example):
    client = example.client("officer")
    form = _page(client, NEW)
    assert example.person("councillor").full_name in form
    assert 'name="person"' not in form  # only the register's keepers choose whose it is
    assert 'value="partner"' in form

    response = client.post(
        NEW,
        {
            "other": example.person("councillor").pk,
            "nature": "partner",
            "description": "Married since 2019.",
            **{f"starts_on_{part}": value for part, value in _today().items()},
        },
    )

    assert response.status_code == 302
    assert response["Location"] == MINE
    declared = DeclaredRelationship.objects.get()
    assert {declared.person_id, declared.other_id} == {
        example.person("officer").pk,
        example.person("councillor").pk,
    }
    page = _page(client, MINE)
    assert f"Relationship declared with {example.person('councillor').full_name}" in page
    assert "Married since 2019." in page


def test_a_declaration_without_the_other_person_or_its_kind_names_each_field(example):
    response = example.client("officer").post(NEW, {"description": "Something"})

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert '<a href="#id_other">Choose who the relationship is with</a>' in page
    assert '<a href="#id_nature">Choose the kind of relationship</a>' in page
    assert not DeclaredRelationship.objects.exists()


def test_declaring_the_same_person_twice_is_shown_on_the_field(example):
    data = {"other": example.person("councillor").pk, "nature": "friend"}
    client = example.client("officer")
    assert client.post(NEW, data).status_code == 302

    response = client.post(NEW, data)

    page = html.unescape(response.content.decode())
    assert '<a href="#id_other">A relationship with this person is already declared.</a>' in page
    assert DeclaredRelationship.objects.count() == 1


def test_the_search_narrows_who_can_be_chosen(example):
    family_name = example.person("councillor").family_name

    page = _page(example.client("officer"), f"{NEW}?q={family_name}")

    assert example.person("councillor").full_name in page
    assert example.person("colleague").full_name not in page
    assert "1 person matching" in page


def test_declaring_a_relationship_with_a_cases_raiser_takes_the_declarer_off_it_at_once(example):
    case = _open(example)
    url = reverse("procedures:case", args=[case.public_id])
    director = example.client("director")
    assert director.get(url).status_code == 200

    response = director.post(NEW, {"other": example.person("officer").pk, "nature": "family"})

    assert response.status_code == 302
    assert director.get(url).status_code == 404
    assert "0 cases" in _page(director, reverse("procedures:cases"))
    for key in ("mo", "chief_exec"):
        page = _page(example.client(key), url)
        assert "Conflicts of interest on this case" in page, key
        assert "acts instead" in page, key
    assert "acts instead" not in _page(example.client("officer"), url)


def test_a_person_ends_their_own_declaration(example):
    declared = _planted(example)
    client = example.client("councillor")
    form = _page(client, _end_url(declared))
    assert MARKER not in form  # the end page shows who it is with, not what was written
    assert example.person("colleague").full_name in form

    response = client.post(
        _end_url(declared), {f"ends_on_{part}": value for part, value in _today().items()}
    )

    assert response.status_code == 302
    assert response["Location"] == MINE
    declared.refresh_from_db()
    assert declared.ends_on == clock.today()
    assert "This relationship has already ended." in _page(client, _end_url(declared))


def test_an_end_date_before_the_start_is_shown_on_the_field(example):
    declared = _planted(example)

    response = example.client("colleague").post(
        _end_url(declared), {"ends_on_day": "1", "ends_on_month": "1", "ends_on_year": "2000"}
    )

    page = html.unescape(response.content.decode())
    assert "The end date cannot be before the relationship was declared to start." in page
    declared.refresh_from_db()
    assert declared.ends_on is None


# --- The whole register ---------------------------------------------------------------------


def test_the_monitoring_officer_sees_the_whole_register_paginated(example):
    others = [key for key in EVERYONE if key != "colleague"]
    for key in others:
        relationship_declare(
            actor=None,
            person=example.person("colleague"),
            other=example.person(key),
            nature="friend",
        )
    for _ in range(20):
        officer = factories.OfficerFactory()
        relationship_declare(
            actor=None, person=officer.person, other=example.person("manager"), nature="other"
        )
    client = example.client("deputy_mo")

    first = _page(client, ALL)
    second = _page(client, f"{ALL}?page=2")

    total = len(others) + 20
    assert f"{total} declarations, page 1 of 2" in first
    assert f"{total} declarations, page 2 of 2" in second
    assert len(re.findall(r'href="/registers/relationships/\d+/end/"', first)) == 25
    assert len(re.findall(r'href="/registers/relationships/\d+/end/"', second)) == total - 25


def test_the_register_filters_by_person_and_by_name(example):
    _planted(example)
    relationship_declare(
        actor=None,
        person=example.person("manager"),
        other=example.person("director"),
        nature="family",
    )
    client = example.client("mo")

    by_person = _page(client, f"{ALL}?person={example.person('councillor').pk}")
    by_name = _page(client, f"{ALL}?q={example.person('director').given_name}")

    assert "1 declaration" in by_person
    assert MARKER in by_person
    assert f"Showing the declarations of {example.person('councillor').full_name}" in by_person
    assert "1 declaration" in by_name
    assert MARKER not in by_name


def test_the_monitoring_officer_records_a_declaration_on_someones_behalf(example):
    client = example.client("mo")
    form = _page(client, NEW)
    assert 'name="person"' in form

    response = client.post(
        NEW,
        {
            "person": example.person("colleague").pk,
            "other": example.person("manager").pk,
            "nature": "business",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == ALL
    declared = DeclaredRelationship.objects.get()
    assert declared.nature == "business"
    page = _page(client, ALL)
    assert "Relationship recorded between" in page
    ended = client.post(
        _end_url(declared), {f"ends_on_{part}": value for part, value in _today().items()}
    )
    assert ended.status_code == 302
    assert ended["Location"] == ALL


def test_someone_else_posting_a_person_still_declares_only_their_own(example):
    response = example.client("officer").post(
        NEW,
        {
            "person": example.person("colleague").pk,
            "other": example.person("manager").pk,
            "nature": "family",
        },
    )

    assert response.status_code == 302
    declared = DeclaredRelationship.objects.get()
    assert example.person("officer").pk in {declared.person_id, declared.other_id}


# --- What must not be shown -----------------------------------------------------------------


def test_the_planted_description_reaches_only_the_two_people_and_the_monitoring_officers(example):
    declared = _planted(example)
    for key in EVERYONE:
        client = example.client(key)
        pages = [
            MINE,
            NEW,
            ALL,
            _end_url(declared),
            reverse("web:home"),
            reverse("procedures:cases"),
        ]
        seen = b"".join(client.get(url).content for url in pages)
        if key in {"mo", "deputy_mo"}:
            assert MARKER.encode() in client.get(ALL).content, key
        if key in {"colleague", "councillor"}:
            assert MARKER.encode() in client.get(MINE).content, key
        if key not in READERS:
            assert MARKER.encode() not in seen, key
            assert example.person("councillor").full_name.encode() not in client.get(MINE).content


def test_a_hidden_declaration_is_the_same_404_page_as_a_missing_one(example):
    declared = _planted(example)
    missing = _end_url(declared.pk + 1000)
    for key in EVERYONE:
        if key in READERS:
            continue
        client = example.client(key)
        hidden = client.get(_end_url(declared))
        unknown = client.get(missing)
        assert hidden.status_code == unknown.status_code == 404, key
        assert _normalised(hidden.content) == _normalised(unknown.content), key
        posted = client.post(_end_url(declared), {"ends_on_day": "1"})
        assert posted.status_code == 404, key
        assert _normalised(posted.content) == _normalised(client.post(missing, {}).content), key
    declared.refresh_from_db()
    assert declared.ends_on is None


def test_the_whole_register_is_not_found_for_everyone_but_the_monitoring_officers(example):
    _planted(example)
    for key in EVERYONE:
        status = example.client(key).get(ALL).status_code
        assert status == (200 if key in {"mo", "deputy_mo"} else 404), key


def test_the_register_pages_have_no_inline_styles_or_scripts_and_unique_ids(example):
    declared = _planted(example)
    for key, url in (
        ("colleague", MINE),
        ("colleague", NEW),
        ("colleague", _end_url(declared)),
        ("mo", ALL),
        ("mo", NEW),
        ("mo", _end_url(declared)),
    ):
        response = example.client(key).get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert inline_code(content).problems == [], url
        ids = re.findall(r'\sid="([^"]+)"', content)
        assert len(ids) == len(set(ids)), url


# --- A statutory officer's involvement on the case page -------------------------------------


def test_only_those_handling_the_case_are_offered_the_involvement_form(example):
    case = _open(example)
    url = reverse("procedures:case", args=[case.public_id])

    for key in ("director", "mo"):
        page = _page(example.client(key), url)
        assert "Record a statutory officer's earlier involvement" in page, key
        assert 'name="action" value="involvement"' in page, key
        assert f"{example.person('deputy_mo').full_name}, Deputy Monitoring Officer" in page, key
        chooser = page[page.index('id="id_involvement-person"') : page.index("</select>")]
        assert example.person("chief_exec").full_name in chooser, key
        assert example.person("director").full_name not in chooser, key  # not statutory
    raiser = _page(example.client("officer"), url)
    assert 'value="involvement"' not in raiser


def test_recording_involvement_hands_the_case_over_and_shows_the_stand_in(example):
    case = _open(example)
    url = reverse("procedures:case", args=[case.public_id])
    director = example.client("director")

    response = director.post(
        url,
        {
            "action": "involvement",
            "involvement-person": example.person("mo").pk,
            "involvement-note": MARKER,
        },
    )

    assert response.status_code == 302
    page = _page(director, response["Location"])
    assert "earlier involvement is recorded" in page
    assert "Conflicts of interest on this case" in page
    assert "acts instead" in page
    assert MARKER not in page
    assert CaseInvolvement.objects.get(case=case).person_id == example.person("mo").pk
    assert example.client("mo").get(url).status_code == 404
    assert "acts instead" in _page(example.client("deputy_mo"), url)


def test_involvement_without_an_officer_or_a_note_names_each_field(example):
    case = _open(example)

    response = example.client("director").post(
        reverse("procedures:case", args=[case.public_id]), {"action": "involvement"}
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        '<a href="#id_involvement-person">Choose the statutory officer who was involved</a>' in page
    )
    assert '<a href="#id_involvement-note">Say how they were involved</a>' in page
    assert not CaseInvolvement.objects.exists()


def test_someone_who_sees_but_does_not_handle_the_case_is_refused_with_the_reason(example):
    case = _open(example)

    response = example.client("officer").post(
        reverse("procedures:case", args=[case.public_id]),
        {
            "action": "involvement",
            "involvement-person": example.person("mo").pk,
            "involvement-note": "Earlier advice.",
        },
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Only someone handling the case can record a statutory officer's involvement" in page
    assert not CaseInvolvement.objects.exists()


def test_someone_who_cannot_see_the_case_gets_the_ordinary_404(example):
    case = _open(example)

    response = example.client("colleague").post(
        reverse("procedures:case", args=[case.public_id]),
        {
            "action": "involvement",
            "involvement-person": example.person("mo").pk,
            "involvement-note": "Earlier advice.",
        },
    )

    assert response.status_code == 404
    assert not CaseInvolvement.objects.exists()
