"""/registers/relationships: declared close relationships and connections (000 §10, 004 §5.7).

Reads go through `accord.registers.selectors` with the token's account as the actor: a person
sees the declarations they are party to, the Monitoring Officer acting today and the deputies
see the whole register. A declaration the caller may not see answers exactly as one that does
not exist (404) and is left out of every list and `count`. Writes go through
`accord.registers.services`, which re-check open cases for conflicts of interest at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accord.api import schemas
from accord.api.auth import request_user
from accord.core.errors import AccordError, FieldError, NotFound, ValidationFailed
from accord.core.pagination import paginate
from accord.directory import schemas as directory_schemas
from accord.directory.selectors import person_get
from accord.registers.selectors import relationship_get, relationships_filtered
from accord.registers.services import DESCRIPTION_MAX, relationship_declare, relationship_end

if TYPE_CHECKING:
    from accord.accounts.models import User
    from accord.directory.models import Person
    from accord.registers.models import DeclaredRelationship

router = Router(tags=["registers"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: schemas.ErrorOut, 403: schemas.ErrorOut, **ERRORS}

# The services' names for fields, as an API client sends them.
API_FIELDS = {"person": "person_id", "other": "other_id"}

Nature = Literal["family", "partner", "friend", "business", "other"]


class RelationshipOut(Schema):
    id: int
    person: directory_schemas.PersonRef = Field(description="One of the two (the lower person id).")
    other: directory_schemas.PersonRef = Field(description="The other of the two.")
    nature: Nature
    nature_label: str
    description: str
    starts_on: dt.date
    ends_on: dt.date | None = Field(description="The last day it counted; null while current.")
    is_current: bool = Field(description="No end has been recorded.")

    @staticmethod
    def resolve_nature_label(obj: DeclaredRelationship) -> str:
        return obj.get_nature_display()

    @staticmethod
    def resolve_is_current(obj: DeclaredRelationship) -> bool:
        return obj.ends_on is None


class RelationshipPage(schemas.PageMeta):
    items: list[RelationshipOut]


class RelationshipQuery(schemas.PageQuery):
    person_id: schemas.IntParam | None = Field(
        None, description="Only declarations this person is party to."
    )
    status: Literal["current", "ended"] | None = Field(
        None, description="`current`: no end recorded; `ended`: an end recorded."
    )


class RelationshipIn(Schema):
    person_id: schemas.IntBody | None = Field(
        None,
        description=(
            "Whose relationship it is; yours if left out. Only the Monitoring Officer and "
            "deputies may name two other people."
        ),
    )
    other_id: schemas.IntBody = Field(description="Who the relationship is with.")
    nature: Nature
    description: str = Field("", max_length=DESCRIPTION_MAX)
    starts_on: schemas.Day | None = Field(None, description="Today if left out; never later.")


class RelationshipEndIn(Schema):
    ends_on: schemas.Day | None = Field(None, description="The last day; today if left out.")


def _renamed(failed: AccordError) -> AccordError:
    """The same error, with its fields named as the client sent them."""
    errors = [FieldError(API_FIELDS.get(e.field, e.field), e.message) for e in failed.errors]
    renamed = AccordError(failed.detail, errors)
    renamed.status_code = failed.status_code
    return renamed


def _person(actor: User, person_id: int, field: str) -> Person:
    try:
        return person_get(actor=actor, person_id=person_id)
    except NotFound:
        raise ValidationFailed.for_field(
            field, "Choose an active person from the directory."
        ) from None


@router.get("/relationships", response={200: RelationshipPage, **ERRORS})
def relationship_list(request: HttpRequest, filters: Query[RelationshipQuery]) -> Any:
    """Declarations you may see, newest first: yours, or the whole register if you keep it."""
    rows = relationships_filtered(
        request_user(request), person_id=filters.person_id, status=filters.status or ""
    )
    items, meta = paginate(rows, filters)
    return {"items": items, **meta}


@router.post("/relationships", response={201: RelationshipOut, **WRITE_ERRORS})
def relationship_create(request: HttpRequest, payload: RelationshipIn) -> Any:
    """Declare a relationship; open cases raised by or about either person are re-checked."""
    actor = request_user(request)
    own = actor.person
    if own is None or not own.is_active:
        raise ValidationFailed(
            "Your account is not linked to anyone in the directory, so it cannot declare a "
            "relationship."
        )
    person = own if payload.person_id is None else _person(actor, payload.person_id, "person_id")
    other = _person(actor, payload.other_id, "other_id")
    try:
        declared = relationship_declare(
            actor=actor,
            person=person,
            other=other,
            nature=payload.nature,
            starts_on=payload.starts_on,
            description=payload.description,
        )
    except AccordError as failed:
        raise _renamed(failed) from failed
    return Status(201, relationship_get(actor, declared.pk))


@router.post(
    "/relationships/{relationship_id}/end", response={200: RelationshipOut, **WRITE_ERRORS}
)
def relationship_finish(
    request: HttpRequest, relationship_id: schemas.IntParam, payload: RelationshipEndIn
) -> Any:
    """Record the last day of a declaration you are party to (or any, if you keep the register)."""
    actor = request_user(request)
    found = relationship_get(actor, relationship_id)
    relationship_end(actor=actor, relationship=found, ends_on=payload.ends_on)
    return relationship_get(actor, relationship_id)
