from __future__ import annotations

import datetime as dt

from django import template

from accord.accounts.session_timeout import describe_duration

register = template.Library()


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """A timedelta in words: "30 minutes", "10 hours"."""
    return describe_duration(value) if isinstance(value, dt.timedelta) else ""
