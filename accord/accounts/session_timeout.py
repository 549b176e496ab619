"""Idle and absolute session limits, kept in the session itself so any web process can check them.

Times are stored as POSIX seconds (JSON-safe) read from `accord.core.clock`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from accord.core import clock

SIGNED_IN_AT_KEY = "accord_signed_in_at"
LAST_ACTIVITY_KEY = "accord_last_activity"
# Recording activity at most this often keeps a session write off most requests.
ACTIVITY_RESOLUTION = dt.timedelta(seconds=60)


class Expiry(StrEnum):
    IDLE = "idle_timeout"
    ABSOLUTE = "absolute_timeout"


def _now() -> float:
    return clock.now().timestamp()


def mark_session_started(request: HttpRequest) -> None:
    now = _now()
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now


def expiry_of(session: SessionBase) -> Expiry | None:
    """Which limit, if any, this signed-in session has passed; records activity if none."""
    now = _now()
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    last_activity = session.get(LAST_ACTIVITY_KEY)
    if not isinstance(signed_in_at, int | float) or not isinstance(last_activity, int | float):
        # Signed in without allauth (e.g. a test's force_login): start the clocks now.
        session[SIGNED_IN_AT_KEY] = now
        session[LAST_ACTIVITY_KEY] = now
        return None
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return Expiry.ABSOLUTE
    if now - last_activity >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return Expiry.IDLE
    if now - last_activity >= ACTIVITY_RESOLUTION.total_seconds():
        session[LAST_ACTIVITY_KEY] = now
    return None


def describe_duration(duration: dt.timedelta) -> str:
    minutes = int(duration.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def expiry_message(expiry: Expiry) -> str:
    if expiry is Expiry.IDLE:
        return (
            f"You were signed out after {describe_duration(settings.SESSION_IDLE_TIMEOUT)} "
            "without activity. Sign in again to continue."
        )
    return (
        "You were signed out because you had been signed in for "
        f"{describe_duration(settings.SESSION_ABSOLUTE_TIMEOUT)}. Sign in again to continue."
    )
