"""Bearer-token authentication for the API. Sessions are never consulted, so the API needs no
CSRF token: a request carries its credential explicitly or is refused.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from accord.access.roles import Role, roles_for
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


def require_any_role(user: User, *roles: Role) -> None:
    """Like `accord.access.policy.any_role` for the API: without a role, the endpoint is a 404."""
    if not roles_for(user) & set(roles):
        raise NotFound()


class RoleTokenAuth(ApiTokenAuth):
    """A working token whose account holds one of `roles` today; any other token gets 404.

    Checked while authenticating, before ninja reads parameters or body, so that a malformed
    request cannot tell someone without the role that the endpoint exists (it would get a 422).
    """

    def __init__(self, *roles: Role) -> None:
        super().__init__()
        self.roles = roles

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = super().authenticate(request, token)
        if user is not None:
            require_any_role(user, *self.roles)
        return user
