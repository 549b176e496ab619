"""The permission matrix for conduct concerns: the situations a concern can be in on the demo
council, and an oracle that says, from the rules of 000 §49 to §51 alone, what each demo account
should be able to see and do in each of them.

The oracle is written out by hand from `accord/profiles/data/leicestershire-000.yaml` and the
demo council's shape (`DEMO_FACTS`); it never asks the selectors or services under test. A test
checks the hand-written rules still match the profile, and the facts still match the directory,
so a change to either shows up as a failed precondition rather than as a confusing mismatch.

Every confidential text planted in a situation is a token, `MARKER.<situation>.<field>.`, so a
page, a response, a CSV or an email can be scanned for exactly which concern's which field it
shows, and anything left over that carries `MARKER` is a leak.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from accord.concerns.models import Concern
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
from accord.concerns.tests.helpers import MARKER, account, all_take_part, member_led_by, person
from accord.core import clock
from accord.core.errors import NotFound, PermissionDenied, ValidationFailed
from accord.demo.data import DEMO_USERNAMES
from accord.directory.models import Member, Officer, Person
from accord.directory.services import absence_record
from accord.procedures.errors import ConsentMissing, ProcedureRefused
from accord.procedures.services import involvement_record
from accord.registers.services import relationship_declare

OFFICER_CONCERN = "officer_concern"
MEMBER_CONCERN = "member_concern"

# --- The rules, written out from the profile (000 §49 to §51) -----------------------------------


@dataclass(frozen=True)
class StageRule:
    handlers: tuple[str, ...]
    # Who else is told of the case while it is here; they see only what the raiser shared.
    told: tuple[str, ...] = ()
    choose_handler: bool = False
    requires: tuple[str, ...] = ()
    # 50(b): every handler takes part before the case can leave the stage.
    joint: bool = False


@dataclass(frozen=True)
class MoveRule:
    to: str
    by: tuple[str, ...]
    requires: tuple[str, ...] = ()
    consent_from_raiser: bool = False


STAGES: dict[str, dict[str, StageRule]] = {
    OFFICER_CONCERN: {
        # 50(a): the officer picks one of three senior officers; only that one has it.
        "discussion": StageRule(
            ("raiser.director", "chief_executive", "monitoring_officer"), choose_handler=True
        ),
        # 50(b): all three discuss it with the officer.
        "management_meeting": StageRule(
            ("chief_executive", "raiser.director", "monitoring_officer"),
            requires=("meeting_note",),
            joint=True,
        ),
        # 50(c): the member's Group Leader is told, with the officer's agreement.
        "group_leader_engagement": StageRule(
            ("chief_executive", "monitoring_officer"), told=("subject.group_leader",)
        ),
        # 50(e)
        "code_of_conduct_advice": StageRule(
            ("monitoring_officer",), requires=("breach_assessment",)
        ),
        # 50(f)
        "follow_up": StageRule(("monitoring_officer",), requires=("confidential_note",)),
        # A stated default run under 50(f), not a route 50(d) sets.
        "retaliation_review": StageRule(("monitoring_officer",)),
    },
    MEMBER_CONCERN: {
        # 51(a)
        "line_management": StageRule(("subject.line_manager", "subject.director")),
        # 51(b): considered and replied to; the member accepts it or takes it further, and the
        # manager and Director are told of it meanwhile.
        "management_reply": StageRule(
            ("raiser",), told=("subject.line_manager", "subject.director")
        ),
        # 51(b): the officer's Director is told while the Chief Executive decides.
        "chief_executive_review": StageRule(
            ("chief_executive",),
            told=("subject.director",),
            requires=("breach_assessment", "action"),
        ),
    },
}

_SENIOR = ("raiser.director", "chief_executive", "monitoring_officer")
MOVES: dict[str, dict[str, tuple[MoveRule, ...]]] = {
    OFFICER_CONCERN: {
        "discussion": (MoveRule("management_meeting", _SENIOR),),
        "management_meeting": (
            MoveRule(
                "group_leader_engagement",
                ("chief_executive", "monitoring_officer"),
                consent_from_raiser=True,
            ),
            MoveRule("code_of_conduct_advice", ("monitoring_officer",)),
            MoveRule("follow_up", ("monitoring_officer",), ("reason",)),
        ),
        "group_leader_engagement": (
            MoveRule("follow_up", ("chief_executive", "monitoring_officer")),
            MoveRule("code_of_conduct_advice", ("monitoring_officer",)),
        ),
        "code_of_conduct_advice": (
            MoveRule(
                "referred_to_code_of_conduct",
                ("monitoring_officer",),
                ("breach_assessment", "confidential_note"),
            ),
            MoveRule("follow_up", ("monitoring_officer",), ("reason",)),
        ),
        "follow_up": (
            MoveRule("resolved_informally", ("monitoring_officer",), ("confidential_note",)),
        ),
        "retaliation_review": (
            MoveRule("follow_up", ("monitoring_officer",)),
            MoveRule("code_of_conduct_advice", ("monitoring_officer",)),
        ),
    },
    MEMBER_CONCERN: {
        "line_management": (
            MoveRule(
                "management_reply",
                ("subject.line_manager", "subject.director"),
                ("reason", "reply_to_member"),
            ),
        ),
        "management_reply": (
            MoveRule("resolved_by_management", ("raiser",)),
            MoveRule("chief_executive_review", ("raiser",), ("reason",)),
        ),
        "chief_executive_review": (
            MoveRule(
                "decided_by_chief_executive",
                ("chief_executive",),
                ("breach_assessment", "action", "reply_to_member"),
            ),
        ),
    },
}
OUTCOMES = {
    OFFICER_CONCERN: ("resolved_informally", "referred_to_code_of_conduct"),
    MEMBER_CONCERN: ("resolved_by_management", "decided_by_chief_executive"),
}
# 50(d): a later report of pressure or retaliation, by the officer or the Monitoring Officer.
REPORT_BY = {OFFICER_CONCERN: ("raiser", "monitoring_officer"), MEMBER_CONCERN: ()}
# 51: the member is told how it ended in words written for them; nothing else management wrote.
SHOWN_TO_RAISER = {OFFICER_CONCERN: (), MEMBER_CONCERN: ("reply_to_member",)}
# The one gated step (50(c)); an agreement to it can be given while it is still ahead.
GATE_FROM = {OFFICER_CONCERN: "management_meeting"}
GATE_AHEAD_FROM = {"discussion", "management_meeting"}
GATE_TO = "group_leader_engagement"

# --- The demo council, as far as the rules care ---------------------------------------------

# Demo accounts plus the three people without an account that some situations are about.
NO_ACCOUNT = ("pa-member", "pa-member-2", "roads-manager")


@dataclass(frozen=True)
class DemoFacts:
    """Who is whose Director, line manager and Group Leader on the demo council (checked
    against the directory by a precondition test)."""

    director_of: dict[str, str]
    line_manager_of: dict[str, str]
    group_leader_of: dict[str, str]


DEMO_FACTS = DemoFacts(
    director_of={
        "officer": "director",
        "head-of-service": "director",
        "roads-manager": "director",
        "democratic-services": "monitoring-officer",
        "deputy-monitoring-officer": "monitoring-officer",
    },
    line_manager_of={
        "officer": "roads-manager",
        "head-of-service": "director",
        "roads-manager": "head-of-service",
        "deputy-monitoring-officer": "monitoring-officer",
    },
    group_leader_of={
        "member": "leader",
        "lead-member": "leader",
        "leader": "leader",
        "pa-member": "group-leader",
        "pa-member-2": "group-leader",
    },
)


def demo_person(name: str) -> Person:
    """The directory person behind a demo account or one of the `NO_ACCOUNT` labels."""
    if name == "pa-member":
        return member_led_by("group-leader")
    if name == "pa-member-2":
        first = member_led_by("group-leader")
        leader = person("group-leader")
        group = Member.objects.get(person=leader).group
        second = (
            Member.objects.filter(group=group, person__is_active=True)
            .exclude(person__in=[leader, first])
            .select_related("person")
            .order_by("person__family_name", "person_id")
            .first()
        )
        assert second is not None
        return second.person
    if name == "roads-manager":
        manager = Officer.objects.get(person=person("officer")).line_manager
        assert manager is not None
        return manager.person
    return person(name)


# --- Situations -----------------------------------------------------------------------------

FULL = "full"
SHARED = "shared"


@dataclass(frozen=True)
class Token:
    """One planted text: where it was written and who may read it."""

    text: str
    kind: str  # "concern" (what/outcome/tried), "summary", "record", "involvement"
    record: str = ""  # the record key, for a record
    writer: str = ""  # who wrote a record
    searchable: bool = False  # the register's text search looks in it
    # Whether a reader who may read it must be shown it as written (a recorded action is shown
    # in words, so its key need not be).
    required: bool = True


@dataclass
class Situation:
    key: str
    procedure: str
    raiser: str
    subject: str
    stage: str
    outcome: str = ""
    choice: str = ""
    consent: str = "none"  # none, given, withdrawn, used
    engaged: bool = False  # everyone handling a joint stage has taken part
    share_identity: bool = False
    kept_off: set[str] = field(default_factory=set)
    stand_ins: dict[str, str] = field(default_factory=dict)
    recorded_by: str = ""
    tokens: list[Token] = field(default_factory=list)
    viewed_by: list[str] = field(default_factory=list)
    pk: int = 0
    public_id: str = ""
    subject_names: tuple[str, str] = ("", "")
    subject_email: str = ""

    @property
    def is_open(self) -> bool:
        return not self.outcome

    def concern(self) -> Concern:
        return Concern.objects.select_related(
            "case", "case__raiser", "case__subject", "case__profile_version", "recorded_by"
        ).get(pk=self.pk)


def token(situation: str, name: str) -> str:
    return f"{MARKER}.{situation}.{name}."


# --- The oracle -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Oracle:
    """What the rules say, for one phase: with or without the Monitoring Officer absent (their
    first deputy acts meanwhile, SO §4.3)."""

    mo_absent: bool = False

    def names(self, expression: str, s: Situation) -> set[str]:
        """Who an expression names for this case, before conflicts."""
        facts = DEMO_FACTS
        found: str | None
        if expression == "raiser":
            found = s.raiser
        elif expression == "chief_executive":
            found = "chief-executive"
        elif expression == "monitoring_officer":
            found = "deputy-monitoring-officer" if self.mo_absent else "monitoring-officer"
        elif expression == "raiser.director":
            found = facts.director_of.get(s.raiser)
        elif expression == "subject.director":
            found = facts.director_of.get(s.subject)
        elif expression == "subject.line_manager":
            found = facts.line_manager_of.get(s.subject)
        elif expression == "subject.group_leader":
            found = facts.group_leader_of.get(s.subject)
        else:
            raise AssertionError(f"the oracle does not know {expression!r}")
        return {found} if found else set()

    def named_on_case(self, expression: str, s: Situation) -> set[str]:
        """Who an expression names on this case: nobody is given a concern about themselves,
        nobody kept off for a conflict has any part in it, and the profile's alternate stands
        in for whoever was kept off."""
        people = self.names(expression, s) - {s.subject} - s.kept_off
        if expression in s.stand_ins:
            people.add(s.stand_ins[expression])
        return people

    def _handler_expressions(self, s: Situation) -> tuple[str, ...]:
        rule = STAGES[s.procedure][s.stage]
        if rule.choose_handler and s.choice:
            return (s.choice,)
        return rule.handlers

    def handlers(self, s: Situation) -> set[str]:
        found: set[str] = set()
        for expression in self._handler_expressions(s):
            found |= self.named_on_case(expression, s)
        return found

    def reading(self, name: str, s: Situation) -> str | None:
        """FULL, SHARED or None (may not see it at all). An ended case keeps the rules of the
        stage it ended at."""
        if name == s.subject:
            return None
        if name == s.raiser or name in self.handlers(s):
            return FULL
        for expression in STAGES[s.procedure][s.stage].told:
            if name in self.named_on_case(expression, s):
                return SHARED
        return None

    def queue(self, name: str, s: Situation) -> bool:
        return s.is_open and name != s.raiser and name in self.handlers(s)

    def move(self, name: str, s: Situation, to: str) -> str:
        """'allow', 'hidden', 'consent' (allowed, but the agreement it needs is missing) or
        'deny'."""
        if self.reading(name, s) is None:
            return "hidden"
        if not s.is_open:
            return "deny"
        rule = next((m for m in MOVES[s.procedure][s.stage] if m.to == to), None)
        if rule is None or name not in self.may_make(s, rule):
            return "deny"
        if STAGES[s.procedure][s.stage].joint and not s.engaged:
            return "deny"  # 50(b): not until all three have taken part
        if rule.consent_from_raiser and s.consent != "given":
            return "consent"
        return "allow"

    def may_make(self, s: Situation, rule: MoveRule) -> set[str]:
        stage = STAGES[s.procedure][s.stage]
        found: set[str] = set()
        for expression in rule.by:
            if expression == "raiser":
                found.add(s.raiser)
                continue
            chosen_another = stage.choose_handler and s.choice and expression != s.choice
            if chosen_another and expression in stage.handlers:
                continue  # 50(a): only the one the officer went to
            found |= self.named_on_case(expression, s)
        return found

    def moves_shown(self, name: str, s: Situation) -> set[str]:
        """The steps the reader is offered (a gated one is offered before its agreement)."""
        if self.reading(name, s) is None or not s.is_open:
            return set()
        return {m.to for m in MOVES[s.procedure][s.stage] if name in self.may_make(s, m)}

    def consent_give(self, name: str, s: Situation) -> str:
        if self.reading(name, s) is None:
            return "hidden"
        if s.procedure not in GATE_FROM or name != s.raiser or not s.is_open:
            return "deny"
        if s.consent in {"given", "used"} or s.stage not in GATE_AHEAD_FROM:
            return "deny"
        return "allow"

    def consent_withdraw(self, name: str, s: Situation) -> str:
        if self.reading(name, s) is None:
            return "hidden"
        allowed = name == s.raiser and s.is_open and s.consent == "given"
        return "allow" if allowed else "deny"

    def share(self, name: str, s: Situation) -> str:
        if self.reading(name, s) is None:
            return "hidden"
        return "allow" if name == s.raiser else "deny"

    def report(self, name: str, s: Situation) -> str:
        if self.reading(name, s) is None:
            return "hidden"
        for expression in REPORT_BY[s.procedure]:
            if expression == "raiser":
                if name == s.raiser:
                    return "allow"
            elif name in self.named_on_case(expression, s):
                return "allow"
        return "deny"

    def may_read(self, name: str, s: Situation, t: Token) -> bool:
        reading = self.reading(name, s)
        if reading is None:
            return False
        handler = reading == FULL and name != s.raiser
        if t.kind == "summary":
            return True
        if t.kind == "concern":
            return reading == FULL
        if t.kind == "involvement":
            return handler
        # A record: those handling the case, whoever wrote it, and the raiser for the records
        # written for them.
        return (
            handler
            or t.writer == name
            or (name == s.raiser and t.record in SHOWN_TO_RAISER[s.procedure])
        )

    def must_show(self, name: str, s: Situation, t: Token) -> bool:
        """Whether the detail shown to `name` must include the token (everything they may read
        except an involvement note, which the concern's detail does not carry)."""
        return t.required and t.kind != "involvement" and self.may_read(name, s, t)

    def raiser_named(self, name: str, s: Situation) -> bool:
        reading = self.reading(name, s)
        return reading == FULL or (reading == SHARED and s.share_identity)

    def viewings(self, name: str, s: Situation) -> list[str]:
        return sorted(v for v in s.viewed_by if v != s.raiser) if name == s.raiser else []

    def keeps_register(self, name: str) -> bool:
        # 000 §50(f): the Monitoring Officer keeps it, with their deputy; by designation, so an
        # absent holder keeps the register but sees in it only what they may see that day.
        return name in {"monitoring-officer", "deputy-monitoring-officer"}


# --- Trying things --------------------------------------------------------------------------


class _RolledBack(Exception):
    pass


def attempt(do: Callable[[], Any], after: Callable[[], None] | None = None) -> str:
    """Run a write in a savepoint rolled back afterwards; 'allow', 'hidden', 'consent' or
    'deny'. `after` runs inside the savepoint when the write succeeded."""
    try:
        with transaction.atomic():
            do()
            if after is not None:
                after()
            raise _RolledBack
    except _RolledBack:
        return "allow"
    except NotFound:
        return "hidden"
    except ConsentMissing:
        return "consent"
    except (ProcedureRefused, ValidationFailed, PermissionDenied):
        return "deny"


@dataclass
class Tally:
    """Checks made and mismatches found, by layer."""

    checks: Counter[str] = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)
    unexpected_allows: int = 0
    unexpected_denies: int = 0

    def check(self, layer: str, what: str, expected: object, actual: object) -> bool:
        self.checks[layer] += 1
        if expected == actual:
            return True
        self.mismatches.append(f"[{layer}] {what}: expected {expected!r}, got {actual!r}")
        if actual == "allow" or actual is True:
            self.unexpected_allows += 1
        elif expected == "allow" or expected is True:
            self.unexpected_denies += 1
        return False

    @property
    def total(self) -> int:
        return sum(self.checks.values())

    def summary(self, title: str) -> str:
        layers = ", ".join(f"{layer} {count}" for layer, count in sorted(self.checks.items()))
        return (
            f"{title}: {self.total} checks ({layers}); {len(self.mismatches)} mismatches, "
            f"{self.unexpected_allows} unexpected allows, {self.unexpected_denies} unexpected "
            "denies"
        )


def leaks(text: str, allowed: Iterable[str], situations: Iterable[Situation] = ()) -> list[str]:
    """What `text` shows that it should not: the confidential texts of `situations` beyond the
    `allowed` ones, and anything else carrying the marker (each as 60 characters around it).
    Empty when nothing leaked."""
    permitted = set(allowed)
    found = sorted(tokens_in(text, situations) - permitted)
    rest = text
    for item in sorted(permitted, key=len, reverse=True):
        rest = rest.replace(item, "")
    start = rest.find(MARKER)
    while start != -1 and len(found) < 5:
        found.append(rest[max(0, start - 20) : start + 40])
        start = rest.find(MARKER, start + 1)
    return found


def tokens_in(text: str, situations: Iterable[Situation]) -> set[str]:
    return {t.text for s in situations for t in s.tokens if t.text in text}


# --- Building the situations ----------------------------------------------------------------


class Builder:
    """Raise the concerns and move each into its situation through the services, keeping the
    test's own account of where each is (the oracle's input)."""

    def __init__(self) -> None:
        self.situations: dict[str, Situation] = {}

    def _user(self, name: str) -> Any:
        return account(name)

    def officer_concern(
        self,
        key: str,
        *,
        subject: str,
        choice: str,
        raiser: str = "officer",
        recorded_by: str = "",
    ) -> Situation:
        s = Situation(key, OFFICER_CONCERN, raiser, subject, "discussion", choice=choice)
        s.tokens += [
            Token(token(key, "what"), "concern", searchable=True),
            Token(token(key, "outcome"), "concern", searchable=True),
            Token(token(key, "tried"), "concern"),
        ]
        concern = concern_raise(
            actor=self._user(recorded_by or raiser),
            direction=Concern.Direction.OFFICER_ABOUT_MEMBER,
            subject=demo_person(subject),
            what_happened=f"What happened: {token(key, 'what')}",
            outcome_wanted=f"Wanted: {token(key, 'outcome')}",
            tried_direct=True,
            tried_direct_details=f"Tried: {token(key, 'tried')}",
            first_contact=choice,
            raiser=demo_person(raiser) if recorded_by else None,
        )
        s.recorded_by = recorded_by
        return self._keep(s, concern)

    def member_concern(self, key: str, *, raiser: str, subject: str) -> Situation:
        s = Situation(key, MEMBER_CONCERN, raiser, subject, "line_management")
        s.tokens += [
            Token(token(key, "what"), "concern", searchable=True),
            Token(token(key, "outcome"), "concern", searchable=True),
            Token(token(key, "tried"), "concern"),
        ]
        concern = concern_raise(
            actor=self._user(raiser),
            direction=Concern.Direction.MEMBER_ABOUT_OFFICER,
            subject=demo_person(subject),
            what_happened=f"What happened: {token(key, 'what')}",
            outcome_wanted=f"Wanted: {token(key, 'outcome')}",
            tried_direct=True,
            tried_direct_details=f"Tried: {token(key, 'tried')}",
        )
        return self._keep(s, concern)

    def seeded(self, concern: Concern, s: Situation, what: str) -> Situation:
        """One of the demo's own concerns (its text is not a token, but is as confidential)."""
        s.tokens.append(Token(what, "concern"))
        return self._keep(s, concern)

    def _keep(self, s: Situation, concern: Concern) -> Situation:
        s.pk = concern.pk
        s.public_id = str(concern.case.public_id)
        subject = concern.case.subject
        assert subject is not None
        s.subject_names = (subject.given_name, subject.family_name)
        s.subject_email = subject.email
        self.situations[s.key] = s
        return s

    def act(self, key: str, by: str, to: str, *records: str, action: str = "") -> None:
        s = self.situations[key]
        written: dict[str, str] = {}
        for record in records:
            text = token(key, f"{record}.{len(s.tokens)}")
            written[record] = f"Record: {text}"
            s.tokens.append(Token(text, "record", record=record, writer=by))
        if action:
            # Not planted text, since it must be one of a few words; but as confidential.
            written["action"] = action
            words = (action, ACTIONS[action].split("'")[0])
            s.tokens += [Token(w, "record", "action", by, required=False) for w in words]
        concern_act(actor=self._user(by), concern=s.concern(), to=to, records=written)
        if to in OUTCOMES[s.procedure]:
            s.outcome = to
        else:
            s.stage = to
        if s.consent == "given" and to == GATE_TO:
            s.consent = "used"

    def take_part(self, key: str) -> None:
        """Everyone handling the joint stage records taking part (50(b))."""
        s = self.situations[key]
        all_take_part(s.concern())
        s.engaged = True

    def consent(self, key: str, *, share_identity: bool) -> None:
        s = self.situations[key]
        text = token(key, "summary")
        concern_consent_give(
            actor=self._user(s.raiser),
            concern=s.concern(),
            to=GATE_TO,
            summary=f"Shared: {text}",
            share_identity=share_identity,
        )
        s.tokens = [t for t in s.tokens if t.kind != "summary"] + [Token(text, "summary")]
        s.consent = "given"
        s.share_identity = share_identity

    def withdraw(self, key: str) -> None:
        s = self.situations[key]
        concern_consent_withdraw(actor=self._user(s.raiser), concern=s.concern(), to=GATE_TO)
        s.consent = "withdrawn"

    def share(self, key: str, *, share_identity: bool) -> None:
        s = self.situations[key]
        text = token(key, "summary")
        concern_share(
            actor=self._user(s.raiser),
            concern=s.concern(),
            summary=f"Shared: {text}",
            share_identity=share_identity,
        )
        s.tokens = [t for t in s.tokens if t.kind != "summary"] + [Token(text, "summary")]
        s.share_identity = share_identity

    def report(self, key: str) -> None:
        s = self.situations[key]
        text = token(key, f"report.{len(s.tokens)}")
        concern_report(actor=self._user(s.raiser), concern=s.concern(), report=f"Report: {text}")
        s.tokens.append(Token(text, "record", record="report", writer=s.raiser))
        s.stage = "retaliation_review"
        s.outcome = ""

    def involve(self, key: str, *, by: str, person: str, expression: str, stand_in: str) -> None:
        """Record a statutory officer's earlier involvement (SO §7.3): they are kept off, and
        the profile's alternate stands in where they were named."""
        s = self.situations[key]
        text = token(key, "involvement")
        involvement_record(
            actor=self._user(by),
            case=s.concern().case,
            person=demo_person(person),
            note=f"Involved: {text}",
        )
        s.tokens.append(Token(text, "involvement"))
        s.kept_off.add(person)
        s.stand_ins[expression] = stand_in

    def relationship(self, *, who: str, with_: str) -> None:
        relationship_declare(
            actor=self._user(who),
            person=demo_person(who),
            other=demo_person(with_),
            nature="friend",
        )

    def conflicted(self, key: str, *, person: str, expression: str, stand_in: str) -> None:
        """The test's note that a declared relationship keeps `person` off this case (000 §10)
        and that the profile's alternate for `expression` acts instead."""
        s = self.situations[key]
        s.kept_off.add(person)
        s.stand_ins[expression] = stand_in

    def view(self, oracle: Oracle) -> None:
        """Those handling each concern open it, so its raiser has viewings to see."""
        for s in self.situations.values():
            concern = s.concern()
            # The raiser handles a stage where the choice is theirs (51(b)); their own opening
            # is no viewing to show them.
            for name in sorted(oracle.handlers(s) & set(DEMO_USERNAMES) - {s.raiser}):
                concern_viewed(actor=self._user(name), concern=concern)
                s.viewed_by.append(person(name).full_name)


def build_situations() -> dict[str, Situation]:
    """Every situation the matrix checks, on the demo council (call inside a transaction)."""
    b = Builder()
    _seeded(b)
    # An officer's concern about a member (000 §50), first contact each of the three (50(a)).
    b.officer_concern("O01", subject="member", choice="monitoring_officer")
    b.officer_concern("O02", subject="member", choice="chief_executive")
    b.officer_concern("O03", subject="pa-member", choice="raiser.director")
    # The confidential meeting (50(b)), before the officer agrees to the Group Leader (50(c)),
    # with their agreement given, and with it withdrawn again.
    b.officer_concern("O04", subject="pa-member", choice="chief_executive")
    b.act("O04", "chief-executive", "management_meeting")
    b.officer_concern("O05", subject="pa-member", choice="chief_executive")
    b.act("O05", "chief-executive", "management_meeting")
    b.take_part("O05")
    b.consent("O05", share_identity=False)
    b.officer_concern("O06", subject="member", choice="raiser.director")
    b.act("O06", "director", "management_meeting")
    b.take_part("O06")
    b.consent("O06", share_identity=True)
    b.withdraw("O06")
    # The Group Leader engaged (50(c)): without the officer's name, and with it.
    b.officer_concern("O07", subject="pa-member", choice="chief_executive")
    b.act("O07", "chief-executive", "management_meeting")
    b.take_part("O07")
    b.consent("O07", share_identity=False)
    b.act("O07", "chief-executive", "group_leader_engagement", "meeting_note")
    b.officer_concern("O08", subject="member", choice="monitoring_officer")
    b.act("O08", "monitoring-officer", "management_meeting")
    b.take_part("O08")
    b.consent("O08", share_identity=True)
    b.act("O08", "monitoring-officer", "group_leader_engagement", "meeting_note")
    # After the Group Leader: it moves on and they no longer see it.
    b.officer_concern("O20", subject="pa-member", choice="chief_executive")
    b.act("O20", "chief-executive", "management_meeting")
    b.take_part("O20")
    b.consent("O20", share_identity=True)
    b.act("O20", "chief-executive", "group_leader_engagement", "meeting_note")
    b.act("O20", "chief-executive", "follow_up")
    # Code of Conduct advice (50(e)), follow-up (50(f)), and both endings.
    b.officer_concern("O09", subject="pa-member", choice="monitoring_officer")
    b.act("O09", "monitoring-officer", "management_meeting")
    b.take_part("O09")
    b.act("O09", "monitoring-officer", "code_of_conduct_advice", "meeting_note")
    b.officer_concern("O10", subject="member", choice="chief_executive")
    b.act("O10", "chief-executive", "management_meeting")
    b.take_part("O10")
    b.act("O10", "monitoring-officer", "follow_up", "meeting_note", "reason")
    b.officer_concern("O21", subject="pa-member", choice="monitoring_officer")
    b.act("O21", "monitoring-officer", "management_meeting")
    b.take_part("O21")
    b.act("O21", "monitoring-officer", "follow_up", "meeting_note", "reason")
    b.act("O21", "monitoring-officer", "resolved_informally", "confidential_note")
    # Settled informally: not by the Director alone, but after the meeting, with the note.
    b.officer_concern("O11", subject="pa-member", choice="raiser.director")
    b.act("O11", "director", "management_meeting")
    b.take_part("O11")
    b.act("O11", "monitoring-officer", "follow_up", "meeting_note", "reason")
    b.act("O11", "monitoring-officer", "resolved_informally", "confidential_note")
    b.officer_concern("O12", subject="member", choice="monitoring_officer")
    b.act("O12", "monitoring-officer", "management_meeting")
    b.take_part("O12")
    b.act("O12", "monitoring-officer", "code_of_conduct_advice", "meeting_note")
    b.act(
        "O12",
        "monitoring-officer",
        "referred_to_code_of_conduct",
        "breach_assessment",
        "confidential_note",
    )
    # A later report of pressure reopens an ended concern with the Monitoring Officer (50(d)).
    b.officer_concern("O13", subject="pa-member", choice="raiser.director")
    b.act("O13", "director", "management_meeting")
    b.take_part("O13")
    b.act("O13", "monitoring-officer", "follow_up", "meeting_note", "reason")
    b.act("O13", "monitoring-officer", "resolved_informally", "confidential_note")
    b.report("O13")
    # The Monitoring Officer declared a close relationship with the member before it was
    # raised (000 §10): their deputy takes it (App B 8.2), here and at the meeting.
    b.relationship(who="monitoring-officer", with_="pa-member-2")
    b.officer_concern("O14", subject="pa-member-2", choice="monitoring_officer")
    b.conflicted(
        "O14",
        person="monitoring-officer",
        expression="monitoring_officer",
        stand_in="deputy-monitoring-officer",
    )
    b.officer_concern("O15", subject="pa-member-2", choice="chief_executive")
    b.conflicted(
        "O15",
        person="monitoring-officer",
        expression="monitoring_officer",
        stand_in="deputy-monitoring-officer",
    )
    b.act("O15", "chief-executive", "management_meeting")
    # The Monitoring Officer recorded as involved earlier (SO §7.3): kept off, deputy acts.
    b.officer_concern("O16", subject="member", choice="chief_executive")
    b.act("O16", "chief-executive", "management_meeting")
    b.involve(
        "O16",
        by="chief-executive",
        person="monitoring-officer",
        expression="monitoring_officer",
        stand_in="deputy-monitoring-officer",
    )
    # About a Group Leader: the leader of the member's group is the member themselves.
    b.officer_concern("O17", subject="leader", choice="chief_executive")
    b.act("O17", "chief-executive", "management_meeting")
    b.take_part("O17")
    b.consent("O17", share_identity=False)
    b.act("O17", "chief-executive", "group_leader_engagement", "meeting_note")
    # An officer in Law and Governance: their Director is the Monitoring Officer.
    b.officer_concern(
        "O18", subject="lead-member", choice="raiser.director", raiser="democratic-services"
    )
    # Recorded by the Chief Executive for the officer who spoke to them.
    b.officer_concern(
        "O19",
        subject="lead-member",
        choice="chief_executive",
        raiser="head-of-service",
        recorded_by="chief-executive",
    )
    # A member's concern about an officer (000 §51).
    b.member_concern("M01", raiser="member", subject="officer")
    b.member_concern("M02", raiser="group-leader", subject="head-of-service")
    b.member_concern("M03", raiser="lead-member", subject="officer")
    b.share("M03", share_identity=False)
    b.act("M03", "director", "management_reply", "reason", "reply_to_member")
    b.act("M03", "lead-member", "chief_executive_review", "reason")
    b.member_concern("M04", raiser="member", subject="officer")
    b.act("M04", "director", "management_reply", "reason", "reply_to_member")
    b.act("M04", "member", "resolved_by_management")
    b.member_concern("M05", raiser="leader", subject="head-of-service")
    b.share("M05", share_identity=True)
    b.act("M05", "director", "management_reply", "reason", "reply_to_member")
    b.act("M05", "leader", "chief_executive_review", "reason")
    # Considered and replied to (51(b)): the member decides whether to take it further.
    b.member_concern("M08", raiser="member", subject="officer")
    b.share("M08", share_identity=False)
    b.act("M08", "director", "management_reply", "reason", "reply_to_member")
    b.act(
        "M05",
        "chief-executive",
        "decided_by_chief_executive",
        "breach_assessment",
        "reply_to_member",
        action="hr_referral",
    )
    # About the deputy: their line manager and Director is the Monitoring Officer.
    b.member_concern("M06", raiser="leader", subject="deputy-monitoring-officer")
    # The officer's Director declares a close relationship with them after it was raised: the
    # Chief Executive stands in (App A 6.1) beside the officer's line manager.
    b.member_concern("M07", raiser="member", subject="roads-manager")
    b.relationship(who="director", with_="roads-manager")
    b.conflicted(
        "M07", person="director", expression="subject.director", stand_in="chief-executive"
    )
    b.view(Oracle())
    return b.situations


def _seeded(b: Builder) -> None:
    """The demo's two concerns, as it seeds them."""
    demo = {(c.direction, c.case.raiser_id): c for c in Concern.objects.select_related("case")}
    member_one = demo[(Concern.Direction.MEMBER_ABOUT_OFFICER, person("group-leader").pk)]
    officer_one = demo[(Concern.Direction.OFFICER_ABOUT_MEMBER, person("officer").pk)]
    b.seeded(
        member_one,
        Situation("D1", MEMBER_CONCERN, "group-leader", "head-of-service", "line_management"),
        "resurfacing of a road in my division",
    )
    b.seeded(
        officer_one,
        Situation(
            "D2", OFFICER_CONCERN, "officer", "member", "discussion", choice="monitoring_officer"
        ),
        "raised their voice at me in front of residents",
    )


def absent_monitoring_officer() -> None:
    """The Monitoring Officer is away today and all week (their deputy acts, SO §4.3)."""
    today = clock.today()
    absence_record(
        actor=None,
        officer=Officer.objects.get(person=person("monitoring-officer")),
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
        reason="Leave",
    )


def record_targets(s: Situation, to: str) -> list[str]:
    """The records a step needs: the stage's own, and the step's."""
    rule = next((m for m in MOVES[s.procedure].get(s.stage, ()) if m.to == to), None)
    needed = list(STAGES[s.procedure][s.stage].requires) + list(rule.requires if rule else ())
    return list(dict.fromkeys(needed))


def targets(s: Situation) -> list[str]:
    """The steps to try: each the profile has from the stage, and one it does not."""
    moves = [m.to for m in MOVES[s.procedure][s.stage]]
    stray = next(
        o for o in (*OUTCOMES[s.procedure], "follow_up", "line_management") if o not in moves
    )
    return [*moves, stray]


def answers(oracle: Oracle, name: str, s: Situation) -> tuple[object, ...]:
    """Everything the oracle says about one account and one situation."""
    return (
        oracle.reading(name, s),
        oracle.queue(name, s),
        sorted(oracle.moves_shown(name, s)),
        [oracle.move(name, s, to) for to in targets(s)],
        oracle.consent_give(name, s),
        oracle.consent_withdraw(name, s),
        oracle.share(name, s),
        oracle.report(name, s),
    )


def changed_by(before: Oracle, after: Oracle, situations: dict[str, Situation]) -> list[str]:
    """The accounts for whom the rules give a different answer in `after` than in `before`."""
    return [
        name
        for name in DEMO_USERNAMES
        if any(answers(before, name, s) != answers(after, name, s) for s in situations.values())
    ]


def spread(name: str, key: str, ways: int) -> int:
    """Which of `ways` layers tries a pair the reader may not see at all: each such pair is
    refused by the same first read in every layer, so trying every write on it in every layer
    adds time and no strength. Stable, and even across accounts and situations."""
    return (DEMO_USERNAMES.index(name) + sum(map(ord, key))) % ways
