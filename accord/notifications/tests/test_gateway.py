"""The one delivery gateway: chosen by setting, each kind passing on what it was given."""

from __future__ import annotations

import logging
import uuid
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from notifications_python_client.errors import APIError

from accord.notifications import gateway as gateway_module
from accord.notifications.checks import gateway_is_configured
from accord.notifications.gateway import (
    ConsoleGateway,
    FakeGateway,
    GatewayError,
    NotifyGateway,
    SmtpGateway,
    get_gateway,
)
from accord.notifications.services import notification_send
from accord.notifications.templates import TEMPLATES, plain, render
from accord.notifications.tests.helpers import person, reminder

MESSAGE: dict[str, Any] = {
    "email": "alex.reader@example.gov.uk",
    "subject": "Something on Accord needs your attention",
    "body": "Dear Alex Reader, ...",
    "reference": "reminder:1:2",
    "template": "case_reminder",
    "personalisation": {"name": "Alex Reader", "reason": "r", "link": "/c/", "url": "https://a/c/"},
}


@pytest.mark.parametrize(
    ("choice", "kind"),
    [("console", ConsoleGateway), ("smtp", SmtpGateway), ("notify", NotifyGateway)],
)
def test_the_gateway_is_the_one_the_setting_names(settings, choice, kind) -> None:
    settings.ACCORD_NOTIFY_GATEWAY = choice
    assert isinstance(get_gateway(), kind)


def test_tests_deliver_to_the_fake(fake_gateway: FakeGateway) -> None:
    assert get_gateway() is fake_gateway


def test_an_unknown_gateway_is_refused(settings) -> None:
    settings.ACCORD_NOTIFY_GATEWAY = "pigeon"
    with pytest.raises(ImproperlyConfigured):
        get_gateway()


def test_notify_is_called_with_the_template_id_and_our_reference() -> None:
    client = mock.Mock()
    client.send_email_notification.return_value = {"id": "notify-123"}
    gateway = NotifyGateway(api_key="k", templates={"case_reminder": "tmpl-1"}, client=client)
    assert gateway.send(**MESSAGE) == "notify-123"
    client.send_email_notification.assert_called_once_with(
        email_address="alex.reader@example.gov.uk",
        template_id="tmpl-1",
        personalisation={
            **MESSAGE["personalisation"],
            "subject": MESSAGE["subject"],
            "body": MESSAGE["body"],
        },
        reference="reminder:1:2",
    )


def test_a_template_notify_does_not_know_fails_the_attempt() -> None:
    gateway = NotifyGateway(api_key="k", templates={}, client=mock.Mock())
    with pytest.raises(GatewayError, match="no Notify template id for case_reminder"):
        gateway.send(**MESSAGE)


def test_a_notify_refusal_is_reported_by_its_status_only() -> None:
    client = mock.Mock()
    response = mock.Mock(status_code=400)
    response.json.return_value = {"errors": [{"message": "Dear Alex Reader is not allowed"}]}
    client.send_email_notification.side_effect = APIError(response)
    gateway = NotifyGateway(api_key="k", templates={"case_reminder": "tmpl-1"}, client=client)
    with pytest.raises(GatewayError) as raised:
        gateway.send(**MESSAGE)
    assert str(raised.value) == "Notify answered 400"


def test_the_real_notify_client_is_built_from_the_api_key() -> None:
    key = f"accord-test-{uuid.uuid4()}-{uuid.uuid4()}"
    client = gateway_module._notify_client(key)
    assert callable(client.send_email_notification)


@pytest.mark.django_db
def test_a_notification_goes_through_notify_when_configured(settings, monkeypatch) -> None:
    client = mock.Mock()
    client.send_email_notification.return_value = {"id": "notify-456"}
    monkeypatch.setattr(gateway_module, "_notify_client", lambda api_key: client)
    settings.ACCORD_NOTIFY_GATEWAY = "notify"
    settings.ACCORD_NOTIFY_TEMPLATES = {"case_reminder": "tmpl-1"}
    notification = reminder(person())
    assert notification_send(notification_id=notification.pk) is True
    notification.refresh_from_db()
    assert notification.provider_ref == "notify-456"
    kwargs = client.send_email_notification.call_args.kwargs
    assert (kwargs["template_id"], kwargs["reference"]) == ("tmpl-1", notification.key)


def test_smtp_sends_through_djangos_mail(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "accord@example.gov.uk"
    assert SmtpGateway().send(**MESSAGE) == "smtp:reminder:1:2"
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to) == (
        MESSAGE["subject"],
        MESSAGE["body"],
        ["alex.reader@example.gov.uk"],
    )
    assert sent.from_email == "accord@example.gov.uk"


def test_the_console_gateway_logs_the_message(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="accord.notifications.gateway"):
        assert ConsoleGateway().send(**MESSAGE) == "console:reminder:1:2"
    assert MESSAGE["subject"] in caplog.text


def test_the_fake_can_be_told_to_fail() -> None:
    fake = FakeGateway()
    fake.fail_next(2)
    for _ in range(2):
        with pytest.raises(GatewayError):
            fake.send(**MESSAGE)
    assert fake.send(**MESSAGE) == "fake-1"


def test_a_value_cannot_add_lines_or_placeholders_to_an_email() -> None:
    message = render(
        "case_reminder",
        {"name": "Alex\r\nBcc: someone@example.com", "reason": "{url} {name}\nmore", "link": "/c/"},
        base_url="https://accord.example.gov.uk",
    )
    assert "Dear Alex Bcc: someone@example.com," in message.body
    assert "due for attention: {url} {name} more." in message.body
    assert plain("a\x00b\u2028c") == "a b c"


def test_every_template_says_something_needs_attention_and_links_to_it() -> None:
    assert {"case_reminder", "concern_update", "consent_requested"} <= set(TEMPLATES)
    for key, template in TEMPLATES.items():
        values = dict.fromkeys(template.fields, "REASON")
        message = render(key, {**values, "name": "N", "link": "/x/"}, base_url="https://a")
        assert "Open it: https://a/x/" in message.body, key


@pytest.mark.parametrize(
    ("overrides", "ids"),
    [
        ({"ACCORD_NOTIFY_GATEWAY": "pigeon"}, ["notifications.E001"]),
        ({"ACCORD_NOTIFY_GATEWAY": "console"}, ["notifications.W001"]),
        (
            {"ACCORD_NOTIFY_GATEWAY": "notify", "ACCORD_NOTIFY_API_KEY": ""},
            ["notifications.E002", "notifications.E003"],
        ),
        (
            {
                "ACCORD_NOTIFY_GATEWAY": "notify",
                "ACCORD_NOTIFY_API_KEY": "k",
                "ACCORD_NOTIFY_TEMPLATES": dict.fromkeys(TEMPLATES, "t"),
            },
            [],
        ),
        ({"ACCORD_NOTIFY_GATEWAY": "smtp"}, []),
    ],
)
def test_the_deploy_check_names_a_gateway_that_cannot_deliver(settings, overrides, ids) -> None:
    settings.ACCORD_NOTIFY_TEMPLATES = {}
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert [message.id for message in gateway_is_configured()] == ids
