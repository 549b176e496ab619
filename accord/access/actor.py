"""Who is acting: the one type every selector, service and policy takes, and the person behind it.

An actor is a signed-in account, an anonymous visitor, or `None` for Accord itself (a command,
a scheduled task, the demo). Whatever a function does with an actor, it asks these helpers rather
than reading attributes that an anonymous visitor or the system does not have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accord.accounts.models import User

Actor: TypeAlias = "User | AnonymousUser | None"


def is_signed_in(actor: Actor) -> bool:
    """A signed-in, active account (not a visitor, not the system)."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
    )


def person_of(actor: Actor) -> int | None:
    """The directory person behind a signed-in account: None for a visitor, the system, a
    disabled account or an account that belongs to no one in the directory."""
    if not is_signed_in(actor):
        return None
    person_id = getattr(actor, "person_id", None)
    return int(person_id) if person_id is not None else None


def account_of(actor: Actor) -> User | None:
    """The signed-in account itself (None for a visitor or the system), for storing as an owner
    or author."""
    return cast("User", actor) if is_signed_in(actor) else None
