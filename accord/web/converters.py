"""Path converters for every app's URLs, registered once (in `accord.web.apps`).

Django's own `int` takes any number of digits, and `str` any character but a slash: an address
with an id no record could have, or a control character, would reach the view. These answer
404 for both, as for any address that is not a page.
"""

from __future__ import annotations

import re

from django.urls.converters import StringConverter

from accord.core.limits import MAX_INTEGER


class IdConverter:
    """An id: digits, at most `MAX_INTEGER`."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value) if len(value) <= len(str(MAX_INTEGER)) else MAX_INTEGER + 1
        if number > MAX_INTEGER:
            raise ValueError(f"{value} is beyond any id")  # no match: 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


class TextConverter(StringConverter):
    """A label or token: any characters but a slash and the control characters."""

    regex = r"[^/\x00-\x1f\x7f-\x9f]+"


def id_from(text: str) -> int | None:
    """An id sent in a query string or a form outside a form field, read as the `id` converter
    reads it, or None. (`str.isdigit` is true of "²", which `int` cannot read.)"""
    if not re.fullmatch(IdConverter.regex, text):
        return None
    try:
        return IdConverter().to_python(text)
    except ValueError:
        return None
