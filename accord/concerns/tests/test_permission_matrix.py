"""The permission matrix for conduct concerns (000 §49 to §51): every demo account, in every
situation a concern can be in, trying every action, against an oracle written from the profile
(`accord.concerns.tests.matrix`), never from the selectors under test.

Situations: each first contact; the management meeting before the officer agrees to the Group
Leader, with the agreement given, and with it withdrawn; the Group Leader engaged with and
without the officer's name, and after the concern moved on; Code of Conduct advice, follow-up and
both endings; a retaliation report reopening an ended concern; the Monitoring Officer replaced
for a declared relationship (before and after the concern reached them) and for earlier
involvement; a concern about a Group Leader; one about the deputy; one recorded on an officer's
behalf; the member's route to both endings, and with the officer's Director replaced; and the
demo's own two concerns. Everything is checked as things stand, and again with the Monitoring
Officer absent (their deputy acting) for the accounts the absence changes by the rules.

Layers: selectors (who sees what, lists, counts, queue, register search), services (every step,
agreement, sharing and report, each tried in a savepoint rolled back afterwards, with the emails
it sends), pages (list, detail with its forms and viewings, register with its search and count,
and its CSV) and the API. Every account's lists and counts are checked in every layer. A concern
the reader may see is opened, and its steps tried, in every layer. One they may not see at all
is refused by the same first read wherever it is opened, so each such pair is opened in at least
one read layer and one write is tried on it in one write layer (`matrix.spread`).

Each test collects its mismatches and reports them together, and prints its count (`-s`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accord.access.roles import STATUTORY_ROLES, Role, roles_for
from accord.accounts.testing import give_totp
from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.concerns.models import Concern
from accord.concerns.selectors import (
    Reading,
    concern_detail,
    concern_get,
    concern_queue,
    concern_register,
    concern_viewings,
    concerns_visible,
)
from accord.concerns.services import (
    concern_act,
    concern_consent_give,
    concern_consent_withdraw,
    concern_report,
    concern_share,
)
from accord.concerns.tests import matrix
from accord.concerns.tests.helpers import MARKER, account
from accord.concerns.tests.matrix import (
    DEMO_FACTS,
    FULL,
    GATE_TO,
    MOVES,
    NO_ACCOUNT,
    OUTCOMES,
    REPORT_BY,
    SHARED,
    SHOWN_TO_RAISER,
    STAGES,
    Oracle,
    Situation,
    Tally,
    attempt,
    demo_person,
    leaks,
    spread,
    token,
    tokens_in,
)
from accord.core.errors import NotFound
from accord.demo.data import DEMO_USERNAMES
from accord.directory.models import Member, Officer, RoleAppointment
from accord.notifications.services import notifications_sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council")]

PROFILE = settings.BASE_DIR / "accord/profiles/data/leicestershire-000.yaml"
# Each test's own floor (a half's, where a test is split in two); together they are well over
# the 2,000 checks the matrix must reach. The counts are fixed by the situations, not random.
FLOORS = {"selectors": 600, "steps": 1_000, "agreements": 900, "pages": 700, "api": 550}
# The bigger tests are split by account, so that two workers share them evenly.
HALVES = {"first": DEMO_USERNAMES[0::2], "second": DEMO_USERNAMES[1::2]}
API = "/api/v1/concerns"
NOT_FOUND = {"detail": "Not found.", "errors": []}
UUID = re.compile(r"/concerns/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")


@dataclasses.dataclass
class World:
    situations: dict[str, Situation]

    @property
    def by_public_id(self) -> dict[str, str]:
        return {s.public_id: key for key, s in self.situations.items()}

    @property
    def by_pk(self) -> dict[int, str]:
        return {s.pk: key for key, s in self.situations.items()}


@pytest.fixture(scope="module")
def world(demo_council: Any, django_db_blocker: Any) -> World:
    """The situations, built once for the module inside the demo council's transaction (which
    rolls them back at the end); statutory officers get an authenticator, as they must."""
    with django_db_blocker.unblock():
        for name in DEMO_USERNAMES:
            user = account(name)
            if roles_for(user) & STATUTORY_ROLES:
                give_totp(user)
        situations = matrix.build_situations()
    return World(situations)


def _phases(world: World) -> Iterator[tuple[str, Oracle, list[str]]]:
    """As things stand, for everyone; then with the Monitoring Officer away (rolled back
    afterwards), for the accounts whose part the absence changes by the rules."""
    today, absent = Oracle(), Oracle(mo_absent=True)
    yield "today", today, list(DEMO_USERNAMES)
    changed = matrix.changed_by(today, absent, world.situations)
    assert changed == ["monitoring-officer", "deputy-monitoring-officer"]
    with transaction.atomic():
        matrix.absent_monitoring_officer()
        yield "mo-absent", absent, changed
        transaction.set_rollback(True)


def _report(tally: Tally, title: str) -> None:
    print("\n" + tally.summary(title))
    shown = "\n".join(tally.mismatches[:60])
    more = len(tally.mismatches) - 60
    assert not tally.mismatches, f"{len(tally.mismatches)} mismatches:\n{shown}" + (
        f"\n… and {more} more" if more > 0 else ""
    )
    assert tally.total >= FLOORS[title], tally.summary(title)


def _allowed(oracle: Oracle, name: str, situations: dict[str, Situation]) -> set[str]:
    """Every planted text `name` may read, in any concern."""
    return {t.text for s in situations.values() for t in s.tokens if oracle.may_read(name, s, t)}


def _full(oracle: Oracle, name: str, world: World) -> list[str]:
    """The concerns a text search by the marker may find for `name`: those they see in full
    whose words carry it."""
    return sorted(
        k
        for k, s in world.situations.items()
        if oracle.reading(name, s) == FULL
        and any(t.searchable and MARKER in t.text for t in s.tokens)
    )


# --- The oracle's inputs are what they claim to be ------------------------------------------


def test_the_oracle_states_the_profile_and_the_demo_council_as_they_are(world):
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    for key in (matrix.OFFICER_CONCERN, matrix.MEMBER_CONCERN):
        procedure = profile["procedures"][key]
        stages = {
            s["key"]: (
                tuple(s["handlers"]),
                tuple(v for v in s["visible_to"] if v not in {"raiser", "handlers"}),
                bool(s.get("choose_handler")),
                tuple(s.get("requires_records", ())),
                bool(s.get("joint")),
            )
            for s in procedure["stages"]
        }
        assert stages == {
            k: (r.handlers, r.told, r.choose_handler, r.requires, r.joint)
            for k, r in STAGES[key].items()
        }
        # A move that ends the case also needs what every ending does (50(f)).
        ending = (procedure.get("every_ending") or {}).get("requires_records", [])
        outcomes = {o["key"] for o in procedure["outcomes"]}
        moves = {
            (t["from"], t["to"]): (
                tuple(t["by"]),
                tuple(
                    dict.fromkeys(
                        [*t.get("requires_records", ()), *(ending if t["to"] in outcomes else ())]
                    )
                ),
                (t.get("consent") or {}).get("from") == "raiser",
            )
            for t in procedure["transitions"]
        }
        assert moves == {
            (stage, m.to): (m.by, m.requires, m.consent_from_raiser)
            for stage, rules in MOVES[key].items()
            for m in rules
        }
        assert tuple(o["key"] for o in procedure["outcomes"]) == OUTCOMES[key]
        assert tuple((procedure.get("reopen") or {}).get("by", ())) == REPORT_BY[key]
        assert tuple(procedure.get("shown_to_raiser", ())) == SHOWN_TO_RAISER[key]
    alternates = {c["role"]: c["alternates"][0] for c in profile["conflicts"]}
    assert alternates["monitoring_officer"] == "deputy_monitoring_officer"
    assert alternates["subject.director"] == "chief_executive"

    names = {demo_person(n).pk: n for n in (*DEMO_USERNAMES, *NO_ACCOUNT)}
    for who, director in DEMO_FACTS.director_of.items():
        officer = Officer.objects.get(person=demo_person(who))
        appointed = RoleAppointment.objects.get(
            role="director", directorate_id=officer.directorate_id, ends_on__isnull=True
        )
        assert names.get(appointed.person_id) == director, who
    for who, manager in DEMO_FACTS.line_manager_of.items():
        line_manager = Officer.objects.get(person=demo_person(who)).line_manager
        assert line_manager is not None
        assert names.get(line_manager.person_id) == manager, who
    for who, leader in DEMO_FACTS.group_leader_of.items():
        group = Member.objects.get(person=demo_person(who)).group_id
        appointed = RoleAppointment.objects.get(
            role="group_leader", group_id=group, ends_on__isnull=True
        )
        assert names.get(appointed.person_id) == leader, who
    holders = {n: roles_for(account(n)) for n in DEMO_USERNAMES}
    assert [n for n, r in holders.items() if Role.MONITORING_OFFICER in r] == ["monitoring-officer"]
    assert [n for n, r in holders.items() if Role.DEPUTY_MONITORING_OFFICER in r] == [
        "deputy-monitoring-officer"
    ]
    assert [n for n, r in holders.items() if Role.CHIEF_EXECUTIVE in r] == ["chief-executive"]
    assert Concern.objects.count() == len(world.situations)


# --- Selectors: who sees what, in lists, queues, counts and the register's search ----------


@pytest.mark.parametrize("half", sorted(HALVES))
def test_each_account_sees_each_concern_only_as_000_says(world, half):
    tally = Tally()
    for phase, oracle, names in _phases(world):
        for name in HALVES[half]:
            _lists_of(tally, oracle, phase, name, world)
            if name in names:
                _reads_of(tally, oracle, phase, name, world)
    _report(tally, "selectors")


def _lists_of(tally: Tally, oracle: Oracle, phase: str, name: str, world: World) -> None:
    user = account(name)
    who = f"{phase} {name}"
    situations = world.situations
    visible = sorted(k for k, s in situations.items() if oracle.reading(name, s))
    found = concerns_visible(user)
    listed = sorted(world.by_pk.get(pk, f"pk {pk}") for pk in found.values_list("pk", flat=True))
    tally.check("list", f"{who} concerns_visible", visible, listed)
    tally.check("count", f"{who} concerns_visible count", len(visible), found.count())
    queue = sorted(k for k, s in situations.items() if oracle.queue(name, s))
    queued = concern_queue(user).values_list("pk", flat=True)
    tally.check("queue", f"{who} queue", queue, sorted(world.by_pk[pk] for pk in queued))


def _reads_of(tally: Tally, oracle: Oracle, phase: str, name: str, world: World) -> None:
    user = account(name)
    who = f"{phase} {name}"
    _register_of(tally, oracle, who, name, user, world)
    for key, s in world.situations.items():
        where = f"{who} {key}"
        expected = oracle.reading(name, s)
        if expected is None and spread(name, key, 2) == 0:
            continue  # refused by the same read in the page layer (see `spread`)
        try:
            concern = concern_get(user, s.public_id)
        except NotFound:
            concern = None
        tally.check("view", f"{where} concern_get", expected is not None, concern is not None)
        if concern is None or expected is None:
            continue
        detail = concern_detail(user, concern)
        reading = FULL if detail.reading is Reading.FULL else SHARED
        tally.check("reading", f"{where} reading", expected, reading)
        text = repr(detail)
        allowed = {t.text for t in s.tokens if oracle.may_read(name, s, t)}
        must = sorted(t.text for t in s.tokens if oracle.must_show(name, s, t))
        tally.check("fields", f"{where} shown beyond its readers", [], leaks(text, allowed, [s]))
        tally.check("fields", f"{where} shown", must, sorted(tokens_in(text, [s]) & set(must)))
        named = detail.raiser_name is not None
        tally.check("fields", f"{where} raiser named", oracle.raiser_named(name, s), named)
        tally.check(
            "fields",
            f"{where} recorded-by named",
            bool(s.recorded_by) and expected == FULL,
            detail.recorded_by_name is not None,
        )
        offered = sorted(m.to for m in detail.case.actions)
        tally.check("offered", f"{where} steps", sorted(oracle.moves_shown(name, s)), offered)
        gates = [a for a in detail.case.agreements if a.to == GATE_TO]
        tally.check(
            "offered",
            f"{where} may agree",
            oracle.consent_give(name, s) == "allow",
            any(a.can_give for a in gates),
        )
        tally.check(
            "offered",
            f"{where} may withdraw",
            oracle.consent_withdraw(name, s) == "allow",
            any(a.can_withdraw for a in gates),
        )
        tally.check(
            "offered", f"{where} may report", oracle.report(name, s) == "allow", detail.can_report
        )
        viewings = sorted(v.name for v in concern_viewings(user, concern))
        tally.check("viewings", f"{where} viewings", oracle.viewings(name, s), viewings)


def _register_of(
    tally: Tally, oracle: Oracle, who: str, name: str, user: Any, world: World
) -> None:
    situations = world.situations

    def found(**filters: str) -> list[str] | str:
        try:
            rows = concern_register(user, **filters)
        except NotFound:
            return "hidden"
        return sorted(world.by_pk.get(pk, f"pk {pk}") for pk in rows.values_list("pk", flat=True))

    if not oracle.keeps_register(name):
        tally.check("register", f"{who} register", "hidden", found())
        tally.check("register", f"{who} register search", "hidden", found(query=MARKER))
        return
    visible = sorted(k for k, s in situations.items() if oracle.reading(name, s))
    tally.check("register", f"{who} register", visible, found())
    for status, is_open in (("open", True), ("closed", False)):
        expected = [k for k in visible if situations[k].is_open is is_open]
        tally.check("register", f"{who} register {status}", expected, found(status=status))
    for direction, procedure in (
        (Concern.Direction.OFFICER_ABOUT_MEMBER, matrix.OFFICER_CONCERN),
        (Concern.Direction.MEMBER_ABOUT_OFFICER, matrix.MEMBER_CONCERN),
    ):
        expected = [k for k in visible if situations[k].procedure == procedure]
        tally.check("register", f"{who} register {direction}", expected, found(direction=direction))
    # Search finds words only in concerns the reader sees in full; it says nothing, not even a
    # count, about one they see in part or not at all.
    tally.check("search", f"{who} search {MARKER}", _full(oracle, name, world), found(query=MARKER))
    for key, s in situations.items():
        if spread(name, key, 2) == 0:
            continue  # searched for in the page layer
        what = next(t.text for t in s.tokens if t.kind == "concern")
        expected = [key] if oracle.reading(name, s) == FULL else []
        tally.check("search", f"{who} search {what}", expected, found(query=what))
    for family in sorted({s.subject_names[1] for s in situations.values()}):
        expected = [
            k
            for k in visible
            if any(family.lower() in n.lower() for n in situations[k].subject_names)
        ]
        tally.check("search", f"{who} search {family}", expected, found(query=family))


# --- Services: every step, agreement, share and report, tried by everyone -------------------


class _Mail:
    """Sends what is queued and checks every message: no planted text, and never to the
    person the concern is about."""

    def __init__(self, gateway: Any, world: World, tally: Tally) -> None:
        self.gateway = gateway
        self.tally = tally
        self.seen = 0
        self.situations = world.situations

    def send(self, where: str) -> None:
        notifications_sweep()
        for message in self.gateway.sent[self.seen :]:
            text = f"{message.subject}\n{message.body}\n{message.personalisation}"
            shown = leaks(text, (), self.situations.values())
            self.tally.check("email", f"{where}: email to {message.email}", [], shown)
            about = next((s for s in self.situations.values() if s.public_id in text), None)
            if "/concerns/" in text:
                linked = about is not None
                self.tally.check("email", f"{where}: email links a concern", True, linked)
            if about is not None:
                self.tally.check(
                    "email",
                    f"{where}: email about {about.key} to its subject",
                    False,
                    message.email == about.subject_email,
                )
        self.seen = len(self.gateway.sent)


def test_each_account_may_take_only_the_steps_000_gives_them(world, fake_gateway):
    tally = Tally()
    mail = _Mail(fake_gateway, world, tally)
    mail.send("raising and moving the situations into place")
    for phase, oracle, names in _phases(world):
        for name in names:
            user = account(name)
            for key, s in world.situations.items():
                hidden = oracle.reading(name, s) is None
                if hidden and spread(name, key, 2) != 0:
                    continue
                for to in matrix.targets(s)[:1] if hidden else matrix.targets(s):
                    where = f"{phase} {name} {key} → {to}"
                    move = partial(_move, user, s, to)
                    actual = attempt(move, partial(mail.send, where))
                    tally.check("step", where, oracle.move(name, s, to), actual)
    _report(tally, "steps")


def _move(user: Any, s: Situation, to: str) -> None:
    concern_act(actor=user, concern=s.concern(), to=to, records=_records(s, to))


def _records(s: Situation, to: str) -> dict[str, str]:
    """What the step needs written down: a planted text, or for the Chief Executive's action
    one of the words it must be."""
    return {
        r: "no_further_action" if r == "action" else f"Tried {token(s.key, 'try')}"
        for r in matrix.record_targets(s, to)
    }


def _give(user: Any, s: Situation) -> None:
    concern_consent_give(
        actor=user,
        concern=s.concern(),
        to=GATE_TO,
        summary=f"Tried {token(s.key, 'try')}",
        share_identity=True,
    )


def _withdraw(user: Any, s: Situation) -> None:
    concern_consent_withdraw(actor=user, concern=s.concern(), to=GATE_TO)


def _share(user: Any, s: Situation) -> None:
    summary = f"Tried {token(s.key, 'try')}"
    concern_share(actor=user, concern=s.concern(), summary=summary, share_identity=True)


def _later_report(user: Any, s: Situation) -> None:
    concern_report(actor=user, concern=s.concern(), report=f"Tried {token(s.key, 'try')}")


def test_only_the_raiser_agrees_and_shares_and_only_000_s_people_report(world, fake_gateway):
    tally = Tally()
    mail = _Mail(fake_gateway, world, tally)
    mail.send("raising and moving the situations into place")
    for phase, oracle, names in _phases(world):
        for name in names:
            user = account(name)
            for key, s in world.situations.items():
                tries = [
                    ("agree", oracle.consent_give, _give),
                    ("withdraw", oracle.consent_withdraw, _withdraw),
                    ("share", oracle.share, _share),
                    ("report", oracle.report, _later_report),
                ]
                if oracle.reading(name, s) is None:
                    if spread(name, key, 2) != 1:
                        continue
                    tries = [tries[spread(name, key[::-1], len(tries))]]
                for what, rule, do in tries:
                    where = f"{phase} {name} {key} {what}"
                    # Any refusal of an agreement is a refusal: no gate is being passed here.
                    actual = attempt(partial(do, user, s), partial(mail.send, where))
                    tally.check(what, where, rule(name, s), actual.replace("consent", "deny"))
    _report(tally, "agreements")


# --- Pages ----------------------------------------------------------------------------------


def _normalised(content: bytes) -> bytes:
    """A page with the parts that differ on every request blanked."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content)
    return re.sub(rb'nonce="[^"]+"', b"NONCE", content)


def _rolled_back(do: Any) -> Any:
    """A request in a savepoint rolled back afterwards: opening a concern records a viewing,
    and no request may change what the next one sees."""
    with transaction.atomic():
        response = do()
        transaction.set_rollback(True)
    return response


def _posted(client: Client, url: str, data: dict[str, str]) -> Any:
    response = _rolled_back(lambda: client.post(url, data))
    # The success message would otherwise appear on the next page the client opens.
    client.cookies.pop("messages", None)
    return response


def _ids(text: str, world: World) -> list[str]:
    lookup = world.by_public_id
    return sorted({lookup.get(found, f"unknown {found}") for found in UUID.findall(text)})


@pytest.mark.parametrize("half", sorted(HALVES))
def test_the_pages_show_each_account_only_what_000_lets_them_see(world, half):
    tally = Tally()
    for phase, oracle, names in _phases(world):
        for name in names:
            if name in HALVES[half]:
                client = Client()
                client.force_login(account(name))
                _pages_of(tally, oracle, f"{phase} {name}", name, client, world)
    _report(tally, "pages")


def _pages_of(
    tally: Tally, oracle: Oracle, who: str, name: str, client: Client, world: World
) -> None:
    situations = world.situations
    allowed = _allowed(oracle, name, situations)
    visible = sorted(k for k, s in situations.items() if oracle.reading(name, s))

    listing = _rolled_back(lambda: client.get(reverse("concerns:concern_list")))
    text = listing.content.decode()
    tally.check("list", f"{who} /concerns/ status", 200, listing.status_code)
    tally.check("list", f"{who} /concerns/ lists", visible, _ids(text, world))
    tally.check("list", f"{who} /concerns/ shows", [], leaks(text, allowed, situations.values()))
    _register_pages(tally, oracle, who, name, client, world)

    missing = _rolled_back(lambda: client.get(f"/concerns/{uuid.uuid4()}/"))
    tally.check("page", f"{who} a missing concern", 404, missing.status_code)
    for key, s in situations.items():
        where = f"{who} {key}"
        url = f"/concerns/{s.public_id}/"
        if oracle.reading(name, s) is None:
            if spread(name, key, 2) == 0:
                response = _rolled_back(lambda url=url: client.get(url))
                tally.check("page", f"{where} page", 404, response.status_code)
                same = _normalised(response.content) == _normalised(missing.content)
                tally.check("page", f"{where} 404 as for a missing one", True, same)
            if spread(name, key, 4) == 0:
                _hidden_post(tally, where, client, s, name)
            continue
        _page_of(tally, oracle, where, name, client, s)


def _page_of(
    tally: Tally, oracle: Oracle, where: str, name: str, client: Client, s: Situation
) -> None:
    response = _rolled_back(lambda: client.get(f"/concerns/{s.public_id}/"))
    tally.check("page", f"{where} page", 200, response.status_code)
    page = response.content.decode()
    mine = {t.text for t in s.tokens if oracle.may_read(name, s, t)}
    must = sorted(t.text for t in s.tokens if oracle.must_show(name, s, t))
    tally.check("page", f"{where} shows beyond its readers", [], leaks(page, mine, [s]))
    tally.check("page", f"{where} shows", must, sorted(tokens_in(page, [s]) & set(must)))
    if name != s.raiser:
        raiser = demo_person(s.raiser).full_name
        tally.check("page", f"{where} names raiser", oracle.raiser_named(name, s), raiser in page)
    offered = sorted(set(re.findall(r'id="move-([a-z_]+)"', page)))
    tally.check("page", f"{where} steps", sorted(oracle.moves_shown(name, s)), offered)
    forms = {
        "agree": (oracle.consent_give, 'name="decision" value="give"'),
        "withdraw": (oracle.consent_withdraw, 'name="decision" value="withdraw"'),
        "share": (oracle.share, f'action="/concerns/{s.public_id}/share/"'),
        "report": (oracle.report, f'action="/concerns/{s.public_id}/report/"'),
    }
    for what, (rule, marker) in forms.items():
        tally.check("page", f"{where} {what} form", rule(name, s) == "allow", marker in page)
    viewings = 'id="concern-viewings"' in page
    tally.check("page", f"{where} viewings shown", name == s.raiser, viewings)
    if name == s.raiser:
        seen = sorted(v for v in oracle.viewings(name, s) if v in page)
        tally.check("page", f"{where} viewings", oracle.viewings(name, s), seen)
    if spread(name, s.key, 2) == 0:
        # The first step the profile has from here: moved (a redirect) only if the rules let
        # this reader, otherwise the page again with the refusal.
        to = matrix.targets(s)[0]
        data = {"to": to} | {f"records.{r}": v for r, v in _records(s, to).items()}
        posted = _posted(client, f"/concerns/{s.public_id}/act/", data)
        actual = {302: "allow", 404: "hidden"}.get(posted.status_code, "deny")
        expected = oracle.move(name, s, to).replace("consent", "deny")
        tally.check("page", f"{where} POST act/ {to}", expected, actual)


def _hidden_post(tally: Tally, where: str, client: Client, s: Situation, name: str) -> None:
    """One write form, posted by someone who may not see the concern: the same 404."""
    posts = [
        ("act/", {"to": matrix.targets(s)[0]}),
        ("consent/", {"to": GATE_TO, "decision": "give", "summary": "x"}),
        ("consent/", {"to": GATE_TO, "decision": "withdraw"}),
        ("share/", {"summary": "x"}),
        ("report/", {"report": "x"}),
    ]
    path, data = posts[spread(name, s.key[::-1], len(posts))]
    response = _posted(client, f"/concerns/{s.public_id}/{path}", data)
    tally.check("page", f"{where} POST {path}", 404, response.status_code)


def _register_pages(
    tally: Tally, oracle: Oracle, who: str, name: str, client: Client, world: World
) -> None:
    register = reverse("concerns:concern_register")
    export = reverse("concerns:concern_register_csv")
    if not oracle.keeps_register(name):
        for url in (register, export, f"{register}?q={MARKER}"):
            response = _rolled_back(lambda url=url: client.get(url))
            tally.check("register", f"{who} {url}", 404, response.status_code)
        return
    situations = world.situations
    lookup = world.by_public_id
    allowed = _allowed(oracle, name, situations)
    visible = sorted(k for k, s in situations.items() if oracle.reading(name, s))
    for query, expected in (("", visible), (MARKER, _full(oracle, name, world))):
        response = _rolled_back(lambda query=query: client.get(register, {"q": query}))
        # The search box and the export link say back what was searched for.
        text = response.content.decode().replace(f'value="{MARKER}"', "")
        text = text.replace(f"q={MARKER}", "")
        tally.check("register", f"{who} register q={query!r}", expected, _ids(text, world))
        tally.check("register", f"{who} register q={query!r} count", len(expected), _count(text))
        shown = leaks(text, allowed, situations.values())
        tally.check("register", f"{who} register q={query!r} shows", [], shown)
        response = _rolled_back(lambda query=query: client.get(export, {"q": query}))
        body = response.content.decode()
        rows = list(csv.reader(io.StringIO(body)))[1:]
        listed = sorted(lookup.get(r[0], r[0]) for r in rows)
        tally.check("csv", f"{who} CSV q={query!r}", expected, listed)
        shown = leaks(body, allowed, situations.values())
        tally.check("csv", f"{who} CSV q={query!r} shows", [], shown)
        for row in rows:
            s = situations.get(lookup.get(row[0], ""))
            if s is not None:
                named = row[-1] == demo_person(s.raiser).full_name
                tally.check(
                    "csv", f"{who} CSV {s.key} raised by", oracle.raiser_named(name, s), named
                )
    # One concern's words, searched for by someone who does not see it in full, find nothing:
    # not a row and not a count.
    for key, s in situations.items():
        if spread(name, key, 2) != 0:
            continue
        what = next(t.text for t in s.tokens if t.kind == "concern")
        expected = [key] if oracle.reading(name, s) == FULL else []
        response = _rolled_back(lambda what=what: client.get(register, {"q": what}))
        count = _count(response.content.decode())
        tally.check("search", f"{who} register count q={what}", len(expected), count)


def _count(page: str) -> int | None:
    found = re.search(r'id="register-count"[^>]*>(\d+) concern', page)
    return int(found[1]) if found else None


# --- The API --------------------------------------------------------------------------------


@pytest.mark.parametrize("half", sorted(HALVES))
def test_the_api_answers_each_account_only_as_000_lets_it(world, half):
    tally = Tally()
    for phase, oracle, names in _phases(world):
        for name in names:
            if name in HALVES[half]:
                plaintext = token_create(actor=None, user=account(name), name="matrix")[1]
                _api_of(tally, oracle, f"{phase} {name}", name, ApiClient(plaintext), world)
    _report(tally, "api")


def _api_ids(body: Any, world: World) -> list[str]:
    return sorted(world.by_public_id.get(row["id"], row["id"]) for row in body["items"])


def _api_of(
    tally: Tally, oracle: Oracle, who: str, name: str, api: ApiClient, world: World
) -> None:
    situations = world.situations
    allowed = _allowed(oracle, name, situations)
    visible = sorted(k for k, s in situations.items() if oracle.reading(name, s))
    queue = sorted(k for k, s in situations.items() if oracle.queue(name, s))
    raised = sorted(k for k in visible if situations[k].raiser == name)
    for mine, expected in (("", visible), ("handling", queue), ("raised", raised)):
        params: dict[str, Any] = {"limit": 200} | ({"mine": mine} if mine else {})
        response = _rolled_back(lambda params=params: api.get(API, **params))
        body = response.json()
        tally.check("list", f"{who} GET {API}?mine={mine}", expected, _api_ids(body, world))
        tally.check("count", f"{who} GET {API}?mine={mine} count", len(expected), body["count"])
        shown = leaks(response.content.decode(), allowed, situations.values())
        tally.check("list", f"{who} GET {API}?mine={mine} shows", [], shown)
        for row in body["items"]:
            s = situations.get(world.by_public_id.get(row["id"], ""))
            if s is not None and name != s.raiser:
                named = row["raiser_name"] is not None
                tally.check(
                    "list", f"{who} list {s.key} raiser named", oracle.raiser_named(name, s), named
                )
    _api_register(tally, oracle, who, name, api, world)
    for key, s in situations.items():
        where = f"{who} {key}"
        if oracle.reading(name, s) is None:
            if spread(name, key, 2) == 1:
                _api_hidden(tally, where, name, api, s)
            continue
        _api_one(tally, oracle, where, name, api, s)


def _api_register(
    tally: Tally, oracle: Oracle, who: str, name: str, api: ApiClient, world: World
) -> None:
    register = _rolled_back(lambda: api.get(f"{API}/register", limit=200))
    searched = _rolled_back(lambda: api.get(f"{API}/register", limit=200, q=MARKER))
    if not oracle.keeps_register(name):
        found = (register.status_code, register.json())
        tally.check("register", f"{who} register", (404, NOT_FOUND), found)
        tally.check("register", f"{who} register q", 404, searched.status_code)
        return
    visible = sorted(k for k, s in world.situations.items() if oracle.reading(name, s))
    full = _full(oracle, name, world)
    tally.check("register", f"{who} register", visible, _api_ids(register.json(), world))
    tally.check("search", f"{who} register q", full, _api_ids(searched.json(), world))
    tally.check("search", f"{who} register q count", len(full), searched.json()["count"])
    allowed = _allowed(oracle, name, world.situations)
    shown = leaks(searched.content.decode(), allowed, world.situations.values())
    tally.check("search", f"{who} register q shows", [], shown)


def _api_hidden(tally: Tally, where: str, name: str, api: ApiClient, s: Situation) -> None:
    url = f"{API}/{s.public_id}"
    response = _rolled_back(lambda: api.get(url))
    found = (response.status_code, response.json())
    tally.check("api", f"{where} GET", (404, NOT_FOUND), found)
    if spread(name, s.key, 4) != 1:
        return
    writes = [
        ("post", "/actions", {"to": matrix.targets(s)[0], "records": {}}),
        ("post", "/consent", {"to": GATE_TO, "summary": "x"}),
        ("post", "/consent/withdraw", {"to": GATE_TO}),
        ("put", "/sharing", {"summary": "x"}),
        ("post", "/reports", {"report": "x"}),
        ("get", "/viewings", None),
    ]
    method, path, data = writes[spread(name, s.key[::-1], len(writes))]
    response = _rolled_back(lambda: _send(api, method, url + path, data))
    found = (response.status_code, response.json())
    tally.check("api", f"{where} {method.upper()} {path}", (404, NOT_FOUND), found)


def _api_one(
    tally: Tally, oracle: Oracle, where: str, name: str, api: ApiClient, s: Situation
) -> None:
    url = f"{API}/{s.public_id}"
    response = _rolled_back(lambda: api.get(url))
    tally.check("api", f"{where} GET", 200, response.status_code)
    text = response.content.decode()
    body = response.json()
    mine = {t.text for t in s.tokens if oracle.may_read(name, s, t)}
    must = sorted(t.text for t in s.tokens if oracle.must_show(name, s, t))
    tally.check("api", f"{where} shows beyond its readers", [], leaks(text, mine, [s]))
    tally.check("api", f"{where} shows", must, sorted(tokens_in(text, [s]) & set(must)))
    tally.check("api", f"{where} reading", oracle.reading(name, s), body["reading"])
    named = body["raiser_name"] is not None
    tally.check("api", f"{where} raiser named", oracle.raiser_named(name, s), named)
    offered = sorted(a["to"] for a in body["case"]["actions"])
    tally.check("api", f"{where} steps", sorted(oracle.moves_shown(name, s)), offered)
    reports = oracle.report(name, s) == "allow"
    tally.check("api", f"{where} may report", reports, body["can_report"])
    viewings = _rolled_back(lambda: api.get(f"{url}/viewings"))
    names = sorted(v["name"] for v in viewings.json())
    tally.check("api", f"{where} viewings", oracle.viewings(name, s), names)
    if spread(name, s.key, 2) == 1:
        to = matrix.targets(s)[0]
        data = {"to": to, "records": _records(s, to)}
        moved = _rolled_back(lambda: api.post(f"{url}/actions", data))
        actual = {200: "allow", 204: "allow", 404: "hidden"}.get(moved.status_code, "deny")
        expected = oracle.move(name, s, to).replace("consent", "deny")
        tally.check("api", f"{where} POST /actions {to}", expected, actual)


def _send(api: ApiClient, method: str, path: str, data: Any) -> Any:
    if method == "get":
        return api.get(path)
    if method == "put":
        return api.client.put(path, data, content_type="application/json", headers=api._headers())
    return api.post(path, data)
