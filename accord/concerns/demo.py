"""The demo council's concerns: one raised each way, so the concern pages and the register have
something to show. `accord demo` finds this module and calls `seed_demo`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from accord.concerns.selectors import direction_purpose
from accord.concerns.services import concern_raise
from accord.procedures.table import table_for
from accord.profiles.selectors import profile_of

if TYPE_CHECKING:
    from accord.accounts.models import User
    from accord.profiles.models import ProfileVersion

# Each: (direction, the account raising it, the account it is about, what happened). Made up, and
# deliberately mild.
SAMPLE_CONCERNS = (
    (
        "member_about_officer",
        "group-leader",
        "head-of-service",
        "Three emails about the resurfacing of a road in my division went unanswered for a month, "
        "and a reply I was promised before a residents' meeting did not arrive.",
    ),
    (
        "officer_about_member",
        "officer",
        "member",
        "At a site visit the councillor raised their voice at me in front of residents and said "
        "they would have me moved off the scheme.",
    ),
)


def seed_demo(*, version: ProfileVersion, account: Callable[[str], User]) -> None:
    profile = profile_of(version)
    for direction, raiser, subject, text in SAMPLE_CONCERNS:
        raised_by = account(raiser)
        about = account(subject)
        if not profile.procedures_for(direction_purpose(direction)):
            continue
        choices = [
            e.text
            for e in table_for(
                version.text, profile.procedures_for(direction_purpose(direction))[0]
            ).handler_choices()
        ]
        concern_raise(
            actor=raised_by,
            direction=direction,
            subject=about.person,
            what_happened=text,
            tried_direct=False,
            first_contact=(
                "monitoring_officer" if "monitoring_officer" in choices else next(iter(choices), "")
            ),
        )
