"""Reads about sign-in accounts. Roles still come only from `accord.access.roles.roles_for`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from accord.access.actor import Actor
from accord.access.policies import ACCOUNT_ADMINS
from accord.access.roles import MFA_REQUIRED_ROLES, roles_for
from accord.accounts.models import User, UserSession
from accord.audit.models import AuditEvent
from accord.audit.selectors import events_about
from accord.core import clock, limits
from accord.core.errors import NotFound

if TYPE_CHECKING:
    from accord.directory.models import Person


def requires_mfa(user: Actor) -> bool:
    """True when a role the user's directory person holds today makes two-factor compulsory."""
    return bool(roles_for(user) & MFA_REQUIRED_ROLES)


def has_totp(user: Actor) -> bool:
    from allauth.mfa.models import Authenticator

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


def account_for_sso_emails(emails: Iterable[str]) -> User | None:
    """The one active account whose active directory person has one of `emails`, if any.

    Single sign-on never creates accounts; it only finds the account already made for a
    directory person. An address that matches more than one account matches none.
    """
    for email in emails:
        candidates = list(
            User.objects.filter(
                is_active=True, person__is_active=True, person__email__iexact=email.strip()
            )[:2]
        )
        if len(candidates) == 1:
            return candidates[0]
    return None


def account_for_login(login: str) -> User | None:
    """The account a sign-in form's `login` value names (username, or email address)."""
    value = login.strip()
    if not value:
        return None
    by_username = User.objects.filter(username__iexact=value).first()
    if by_username is not None or "@" not in value:
        return by_username
    matches = list(User.objects.filter(email__iexact=value)[:2])
    return matches[0] if len(matches) == 1 else None


# --- Account administration -------------------------------------------------------------------

# Audit verbs shown on an account's page: its sign-ins and the changes made to it.
ACCOUNT_EVENT_PREFIX = "account."
RECENT_EVENTS = 20


def can_administer_accounts(actor: Actor) -> bool:
    return ACCOUNT_ADMINS.allows(actor)


def _require_account_admin(actor: Actor) -> None:
    # Anyone else is told nothing exists, exactly as for a missing account.
    if not can_administer_accounts(actor):
        raise NotFound()


def _with_two_factor(rows: QuerySet[User]) -> QuerySet[User]:
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return rows.select_related("person").annotate(has_two_factor=Exists(totp))


def account_list(*, actor: Actor, query: str = "") -> QuerySet[User]:
    """Every account, with its person and two-factor status; words match username, email or name."""
    _require_account_admin(actor)
    return all_accounts(query=query)


def all_accounts(*, query: str = "") -> QuerySet[User]:
    """Unscoped `account_list`, for the command line, which acts as the system itself."""
    rows = User.objects.all()
    for word in limits.search_words(query):
        rows = rows.filter(
            Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(person__given_name__icontains=word)
            | Q(person__family_name__icontains=word)
        )
    return _with_two_factor(rows).order_by("username")


def account_get(*, actor: Actor, user_id: int) -> User:
    _require_account_admin(actor)
    found = _with_two_factor(User.objects.filter(pk=user_id)).first()
    if found is None:
        raise NotFound()
    return found


def people_without_account(*, actor: Actor) -> QuerySet[Person]:
    """Active directory people an account could be made for."""
    from accord.directory.models import Person

    _require_account_admin(actor)
    return Person.objects.filter(is_active=True, user__isnull=True).order_by(
        "family_name", "given_name"
    )


def person_for_email(email: str) -> Person | None:
    """The directory person with this email address (ignoring capitals), for the command line."""
    from accord.directory.models import Person

    value = email.strip()
    return Person.objects.filter(email__iexact=value).first() if value else None


def active_session_count(*, user: User) -> int:
    return UserSession.objects.filter(user_id=user.pk, expire_date__gt=clock.now()).count()


def account_events(*, actor: Actor, user: User, limit: int = RECENT_EVENTS) -> list[AuditEvent]:
    """The account's most recent audit events (sign-ins, sign-outs, changes), newest first."""
    _require_account_admin(actor)
    return events_about(
        User._meta.label_lower, str(user.pk), verb_prefix=ACCOUNT_EVENT_PREFIX, limit=limit
    )
