"""Bearer-token authentication for the API. Sessions are never consulted, so the API needs no
CSRF token: a request carries its credential explicitly or is refused.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from accord.access.actor import Actor
from accord.access.policies import Policy
from accord.accounts.models import User
from accord.api.services import token_authenticate
from accord.core.errors import NotFound


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = token_authenticate(plaintext=token)
        if api_token is None:
            return None
        return api_token.user


def request_user(request: HttpRequest) -> User:
    """The account whose token authenticated this request: the actor for every selector."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # pragma: no cover - the auth class guarantees it
        raise TypeError("API request without an authenticated user")
    return user


def require(actor: Actor, access: Policy) -> None:
    """Like `accord.access.policy.allowed_by` for the API: refused, the endpoint is a 404."""
    if not access.allows(actor):
        raise NotFound()


class PolicyTokenAuth(ApiTokenAuth):
    """A working token whose account the policy allows today; any other token gets 404.

    Checked while authenticating, before ninja reads parameters or body, so that a malformed
    request cannot tell someone without the role that the endpoint exists (it would get a 422).
    """

    def __init__(self, access: Policy) -> None:
        super().__init__()
        self.access = access

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = super().authenticate(request, token)
        if user is not None:
            require(user, self.access)
        return user
