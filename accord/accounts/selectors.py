"""Reads about sign-in accounts. Roles still come only from `accord.access.roles.roles_for`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.access.roles import MFA_REQUIRED_ROLES, roles_for
from accord.accounts.models import User


def requires_mfa(user: Any) -> bool:
    """True when a role the user's directory person holds today makes two-factor compulsory."""
    return bool(roles_for(user) & MFA_REQUIRED_ROLES)


def has_totp(user: Any) -> bool:
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
