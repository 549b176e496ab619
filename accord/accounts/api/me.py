"""Who the caller is: the token's account, its directory entry and its roles today."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from accord.access.roles import roles_for
from accord.api import schemas
from accord.api.auth import request_user
from accord.core.errors import NotFound
from accord.directory.api.pages import person_detail

router = Router(tags=["me"])


@router.get("/me", response={200: schemas.MeOut, 401: schemas.ErrorOut})
def me(request: HttpRequest) -> schemas.MeOut:
    user = request_user(request)
    person: schemas.PersonOut | None = None
    if user.person_id is not None:
        try:
            person = person_detail(user, user.person_id)
        except NotFound:
            # A directory entry marked inactive: the account still works, with no roles.
            person = None
    return schemas.MeOut(
        username=user.get_username(),
        person=person,
        roles=sorted(str(role) for role in roles_for(user)),
    )
