from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine

from accord.api.models import ApiToken
from accord.api.services import token_authenticate, token_create, token_revoke
from accord.api.tests.fixtures import ApiClient
from accord.audit.models import AuditEvent
from accord.core import clock
from accord.core.errors import ValidationFailed

UNAUTHENTICATED = {
    "detail": "Authentication credentials were not provided or are not valid.",
    "errors": [],
}
ME = "/api/v1/me"


def test_request_without_a_token_is_refused_with_401_and_the_error_body(anonymous):
    response = anonymous.get(ME)

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer acc_00000000_not-a-real-secret", "Bearer nonsense", "Token abc", "Bearer"],
)
def test_request_with_a_bad_token_is_refused(user, token, client, header):
    response = client.get(ME, headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_right_prefix_with_wrong_secret_is_refused(user, token):
    forged = token.rsplit("_", 1)[0] + "_" + "x" * 43

    assert ApiClient(forged).get(ME).status_code == 401


def test_a_valid_token_authenticates_as_its_user(api, user):
    response = api.get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_revoked_token_stops_working(api, user):
    token = ApiToken.objects.get(user=user)
    token_revoke(actor=None, token=token)

    assert api.get(ME).status_code == 401


def test_revoking_twice_is_refused(user, token):
    row = ApiToken.objects.get(user=user)
    token_revoke(actor=None, token=row)

    with pytest.raises(ValidationFailed) as caught:
        token_revoke(actor=None, token=row)
    assert caught.value.errors[0].field == "token"


def test_expired_token_stops_working(user):
    _, plaintext = token_create(
        actor=None, user=user, name="short", expires_at=clock.now() + dt.timedelta(days=1)
    )
    client = ApiClient(plaintext)
    assert client.get(ME).status_code == 200

    with time_machine.travel(clock.now() + dt.timedelta(days=1, seconds=1)):
        assert client.get(ME).status_code == 401


def test_token_of_a_disabled_account_stops_working(api, user):
    user.is_active = False
    user.save()

    assert api.get(ME).status_code == 401


def test_a_session_alone_does_not_authenticate_the_api(client, user):
    client.force_login(user)

    assert client.get(ME).status_code == 401


def test_token_is_stored_only_as_a_sha256_digest(user):
    row, plaintext = token_create(actor=None, user=user, name="digest")

    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert plaintext not in {str(value) for value in stored.values()}
    assert stored["secret_hash"] == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext.startswith(f"acc_{row.prefix}_")


def test_creating_and_revoking_are_audited_without_the_secret(user):
    row, plaintext = token_create(actor=None, user=user, name="audited")
    token_revoke(actor=None, token=row)

    events = list(AuditEvent.objects.filter(target_id=str(row.pk)).order_by("seq"))
    assert [e.verb for e in events] == ["api.token_create", "api.token_revoke"]
    assert events[0].data["prefix"] == row.prefix
    assert all(plaintext not in str(e.data) for e in events)


def test_token_cannot_be_issued_to_a_disabled_account(user):
    user.is_active = False
    user.save()

    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=None, user=user, name="nope")
    assert caught.value.errors[0].field == "user"


def test_token_cannot_be_issued_already_expired(user):
    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=None, user=user, expires_at=clock.now())
    assert caught.value.errors[0].field == "expires_at"


def test_last_used_is_recorded_at_most_once_a_minute(user, token):
    first = token_authenticate(plaintext=token)
    assert first is not None
    assert first.last_used_at is not None
    stamped = ApiToken.objects.get(pk=first.pk).last_used_at

    with time_machine.travel(clock.now() + dt.timedelta(seconds=30)):
        token_authenticate(plaintext=token)
    assert ApiToken.objects.get(pk=first.pk).last_used_at == stamped

    with time_machine.travel(clock.now() + dt.timedelta(minutes=2)):
        token_authenticate(plaintext=token)
    later = ApiToken.objects.get(pk=first.pk).last_used_at
    assert stamped is not None
    assert later is not None
    assert later > stamped
