from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accord.api.services import token_create
from accord.directory.tests.factories import UserFactory


class ApiClient:
    """A test client that sends a bearer token (or none) with every request."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers())

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self.client.post(
            path, data, content_type="application/json", headers=self._headers(), **kwargs
        )


@pytest.fixture
def user(db):
    return UserFactory(username="api-user")


@pytest.fixture
def token(user):
    _, plaintext = token_create(actor=None, user=user, name="tests")
    return plaintext


@pytest.fixture
def api(token):
    return ApiClient(token)


@pytest.fixture
def anonymous(db):
    return ApiClient(None)
