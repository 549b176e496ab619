"""Role expressions: who a profile means by "the raiser's Director" or "the Monitoring Officer".

A profile writes them as short strings. They are parsed here, when the profile is loaded, into
`RoleExpression` values; the procedure engine resolves them against the directory on the day.

Grammar (every form is a fixed word, so a typing mistake is an error, never a silent miss):

    canonical role   monitoring_officer | chief_executive | director | ...  (access.roles.Role)
    party            raiser | subject
    relative role    raiser.line_manager | raiser.director | raiser.head_of_service
                     | raiser.group_leader, and the same for subject
    handlers         the stage's own handlers (only in visible_to)
    audience         division_members | adjoining_division_members
                     | members_with_particular_interest | lead_member_for_area
                     (only in a notification duty's `tell`)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from accord.access.roles import Role

__all__ = [
    "ActorExpression",
    "Audience",
    "AudienceExpression",
    "ExpressionKind",
    "ExpressionNotAllowed",
    "Party",
    "Relation",
    "RoleExpression",
    "ViewerExpression",
    "parse_role_expression",
]


class ExpressionKind(StrEnum):
    ROLE = "role"
    PARTY = "party"
    RELATIVE = "relative"
    HANDLERS = "handlers"
    AUDIENCE = "audience"


class Party(StrEnum):
    """The people a case is about; only they can give consent."""

    RAISER = "raiser"
    SUBJECT = "subject"


class Relation(StrEnum):
    LINE_MANAGER = "line_manager"
    DIRECTOR = "director"
    # A Head of Service in the person's directorate: the "relevant" Head of Service.
    HEAD_OF_SERVICE = "head_of_service"
    GROUP_LEADER = "group_leader"


class Audience(StrEnum):
    DIVISION_MEMBERS = "division_members"
    ADJOINING_DIVISION_MEMBERS = "adjoining_division_members"
    MEMBERS_WITH_PARTICULAR_INTEREST = "members_with_particular_interest"
    LEAD_MEMBER_FOR_AREA = "lead_member_for_area"


HANDLERS = "handlers"


@dataclass(frozen=True, slots=True)
class RoleExpression:
    """One parsed role expression; `text` is exactly what the profile wrote."""

    text: str
    kind: ExpressionKind
    role: Role | None = None
    party: Party | None = None
    relation: Relation | None = None
    audience: Audience | None = None

    def __str__(self) -> str:
        return self.text

    @property
    def can_consent(self) -> bool:
        """Only a person party to the case can agree to something; an office cannot."""
        return self.kind is ExpressionKind.PARTY


class ExpressionNotAllowed(ValueError):
    """A role expression that is unknown, or not allowed where it is written."""


def parse_role_expression(
    text: str, *, allow: frozenset[ExpressionKind] | None = None
) -> RoleExpression:
    """Parse `text`; raise ExpressionNotAllowed with a plain message if it is not allowed here."""
    allowed = allow if allow is not None else frozenset(ExpressionKind)
    expression = _parse(text.strip())
    if expression.kind not in allowed:
        raise ExpressionNotAllowed(_NOT_HERE[expression.kind].format(text=text))
    return expression


def _parse(text: str) -> RoleExpression:
    if text == HANDLERS:
        return RoleExpression(text, ExpressionKind.HANDLERS)
    if text in _ROLE_VALUES:
        return RoleExpression(text, ExpressionKind.ROLE, role=Role(text))
    if text in _PARTY_VALUES:
        return RoleExpression(text, ExpressionKind.PARTY, party=Party(text))
    if text in _AUDIENCE_VALUES:
        return RoleExpression(text, ExpressionKind.AUDIENCE, audience=Audience(text))
    party, dot, relation = text.partition(".")
    if dot and party in _PARTY_VALUES:
        if relation not in _RELATION_VALUES:
            raise ExpressionNotAllowed(
                f"'{text}' names an unknown relation '{relation}'; "
                f"use one of: {', '.join(sorted(_RELATION_VALUES))}."
            )
        return RoleExpression(
            text,
            ExpressionKind.RELATIVE,
            party=Party(party),
            relation=Relation(relation),
        )
    raise ExpressionNotAllowed(
        f"'{text}' is not a known role. Use a role such as monitoring_officer, "
        "a party (raiser, subject) or a relative role such as raiser.director."
    )


_ROLE_VALUES = frozenset(role.value for role in Role)
_PARTY_VALUES = frozenset(party.value for party in Party)
_RELATION_VALUES = frozenset(relation.value for relation in Relation)
_AUDIENCE_VALUES = frozenset(audience.value for audience in Audience)

_NOT_HERE = {
    ExpressionKind.HANDLERS: (
        "'{text}' (the stage's handlers) can be used only in visible_to and a timer's `to`."
    ),
    ExpressionKind.AUDIENCE: "'{text}' is an audience for notification duties only.",
    ExpressionKind.ROLE: "'{text}' is a role, which is not allowed here.",
    ExpressionKind.PARTY: "'{text}' is not allowed here.",
    ExpressionKind.RELATIVE: "'{text}' is not allowed here.",
}


def _spellings(allowed: frozenset[ExpressionKind]) -> list[str]:
    words: list[str] = []
    if ExpressionKind.ROLE in allowed:
        words += sorted(_ROLE_VALUES)
    if ExpressionKind.PARTY in allowed:
        words += [party.value for party in Party]
    if ExpressionKind.RELATIVE in allowed:
        words += [f"{party.value}.{relation.value}" for party in Party for relation in Relation]
    if ExpressionKind.HANDLERS in allowed:
        words.append(HANDLERS)
    if ExpressionKind.AUDIENCE in allowed:
        words += [audience.value for audience in Audience]
    return words


def _validator(allowed: frozenset[ExpressionKind]) -> Callable[[object], RoleExpression]:
    def validate(value: object) -> RoleExpression:
        if isinstance(value, RoleExpression):
            value = value.text
        if not isinstance(value, str):
            raise PydanticCustomError("role_expression", "must be a role expression (text)")
        try:
            return parse_role_expression(value, allow=allowed)
        except ExpressionNotAllowed as error:
            raise PydanticCustomError("role_expression", str(error)) from error

    return validate


def _schema(allowed: frozenset[ExpressionKind], description: str) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "enum": _spellings(allowed), "description": description}
    )


def _text(expression: RoleExpression) -> str:
    return expression.text


_PEOPLE = frozenset({ExpressionKind.ROLE, ExpressionKind.PARTY, ExpressionKind.RELATIVE})
_VIEWERS = _PEOPLE | {ExpressionKind.HANDLERS}
_AUDIENCES = _PEOPLE | {ExpressionKind.AUDIENCE}

# Who may act: an office held on the day, or a person related to the case.
ActorExpression = Annotated[
    RoleExpression,
    PlainValidator(_validator(_PEOPLE)),
    PlainSerializer(_text, return_type=str),
    _schema(_PEOPLE, "Who may act: a role, a party (raiser, subject) or a relative role."),
]
# Who may see: as above, or the stage's handlers.
ViewerExpression = Annotated[
    RoleExpression,
    PlainValidator(_validator(_VIEWERS)),
    PlainSerializer(_text, return_type=str),
    _schema(_VIEWERS, "Who may see: as for who may act, or 'handlers'."),
]
# Who must be told: as for actors, or a group of members defined by where the matter is.
AudienceExpression = Annotated[
    RoleExpression,
    PlainValidator(_validator(_AUDIENCES)),
    PlainSerializer(_text, return_type=str),
    _schema(_AUDIENCES, "Who must be told: as for who may act, or an audience."),
]
