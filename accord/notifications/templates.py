"""The emails Accord sends, by key.

An email never carries a case's content: it says that something needs attention and links to
it, so a message read by the wrong person, or kept in a mailbox for years, gives nothing away.

To add one, `register(Template(...))` below with its key, subject, body and the personalisation
`fields` its callers must give. Every template may also use `{name}` (the recipient's name),
`{link}` (the path) and `{url}` (the absolute link). Values are made plain single-line text
before they are put in, so a value cannot add lines, headers or placeholders of its own.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

STANDARD_FIELDS = ("name", "link")
_MAX_VALUE = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


@dataclass(frozen=True)
class Template:
    key: str
    subject: str
    body: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    # What was put in, for a provider (GOV.UK Notify) that fills in its own copy of the template.
    values: dict[str, str]


TEMPLATES: dict[str, Template] = {}


def register(template: Template) -> Template:
    allowed = {*STANDARD_FIELDS, "url", *template.fields}
    used = {
        field
        for text in (template.subject, template.body)
        for _, field, _, _ in string.Formatter().parse(text)
        if field is not None
    }
    if not used <= allowed:
        raise ValueError(f"{template.key}: unknown placeholders {sorted(used - allowed)}")
    if template.key in TEMPLATES:
        raise ValueError(f"{template.key}: a template with this key is already registered")
    TEMPLATES[template.key] = template
    return template


def plain(value: str) -> str:
    """One line of plain text: no control characters or line breaks, of bounded length."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())[:_MAX_VALUE]


def render(key: str, personalisation: Mapping[str, str], *, base_url: str) -> Rendered:
    template = TEMPLATES[key]
    values = {field: plain(personalisation.get(field, "")) for field in STANDARD_FIELDS}
    values |= {field: plain(personalisation.get(field, "")) for field in template.fields}
    values["url"] = base_url.rstrip("/") + values["link"]
    return Rendered(
        subject=template.subject.format_map(values),
        body=template.body.format_map(values),
        values=values,
    )


CASE_REMINDER = register(
    Template(
        key="case_reminder",
        subject="Something on Accord needs your attention",
        body=(
            "Dear {name},\n\n"
            "A case you are named on is due for attention: {reason}.\n\n"
            "Open it: {url}\n"
        ),
        fields=("reason",),
    )
)

# To someone who may not see the case: the paragraph only, never the case, its stage or its
# parties, and a link to their own list rather than to the case.
MATTER_ALERT = register(
    Template(
        key="matter_alert",
        subject="A matter on Accord needs your attention",
        body=(
            "Dear {name},\n\n"
            "A matter under {paragraph} needs your attention. You are told only that; Accord "
            "does not show you the matter itself.\n\n"
            "Your list of cases shows this alert. Open it: {url}\n"
        ),
        fields=("paragraph",),
    )
)

CONCERN_UPDATE = register(
    Template(
        key="concern_update",
        subject="There is an update on a matter you raised",
        body=(
            "Dear {name},\n\n"
            "There is an update on a matter you raised. Sign in to Accord to see it.\n\n"
            "Open it: {url}\n"
        ),
    )
)

CONSENT_REQUESTED = register(
    Template(
        key="consent_requested",
        subject="Your agreement is asked for on a matter you raised",
        body=(
            "Dear {name},\n\n"
            "Your agreement is asked for on a matter you raised. Sign in to Accord to see what "
            "is proposed and to give or refuse it.\n\n"
            "Open it: {url}\n"
        ),
    )
)

CASE_ASSIGNED = register(
    Template(
        key="case_assigned",
        subject="Something on Accord needs your attention",
        body=("Dear {name},\n\nA matter has come to you on Accord: {reason}.\n\nOpen it: {url}\n"),
        fields=("reason",),
    )
)

# No protocol text and no document name: the page it links to shows what to read.
PROTOCOL_ACKNOWLEDGEMENT = register(
    Template(
        key="protocol_acknowledgement",
        subject="Please read and acknowledge a protocol now in force",
        body=(
            "Dear {name},\n\n"
            "A new version of a council protocol that applies to you is now in force. Sign in "
            "to Accord to read it and confirm that you have read it.\n\n"
            "Open it: {url}\n"
        ),
    )
)

# A duty's notice: the paragraph only. What the person is told is on Accord, behind sign-in,
# because a case's existence may itself be confidential.
DUTY_NOTICE = register(
    Template(
        key="duty_notice",
        subject="You have a notice on Accord",
        body=(
            "Dear {name},\n\n"
            "Under paragraph {paragraph} of the council's protocol, there is something you are "
            "to be told. Sign in to Accord to read it.\n\n"
            "Open it: {url}\n"
        ),
        fields=("paragraph",),
    )
)
