"""One-line reasons with their citations: "… — Protocol v2025 §50(c)".

Every rule a profile states, and every obligation, deadline or refusal the engine produces from
it, is an `Explanation`, so the rules pages, case pages, the API, reminders and the history all
say the same thing and name the same paragraph, in the profile's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.access.roles import Role
from accord.profiles.expressions import (
    Audience,
    ExpressionKind,
    Party,
    Relation,
    RoleExpression,
)
from accord.profiles.schema import Profile, Transition

__all__ = ["Explanation", "citation", "consent_explanation", "describe", "explain"]

# A part prefix before the number: "SO 4.3", "App B 8.2".
_PREFIXED = re.compile(r"^(?P<part>[A-Za-z][A-Za-z ]*?)\s+(?P<number>\d.*)$")


def citation(profile: Profile, cite: str) -> str:
    """How a paragraph is named to people: "Protocol v2025 §50(c)", "Protocol v2025 SO §4.3",
    or for a document whose version is not a number, "Protocol (undated) §7(b)"."""
    label = profile.source.version
    document = f"Protocol v{label}" if label[:1].isdigit() else f"Protocol ({label})"
    prefixed = _PREFIXED.match(cite)
    if prefixed:
        return f"{document} {prefixed['part']} §{prefixed['number']}"
    return f"{document} §{cite}"


@dataclass(frozen=True)
class Explanation:
    """`text` says what and why in plain words; `reference` names the paragraph."""

    text: str
    cite: str
    reference: str
    profile_id: str
    profile_version: int

    def __str__(self) -> str:
        return f"{self.text} — {self.reference}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "text": self.text,
            "cite": self.cite,
            "reference": self.reference,
            "profile": self.profile_id,
            "profile_version": self.profile_version,
            "line": str(self),
        }


def explain(profile: Profile, text: str, cite: str) -> Explanation:
    return Explanation(
        text=text.rstrip("."),
        cite=cite,
        reference=citation(profile, cite),
        profile_id=profile.id,
        profile_version=profile.version,
    )


def describe(profile: Profile, expression: RoleExpression) -> str:
    """A role expression in the council's own words: "the Monitoring Officer", "the Director of
    the person who raised it", "those handling it", "the members for the division"."""
    if expression.kind is ExpressionKind.HANDLERS:
        return "those handling it"
    if expression.kind is ExpressionKind.AUDIENCE and expression.audience is not None:
        return _AUDIENCE_WORDS[expression.audience]
    if expression.kind is ExpressionKind.ROLE and expression.role is not None:
        return f"the {profile.role_title(expression.role)}"
    if expression.kind is ExpressionKind.PARTY:
        return _PARTY_WORDS[expression.party] if expression.party else expression.text
    if expression.kind is ExpressionKind.RELATIVE and expression.relation and expression.party:
        title = profile.role_title(_RELATION_ROLES[expression.relation])
        return f"the {title} of {_PARTY_WORDS[expression.party]}"
    return expression.text


def consent_explanation(profile: Profile, transition: Transition) -> Explanation | None:
    """What a consent gate asks for: the same words for the refusal, the action and the rules
    page, so they never disagree."""
    consent = transition.consent
    if consent is None:
        return None
    return explain(
        profile,
        f"This step can be taken only with the agreement of {describe(profile, consent.from_)} "
        f"to {consent.about}",
        consent.cite,
    )


_AUDIENCE_WORDS = {
    Audience.DIVISION_MEMBERS: "the members for the division",
    Audience.ADJOINING_DIVISION_MEMBERS: "the members for the adjoining divisions",
    Audience.MEMBERS_WITH_PARTICULAR_INTEREST: "members with a registered particular interest",
    Audience.LEAD_MEMBER_FOR_AREA: "the Lead Member for the area",
}
_PARTY_WORDS = {Party.RAISER: "the person who raised it", Party.SUBJECT: "the person it is about"}
_RELATION_ROLES = {
    Relation.LINE_MANAGER: Role.LINE_MANAGER,
    Relation.DIRECTOR: Role.DIRECTOR,
    Relation.HEAD_OF_SERVICE: Role.HEAD_OF_SERVICE,
    Relation.GROUP_LEADER: Role.GROUP_LEADER,
}
