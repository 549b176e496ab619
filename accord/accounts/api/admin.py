"""Account administration endpoints. Directory administrators and Democratic Services only: to
anyone else every one of them answers 404, as if it did not exist.

Reads go through `accord.accounts.selectors` (which apply the same rule) and writes through
`accord.accounts.services`, with the token's account as the actor.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accord.access.policies import ACCOUNT_ADMINS
from accord.access.roles import roles_for_people
from accord.accounts import selectors, services
from accord.api import schemas
from accord.api.auth import PolicyTokenAuth, request_user, require
from accord.core.errors import FieldError, ValidationFailed
from accord.core.pagination import api_page
from accord.directory import schemas as directory_schemas

if TYPE_CHECKING:
    from accord.accounts.models import User

router = Router(tags=["accounts"], auth=PolicyTokenAuth(ACCOUNT_ADMINS))

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: schemas.ErrorOut, **ERRORS}

# Service field names as an API client knows them.
API_FIELDS = {"person": "person_id"}


class AccountOut(Schema):
    id: int
    username: str
    email: str
    person: directory_schemas.PersonRef | None
    roles: list[str] = Field(description="Roles the account's person holds today.")
    is_active: bool
    two_factor: bool = Field(description="An authenticator app is set up.")
    last_sign_in: dt.datetime | None


class AccountDetailOut(AccountOut):
    active_sessions: int


class AccountPage(schemas.PageMeta):
    items: list[AccountOut]


class AccountsQuery(schemas.PageQuery):
    q: schemas.SearchText = Field("", description="Words matched against username, email, name.")


class AccountIn(Schema):
    person_id: schemas.IntBody = Field(description="The directory person the account is for.")
    username: str = Field(max_length=150)


class ReasonIn(Schema):
    reason: str = Field(max_length=500, description="Why; kept in the audit trail.")


class DisabledOut(AccountDetailOut):
    sessions_ended: int


def _actor(request: HttpRequest) -> User:
    actor = request_user(request)
    require(actor, ACCOUNT_ADMINS)
    return actor


def _account_out(user: User, roles: dict[int, frozenset[Any]]) -> dict[str, Any]:
    person = user.person
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "person": {"id": person.pk, "full_name": person.full_name} if person else None,
        "roles": sorted(str(r) for r in roles.get(user.person_id or 0, frozenset())),
        "is_active": user.is_active,
        "two_factor": bool(getattr(user, "has_two_factor", False)),
        "last_sign_in": user.last_login,
    }


def _detail(actor: User, user_id: int) -> dict[str, Any]:
    user = selectors.account_get(actor=actor, user_id=user_id)
    roles = roles_for_people([user.person_id] if user.person_id else [])
    return {
        **_account_out(user, roles),
        "active_sessions": selectors.active_session_count(user=user),
    }


def _renamed(exc: ValidationFailed) -> ValidationFailed:
    return ValidationFailed(
        exc.detail, [FieldError(API_FIELDS.get(e.field, e.field), e.message) for e in exc.errors]
    )


@router.get("", response={200: AccountPage, **ERRORS})
def account_list(request: HttpRequest, filters: Query[AccountsQuery]) -> AccountPage:
    rows = selectors.account_list(actor=_actor(request), query=filters.q)
    items, meta = api_page(rows, offset=filters.offset, limit=filters.limit)
    roles = roles_for_people(u.person_id for u in items if u.person_id)
    return AccountPage(
        items=[AccountOut(**_account_out(u, roles)) for u in items],
        **meta,
    )


@router.get("/{user_id}", response={200: AccountDetailOut, **ERRORS})
def account_detail(request: HttpRequest, user_id: schemas.IntParam) -> AccountDetailOut:
    return AccountDetailOut(**_detail(_actor(request), user_id))


@router.post("", response={201: AccountDetailOut, **WRITE_ERRORS})
def account_create(request: HttpRequest, payload: AccountIn) -> Status[AccountDetailOut]:
    """Make an account for a directory person. It has no password: the person signs in with
    single sign-on, or chooses a password through the sign-in page's password reset."""
    actor = _actor(request)
    person = selectors.people_without_account(actor=actor).filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationFailed.for_field(
            "person_id", "Choose an active person from the directory who has no account yet."
        )
    try:
        user = services.account_create(actor=actor, person=person, username=payload.username)
    except ValidationFailed as exc:
        raise _renamed(exc) from exc
    return Status(201, AccountDetailOut(**_detail(actor, user.pk)))


@router.post("/{user_id}/disable", response={200: DisabledOut, **WRITE_ERRORS})
def account_disable(
    request: HttpRequest, user_id: schemas.IntParam, payload: ReasonIn
) -> DisabledOut:
    """Stop the account signing in and end every session it has. You cannot disable your own."""
    actor = _actor(request)
    user = selectors.account_get(actor=actor, user_id=user_id)
    ended = services.account_disable(actor=actor, user=user, reason=payload.reason)
    return DisabledOut(**_detail(actor, user_id), sessions_ended=ended)


@router.post("/{user_id}/enable", response={200: AccountDetailOut, **WRITE_ERRORS})
def account_enable(
    request: HttpRequest, user_id: schemas.IntParam, payload: ReasonIn
) -> AccountDetailOut:
    actor = _actor(request)
    user = selectors.account_get(actor=actor, user_id=user_id)
    services.account_enable(actor=actor, user=user, reason=payload.reason)
    return AccountDetailOut(**_detail(actor, user_id))
