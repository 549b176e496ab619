"""Reads of API tokens, for the `accord token` command."""

from __future__ import annotations

from django.db.models import QuerySet

from accord.accounts.models import User
from accord.api.models import ApiToken
from accord.core.errors import NotFound


def token_list(*, user: User | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
    if user is not None:
        tokens = tokens.filter(user=user)
    return tokens


def token_get(*, prefix: str) -> ApiToken:
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None:
        raise NotFound("No token has that prefix.")
    return token
