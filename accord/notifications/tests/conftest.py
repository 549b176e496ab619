from __future__ import annotations

from typing import Any

import pytest

from accord.notifications.gateway import FakeGateway
from accord.notifications.testing import install_fake_gateway


@pytest.fixture(autouse=True)
def fake_gateway(settings: Any, monkeypatch: pytest.MonkeyPatch) -> FakeGateway:
    """Every test here delivers to a fresh FakeGateway; nothing leaves the machine."""
    return install_fake_gateway(settings, monkeypatch)
