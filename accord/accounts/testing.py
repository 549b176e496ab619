"""Helpers for any test that signs in an account which must use two-factor sign-in.

Statutory officers and directory administrators are sent to set up an authenticator app until
they have one (`MfaRequiredMiddleware`); give them one first with `give_totp`.
"""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accord.access.actor import Actor
from accord.core import clock

TOTP_PERIOD_SECONDS = 30


def give_totp(user: Actor) -> str:
    """Activate an authenticator app for `user`; returns its secret for `totp_code`."""
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now (respects time-machine)."""
    counter = int(clock.now().timestamp()) // TOTP_PERIOD_SECONDS
    return str(format_hotp_value(hotp_value(secret, counter)))
