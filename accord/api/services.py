"""Issuing, revoking and checking API tokens.

A token reads `acc_<prefix>_<secret>`. The prefix is random, public and unique; the database
keeps only the SHA-256 digest of the whole token, so the plaintext exists once, when it is
created, and is shown to the person who asked for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from accord.access.actor import Actor
from accord.accounts.models import User
from accord.api.models import NAME_MAX_LENGTH, ApiToken
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import ValidationFailed

PREFIX_BYTES = 4  # 8 hex characters: enough to find a row, too short to guess a token
SECRET_BYTES = 32
# Recording every use would turn each read into a write; once a minute is enough to see use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _label() -> str:
    return str(getattr(settings, "ACCORD_API_TOKEN_PREFIX", "acc"))


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def parse_prefix(plaintext: str) -> str | None:
    """The public prefix of a token, or None when the text is not shaped like one."""
    parts = plaintext.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != _label() or not parts[1] or not parts[2]:
        return None
    return parts[1]


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(PREFIX_BYTES)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


def token_create(
    *, actor: Actor, user: User, name: str = "", expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token for `user`. Returns the row and the plaintext, which is never stored."""
    name = name.strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed.for_field(
            "name", f"Name must be {NAME_MAX_LENGTH} characters or fewer."
        )
    if not user.is_active:
        raise ValidationFailed.for_field("user", "This account is disabled.")
    if expires_at is not None and expires_at <= clock.now():
        raise ValidationFailed.for_field("expires_at", "Expiry must be in the future.")
    with transaction.atomic():
        prefix = _new_prefix()
        plaintext = f"{_label()}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            secret_hash=token_digest(plaintext),
            expires_at=expires_at,
        )
        record(
            actor=actor,
            verb="api.token_create",
            target=token,
            data={
                "prefix": prefix,
                "name": name,
                "user": user.get_username(),
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return token, plaintext


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop a token working from now on. Revoking twice is refused, so the audit says it once."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise ValidationFailed.for_field("token", "This token is already revoked.")
        locked.revoked_at = clock.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        record(
            actor=actor,
            verb="api.token_revoke",
            target=locked,
            data={"prefix": locked.prefix, "user": locked.user.get_username()},
        )
    token.revoked_at = locked.revoked_at
    return token


def token_authenticate(*, plaintext: str) -> ApiToken | None:
    """The live token matching `plaintext`, with its user loaded, or None.

    Unknown, revoked and expired tokens and disabled accounts all give None, so a caller cannot
    tell which. Marking the token used is bookkeeping, not an auditable change: it is one
    conditional UPDATE at most once a minute per token.
    """
    prefix = parse_prefix(plaintext)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, token_digest(plaintext.strip())):
        return None
    now = clock.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
