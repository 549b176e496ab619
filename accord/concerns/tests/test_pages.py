"""The conduct concern pages on the demo council (Leicestershire's rules): raising a concern in
either direction, one concern as each reader may see it, the steps and agreements on it, and the
Monitoring Officer's register with its export.

What they must never do: show a concern to someone the protocol keeps it from (they get the
site's ordinary 404, the same as for a concern that does not exist, and it is in no list or
count), or show what the person who raised it wrote to anyone who may see only what was shared.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts.selectors import has_totp, requires_mfa
from accord.accounts.testing import give_totp
from accord.audit.models import AuditEvent
from accord.concerns.models import Concern
from accord.concerns.selectors import concern_queue, concern_register, concerns_visible
from accord.concerns.services import ACTIONS, concern_act, concern_consent_give
from accord.concerns.tests.helpers import (
    MARKER,
    account,
    all_take_part,
    member_led_by,
    person,
    raise_member_concern,
    raise_officer_concern,
)
from accord.core import clock
from accord.demo.data import DEMO_USERNAMES
from accord.directory.models import Officer, Person
from accord.directory.tests import factories as typed_factories
from accord.web.tests.test_page_hygiene import inline_code

FIRST_STAGE = "Raised in confidence with the senior officer the officer chose to approach first"

factories: Any = typed_factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]

NEW = reverse("concerns:concern_new")
LIST = reverse("concerns:concern_list")
REGISTER = reverse("concerns:concern_register")
CSV = reverse("concerns:concern_register_csv")
CONSENT = (
    "This step can be taken only with the agreement of the person who raised it to the concern "
    "being taken to the leader of the member's political group — Protocol v2025 §50(c)"
)


def client_for(username: str) -> Client:
    user = account(username)
    if requires_mfa(user) and not has_totp(user):
        give_totp(user)
    client = Client()
    client.force_login(user)
    return client


def _url(concern: Concern, action: str = "") -> str:
    if action:
        return reverse(f"concerns:concern_{action}", args=[concern.case.public_id])
    return reverse("concerns:concern_detail", args=[concern.case.public_id])


def _text(response: Any) -> str:
    return html.unescape(bytes(response.content).decode())


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _text(response)


def _raised(response: Any) -> Concern:
    """The concern a successful raise redirected to."""
    assert response.status_code == 302, _text(response)
    public_id = response["Location"].strip("/").rsplit("/", 1)[-1]
    return Concern.objects.select_related("case").get(case__public_id=public_id)


def _summary(page: str) -> str:
    start = page.index("govuk-error-summary")
    return page[start : page.index("</ul>", start)]


def _normalised(content: bytes) -> bytes:
    """A page with what differs on every request blanked: the CSRF token and the CSP nonce."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content)
    return re.sub(rb'nonce="[^"]+"', b"NONCE", content)


def _raise_form(subject: Person, **extra: str) -> dict[str, Any]:
    return {
        "subject": subject.pk,
        "what_happened": "Shouted at me in the corridor.",
        "happened_on_day": "2",
        "happened_on_month": "2",
        "happened_on_year": "2026",
        "outcome_wanted": "An apology.",
        "tried_direct": "yes",
        "tried_direct_details": "I asked them to stop.",
        **extra,
    }


def _to_follow_up(concern: Concern) -> None:
    """The Director the officer went to passes it to the management meeting, where all three
    take part (000 §50(b)); the Monitoring Officer then takes up the note and follow-up."""
    concern_act(actor=account("director"), concern=concern, to="management_meeting")
    all_take_part(concern)
    concern_act(
        actor=account("monitoring-officer"),
        concern=concern,
        to="follow_up",
        records={"meeting_note": "Met.", "reason": "Settled at the meeting."},
    )


def _replied(concern: Concern, by: str = "director") -> None:
    """The manager or Director considers a member's concern and replies (000 §51(b))."""
    concern_act(
        actor=account(by),
        concern=concern,
        to="management_reply",
        records={"reason": "Spoke to the officer.", "reply_to_member": "We have looked at it."},
    )


def _moved_to_group_leader(
    concern: Concern, summary: str = "A rude remark at a site visit."
) -> None:
    """The Chief Executive's meeting, the officer's agreement, then the Group Leader step."""
    ce = account("chief-executive")
    concern_act(actor=ce, concern=concern, to="management_meeting")
    all_take_part(concern)
    concern_consent_give(
        actor=account("officer"),
        concern=concern,
        to="group_leader_engagement",
        summary=summary,
        share_identity=False,
    )
    concern.refresh_from_db()
    concern_act(
        actor=ce,
        concern=concern,
        to="group_leader_engagement",
        records={"meeting_note": f"Met {MARKER}"},
    )


# --- Raising --------------------------------------------------------------------------------


def test_an_officer_raises_a_concern_about_a_member_choosing_who_to_talk_to_first():
    client = client_for("officer")
    subject = member_led_by("group-leader")

    form = _page(client, NEW)
    assert "Which member is it about?" in form
    assert subject.full_name in form
    assert person("director").full_name not in form  # an officer: not someone to raise it about
    assert (
        "You choose who to talk to first: your Director, the Chief "
        "Executive (Head of Paid Service) or the Monitoring Officer. Only the person you choose "
        "will see this at first — Protocol v2025 §50(a)"
    ) in form
    assert (
        "You will be asked for your agreement to the concern being taken to the leader of the "
        "member's political group — Protocol v2025 §50(c)"
    ) in form
    assert "The person it is about cannot see it in Accord — Protocol v2025 §50" in form
    assert 'value="monitoring_officer"' in form
    assert "The Monitoring Officer" in form
    assert "Your Director" in form
    assert 'name="raiser"' not in form  # an ordinary officer cannot record it for anyone

    response = client.post(NEW, _raise_form(subject, first_contact="monitoring_officer"))

    concern = _raised(response)
    assert response["Location"] == _url(concern)
    assert concern.direction == Concern.Direction.OFFICER_ABOUT_MEMBER
    assert concern.case.raiser_id == person("officer").pk
    assert concern.case.subject_id == subject.pk
    assert concern.case.handler_choice == "monitoring_officer"
    assert concern.happened_on == dt.date(2026, 2, 2)
    assert concern.tried_direct is True
    assert concern.tried_direct_details == "I asked them to stop."
    page = _page(client, response["Location"])
    assert "Your concern has been raised" in page
    assert "Shouted at me in the corridor." in page
    assert "First talking to" in page
    assert "The Monitoring Officer" in page


def test_a_member_raises_a_concern_about_an_officer_which_goes_to_their_director():
    client = client_for("member")
    subject = person("officer")

    form = _page(client, NEW)
    assert "Which officer is it about?" in form
    assert subject.full_name in form
    assert 'name="first_contact"' not in form  # the rules say who takes it first
    assert "It goes first to the Line manager of the person it is about or the" in form

    response = client.post(NEW, _raise_form(subject, tried_direct="no"))

    concern = _raised(response)
    assert concern.direction == Concern.Direction.MEMBER_ABOUT_OFFICER
    assert concern.case.raiser_id == person("member").pk
    assert concern.tried_direct is False
    # The details box is always shown, so whatever was written in it is kept.
    assert concern.tried_direct_details == "I asked them to stop."
    assert "Shouted at me in the corridor." in _page(client_for("director"), _url(concern))


def test_a_blank_concern_names_each_missing_field_in_the_error_summary():
    before = Concern.objects.count()
    response = client_for("officer").post(NEW, {})

    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page
    summary = _summary(page)
    assert '<a href="#id_subject">Choose which member it is about</a>' in summary
    assert '<a href="#id_what_happened">Say what happened</a>' in summary
    assert (
        '<a href="#id_tried_direct">Say whether you have tried to settle it with them directly</a>'
    ) in summary
    assert '<a href="#id_first_contact">Choose who you want to talk to first</a>' in summary
    assert 'id="id_what_happened-error"' in page
    assert Concern.objects.count() == before


def test_a_date_in_the_future_is_refused_on_its_field():
    before = Concern.objects.count()
    tomorrow = clock.today() + dt.timedelta(days=1)
    response = client_for("officer").post(
        NEW,
        _raise_form(
            member_led_by("group-leader"),
            first_contact="monitoring_officer",
            happened_on_day=str(tomorrow.day),
            happened_on_month=str(tomorrow.month),
            happened_on_year=str(tomorrow.year),
        ),
    )

    summary = _summary(_text(response))
    assert '<a href="#id_happened_on">The date it happened must be today or earlier.</a>' in summary
    assert Concern.objects.count() == before


def test_a_director_may_record_a_concern_for_an_officer_who_came_to_them():
    director = client_for("director")
    assert 'name="raiser"' in _page(director, NEW)

    response = director.post(
        NEW, _raise_form(member_led_by("group-leader"), raiser=str(person("officer").pk))
    )

    concern = _raised(response)
    assert concern.case.raiser_id == person("officer").pk
    assert concern.recorded_by_id == person("director").pk
    assert concern.case.handler_choice == "raiser.director"
    page = _page(director, response["Location"])
    assert "The concern has been recorded for the person who spoke to you" in page
    assert f"Recorded for them by {person('director').full_name}" in page
    assert f"Recorded for them by {person('director').full_name}" in _page(
        client_for("officer"), response["Location"]
    )


def test_recording_for_an_officer_the_concern_would_not_go_to_you_for_is_refused():
    outsider = (
        Officer.objects.exclude(
            directorate=Officer.objects.get(person=person("director")).directorate
        )
        .filter(person__is_active=True, person__kind=Person.Kind.OFFICER)
        .select_related("person")
        .first()
    )
    assert outsider is not None
    before = Concern.objects.count()

    response = client_for("director").post(
        NEW, _raise_form(member_led_by("group-leader"), raiser=str(outsider.person.pk))
    )

    summary = _summary(_text(response))
    assert (
        '<a href="#id_raiser">Only someone the concern would go to first can record it for '
        "another person.</a>"
    ) in summary
    assert Concern.objects.count() == before


def test_the_raise_form_has_no_inline_styles_or_scripts():
    for username in ("officer", "member", "director"):
        assert inline_code(_page(client_for(username), NEW)).problems == [], username


# --- One concern ----------------------------------------------------------------------------


def test_the_concern_page_explains_the_stage_and_deadline_with_their_paragraphs():
    concern = raise_officer_concern(about=member_led_by("group-leader"))

    page = _page(client_for("monitoring-officer"), _url(concern))

    assert f"At '{FIRST_STAGE}', handled by" in page
    assert "— Protocol v2025 §50(a)" in page
    assert re.search(r"Due by \d+ \w+ \d{4} \(5 working days\) — Protocol v2025 §49", page)
    assert f"Raised: {FIRST_STAGE}" in page
    assert f"What happened {MARKER}" in page
    assert f"Outcome {MARKER}" in page
    assert f"Tried {MARKER}" in page
    assert person("officer").full_name in page


def test_opening_a_concern_is_shown_to_its_raiser_as_a_viewing():
    concern = raise_officer_concern(about=member_led_by("group-leader"))
    _page(client_for("monitoring-officer"), _url(concern))

    page = _page(client_for("officer"), _url(concern))

    assert "Who has viewed this concern" in page
    assert person("monitoring-officer").full_name in page
    handler = _page(client_for("monitoring-officer"), _url(concern))
    assert "Who has viewed this concern" not in handler


def test_the_subject_and_other_members_get_the_same_404_as_for_an_unknown_concern():
    concern = raise_officer_concern(about=person("member"))
    unknown = reverse("concerns:concern_detail", args=[uuid.uuid4()])
    for username in ("member", "group-leader", "leader", "lead-member", "director"):
        client = client_for(username)
        hidden = client.get(_url(concern))
        missing = client.get(unknown)
        assert hidden.status_code == missing.status_code == 404, username
        assert _normalised(hidden.content) == _normalised(missing.content), username
        for action in ("act", "consent", "share", "report"):
            posted = client.post(_url(concern, action), {"to": "management_meeting"})
            absent = client.post(reverse(f"concerns:concern_{action}", args=[uuid.uuid4()]), {})
            assert posted.status_code == 404, (username, action)
            assert _normalised(posted.content) == _normalised(absent.content), (username, action)
        listing = _page(client, LIST)
        assert str(concern.case.public_id) not in listing, username


def test_the_group_leader_sees_nothing_before_agreement_and_only_what_was_shared_after():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    concern_act(actor=account("chief-executive"), concern=concern, to="management_meeting")
    all_take_part(concern)
    leader = client_for("group-leader")
    assert leader.get(_url(concern)).status_code == 404

    officer = client_for("officer")
    given = officer.post(
        _url(concern, "consent"),
        {
            "to": "group_leader_engagement",
            "decision": "give",
            "summary": "A rude remark at a site visit.",
        },
    )
    assert given.status_code == 302
    assert "You agreed to this step" in _page(officer, given["Location"])
    moved = client_for("chief-executive").post(
        _url(concern, "act"),
        {"to": "group_leader_engagement", "records.meeting_note": f"Met {MARKER}"},
    )
    assert moved.status_code == 302

    page = _page(leader, _url(concern))
    assert "You can see only what the person who raised this concern agreed to share" in page
    assert "A rude remark at a site visit." in page
    assert "The person who raised it has not agreed to share their name" in page
    assert person("officer").full_name not in page
    assert MARKER not in page
    assert "What you can do" not in page
    assert "Who has viewed this concern" not in page
    listing = _page(leader, LIST)
    others = listing[listing.index('id="others"') :]
    assert f'href="{_url(concern)}"' in others


def test_the_raisers_name_reaches_the_group_leader_once_they_agree_to_share_it():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    _moved_to_group_leader(concern)
    officer = client_for("officer")

    saved = officer.post(
        _url(concern, "share"), {"summary": "Rude at a site visit.", "share_identity": "on"}
    )

    assert saved.status_code == 302
    assert "What may be shared has been saved" in _page(officer, saved["Location"])
    page = _page(client_for("group-leader"), _url(concern))
    assert person("officer").full_name in page
    assert "Rude at a site visit." in page


def test_a_marker_in_what_was_written_reaches_no_page_of_anyone_who_must_not_see_it():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    _moved_to_group_leader(concern)
    entitled = {"officer", "chief-executive", "monitoring-officer"}
    for username in DEMO_USERNAMES:
        client = client_for(username)
        urls = [LIST, NEW, reverse("web:home"), _url(concern), REGISTER, CSV, REGISTER + "?q=ZQX"]
        for url in urls:
            response = client.get(url)
            if username in entitled and url == _url(concern):
                assert MARKER in _text(response), username
            else:
                assert MARKER.encode() not in response.content, (username, url)


def test_a_refused_step_is_shown_in_the_error_summary_with_the_rules_explanation():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    concern_act(actor=account("chief-executive"), concern=concern, to="management_meeting")
    all_take_part(concern)

    response = client_for("chief-executive").post(
        _url(concern, "act"), {"to": "group_leader_engagement", "records.meeting_note": "Met."}
    )

    page = _text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert CONSENT in _summary(page)
    concern.refresh_from_db()
    assert concern.case.stage == "management_meeting"


def test_a_missing_record_is_shown_on_its_box_with_the_rules_citation():
    concern = raise_member_concern(about=person("officer"))

    response = client_for("director").post(
        _url(concern, "act"),
        {"to": "management_reply", "records.reason": "  ", "records.reply_to_member": "Seen."},
    )

    page = _text(response)
    message = "Write the reason: this step needs it (Protocol v2025 §51(a))."
    assert f'<a href="#move-management_reply-records.reason">{message}</a>' in page
    assert 'id="move-management_reply-records.reason-error"' in page
    concern.refresh_from_db()
    assert concern.case.stage == "line_management"


def test_a_step_with_its_record_ends_the_concern_and_says_so():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="raiser.director"
    )
    _to_follow_up(concern)
    mo = client_for("monitoring-officer")

    response = mo.post(
        _url(concern, "act"), {"to": "resolved_informally", "records.confidential_note": "Settled."}
    )

    assert response.status_code == 302
    assert response["Location"] == _url(concern)
    concern.refresh_from_db()
    assert concern.case.outcome == "resolved_informally"
    page = _page(mo, response["Location"])
    assert "The concern has ended: Resolved without formal action" in page
    assert "Settled." in page


def test_a_step_that_hands_the_concern_on_takes_the_reader_back_to_their_list():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    _moved_to_group_leader(concern)
    ce = client_for("chief-executive")

    response = ce.post(_url(concern, "act"), {"to": "follow_up"})

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert "The concern has moved to: Confidential note kept" in _page(ce, LIST)
    assert ce.get(_url(concern)).status_code == 404


def test_the_chief_executive_records_an_action_and_the_member_sees_only_the_reply():
    concern = raise_member_concern(about=person("officer"))
    _replied(concern)
    member = client_for("member")
    escalated = member.post(
        _url(concern, "act"), {"to": "chief_executive_review", "records.reason": "No reply."}
    )
    assert escalated.status_code == 302
    ce = client_for("chief-executive")
    form = _page(ce, _url(concern))
    for key, label in ACTIONS.items():
        assert f'value="{key}"' in form
        assert label in form
    assert "The person who raised the concern will see what you write here." in form

    decided = ce.post(
        _url(concern, "act"),
        {
            "to": "decided_by_chief_executive",
            "records.breach_assessment": "Possible breach ASSESSMENT-5521",
            "records.action": "hr_referral",
            "records.reply_to_member": "Dealt with under our procedures.",
        },
    )

    assert decided.status_code == 302
    assert ACTIONS["hr_referral"] in _page(ce, _url(concern))
    page = _page(member, _url(concern))
    assert "Dealt with under our procedures." in page
    assert "ASSESSMENT-5521" not in page
    assert ACTIONS["hr_referral"] not in page


def test_an_action_outside_the_councils_list_is_refused_on_its_field():
    concern = raise_member_concern(about=person("officer"))
    _replied(concern)
    concern_act(
        actor=account("member"),
        concern=concern,
        to="chief_executive_review",
        records={"reason": "No reply."},
    )

    response = client_for("chief-executive").post(
        _url(concern, "act"),
        {
            "to": "decided_by_chief_executive",
            "records.breach_assessment": "None.",
            "records.action": "dismissal",
            "records.reply_to_member": "Done.",
        },
    )

    assert '<a href="#move-decided_by_chief_executive-records.action">' in _summary(_text(response))


def test_the_raiser_withdraws_their_agreement_from_the_page():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    concern_act(actor=account("chief-executive"), concern=concern, to="management_meeting")
    officer = client_for("officer")
    officer.post(_url(concern, "consent"), {"to": "group_leader_engagement", "decision": "give"})

    response = officer.post(
        _url(concern, "consent"), {"to": "group_leader_engagement", "decision": "withdraw"}
    )

    assert response.status_code == 302
    page = _page(officer, response["Location"])
    assert "You withdrew your agreement to this step" in page
    assert 'name="decision" value="give"' in page


def test_only_the_raiser_is_offered_agreement_and_sharing_forms():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    concern_act(actor=account("chief-executive"), concern=concern, to="management_meeting")

    raiser = _page(client_for("officer"), _url(concern))
    assert "Your agreement" in raiser
    assert "What is shared" in raiser
    handler = _page(client_for("chief-executive"), _url(concern))
    assert "Your agreement" not in handler
    assert 'action="' + _url(concern, "share") + '"' not in handler
    refused = client_for("chief-executive").post(_url(concern, "share"), {"summary": "x"})
    assert "Only the person who raised the concern decides what is shared" in _summary(
        _text(refused)
    )


def test_a_report_of_retaliation_reopens_an_ended_concern_with_the_monitoring_officer():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="raiser.director"
    )
    _to_follow_up(concern)
    concern_act(
        actor=account("monitoring-officer"),
        concern=concern,
        to="resolved_informally",
        records={"confidential_note": "Settled."},
    )
    officer = client_for("officer")
    assert "Report pressure or retaliation" in _page(officer, _url(concern))
    empty = officer.post(_url(concern, "report"), {"report": ""})
    assert '<a href="#report-report">' in _summary(_text(empty))

    response = officer.post(_url(concern, "report"), {"report": "I was moved off the project."})

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.case.stage == "retaliation_review"
    assert "I was moved off the project." in _page(client_for("monitoring-officer"), _url(concern))


def test_the_step_agreement_sharing_and_report_forms_take_only_posts_with_a_csrf_token():
    concern = raise_officer_concern(about=member_led_by("group-leader"))
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(account("officer"))
    for action in ("act", "consent", "share", "report"):
        assert client_for("officer").get(_url(concern, action)).status_code == 405, action
        assert guarded.post(_url(concern, action), {"summary": "x"}).status_code == 403, action
    assert guarded.post(NEW, {}).status_code == 403
    concern.refresh_from_db()
    assert concern.shared_summary == ""


# --- Lists ----------------------------------------------------------------------------------


def _count(n: int) -> str:
    return f"{n} concern" if n == 1 else f"{n} concerns"


def test_the_list_shows_what_you_raised_what_waits_for_you_and_counts_only_those():
    concern = raise_officer_concern(about=member_led_by("group-leader"))
    hidden = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    officer, mo = account("officer"), account("monitoring-officer")

    page = _page(client_for("officer"), LIST)
    assert "Raise a concern" in page
    assert page.count(f'href="{_url(concern)}"') == 1
    raised = page[page.index('id="raised"') : page.index('id="waiting"')]
    assert _count(concerns_visible(officer).filter(case__raiser=officer.person).count()) in raised
    assert f'href="{_url(hidden)}"' in raised
    page = _page(client_for("monitoring-officer"), LIST)
    waiting = page[page.index('id="waiting"') : page.index('id="others"')]
    assert f'href="{_url(concern)}"' in waiting
    assert _count(concern_queue(mo).count()) in waiting
    assert _url(hidden) not in page


def test_each_list_pages_on_its_own():
    subject = member_led_by("group-leader")
    officer = account("officer")
    already = concerns_visible(officer).filter(case__raiser=officer.person).count()
    for _ in range(26 - already):
        raise_officer_concern(about=subject)

    first = _page(client_for("officer"), LIST)
    second = _page(client_for("officer"), LIST + "?raised=2")

    assert "26 concerns, page 1 of 2" in first
    assert "26 concerns, page 2 of 2" in second
    assert 'href="?raised=2"' in first
    raised = first[first.index('id="raised"') : first.index('id="waiting"')]
    assert len(re.findall(r'href="/concerns/[0-9a-f-]{36}/"', raised)) == 25
    raised = second[second.index('id="raised"') : second.index('id="waiting"')]
    assert len(re.findall(r'href="/concerns/[0-9a-f-]{36}/"', raised)) == 1


def test_the_navigation_offers_concerns_to_everyone_and_the_register_to_the_monitoring_officer():
    for username in DEMO_USERNAMES:
        home = _page(client_for(username), reverse("web:home"))
        assert f'href="{LIST}"' in home, username
        keeper = username in {"monitoring-officer", "deputy-monitoring-officer"}
        assert (f'href="{REGISTER}"' in home) is keeper, username


# --- The register ---------------------------------------------------------------------------


def test_the_register_is_not_found_for_anyone_but_the_monitoring_officer_and_deputy():
    raise_officer_concern(about=member_led_by("group-leader"))
    for username in DEMO_USERNAMES:
        client = client_for(username)
        keeper = username in {"monitoring-officer", "deputy-monitoring-officer"}
        missing = _normalised(client.get("/concerns/no-such-page/").content)
        for url in (REGISTER, CSV, REGISTER + "?status=open", CSV + "?q=x"):
            response = client.get(url)
            assert response.status_code == (200 if keeper else 404), (username, url)
            if not keeper:
                assert _normalised(response.content) == missing, (username, url)


def test_the_register_lists_and_filters_the_concerns_the_monitoring_officer_may_see():
    subject = member_led_by("group-leader")
    theirs = raise_officer_concern(about=subject)
    kept_from_them = raise_officer_concern(about=subject, first_contact="chief_executive")
    mo = client_for("monitoring-officer")

    page = _page(mo, REGISTER)
    assert f'href="{_url(theirs)}"' in page
    assert _url(kept_from_them) not in page
    assert _count(concern_register(account("monitoring-officer")).count()) in page
    assert subject.full_name in page
    assert MARKER not in page
    assert _url(theirs) not in _page(mo, REGISTER + "?direction=member_about_officer")
    assert _url(theirs) in _page(mo, REGISTER + "?direction=officer_about_member&status=open")
    assert _url(theirs) in _page(mo, REGISTER + "?q=" + MARKER)
    assert _url(theirs) in _page(mo, REGISTER + "?q=" + subject.family_name)
    assert "No concerns match." in _page(mo, REGISTER + "?status=closed")
    assert "No concerns match." in _page(mo, REGISTER + "?q=nothing-like-this")


def test_the_csv_export_has_the_filtered_rows_with_only_non_content_columns():
    subject = member_led_by("group-leader")
    seen = raise_officer_concern(about=subject)
    hidden = raise_officer_concern(about=subject, first_contact="chief_executive")

    response = client_for("monitoring-officer").get(CSV + "?status=open")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="concerns-register-')
    text = response.content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Public id",
        "Opened",
        "Closed",
        "Direction",
        "Procedure",
        "Stage",
        "Outcome",
        "About",
        "Raised by",
    ]
    by_id = {row[0]: row for row in rows[1:]}
    assert str(hidden.case.public_id) not in by_id
    row = by_id[str(seen.case.public_id)]
    assert row[1] == clock.today().isoformat()
    assert row[2] == ""
    assert row[3] == "An officer's concern about a member"
    assert row[4] == "An officer's concern about a member"
    assert row[5] == FIRST_STAGE
    assert row[7] == subject.full_name
    assert row[8] == person("officer").full_name
    assert MARKER not in text
    closed = client_for("monitoring-officer").get(CSV + "?status=closed").content.decode()
    assert str(seen.case.public_id) not in closed


def test_each_csv_export_is_audited_with_its_filters_and_row_count_only():
    subject = member_led_by("group-leader")
    raise_officer_concern(about=subject)

    text = client_for("monitoring-officer").get(CSV + "?status=open").content.decode()

    event = AuditEvent.objects.filter(verb="concerns.register_exported").latest("seq")
    assert event.actor_label == "monitoring-officer"
    assert event.data == {"filters": {"status": "open"}, "rows": len(text.splitlines()) - 1}


def test_the_csv_export_leaves_out_a_raisers_name_the_reader_may_not_see():
    # The deputy's Director is the Monitoring Officer: once the member takes the concern to
    # the Chief Executive, the Monitoring Officer is told of it but no longer handles it.
    concern = raise_member_concern(about=person("deputy-monitoring-officer"))
    _replied(concern, by="monitoring-officer")
    concern_act(
        actor=account("member"),
        concern=concern,
        to="chief_executive_review",
        records={"reason": "No reply."},
    )
    mo = client_for("monitoring-officer")

    rows = list(csv.reader(io.StringIO(mo.get(CSV).content.decode())))

    row = next(r for r in rows[1:] if r[0] == str(concern.case.public_id))
    assert row[7] == person("deputy-monitoring-officer").full_name
    assert row[8] == ""
    page = _page(mo, _url(concern))
    assert "You can see only what the person who raised this concern agreed to share" in page
    assert person("member").full_name not in page
    assert MARKER not in page


def test_the_csv_export_makes_cells_that_look_like_formulas_plain_text():
    member = factories.MemberFactory(
        person__given_name="=HYPERLINK(1)", person__family_name="Smith"
    )
    raise_officer_concern(about=member.person)

    text = client_for("monitoring-officer").get(CSV).content.decode()

    rows = list(csv.reader(io.StringIO(text)))
    assert any(row[7] == "'=HYPERLINK(1) Smith" for row in rows[1:])
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_generic_case_page_of_a_concern_links_to_it_and_takes_no_steps():
    concern = raise_officer_concern(
        about=member_led_by("group-leader"), first_contact="chief_executive"
    )
    client = client_for("chief-executive")
    generic = reverse("procedures:case", args=[concern.case.public_id])

    page = _page(client, generic)
    posted = client.post(generic, {"action": "move", "to": "management_meeting"})

    assert f'href="{_url(concern)}"' in page
    assert 'value="management_meeting"' not in page
    assert posted.status_code == 302
    assert posted["Location"] == _url(concern)
    concern.case.refresh_from_db()
    assert concern.case.stage == "discussion"
