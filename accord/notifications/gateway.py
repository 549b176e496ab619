"""The one way Accord's email leaves the building.

`get_gateway()` picks the delivery named by `ACCORD_NOTIFY_GATEWAY`: `console` (log it; the
default), `smtp` (Django's `send_mail` through `EMAIL_BACKEND`), `notify` (GOV.UK Notify) or
`fake` (tests: kept in memory). A gateway returns the provider's reference for the message, or
raises; `GatewayError` carries a short description that is safe to store (no message content).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail

logger = logging.getLogger(__name__)

GATEWAYS = ("console", "smtp", "notify", "fake")


class GatewayError(Exception):
    """Delivery failed; `str(error)` names why without repeating the message."""


class Gateway(Protocol):
    def send(
        self,
        *,
        email: str,
        subject: str,
        body: str,
        reference: str,
        template: str,
        personalisation: dict[str, str],
    ) -> str: ...


class ConsoleGateway:
    """Development: the message goes to the log instead of a mailbox."""

    def send(
        self,
        *,
        email: str,
        subject: str,
        body: str,
        reference: str,
        template: str,
        personalisation: dict[str, str],
    ) -> str:
        logger.info("Email %s to %s\nSubject: %s\n\n%s", reference, email, subject, body)
        return f"console:{reference}"


class SmtpGateway:
    """Django's mail, through whichever `EMAIL_BACKEND` the deployment configures."""

    def send(
        self,
        *,
        email: str,
        subject: str,
        body: str,
        reference: str,
        template: str,
        personalisation: dict[str, str],
    ) -> str:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)
        return f"smtp:{reference}"


class NotifyClient(Protocol):
    def send_email_notification(
        self,
        email_address: str,
        template_id: str,
        personalisation: dict[str, str] | None = None,
        reference: str | None = None,
    ) -> dict[str, Any]: ...


def _notify_client(api_key: str) -> NotifyClient:
    from notifications_python_client.notifications import NotificationsAPIClient

    client_class: Any = NotificationsAPIClient  # the client is not annotated
    client: NotifyClient = client_class(api_key)
    return client


class NotifyGateway:
    """GOV.UK Notify. Each of our templates maps to a Notify template id; the Notify template
    may use our placeholders (`((name))`, `((reason))`, `((url))`) or `((subject))` and
    `((body))` for the text exactly as Accord renders it."""

    def __init__(
        self, *, api_key: str, templates: dict[str, str], client: NotifyClient | None = None
    ) -> None:
        self.templates = templates
        self._api_key = api_key
        self._client = client

    @property
    def client(self) -> NotifyClient:
        if self._client is None:
            self._client = _notify_client(self._api_key)
        return self._client

    def send(
        self,
        *,
        email: str,
        subject: str,
        body: str,
        reference: str,
        template: str,
        personalisation: dict[str, str],
    ) -> str:
        from notifications_python_client.errors import APIError

        template_id = self.templates.get(template)
        if not template_id:
            raise GatewayError(f"no Notify template id for {template}")
        try:
            response = self.client.send_email_notification(
                email_address=email,
                template_id=template_id,
                personalisation={**personalisation, "subject": subject, "body": body},
                reference=reference,
            )
        except APIError as error:
            raise GatewayError(f"Notify answered {error.status_code}") from error
        return str(response["id"])


@dataclass(frozen=True)
class SentMessage:
    email: str
    subject: str
    body: str
    reference: str
    template: str
    personalisation: dict[str, str]


@dataclass
class FakeGateway:
    """Tests: keeps what was sent; `fail_next(n)` makes the next n sends raise."""

    sent: list[SentMessage] = field(default_factory=list)
    failures: int = 0

    def fail_next(self, times: int = 1) -> None:
        self.failures = times

    def send(
        self,
        *,
        email: str,
        subject: str,
        body: str,
        reference: str,
        template: str,
        personalisation: dict[str, str],
    ) -> str:
        if self.failures > 0:
            self.failures -= 1
            raise GatewayError("fake gateway told to fail")
        self.sent.append(
            SentMessage(email, subject, body, reference, template, dict(personalisation))
        )
        return f"fake-{len(self.sent)}"


# The process's fake, swapped for a fresh one by the `fake_gateway` test fixture.
FAKE = FakeGateway()


def get_gateway() -> Gateway:
    choice = settings.ACCORD_NOTIFY_GATEWAY
    if choice == "console":
        return ConsoleGateway()
    if choice == "smtp":
        return SmtpGateway()
    if choice == "notify":
        return NotifyGateway(
            api_key=settings.ACCORD_NOTIFY_API_KEY, templates=settings.ACCORD_NOTIFY_TEMPLATES
        )
    if choice == "fake":
        return FAKE
    raise ImproperlyConfigured(f"ACCORD_NOTIFY_GATEWAY must be one of {', '.join(GATEWAYS)}")
