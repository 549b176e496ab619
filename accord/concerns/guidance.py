"""What happens to a concern raised today and who will see it: the route the council's rules in
force give the person raising it, in words addressed to them, each line citing its paragraph.

It describes the route, never a concern: it reads the rules and the reader's own place in the
directory, nothing anyone has raised, so it can be shown before a concern exists. The raise form
and `GET /api/v1/concerns/guidance` both show `concern_guidance`, re-exported by
`accord.concerns.selectors`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from accord.access.actor import Actor
from accord.access.roles import Role, roles_for
from accord.concerns.models import Concern
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.directory.models import Person
from accord.directory.selectors import person_signed_in
from accord.procedures.table import TransitionTable, table_for
from accord.profiles.explain import Explanation, describe, explain
from accord.profiles.expressions import ExpressionKind, Party, Relation, RoleExpression
from accord.profiles.loader import load_profile
from accord.profiles.schema import Profile, Purpose
from accord.profiles.selectors import council_profile_in_force

__all__ = ["ConcernGuidance", "FirstContact", "concern_guidance", "direction_purpose", "to_raiser"]

# Who raises which kind of concern, and whom it is about: an officer about a member, a member
# about an officer (000 §49).
RAISES: dict[str, tuple[Concern.Direction, Person.Kind]] = {
    Person.Kind.OFFICER: (Concern.Direction.OFFICER_ABOUT_MEMBER, Person.Kind.MEMBER),
    Person.Kind.MEMBER: (Concern.Direction.MEMBER_ABOUT_OFFICER, Person.Kind.OFFICER),
}


def _described(text: str) -> dict[str, Any]:
    return {"description": text}


@dataclass(frozen=True)
class FirstContact:
    """Someone the person raising it may choose to talk to first."""

    key: str = field(
        metadata=_described('What `first_contact` takes, e.g. "raiser.director".'),
    )
    label: str = field(metadata=_described('In words, e.g. "Your Director".'))


@dataclass(frozen=True)
class ConcernGuidance:
    """The route a concern the reader raises today takes under the council's rules in force."""

    direction: str = field(metadata=_described("`officer_about_member` or `member_about_officer`."))
    direction_label: str
    about: str = field(metadata=_described("Whom it may be about: `member` or `officer`."))
    raised_by: str = field(metadata=_described("Who raises it this way: `officer` or `member`."))
    procedure: str = field(metadata=_described("The procedure of the rules it runs under."))
    procedure_title: str
    what_happens_next: list[Explanation] = field(
        metadata=_described("What happens next and who will see it, each with its paragraph.")
    )
    first_contacts: list[FirstContact] = field(
        metadata=_described("Whom you may choose to talk to first; empty where the rules say.")
    )
    may_record_for_others: bool = field(
        metadata=_described(
            "Whether you are among those it goes to first, and so may record one for someone "
            "who spoke to you (`raiser_id`)."
        )
    )


def direction_purpose(direction: str) -> Purpose:
    return (
        Purpose.OFFICER_CONCERN
        if direction == Concern.Direction.OFFICER_ABOUT_MEMBER
        else Purpose.MEMBER_CONCERN
    )


def concern_guidance(actor: Actor, *, direction: str | None = None) -> ConcernGuidance:
    """The route of the concern the actor may raise today, as the raise form shows it.

    `NotFound` where they may raise none: no active directory person behind the account, a
    person who is neither an officer nor a member, or rules in force without the route. Asking
    for the `direction` of the other side is a `ValidationFailed` naming it."""
    person = person_signed_in(actor=actor)
    raises = RAISES.get(person.kind) if person is not None else None
    if person is None or raises is None:
        raise NotFound()
    theirs, about = raises
    if direction is not None and direction != theirs:
        raise ValidationFailed.for_field(
            "direction",
            f"As {_a(person.kind)} you may raise a concern about {_a(about)}: {theirs}.",
        )
    stored = council_profile_in_force(on=clock.today())
    keys = load_profile(stored.text).procedures_for(direction_purpose(theirs))
    if not keys:
        raise NotFound()
    table = table_for(stored.text, keys[0])
    profile = table.profile
    first = table.handler_expressions(table.procedure.initial)
    return ConcernGuidance(
        direction=str(theirs),
        direction_label=str(theirs.label),
        about=str(about),
        raised_by=str(person.kind),
        procedure=table.key,
        procedure_title=table.procedure.title,
        what_happens_next=_what_happens_next(table),
        first_contacts=[
            FirstContact(e.text, _capital(to_raiser(profile, e))) for e in table.handler_choices()
        ],
        may_record_for_others=bool(roles_for(actor) & _first_stage_roles(first)),
    )


def to_raiser(profile: Profile, expression: RoleExpression) -> str:
    """A role in words addressed to the person raising it: "your Director", not "the Director
    of the person who raised it"."""
    if (
        expression.kind is ExpressionKind.RELATIVE
        and expression.party is Party.RAISER
        and expression.relation is not None
    ):
        if expression.relation is Relation.LINE_MANAGER:
            return "your line manager"
        return f"your {profile.role_title(Role(expression.relation.value))}"
    return describe(profile, expression)


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _joined(words: list[str], last: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _first_stage_roles(expressions: Iterable[RoleExpression]) -> frozenset[Role]:
    """The offices a first stage names: "the raiser's Director" names Directors."""
    named = set()
    for e in expressions:
        if e.kind is ExpressionKind.ROLE and e.role is not None:
            named.add(e.role)
        elif e.kind is ExpressionKind.RELATIVE and e.relation is not None:
            named.add(Role(e.relation.value))
    return frozenset(named)


def _what_happens_next(table: TransitionTable) -> list[Explanation]:
    """What happens next and who will see it, each with the paragraph that says so."""
    profile = table.profile
    procedure = table.procedure
    stage = table.stages[procedure.initial]
    first = [to_raiser(profile, e) for e in stage.handlers]
    lines = []
    if stage.chooses_role:
        lines.append(
            explain(
                profile,
                f"You choose who to talk to first: {_joined(first, 'or')}. Only the person you "
                "choose will see this at first",
                stage.cite,
            )
        )
    else:
        lines.append(
            explain(
                profile,
                f"It goes first to {_joined(first, 'or')}. Only they and you will see it at first",
                stage.cite,
            )
        )
    timer = stage.timer
    if timer is not None and timer.after in profile.durations:
        reminded = _joined([describe(profile, e) for e in timer.to], "and")
        brought_in = [
            describe(profile, e) for e in timer.to if e.kind is not ExpressionKind.HANDLERS
        ]
        then = (
            f"it also goes to {_joined(brought_in, 'and')}, and a reminder goes to {reminded}"
            if timer.action.value == "escalate"
            else f"a reminder goes to {reminded}"
        )
        lines.append(
            explain(
                profile,
                f"If nothing has been done after {profile.durations[timer.after].describe()}, "
                f"{then}",
                timer.cite,
            )
        )
    for transition in procedure.transitions:
        consent = transition.consent
        if consent is not None and consent.from_.party is Party.RAISER:
            lines.append(
                explain(
                    profile,
                    f"You will be asked for your agreement to {consent.about}",
                    consent.cite,
                )
            )
    subject_sees = any(
        e.kind is ExpressionKind.PARTY and e.party is Party.SUBJECT
        for s in procedure.stages
        for e in s.visible_to
    )
    if not subject_sees:
        lines.append(
            explain(profile, "The person it is about cannot see it in Accord", procedure.cite)
        )
    return lines
