"""The protocol rules pages: every rule of every shipped profile shown with its explanation and
the paragraph it comes from, to anyone signed in."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.core import clock
from accord.directory.tests import factories as typed_factories
from accord.procedures.tests.example_council import ExampleCouncil, example_council
from accord.profiles import shipped
from accord.profiles.explain import Explanation
from accord.profiles.models import ProfileVersion
from accord.profiles.selectors.presentation import ProfileRules, profile_rules
from accord.profiles.services import profile_version_store
from accord.web.tests.test_page_hygiene import inline_code

factories: Any = typed_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


def _text(response: Any) -> str:
    assert response.status_code == 200
    content: bytes = response.content
    return html.unescape(content.decode())


def _explanations(rules: ProfileRules) -> list[Explanation]:
    found: list[Explanation] = []
    for procedure in rules.procedures:
        found.append(procedure.explanation)
        for stage in procedure.stages:
            found += [stage.explanation, stage.visibility]
            found += [e for e in (stage.members_kept_out, stage.records) if e is not None]
            if stage.timer is not None:
                found.append(stage.timer.explanation)
        for step in procedure.transitions:
            found.append(step.explanation)
            found += [e for e in (step.consent, step.records) if e is not None]
        found += [outcome.explanation for outcome in procedure.outcomes]
    found += [duration.explanation for duration in rules.durations]
    found += [duty.explanation for duty in rules.duties]
    found += [rule.explanation for rule in rules.information]
    found += [rule.explanation for rule in rules.conflicts]
    return found


def test_the_rules_page_shows_the_council_profile_in_force_and_its_versions(example):
    page = _text(example.client("colleague").get(reverse("profiles:rules")))

    assert "Example County Council" in page
    assert "Member/Officer Protocol" in page
    assert "example_protocol, version 2026" in page
    assert "1 April 2026" in page
    assert reverse("profiles:rules_version", args=["example", 1]) in page
    assert "In force" in page


def test_a_member_without_any_role_can_read_the_rules(example):
    client = example.client("other_member")
    assert client.get(reverse("profiles:rules")).status_code == 200
    assert client.get(reverse("profiles:rules_version", args=["example", 1])).status_code == 200


def test_the_rules_page_says_so_when_the_council_has_no_profile():
    user = factories.UserFactory(username="reader", person=factories.OfficerFactory().person)
    client = Client()
    client.force_login(user)

    page = _text(client.get(reverse("profiles:rules")))

    assert "No protocol rules are in force for the council yet" in page


def test_a_version_page_explains_every_rule_with_its_citation(example):
    page = _text(
        example.client("colleague").get(reverse("profiles:rules_version", args=["example", 1]))
    )

    # A stage: who handles it, who sees it, members kept out, its timer, each with the paragraph.
    assert (
        "Confidential discussion with a senior officer: handled by the Director of the person "
        "who raised it or the Monitoring Officer — Protocol v2026 §6.1"
    ) in page
    assert (
        "While the case is here, only the person who raised it and those handling it can see "
        "it — Protocol v2026 §6.1"
    ) in page
    assert "No member takes part in or sees this stage — Protocol v2026 §6.1" in page
    assert (
        "If the case is still here after 5 working days, a reminder goes to the Monitoring "
        "Officer — Protocol v2026 §6.2"
    ) in page
    # A transition's consent and records, an outcome, durations, duties, information, conflicts.
    assert (
        "This step can be taken only with the agreement of the person who raised it to the "
        "concern being raised with the member's Group Leader — Protocol v2026 §6.3"
    ) in page
    assert "Written down when this step is taken: reason — Protocol v2026 §6.4" in page
    assert "The case ends: Resolved, with a note of what was done — Protocol v2026 §6.4" in page
    assert (
        "From 'Confidential discussion with a senior officer' to 'Resolved, with a note of what "
        "was done': taken by the Director of the person who raised it or the Monitoring Officer "
        "— Protocol v2026 §6.4"
    ) in page
    assert "Concern reminder: 5 working days — Protocol v2026 §6.2" in page
    assert (
        "About an approach from the press, tell the members for the division and the Lead "
        "Member for the area promptly — Protocol v2026 §5.2"
    ) in page
    assert (
        "A briefing offered to one political group is offered to the others too — "
        "Protocol v2026 §3.2"
    ) in page
    assert (
        "If the Monitoring Officer has a conflict of interest, the Deputy monitoring officer or, "
        "failing them, the Chief Executive acts instead — Protocol v2026 §2.2"
    ) in page
    # A silence, with the default Accord uses.
    assert "How quickly an officer's concern is acknowledged" in page
    assert "The Monitoring Officer is reminded after 5 working days" in page


@pytest.mark.parametrize("name", shipped.shipped_names())
def test_every_version_of_every_shipped_profile_shows_all_its_explanations(example, name):
    stored: list[ProfileVersion] = [
        profile_version_store(actor=None, text=text) for text in shipped.shipped_texts(name)
    ]
    client = example.client("colleague")
    for version in stored:
        response = client.get(
            reverse("profiles:rules_version", args=[version.profile_id, version.version])
        )
        page = _text(response)
        assert inline_code(response.content.decode()).problems == []
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)
        rules = profile_rules(version)
        missing = [str(e) for e in _explanations(rules) if str(e) not in page]
        assert missing == [], (version, missing[:3])
        for silence in rules.silences:
            assert silence.topic in page
            assert silence.default in page


def test_an_unknown_profile_or_version_is_not_found(example):
    client = example.client("colleague")
    assert client.get(reverse("profiles:rules_version", args=["example", 9])).status_code == 404
    assert client.get(reverse("profiles:rules_version", args=["nothing", 1])).status_code == 404


def test_a_later_version_not_yet_in_force_is_listed_as_such(example):
    text = example.version.text.replace("version: 1\n", "version: 2\nsupersedes: 1\n", 1)
    later = clock.today() + dt.timedelta(days=400)
    text = text.replace("in_force_from: 2026-04-01", f"in_force_from: {later.isoformat()}")
    profile_version_store(actor=None, text=text)

    page = _text(example.client("colleague").get(reverse("profiles:rules")))

    assert "Not yet in force" in page
    assert reverse("profiles:rules_version", args=["example", 2]) in page
    assert "Version 1 of the example profile" in page


def test_protocol_rules_is_in_everyones_navigation(example):
    user = factories.UserFactory(username="no-person", person=None)
    client = Client()
    client.force_login(user)

    page = _text(client.get(reverse("web:home")))

    assert f'href="{reverse("profiles:rules")}"' in page
