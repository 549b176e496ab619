"""`accord token create|revoke|list`: issue and withdraw API tokens from the command line.

`create` prints the new token as its last line of output, so scripts can take it with `tail -1`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accord.accounts.models import User
from accord.api import selectors, services
from accord.api.models import ApiToken
from accord.core import clock
from accord.core.errors import AccordError


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


def _status(token: ApiToken, now: dt.datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    if not token.user.is_active:
        return "account disabled"
    return "active"


class Command(BaseCommand):
    help = "Create, revoke or list API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Issue a token for an account.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for.")
        create.add_argument(
            "--expires-in-days", type=int, default=None, help="Stop working after this many days."
        )
        revoke = actions.add_parser("revoke", help="Stop a token working.")
        revoke.add_argument("prefix", help="The token's prefix (or the whole token).")
        listing = actions.add_parser("list", help="List tokens, for one account or all.")
        listing.add_argument("username", nargs="?", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(**options)
        except AccordError as exc:
            raise CommandError(exc.detail) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account has the username {username!r}.")
        return user

    def _create(self, *, username: str, name: str, expires_in_days: int | None, **_: Any) -> None:
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        expires_at = clock.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
        token, plaintext = services.token_create(
            actor=None, user=self._user(username), name=name, expires_at=expires_at
        )
        self.stdout.write(
            f"Created token {token.prefix} for {username}. It is shown once, below: store it now."
        )
        self.stdout.write(plaintext)

    def _revoke(self, *, prefix: str, **_: Any) -> None:
        prefix = services.parse_prefix(prefix) or prefix
        token = services.token_revoke(actor=None, token=selectors.token_get(prefix=prefix))
        self.stdout.write(f"Revoked token {token.prefix} of {token.user.get_username()}.")

    def _list(self, *, username: str | None, **_: Any) -> None:
        user = self._user(username) if username else None
        now = clock.now()
        self.stdout.write(
            f"{'PREFIX':<10} {'USER':<20} {'STATUS':<16} {'CREATED':<16} {'LAST USED':<16} NAME"
        )
        for token in selectors.token_list(user=user):
            self.stdout.write(
                f"{token.prefix:<10} {token.user.get_username():<20} {_status(token, now):<16} "
                f"{_when(token.created_at):<16} {_when(token.last_used_at):<16} {token.name}"
            )
