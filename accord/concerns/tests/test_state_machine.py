"""Random sequences of everything that can happen to conduct concerns on the demo council, with
the confidentiality and integrity rules checked after every step.

Hypothesis drives a state machine through raising concerns both ways (the officer choosing whom
to go to first), reading them, every move the engine offers to someone (and moves it does not
offer), a member escalating, the officer's agreement given and withdrawn and what they share,
conflicts of interest declared, later reports of retaliation, the clock running on with timers
firing, and years passing until the retention run deletes what ended. After every step:

(a) the person a concern is about never sees it (no stage of 000's concern routes names them);
(b) `concerns_visible` and the engine's `case_viewers` name the same demo accounts;
(c) someone told of a concern only in part never gets the marker planted in everything written,
    nor the raiser's name unless the raiser agreed to share it;
(d) nobody kept off a case for a conflict, or who declared a relationship with a party while
    the case was running, sees it;
(e) a case has one open stage while it runs and none once it has ended;
(f) the audit chain verifies;
(g) nothing is deleted before its retention ran out, and the retention run deletes all that did.

Every example runs inside a savepoint rolled back afterwards, so the demo council seeded once
for the module is the same at the start of each.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accord.accounts.models import User
from accord.audit.chain import compute_hash
from accord.audit.models import AuditEvent
from accord.audit.selectors import chain_head
from accord.audit.verify import verify_stored
from accord.concerns.models import Concern
from accord.concerns.selectors import Reading, concern_detail, concern_get, concerns_visible
from accord.concerns.services import (
    ACTIONS,
    concern_act,
    concern_consent_give,
    concern_consent_withdraw,
    concern_raise,
    concern_report,
    concern_share,
    concern_viewed,
)
from accord.concerns.tests.helpers import MARKER, member_led_by
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.core.testing import examples
from accord.demo.data import DEMO_USERNAMES
from accord.directory.models import Person
from accord.procedures.errors import (
    ConflictOfInterest,
    ConsentMissing,
    EngagementMissing,
    TransitionNotAllowed,
)
from accord.procedures.models import Case, CaseConsent, CaseEngagement, CaseExclusion, CaseStage
from accord.procedures.resolve import Standing
from accord.procedures.retention import expiry_of, retention_due
from accord.procedures.selectors import (
    case_actions,
    case_handlers,
    case_table,
    case_viewers,
    detail_cases,
    engagements_missing,
    joint_parts,
)
from accord.procedures.services import cases_expire, engagement_record, timers_sweep
from accord.profiles.expressions import ExpressionKind, Party
from accord.profiles.selectors import council_profile_in_force, profile_of
from accord.registers.services import relationship_declare

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_council", "fake_gateway")]

LONDON = zoneinfo.ZoneInfo("Europe/London")
OFFICERS = (
    "officer",
    "director",
    "head-of-service",
    "chief-executive",
    "monitoring-officer",
    "deputy-monitoring-officer",
    "chief-finance-officer",
    "democratic-services",
)
MEMBERS = ("member", "group-leader", "leader", "lead-member")
# A member with no account, so some concerns are about someone who cannot sign in at all.
NO_ACCOUNT = "member-without-account"
FIRST_CONTACTS = ("raiser.director", "chief_executive", "monitoring_officer")
SUMMARY = "Spoken to sharply at a site visit."
REPORTERS = ("raiser", "monitoring-officer", "deputy-monitoring-officer")
MAX_CONCERNS = 4
PICK = st.integers(0, MAX_CONCERNS - 1)
# The calendar knows bank holidays only up to 2100; stay well short of it.
LAST_YEAR = 2080
CASE = "procedures.case"
CONCERN = "concerns.concern"


def _start() -> dt.datetime:
    """The Monday after the demo was seeded (its appointments start the day it is seeded)."""
    today = dt.date.today()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(10, 0), tzinfo=LONDON)


@dataclass
class Demo:
    """The demo council's accounts and people, read once per module (the seed never changes)."""

    users: dict[str, User]
    people: dict[str, Person]
    by_person: dict[int, str]

    @classmethod
    def load(cls) -> Demo:
        users = {
            u.username: u
            for u in User.objects.select_related("person").filter(username__in=DEMO_USERNAMES)
        }
        people = {name: user.person for name, user in users.items() if user.person is not None}
        people[NO_ACCOUNT] = member_led_by("group-leader")
        assert not User.objects.filter(person=people[NO_ACCOUNT]).exists()
        by_person = {person.pk: name for name, person in people.items() if name in users}
        return cls(users, people, by_person)


class Reads:
    """`concerns_visible(user)` and `detail_cases(user)`, each compiled to SQL once and run
    afresh at every check.

    Those querysets are one filter built from the reader's standing on the day and the
    procedures in use, and nothing else: the cases themselves are only in the WHERE clause the
    database evaluates. So the SQL is kept under exactly those inputs and the database answers
    it anew each time, which is what makes checking every account after every step affordable
    (compiling the filter costs far more than running it).
    """

    def __init__(self) -> None:
        self.sql: dict[tuple[Any, ...], tuple[str, Any]] = {}

    def _combos(self) -> frozenset[tuple[int, str]]:
        return frozenset(
            Case.objects.order_by().values_list("profile_version_id", "procedure").distinct()
        )

    def seen(self, users: dict[str, User]) -> dict[str, tuple[set[int], Any]]:
        """For each account: the case ids of the concerns it sees, and a function giving the
        cases it sees in full."""
        combos = self._combos()
        found = {}
        for name, user in users.items():
            assert user.person_id is not None
            standing = Standing.of(user.person_id)
            visible = self._run(("visible", standing, combos), user)
            found[name] = (visible, functools.partial(self._run, ("full", standing, combos), user))
        return found

    def _run(self, key: tuple[Any, ...], user: User) -> set[int]:
        if key not in self.sql:
            if key[0] == "visible":
                query = concerns_visible(user).values_list("case_id", flat=True).query
            else:
                query = detail_cases(user).values_list("pk", flat=True).query
            self.sql[key] = query.sql_with_params()
        sql, params = self.sql[key]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}


_MODULE: dict[str, Any] = {}


def _shared() -> tuple[Demo, Reads]:
    if "demo" not in _MODULE:
        _MODULE["demo"] = Demo.load()
        _MODULE["reads"] = Reads()
    return _MODULE["demo"], _MODULE["reads"]


@dataclass
class Tracked:
    concern_id: int
    case_id: int
    public_id: str
    direction: str
    raiser: str
    subject: int
    # People who declared a relationship with a party while this case was running: they must
    # never see it from then on.
    guarded: set[int] = field(default_factory=set)


class ConcernMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.demo, self.reads = _shared()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.traveller = time_machine.travel(_start(), tick=False)
        self.clock = self.traveller.start()
        self.calendar = _calendar()
        self.concerns: list[Tracked] = []
        self.expired: dict[int, dt.date] = {}  # concern id → the last day it was kept
        self.relationships: list[tuple[int, int]] = []  # (person, party)
        self.audit_seq, self.audit_hash = chain_head()
        # What the last check saw of each case, so a case nothing happened to is not resolved
        # again: (day, last audit event on it or its concern, who is guarded).
        self.checked: dict[int, tuple[Any, ...]] = {}
        self.viewers: dict[int, set[int]] = {}
        self.touched: set[tuple[str, str]] = set()

    def teardown(self) -> None:
        try:
            result = verify_stored()
            assert result.ok, result.summary()
        finally:
            self.traveller.stop()
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

    # --- helpers ----------------------------------------------------------------------------

    def _live(self) -> list[Tracked]:
        return [t for t in self.concerns if t.concern_id not in self.expired]

    def _pick(self, index: int) -> Tracked:
        live = self._live()
        return live[index % len(live)]

    def _concern(self, tracked: Tracked) -> Concern:
        return Concern.objects.select_related("case", "case__profile_version").get(
            pk=tracked.concern_id
        )

    def _case(self, tracked: Tracked) -> Case:
        return Case.objects.select_related("profile_version", "raiser", "subject").get(
            pk=tracked.case_id
        )

    def _guard(self, tracked: Tracked) -> None:
        """Everyone with a declared relationship with a party is kept off the case from the
        moment it is (re)opened."""
        parties = {self._case(tracked).raiser_id, tracked.subject}
        tracked.guarded |= {p for p, other in self.relationships if other in parties} - parties

    def _sees(self, user: User, tracked: Tracked) -> bool:
        """Whether the rules let `user` see the case now (as the last check resolved them:
        nothing has happened since)."""
        return user.person_id in self.viewers[tracked.case_id]

    def _record(self, key: str, data: st.DataObject) -> str:
        if key == "action":
            return data.draw(st.sampled_from(sorted(ACTIONS)), label="action")
        return f"{key.replace('_', ' ')} {MARKER}"

    # --- raising ----------------------------------------------------------------------------

    @precondition(lambda self: len(self._live()) < MAX_CONCERNS)
    @rule(
        raiser=st.sampled_from(OFFICERS),
        subject=st.sampled_from((*MEMBERS, NO_ACCOUNT)),
        first_contact=st.sampled_from(FIRST_CONTACTS),
    )
    def raise_officer_concern(self, raiser: str, subject: str, first_contact: str) -> None:
        concern = concern_raise(
            actor=self.demo.users[raiser],
            direction=Concern.Direction.OFFICER_ABOUT_MEMBER,
            subject=self.demo.people[subject],
            what_happened=f"What happened {MARKER}",
            outcome_wanted=f"Outcome {MARKER}",
            tried_direct=True,
            tried_direct_details=f"Tried {MARKER}",
            first_contact=first_contact,
        )
        assert concern.case.handler_choice == first_contact
        self._track(concern, raiser)

    @precondition(lambda self: len(self._live()) < MAX_CONCERNS)
    @rule(raiser=st.sampled_from(MEMBERS), subject=st.sampled_from(OFFICERS))
    def raise_member_concern(self, raiser: str, subject: str) -> None:
        concern = concern_raise(
            actor=self.demo.users[raiser],
            direction=Concern.Direction.MEMBER_ABOUT_OFFICER,
            subject=self.demo.people[subject],
            what_happened=f"What happened {MARKER}",
            outcome_wanted=f"Outcome {MARKER}",
            tried_direct=False,
        )
        self._track(concern, raiser)

    def _track(self, concern: Concern, raiser: str) -> None:
        case = concern.case
        assert case.subject_id is not None
        tracked = Tracked(
            concern.pk, case.pk, str(case.public_id), concern.direction, raiser, case.subject_id
        )
        self._guard(tracked)
        self.concerns.append(tracked)

    # --- reading ----------------------------------------------------------------------------

    @precondition(lambda self: self._live())
    @rule(reader=st.sampled_from(DEMO_USERNAMES), index=PICK)
    def view(self, reader: str, index: int) -> None:
        tracked = self._pick(index)
        user = self.demo.users[reader]
        try:
            concern = concern_get(user, tracked.public_id)
        except NotFound:
            assert not self._sees(user, tracked)
            return
        detail = concern_detail(user, concern)
        concern_viewed(actor=user, concern=concern)
        if reader == tracked.raiser:
            assert detail.reading is Reading.FULL
            assert detail.what_happened == f"What happened {MARKER}"

    # --- acting -----------------------------------------------------------------------------

    @precondition(lambda self: self._live())
    @rule(index=PICK, data=st.data())
    def act(self, index: int, data: st.DataObject) -> None:
        """Someone handling the concern (or its raiser) takes a step the engine offers them."""
        tracked = self._pick(index)
        case = self._case(tracked)
        if not case.is_open:
            return
        people = sorted(set(case_handlers(case)) | {case.raiser_id})
        names = [self.demo.by_person[p] for p in people if p in self.demo.by_person]
        name = data.draw(st.sampled_from(names), label="by")
        user = self.demo.users[name]
        offered = case_actions(user, case)
        if not offered:
            return
        action = data.draw(st.sampled_from(offered), label="move")
        records = {key: self._record(key, data) for key in action.requires_records}
        concern = self._concern(tracked)
        if engagements_missing(case):
            # 000 §50(b): not until everyone handling the meeting has taken part.
            with pytest.raises(EngagementMissing):
                concern_act(actor=user, concern=concern, to=action.to, records=records)
            return
        if action.consent is not None and not action.consent_given:
            with pytest.raises(ConsentMissing):
                concern_act(actor=user, concern=concern, to=action.to, records=records)
            return
        moved = concern_act(actor=user, concern=concern, to=action.to, records=records)
        assert action.to in (moved.stage, moved.outcome)

    @precondition(lambda self: self._live())
    @rule(index=PICK, data=st.data())
    def take_part(self, index: int, data: st.DataObject) -> None:
        """Someone handling a joint stage records taking part in it (000 §50(b)), once."""
        tracked = self._pick(index)
        case = self._case(tracked)
        parts = joint_parts(case)
        people = sorted({p for part in parts for p in part.people} & set(self.demo.by_person))
        if not people:
            return
        user = self.demo.users[self.demo.by_person[data.draw(st.sampled_from(people))]]
        try:
            engagement_record(actor=user, case=case)
        except ValidationFailed:
            assert CaseEngagement.objects.filter(case=case, person=user.person).exists()

    @precondition(lambda self: self._live())
    @rule(actor=st.sampled_from(DEMO_USERNAMES), index=PICK, data=st.data())
    def act_unoffered(self, actor: str, index: int, data: st.DataObject) -> None:
        """A move the engine does not offer this person is refused, and nothing changes."""
        tracked = self._pick(index)
        concern = self._concern(tracked)
        case = concern.case
        user = self.demo.users[actor]
        visible = self._sees(user, tracked)
        offered = {a.to for a in case_actions(user, case)} if visible else set()
        moves = {t.to for t in case_table(case).procedure.transitions} - offered
        to = data.draw(st.sampled_from(sorted(moves)), label="to")
        try:
            concern_act(actor=user, concern=concern, to=to, records={})
        except NotFound:
            assert not visible
        except (TransitionNotAllowed, ConflictOfInterest):
            assert visible
        else:
            raise AssertionError(f"{actor} moved a concern to {to}, which was not offered")
        assert Case.objects.get(pk=case.pk).revision == case.revision

    @precondition(lambda self: self._live())
    @rule(index=PICK)
    def member_escalates(self, index: int) -> None:
        """The member who raised a concern about an officer takes it to the Chief Executive."""
        tracked = self._pick(index)
        if tracked.direction != Concern.Direction.MEMBER_ABOUT_OFFICER:
            return
        concern = self._concern(tracked)
        user = self.demo.users[tracked.raiser]
        records = {"reason": f"No reply {MARKER}"}
        # 000 §51(b): only once the manager or Director has considered it and replied.
        if concern.case.is_open and concern.case.stage == "management_reply":
            moved = concern_act(
                actor=user, concern=concern, to="chief_executive_review", records=records
            )
            assert moved.stage == "chief_executive_review"
        else:
            with pytest.raises(TransitionNotAllowed):
                concern_act(
                    actor=user, concern=concern, to="chief_executive_review", records=records
                )

    # --- the raiser's agreement and what they share ------------------------------------------

    @precondition(lambda self: self._live())
    @rule(index=PICK, give=st.booleans(), share_identity=st.booleans(), summary=st.booleans())
    def consent(self, index: int, give: bool, share_identity: bool, summary: bool) -> None:
        tracked = self._pick(index)
        concern = self._concern(tracked)
        case = concern.case
        user = self.demo.users[tracked.raiser]
        to = "group_leader_engagement"
        if tracked.direction != Concern.Direction.OFFICER_ABOUT_MEMBER:
            with pytest.raises(ValidationFailed):
                concern_consent_give(
                    actor=user, concern=concern, to=to, summary="", share_identity=False
                )
            return
        live = CaseConsent.objects.filter(case=case, withdrawn_at__isnull=True).first()
        if give:
            text = SUMMARY if summary else ""
            expected: type[Exception] | None = None
            gate_from = "management_meeting"
            if not case.is_open:
                expected = TransitionNotAllowed
            elif gate_from not in case_table(case).reachable_from(case.stage):
                # The case has moved past the step: agreeing to it now would mean nothing.
                expected = TransitionNotAllowed
            elif live is not None:
                expected = ValidationFailed
            if expected is not None:
                with pytest.raises(expected):
                    concern_consent_give(
                        actor=user, concern=concern, to=to, summary=text, share_identity=True
                    )
                return
            concern_consent_give(
                actor=user, concern=concern, to=to, summary=text, share_identity=share_identity
            )
            concern.refresh_from_db()
            assert (concern.shared_summary, concern.share_identity) == (text, share_identity)
            return
        expected = None
        if live is None:
            expected = ValidationFailed
        elif live.used_at is not None:
            expected = ConsentMissing
        elif not case.is_open:
            expected = TransitionNotAllowed
        if expected is not None:
            with pytest.raises(expected):
                concern_consent_withdraw(actor=user, concern=concern, to=to)
            return
        assert concern_consent_withdraw(actor=user, concern=concern, to=to).withdrawn_at

    @precondition(lambda self: self._live())
    @rule(index=PICK, actor=st.sampled_from(DEMO_USERNAMES), share_identity=st.booleans())
    def share(self, index: int, actor: str, share_identity: bool) -> None:
        """Only the raiser decides what is shared; anyone else is refused and nothing changes."""
        tracked = self._pick(index)
        concern = self._concern(tracked)
        user = self.demo.users[actor]
        if actor == tracked.raiser:
            shared = concern_share(
                actor=user, concern=concern, summary=SUMMARY, share_identity=share_identity
            )
            assert shared.share_identity is share_identity
            return
        before = (concern.shared_summary, concern.share_identity)
        with pytest.raises((NotFound, TransitionNotAllowed)):
            concern_share(actor=user, concern=concern, summary="", share_identity=True)
        concern.refresh_from_db()
        assert (concern.shared_summary, concern.share_identity) == before

    # --- conflicts, reports -----------------------------------------------------------------

    @precondition(lambda self: self._live())
    @rule(index=PICK, data=st.data())
    def declare_conflict(self, index: int, data: st.DataObject) -> None:
        """Someone handling the case declares a close relationship with one of its parties."""
        tracked = self._pick(index)
        case = self._case(tracked)
        parties = {case.raiser_id, tracked.subject}
        handlers = [p for p in case_handlers(case) if p not in parties] if case.is_open else []
        if not handlers:
            return
        person = data.draw(st.sampled_from(handlers), label="conflicted")
        party = data.draw(st.sampled_from(sorted(parties)), label="with")
        if (person, party) in self.relationships or (party, person) in self.relationships:
            return
        relationship_declare(
            actor=None,
            person=Person.objects.get(pk=person),
            other=Person.objects.get(pk=party),
            nature="friend",
        )
        self.relationships.append((person, party))
        for other in self._live():
            other_case = self._case(other)
            named = {other_case.raiser_id, other.subject}
            if other_case.is_open and party in named and person not in named:
                other.guarded.add(person)

    @precondition(lambda self: self._live())
    @rule(index=PICK, reporter=st.sampled_from(REPORTERS))
    def report_retaliation(self, index: int, reporter: str) -> None:
        """A later report of pressure or retaliation (000 §50(d)) brings an officer's concern
        back to the Monitoring Officer, open or ended; a member's concern has no such route."""
        tracked = self._pick(index)
        concern = self._concern(tracked)
        name = tracked.raiser if reporter == "raiser" else reporter
        user = self.demo.users[name]
        visible = self._sees(user, tracked)
        officer_route = tracked.direction == Concern.Direction.OFFICER_ABOUT_MEMBER
        try:
            case = concern_report(actor=user, concern=concern, report=f"Pressured {MARKER}")
        except NotFound:
            assert not visible
            return
        except TransitionNotAllowed:
            assert visible
            assert name != tracked.raiser or not officer_route
            return
        assert officer_route
        assert (case.is_open, case.stage, case.outcome) == (True, "retaliation_review", "")
        row = case.history.order_by("-at", "-pk").first()
        assert row is not None
        assert row.records == {"report": f"Pressured {MARKER}"}
        self._guard(tracked)

    # --- time -------------------------------------------------------------------------------

    @rule(days=st.integers(1, 25))
    def clock_runs_on(self, days: int) -> None:
        today = clock.today()
        self.clock.shift(self.calendar.add_working_days(today, days) - today)
        timers_sweep()
        # A concern left at its first stage past its time is now with the Monitoring Officer
        # too, whoever the officer chose to go to (000 §49).
        mo = self.demo.people["monitoring-officer"].pk
        for tracked in self._live():
            case = self._case(tracked)
            if not case.is_open or case.stage != "discussion":
                continue
            entered = CaseStage.objects.get(case=case, left_at__isnull=True).entered_at
            due = self.calendar.add_working_days(entered.astimezone(LONDON).date(), 5)
            kept_off = CaseExclusion.objects.filter(case=case, person_id=mo).exists()
            if due < clock.today() and not kept_off and mo != case.raiser_id:
                assert mo in case_handlers(case), case.handler_choice

    @precondition(lambda self: clock.today().year < LAST_YEAR)
    @rule(years=st.integers(1, 7), days=st.integers(-3, 3))
    def years_pass_and_retention_runs(self, years: int, days: int) -> None:
        today = clock.today()
        later = dt.date(today.year + years, today.month, min(today.day, 28))
        later += dt.timedelta(days=days)
        self.clock.shift(later - today)
        last_day = {t.concern_id: (t, expiry_of(self._case(t))) for t in self._live()}
        ran_out = {t.case_id for t, last in last_day.values() if last is not None and last < later}
        ours = {t.case_id for t in self._live()}
        due = {e.case_id for e in retention_due()}
        assert due & ours == ran_out
        cases_expire()
        for concern_id, (tracked, last) in last_day.items():
            gone = not Concern.objects.filter(pk=concern_id).exists()
            assert gone == (tracked.case_id in ran_out), (tracked, last, later)
            if gone:
                assert last is not None
                self.expired[concern_id] = last
        assert cases_expire() == 0

    # --- after every step -------------------------------------------------------------------

    @invariant()
    def the_rules_still_hold(self) -> None:
        self._check_audit_chain()
        self._check_deleted_only_when_expired()
        live = self._live()
        today = clock.today()
        marks = {t.case_id: (today, frozenset(t.guarded)) for t in live}
        changed = [
            t
            for t in live
            if (CASE, str(t.case_id)) in self.touched
            or (CONCERN, str(t.concern_id)) in self.touched
            or self.checked.get(t.case_id) != marks[t.case_id]
        ]
        self.touched = set()
        if not changed:
            return
        for tracked in changed:
            self.checked[tracked.case_id] = marks[tracked.case_id]
        cases = {
            c.pk: c
            for c in Case.objects.select_related("profile_version", "raiser", "subject").filter(
                pk__in=[t.case_id for t in changed]
            )
        }
        for tracked in changed:
            self.viewers[tracked.case_id] = case_viewers(cases[tracked.case_id])
        self._check_stages_and_parties(changed, cases)
        seen = self.reads.seen(self.demo.users)
        for name, user in self.demo.users.items():
            visible, full_cases = seen[name]
            for tracked in live:
                # (b) the list filter and the rules agree, account by account
                listed = tracked.case_id in visible
                assert listed == (user.person_id in self.viewers[tracked.case_id]), (
                    name,
                    tracked,
                    listed,
                )
            told = [t for t in changed if t.case_id in visible and t.raiser != name]
            if told:
                full = full_cases()
                for tracked in told:
                    if tracked.case_id not in full:
                        self._check_shared_reading(user, tracked)

    def _check_audit_chain(self) -> None:
        """(f) each new event chains from the one before and hashes to what it holds."""
        for event in AuditEvent.objects.filter(seq__gt=self.audit_seq).order_by("seq"):
            assert event.seq == self.audit_seq + 1
            assert event.prev_hash == self.audit_hash
            assert compute_hash(event) == event.hash
            self.audit_seq, self.audit_hash = event.seq, event.hash
            if not event.verb.endswith(".viewed"):
                self.touched.add((event.target_type, event.target_id))

    def _check_deleted_only_when_expired(self) -> None:
        """(g) a concern is gone only if the retention run deleted it after its last day."""
        ids = {t.concern_id for t in self.concerns}
        present = set(Concern.objects.filter(pk__in=ids).values_list("pk", flat=True))
        assert ids - present == set(self.expired)
        assert all(last < clock.today() for last in self.expired.values())

    def _check_stages_and_parties(self, changed: list[Tracked], cases: dict[int, Case]) -> None:
        open_stages = dict.fromkeys(cases, 0)
        for case_id in CaseStage.objects.filter(
            case_id__in=cases, left_at__isnull=True
        ).values_list("case_id", flat=True):
            open_stages[case_id] += 1
        excluded: dict[int, set[int]] = {}
        for case_id, person_id in CaseExclusion.objects.filter(case_id__in=cases).values_list(
            "case_id", "person_id"
        ):
            excluded.setdefault(case_id, set()).add(person_id)
        for tracked in changed:
            case = cases[tracked.case_id]
            viewers = self.viewers[case.pk]
            # (e) one open stage while it runs, none once it has ended
            assert open_stages[case.pk] == (1 if case.is_open else 0), tracked
            # (a) no stage of these routes names the subject, so they never see it
            assert not any(
                e.kind is ExpressionKind.PARTY and e.party is Party.SUBJECT
                for e in case_table(case).stages[case.stage].visible_to
            )
            assert tracked.subject not in viewers, (tracked, case.stage)
            # (d) kept off for a conflict, or related to a party while it ran: never sees it
            hidden = excluded.get(case.pk, set()) | tracked.guarded
            assert not hidden & viewers, (tracked, case.stage, hidden & viewers)

    def _check_shared_reading(self, user: User, tracked: Tracked) -> None:
        """(c) told of it only in part: what the raiser agreed to share, and their name only if
        they agreed to that; never what anyone wrote (bar what the reader wrote themselves)."""
        concern = concern_get(user, tracked.public_id)
        detail = concern_detail(user, concern)
        assert detail.reading is Reading.SHARED
        others = [entry for entry in detail.timeline if entry.by != "You"]
        assert MARKER not in repr(dataclasses.replace(detail, timeline=others))
        as_data = dataclasses.asdict(detail)
        as_data["timeline"] = [e for e in as_data["timeline"] if e["by"] != "You"]
        assert MARKER not in repr(as_data)
        assert detail.what_happened is None
        assert detail.outcome_wanted is None
        assert detail.tried_direct_details is None
        if not concern.share_identity:
            assert detail.raiser_name is None


def _calendar() -> Any:
    profile = profile_of(council_profile_in_force(on=clock.today()))
    assert profile.calendar is not None
    return profile.calendar.working_calendar()


@pytest.mark.property
def test_concerns_keep_their_confidentiality_whatever_happens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A person's standing is worked out from the directory, which nothing here changes: work
    # it out once a day per person for the whole run (every read and write asks for it).
    original = Standing.of
    standings: dict[tuple[int, dt.date], Standing] = {}

    def standing_of(cls: type[Standing], person_id: int, *, on: dt.date | None = None) -> Any:
        key = (person_id, on or clock.today())
        if key not in standings:
            standings[key] = original(person_id, on=key[1])
        return standings[key]

    monkeypatch.setattr(Standing, "of", classmethod(standing_of))
    run_state_machine_as_test(
        ConcernMachine,
        settings=settings(
            max_examples=examples(200, quick=30),
            stateful_step_count=30,
            suppress_health_check=[
                HealthCheck.function_scoped_fixture,
                HealthCheck.filter_too_much,
            ],
        ),
    )
