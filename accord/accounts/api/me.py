"""Who the caller is: the token's account, its directory entry and its roles today."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from accord.access.roles import roles_for
from accord.accounts import schemas as account_schemas
from accord.api import schemas
from accord.api.auth import request_user
from accord.core.errors import NotFound
from accord.directory import schemas as directory_schemas
from accord.directory import selectors as directory_selectors
from accord.directory.schemas import shapes

router = Router(tags=["me"])


@router.get("/me", response={200: account_schemas.MeOut, 401: schemas.ErrorOut})
def me(request: HttpRequest) -> account_schemas.MeOut:
    user = request_user(request)
    person: directory_schemas.PersonOut | None = None
    if user.person_id is not None:
        try:
            shown = directory_selectors.person_page(actor=user, person_id=user.person_id)
            person = shapes.person_detail(shown)
        except NotFound:
            # A directory entry marked inactive: the account still works, with no roles.
            person = None
    return account_schemas.MeOut(
        username=user.get_username(),
        person=person,
        roles=sorted(str(role) for role in roles_for(user)),
    )
