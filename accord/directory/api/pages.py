"""Read-only directory endpoints. Every read goes through `accord.directory.selectors` with the
token's user as the actor, so any later restriction applies here too.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accord.api import schemas
from accord.api.auth import request_user
from accord.core import clock
from accord.core.pagination import paginate
from accord.directory import schemas as directory_schemas
from accord.directory import selectors
from accord.directory.schemas import shapes

router = Router(tags=["directory"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}


class PeopleQuery(schemas.PageQuery):
    q: schemas.SearchText = Field("", description="Words matched against names, email, etc.")
    kind: Literal["member", "officer"] | None = None
    group: schemas.IntParam | None = Field(
        None, description="Only members of this political group (id)."
    )


@router.get("/people", response={200: directory_schemas.PersonPage, **ERRORS})
def people(request: HttpRequest, filters: Query[PeopleQuery]) -> directory_schemas.PersonPage:
    rows = selectors.person_list(
        actor=request_user(request),
        query=filters.q,
        kind=filters.kind or "",
        group_id=filters.group,
    )
    items, meta = paginate(rows, filters)
    return directory_schemas.PersonPage(items=[shapes.person_summary(p) for p in items], **meta)


@router.get("/people/{person_id}", response={200: directory_schemas.PersonOut, **ERRORS})
def person(request: HttpRequest, person_id: schemas.IntParam) -> directory_schemas.PersonOut:
    shown = selectors.person_page(actor=request_user(request), person_id=person_id)
    return shapes.person_detail(shown)


@router.get("/groups", response={200: directory_schemas.GroupPage, **ERRORS})
def groups(request: HttpRequest, page: Query[schemas.PageQuery]) -> directory_schemas.GroupPage:
    items, meta = paginate(selectors.group_list(actor=request_user(request)), page)
    return directory_schemas.GroupPage(items=[shapes.group_out(g) for g in items], **meta)


@router.get("/groups/{group_id}", response={200: directory_schemas.GroupDetailOut, **ERRORS})
def group(request: HttpRequest, group_id: schemas.IntParam) -> directory_schemas.GroupDetailOut:
    actor = request_user(request)
    found = selectors.group_get(actor=actor, group_id=group_id)
    return shapes.group_detail(
        found,
        leader=selectors.group_leader(group=found),
        members=selectors.group_members(actor=actor, group=found),
    )


@router.get("/divisions", response={200: directory_schemas.DivisionPage, **ERRORS})
def divisions(
    request: HttpRequest, page: Query[schemas.PageQuery]
) -> directory_schemas.DivisionPage:
    items, meta = paginate(selectors.division_list(actor=request_user(request)), page)
    return directory_schemas.DivisionPage(items=[shapes.division_out(d) for d in items], **meta)


@router.get("/divisions/{division_id}", response={200: directory_schemas.DivisionOut, **ERRORS})
def division(request: HttpRequest, division_id: schemas.IntParam) -> directory_schemas.DivisionOut:
    found = selectors.division_get(actor=request_user(request), division_id=division_id)
    return shapes.division_out(found)


@router.get("/directorates", response={200: directory_schemas.DirectoratePage, **ERRORS})
def directorates(
    request: HttpRequest, page: Query[schemas.PageQuery]
) -> directory_schemas.DirectoratePage:
    items, meta = paginate(selectors.directorate_list(actor=request_user(request)), page)
    refs = [shapes.directorate_ref(d) for d in items]
    return directory_schemas.DirectoratePage(items=[r for r in refs if r is not None], **meta)


@router.get("/committees", response={200: directory_schemas.CommitteePage, **ERRORS})
def committees(
    request: HttpRequest, page: Query[schemas.PageQuery]
) -> directory_schemas.CommitteePage:
    items, meta = paginate(selectors.committee_list(actor=request_user(request)), page)
    return directory_schemas.CommitteePage(items=[shapes.committee_out(c) for c in items], **meta)


@router.get(
    "/committees/{committee_id}", response={200: directory_schemas.CommitteeDetailOut, **ERRORS}
)
def committee(
    request: HttpRequest, committee_id: schemas.IntParam
) -> directory_schemas.CommitteeDetailOut:
    actor = request_user(request)
    found = selectors.committee_get(actor=actor, committee_id=committee_id)
    return shapes.committee_detail(
        found, memberships=selectors.committee_memberships(actor=actor, committee=found)
    )


class OnQuery(Schema):
    on: schemas.Day | None = Field(None, description="The day to answer for; today if omitted.")


@router.get("/statutory-officers", response={200: directory_schemas.StatutoryOfficersOut, **ERRORS})
def statutory_officers(
    request: HttpRequest, when: Query[OnQuery]
) -> directory_schemas.StatutoryOfficersOut:
    day = when.on or clock.today()
    offices = selectors.statutory_offices(actor=request_user(request), on=day)
    return directory_schemas.StatutoryOfficersOut(
        on=day, offices=[shapes.statutory_office(office) for office in offices]
    )
