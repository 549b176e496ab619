"""How django-axes names the account a sign-in attempt is for (settings.AXES_USERNAME_CALLABLE).

allauth's form field is `login` (username or email address), but axes sees the attempt through
three doors: allauth's POST data, `authenticate(username=..., email=...)`, and the
`user_login_failed` signal, whose credentials Django has renamed. All three must give the same
name, or failures would be counted under different keys and never reach the limit. The name is
case-folded and an email address is resolved to its account's username, so "ALICE", "alice" and
alice's email address share one counter.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.accounts.selectors import account_for_login

_CREDENTIAL_KEYS = ("login", "username", "email")


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    raw: Any = None
    for key in _CREDENTIAL_KEYS:
        if credentials and credentials.get(key):
            raw = credentials[key]
            break
    if not raw and request is not None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("login")
    if not raw or not isinstance(raw, str):
        return None
    value = raw.strip()
    account = account_for_login(value)
    return (account.username if account is not None else value).casefold()
