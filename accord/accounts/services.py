"""Every write to sign-in accounts: one transaction each, each leaving an audit event.

Accounts belong to directory people; what an account may do comes from that person's roles,
never from Django groups or permissions, which Accord does not use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accord.access.actor import Actor
from accord.accounts.models import User, UserSession
from accord.audit.services import record
from accord.core.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from accord.directory.models import Person

USERNAME_MAX_LENGTH = 150
SIGN_OUT_REASONS = frozenset({"signed_out", "idle_timeout", "absolute_timeout"})


def _password_errors(password: str, user: User) -> list[FieldError]:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return [FieldError("password", message) for message in exc.messages]
    return []


def account_create(
    *,
    actor: Actor,
    person: Person,
    username: str,
    password: str | None = None,
    email: str | None = None,
) -> User:
    """Make the sign-in account for a directory person. No password means SSO or reset only."""
    username = username.strip()
    email = (email if email is not None else person.email).strip()
    user = User(
        username=username,
        email=email,
        first_name=person.given_name,
        last_name=person.family_name,
        person=person,
    )
    errors: list[FieldError] = []
    if not username:
        errors.append(FieldError("username", "Enter a username"))
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            errors.extend(FieldError("username", message) for message in exc.messages)
        if len(username) > USERNAME_MAX_LENGTH:
            message = f"Username must be {USERNAME_MAX_LENGTH} characters or fewer"
            errors.append(FieldError("username", message))
        if User.objects.filter(username__iexact=username).exists():
            errors.append(FieldError("username", "That username is already in use"))
    try:
        validate_email(email)
    except ValidationError:
        errors.append(FieldError("email", "Enter an email address in the correct format"))
    if not person.is_active:
        errors.append(FieldError("person", "This person is no longer active in the directory"))
    elif User.objects.filter(person=person).exists():
        errors.append(FieldError("person", "This person already has an account"))
    if password is not None:
        errors.extend(_password_errors(password, user))
    if errors:
        raise ValidationFailed("The account could not be created", errors)

    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save(force_insert=True)
            record(
                actor=actor,
                verb="account.created",
                target=user,
                data={
                    "username": user.username,
                    "person_id": person.pk,
                    "has_password": password is not None,
                },
            )
    except IntegrityError as exc:
        # A concurrent request took the username or linked the person first.
        raise ValidationFailed(
            "The account could not be created",
            [FieldError("username", "That username or person already has an account")],
        ) from exc
    return user


def account_set_password(*, actor: Actor, user: User, password: str) -> None:
    """Set a new password. Django's session hash check then ends the account's other sessions."""
    errors = _password_errors(password, user)
    if errors:
        raise ValidationFailed("The password was not changed", errors)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(
            actor=actor,
            verb="account.password_set",
            target=user,
            data={"by_account_holder": getattr(actor, "pk", None) == user.pk},
        )


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationFailed.for_field("reason", "Enter the reason")
    return reason


def account_disable(*, actor: Actor, user: User, reason: str) -> int:
    """Stop the account signing in and end every session it has. Returns the sessions ended."""
    reason = _require_reason(reason)
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationFailed.for_field("user", "You cannot disable your own account")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise ValidationFailed.for_field("user", "This account is already disabled")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        ended, _ = UserSession.objects.filter(user_id=user.pk).delete()
        record(
            actor=actor,
            verb="account.disabled",
            target=locked,
            data={"reason": reason, "sessions_ended": ended},
        )
    user.is_active = False
    return ended


def account_enable(*, actor: Actor, user: User, reason: str) -> None:
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            raise ValidationFailed.for_field("user", "This account is already enabled")
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        record(actor=actor, verb="account.enabled", target=locked, data={"reason": reason})
    user.is_active = True


def sign_in_record(*, user: User, methods: list[str], provider: str | None = None) -> None:
    """Audit a completed sign-in (after every stage, including two-factor)."""
    data: dict[str, Any] = {"methods": methods}
    if provider:
        data["provider"] = provider
    with transaction.atomic():
        record(actor=user, verb="account.signed_in", target=user, data=data)


def sign_out_record(*, user: User, reason: str) -> None:
    """Audit the end of a session; timeouts are the system's doing, not the account holder's."""
    if reason not in SIGN_OUT_REASONS:
        raise ValueError(f"unknown sign-out reason {reason!r}")
    actor = user if reason == "signed_out" else None
    with transaction.atomic():
        record(actor=actor, verb="account.signed_out", target=user, data={"reason": reason})


def account_link_sso(*, request: Any, user: User, sociallogin: Any) -> None:
    """Remember that this single sign-on identity is this account's, so later sign-ins find it."""
    with transaction.atomic():
        sociallogin.connect(request, user)
        record(
            actor=None,
            verb="account.sso_linked",
            target=user,
            data={"provider": sociallogin.account.provider},
        )


def sso_refused_record(*, provider: str) -> None:
    """Audit a single sign-on that matched no account (nothing about the identity is kept)."""
    with transaction.atomic():
        record(actor=None, verb="account.sso_refused", data={"provider": provider})
