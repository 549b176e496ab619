"""For tests anywhere in the project: deliver through a fresh `FakeGateway`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.notifications import gateway
from accord.notifications.gateway import FakeGateway

if TYPE_CHECKING:
    import pytest


def install_fake_gateway(settings: Any, monkeypatch: pytest.MonkeyPatch) -> FakeGateway:
    fake = FakeGateway()
    settings.ACCORD_NOTIFY_GATEWAY = "fake"
    monkeypatch.setattr(gateway, "FAKE", fake)
    return fake
