"""Template helpers for the GOV.UK layout: service navigation and form field rendering."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField

from accord.web.navigation import NavLink, navigation_for

register = template.Library()


@register.inclusion_tag("web/partials/service_navigation.html", takes_context=True)
def service_navigation(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    links: list[NavLink] = []
    if request is not None and getattr(request, "user", None) is not None:
        match = getattr(request, "resolver_match", None)
        links = navigation_for(request.user, match.view_name if match else None)
    return {"links": links}


@register.filter
def date_parts(field: BoundField) -> dict[str, str]:
    """Day, month and year for a GOV.UK date input, from submitted data or the initial date."""
    value = field.value()
    if isinstance(value, dt.date):
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if isinstance(value, list | tuple) and len(value) == 3:
        day, month, year = (str(part or "") for part in value)
        return {"day": day, "month": month, "year": year}
    return {"day": "", "month": "", "year": ""}


@register.filter
def is_checked(value: Any, field: BoundField) -> bool:
    """Whether a checkbox option `value` is among the field's current values."""
    current = field.value() or []
    if not isinstance(current, list | tuple | set):
        current = [current]
    return str(value) in {str(item) for item in current}
