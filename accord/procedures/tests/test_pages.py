"""The case pages: the cases a person can see, starting one, and one case with its stage,
deadline, history and the moves the reader may make, every one explained with its paragraph.

What the generic case page must never do: show a case to someone the protocol keeps it from
(they get the site's ordinary 404, the same as for a case that does not exist), name the people
involved, or show what was written in the case's records.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accord.directory.tests import factories as typed_factories
from accord.procedures.models import Case
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    involvement_record,
    timers_sweep,
)
from accord.procedures.tests.example_council import EVERYONE, ExampleCouncil, example_council
from accord.registers.services import relationship_declare
from accord.web.tests.test_page_hygiene import inline_code

factories: Any = typed_factories

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
MARKER = "MARKER-7f3c9e-never-shown"
CONSENT = (
    "This step can be taken only with the agreement of the person who raised it to the concern "
    "being raised with the member's Group Leader — Protocol v2026 §6.3"
)


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _open(example: ExampleCouncil) -> Case:
    return case_open(
        actor=example.user("officer"),
        procedure="officer_concern",
        raiser=example.person("officer"),
        subject=example.person("councillor"),
        profile_id="example",
    )


def _url(case: Case) -> str:
    return reverse("procedures:case", args=[case.public_id])


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _normalised(content: bytes) -> bytes:
    """A page with the parts that differ on every request blanked: the masked CSRF token and
    the content security policy's nonce."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content)
    return re.sub(rb'nonce="[^"]+"', b"NONCE", content)


def _planted_case(example: ExampleCouncil) -> Case:
    """A case with the marker in every record: the consent note, an involvement note and each
    record a move asked for. It ends at the Group Leader stage, seen by the officer who raised
    it, the Monitoring Officer and the member's Group Leader only."""
    case = _open(example)
    involvement_record(
        actor=example.user("mo"), case=case, person=example.person("chief_exec"), note=MARKER
    )
    consent_give(
        actor=example.user("officer"), case=case, to="group_leader_engagement", note=MARKER
    )
    case = case_transition(actor=example.user("mo"), case=case, to="group_leader_engagement")
    return case_transition(
        actor=example.user("mo"), case=case, to="resolved", records={"reason": MARKER}
    )


# --- The list and starting a case -----------------------------------------------------------


def test_the_list_shows_each_visible_case_newest_first_with_stage_and_deadline(example):
    with time_machine.travel(dt.datetime(2026, 12, 21, 9, tzinfo=LONDON), tick=False):
        older = _open(example)
    with time_machine.travel(dt.datetime(2026, 12, 22, 9, tzinfo=LONDON), tick=False):
        newer = _open(example)
        page = _page(example.client("officer"), reverse("procedures:cases"))

    assert "2 cases" in page
    assert page.index(str(newer.public_id)) < page.index(str(older.public_id))
    assert "An officer's concern about a member" in page
    assert "Confidential discussion with a senior officer" in page
    assert "Due by 5 January 2027 (5 working days) — Protocol v2026 §6.2" in page
    assert "Due by 6 January 2027 (5 working days) — Protocol v2026 §6.2" in page


def test_the_list_is_paginated(example):
    for _ in range(26):
        _open(example)
    client = example.client("officer")

    first = _page(client, reverse("procedures:cases"))
    second = _page(client, reverse("procedures:cases") + "?page=2")

    assert "26 cases, page 1 of 2" in first
    assert "26 cases, page 2 of 2" in second
    assert len(re.findall(r'href="/cases/[0-9a-f-]{36}/"', first)) == 25
    assert len(re.findall(r'href="/cases/[0-9a-f-]{36}/"', second)) == 1


def test_the_list_shows_the_readers_own_reminders(example):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=LONDON), tick=False):
        case = _open(example)
    with time_machine.travel(dt.datetime(2026, 6, 9, 9, tzinfo=LONDON), tick=False):
        assert timers_sweep() == 1
        mine = _page(example.client("mo"), reverse("procedures:cases"))
        theirs = _page(example.client("officer"), reverse("procedures:cases"))

    assert "Your reminders" in mine
    assert "was due by 8 June 2026 (5 working days after it began)" in mine
    assert reverse("procedures:case", args=[case.public_id]) in mine
    assert "You have no reminders." in theirs


def test_an_account_without_a_directory_person_has_no_cases_and_no_cases_link(example):
    user = factories.UserFactory(username="no-person", person=None)
    client = Client()
    client.force_login(user)

    listing = _page(client, reverse("procedures:cases"))
    new = _page(client, reverse("procedures:case_new"))
    home = _page(client, reverse("web:home"))

    assert "not linked to anyone in the council's directory" in listing
    assert "not linked to anyone in the council's directory" in new
    assert f'href="{reverse("procedures:cases")}"' not in home
    assert f'href="{reverse("procedures:cases")}"' in _page(
        example.client("officer"), reverse("web:home")
    )


def test_an_officer_chooses_a_procedure_they_may_raise_and_a_member_it_is_about(example):
    client = example.client("officer")

    choose = _page(client, reverse("procedures:case_new"))
    assert 'value="officer_concern"' in choose

    subject = _page(client, reverse("procedures:case_new") + "?procedure=officer_concern")
    assert "Which member is it about?" in subject
    assert example.person("councillor").full_name in subject
    assert example.person("colleague").full_name not in subject  # an officer, not a member

    response = client.post(
        reverse("procedures:case_new"),
        {"procedure": "officer_concern", "subject": example.person("councillor").pk},
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(case)
    assert case.raiser_id == example.person("officer").pk
    assert case.subject_id == example.person("councillor").pk
    assert "Case started" in _page(client, response["Location"])


def test_a_member_has_nothing_to_raise_under_the_example_rules(example):
    page = _page(example.client("councillor"), reverse("procedures:case_new"))

    assert "nothing for you to raise" in page
    response = example.client("councillor").post(
        reverse("procedures:case_new"),
        {"procedure": "officer_concern", "subject": example.person("other_member").pk},
    )
    assert "nothing for you to raise" in html.unescape(response.content.decode())
    assert not Case.objects.exists()


def test_starting_a_case_without_choosing_who_it_is_about_names_the_field(example):
    response = example.client("officer").post(
        reverse("procedures:case_new"), {"procedure": "officer_concern", "subject": ""}
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_subject">Choose who it is about</a>' in page
    assert not Case.objects.exists()


# --- One case: explanations -----------------------------------------------------------------


def test_the_case_page_explains_the_stage_and_deadline_with_their_paragraphs(example):
    with time_machine.travel(dt.datetime(2026, 12, 21, 9, tzinfo=LONDON), tick=False):
        case = _open(example)
        page = _page(example.client("officer"), _url(case))

    assert "Procedure: An officer's concern about a member — Protocol v2026 §6" in page
    assert (
        "At 'Confidential discussion with a senior officer', handled by the Director of the "
        "person who raised it or the Monitoring Officer — Protocol v2026 §6.1"
    ) in page
    assert "Due by 5 January 2027 (5 working days) — Protocol v2026 §6.2" in page
    assert (
        "If it is still at this stage after that, a reminder goes to the Monitoring Officer "
        "— Protocol v2026 §6.2"
    ) in page
    assert "Opened: An officer's concern about a member — Protocol v2026 §6" in page
    assert "By you" in page


def test_the_history_names_stages_and_paragraphs_and_says_you_only_for_the_reader(example):
    case = _planted_case(example)

    mo = _page(example.client("mo"), _url(case))
    officer = _page(example.client("officer"), _url(case))

    step = (
        "Confidential discussion with a senior officer → The Monitoring Officer raises it with "
        "the member's Group Leader — Protocol v2026 §6.3"
    )
    assert step in mo
    assert step in officer
    assert "The case ended: Resolved, with a note of what was done — Protocol v2026 §6.4" in mo
    # The Monitoring Officer made two moves, the officer opened the case.
    assert mo.count("By you") == 2
    assert officer.count("By you") == 1


def test_a_handler_sees_the_moves_they_may_make_with_the_records_each_needs(example):
    case = _open(example)

    page = _page(example.client("director"), _url(case))

    assert "End the case: Resolved, with a note of what was done" in page
    assert 'name="move-resolved-reason"' in page
    # Only the Monitoring Officer may take the Group Leader step.
    assert "Move to: The Monitoring Officer raises it" not in page
    mo = _page(example.client("mo"), _url(case))
    assert "Move to: The Monitoring Officer raises it with the member's Group Leader" in mo
    assert CONSENT in mo
    assert "Not agreed yet" in mo


def test_a_refused_move_is_shown_in_the_error_summary_with_the_rules_explanation(example):
    case = _open(example)

    response = example.client("mo").post(
        _url(case), {"action": "move", "to": "group_leader_engagement"}
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in page
    summary = page[
        page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))
    ]
    assert CONSENT in summary
    case.refresh_from_db()
    assert case.stage == "discussion"


def test_a_missing_record_is_shown_on_its_box_with_the_rules_citation(example):
    case = _open(example)

    response = example.client("director").post(
        _url(case), {"action": "move", "to": "resolved", "move-resolved-reason": "  "}
    )

    page = html.unescape(response.content.decode())
    message = "Write the reason: this step needs it (Protocol v2026 §6.1)."
    assert f'<a href="#id_move-resolved-reason">{message}</a>' in page
    assert 'id="id_move-resolved-reason-error"' in page
    case.refresh_from_db()
    assert case.is_open


def test_a_move_with_its_record_moves_the_case_and_says_so(example):
    case = _open(example)
    client = example.client("director")

    response = client.post(
        _url(case), {"action": "move", "to": "resolved", "move-resolved-reason": "Settled."}
    )

    assert response.status_code == 302
    page = _page(client, response["Location"])
    assert "The case has ended: Resolved, with a note of what was done" in page
    case.refresh_from_db()
    assert case.outcome == "resolved"


# --- Consent --------------------------------------------------------------------------------


def test_only_the_person_who_raised_it_is_offered_the_consent_buttons(example):
    case = _open(example)

    raiser = _page(example.client("officer"), _url(case))
    assert "Your agreement" in raiser
    assert CONSENT in raiser
    assert 'name="action" value="consent"' in raiser
    for key in ("mo", "director"):
        page = _page(example.client(key), _url(case))
        assert 'value="consent"' not in page, key
        assert 'value="withdraw"' not in page, key
        assert "Your agreement" not in page, key


def test_the_raiser_gives_and_withdraws_agreement_from_the_page(example):
    case = _open(example)
    client = example.client("officer")
    url = _url(case)

    given = client.post(url, {"action": "consent", "to": "group_leader_engagement"})
    assert given.status_code == 302
    page = _page(client, url)
    assert "You agreed to this step" in page
    assert "You agreed</strong> on" in page
    assert 'name="action" value="withdraw"' in page
    assert "Agreed" in _page(example.client("mo"), url)

    withdrawn = client.post(url, {"action": "withdraw", "to": "group_leader_engagement"})
    assert withdrawn.status_code == 302
    page = _page(client, url)
    assert "You withdrew your agreement to this step" in page
    assert 'name="action" value="consent"' in page


def test_someone_else_trying_to_agree_is_refused_with_the_reason(example):
    case = _open(example)

    response = example.client("mo").post(
        _url(case), {"action": "consent", "to": "group_leader_engagement"}
    )

    page = html.unescape(response.content.decode())
    assert (
        "Only the person who raised it can give or withdraw this agreement — Protocol v2026 §6.3"
    ) in page
    assert not case.consents.exists()


# --- What must not be shown -----------------------------------------------------------------


def test_the_group_leader_sees_the_case_but_not_who_raised_it_or_who_it_is_about(example):
    case = _planted_case(example)

    page = _page(example.client("blue_leader"), _url(case))

    assert "The case ended: Resolved, with a note of what was done" in page
    for key in ("officer", "councillor"):
        person = example.person(key)
        assert person.full_name not in page
        assert person.family_name not in page
        assert person.email not in page
    assert MARKER not in page


def test_the_planted_marker_reaches_no_page_for_anyone(example):
    case = _planted_case(example)
    pages = [
        reverse("procedures:cases"),
        _url(case),
        reverse("procedures:case_new"),
        reverse("procedures:case_new") + "?procedure=officer_concern",
        reverse("web:home"),
    ]
    for key in EVERYONE:
        client = example.client(key)
        for url in pages:
            response = client.get(url)
            assert MARKER.encode() not in response.content, (key, url)


def test_a_hidden_case_is_the_same_404_page_as_an_unknown_one(example):
    case = _planted_case(example)
    unknown = reverse("procedures:case", args=[uuid.uuid4()])
    for key in ("councillor", "director", "colleague", "other_member", "deputy_mo", "chief_exec"):
        client = example.client(key)
        hidden = client.get(_url(case))
        missing = client.get(unknown)
        assert hidden.status_code == missing.status_code == 404, key
        assert _normalised(hidden.content) == _normalised(missing.content), key
        posted = client.post(_url(case), {"action": "consent", "to": "group_leader_engagement"})
        assert posted.status_code == 404, key
        assert _normalised(posted.content) == _normalised(client.post(unknown, {}).content)
        listing = _page(client, reverse("procedures:cases"))
        assert "0 cases" in listing, key
        assert str(case.public_id) not in listing


def test_stand_in_explanations_are_shown_only_to_those_handling_the_case(example):
    case = _open(example)
    relationship_declare(
        actor=None,
        person=example.person("mo"),
        other=example.person("councillor"),
        nature="family",
    )

    deputy = _page(example.client("deputy_mo"), _url(case))
    raiser = _page(example.client("officer"), _url(case))

    note = "acts instead — Protocol v2026 §2.2"
    assert "Conflicts of interest on this case" in deputy
    assert note in deputy
    assert note not in raiser
    assert "Conflicts of interest on this case" not in raiser
    assert example.client("mo").get(_url(case)).status_code == 404


def test_the_case_pages_have_no_inline_styles_or_scripts_and_unique_ids(example):
    case = _open(example)
    for key, url in (
        ("officer", reverse("procedures:cases")),
        ("officer", reverse("procedures:case_new")),
        ("officer", reverse("procedures:case_new") + "?procedure=officer_concern"),
        ("officer", _url(case)),
        ("director", _url(case)),
    ):
        response = example.client(key).get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert inline_code(content).problems == [], url
        ids = re.findall(r'\sid="([^"]+)"', content)
        assert len(ids) == len(set(ids)), url
