"""`accord check --deploy`: the configured gateway can actually deliver every template."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

from accord.notifications.gateway import GATEWAYS
from accord.notifications.templates import TEMPLATES


def gateway_is_configured(**kwargs: Any) -> list[CheckMessage]:
    choice = settings.ACCORD_NOTIFY_GATEWAY
    if choice not in GATEWAYS:
        return [
            Error(
                f"ACCORD_NOTIFY_GATEWAY is {choice!r}.",
                hint=f"Use one of {', '.join(GATEWAYS)}.",
                id="notifications.E001",
            )
        ]
    messages: list[CheckMessage] = []
    if choice in {"console", "fake"}:
        messages.append(
            Warning(
                f"ACCORD_NOTIFY_GATEWAY is {choice!r}: no email will reach anyone.",
                hint="Set it to 'notify' or 'smtp' (see docs/notifications.md).",
                id="notifications.W001",
            )
        )
    if choice == "notify":
        if not settings.ACCORD_NOTIFY_API_KEY:
            messages.append(Error("ACCORD_NOTIFY_API_KEY is not set.", id="notifications.E002"))
        missing = sorted(set(TEMPLATES) - set(settings.ACCORD_NOTIFY_TEMPLATES))
        if missing:
            messages.append(
                Error(
                    f"ACCORD_NOTIFY_TEMPLATES has no Notify template id for {', '.join(missing)}.",
                    id="notifications.E003",
                )
            )
    return messages
