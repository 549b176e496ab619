from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accord.api.models import ApiToken
from accord.api.tests.fixtures import ApiClient


def run(*args):
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().splitlines()


def test_create_prints_a_working_token_as_its_last_line(user):
    lines = run("create", user.username, "--name", "reporting script")

    token = lines[-1]
    row = ApiToken.objects.get(user=user)
    assert row.name == "reporting script"
    assert token.startswith(f"acc_{row.prefix}_")
    assert ApiClient(token).get("/api/v1/me").json()["username"] == user.username


def test_create_with_expiry_sets_it(user):
    run("create", user.username, "--expires-in-days", "30")

    assert ApiToken.objects.get(user=user).expires_at is not None


def test_create_for_an_unknown_account_fails_clearly(db):
    with pytest.raises(CommandError, match="No account"):
        run("create", "nobody")


def test_revoke_by_prefix_stops_the_token(user):
    token = run("create", user.username)[-1]
    prefix = ApiToken.objects.get(user=user).prefix

    assert run("revoke", prefix) == [f"Revoked token {prefix} of {user.username}."]
    assert ApiClient(token).get("/api/v1/me").status_code == 401
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke", prefix)


def test_revoke_accepts_the_whole_token(user):
    token = run("create", user.username)[-1]

    run("revoke", token)

    assert ApiToken.objects.get(user=user).revoked_at is not None


def test_revoke_of_an_unknown_prefix_fails_clearly(db):
    with pytest.raises(CommandError, match="No token"):
        run("revoke", "deadbeef")


def test_list_shows_prefixes_and_status_but_never_secrets(user):
    from accord.directory.tests.factories import UserFactory

    other = UserFactory(username="someone-else")
    mine = run("create", user.username, "--name", "mine")[-1]
    run("create", other.username, "--name", "theirs")
    run("revoke", mine)

    everyone = "\n".join(run("list"))
    just_mine = run("list", user.username)

    assert "theirs" in everyone
    assert "mine" in everyone
    assert mine not in everyone
    assert len(just_mine) == 2  # heading and one token
    assert "revoked" in just_mine[1]
