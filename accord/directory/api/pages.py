"""Read-only directory endpoints. Every read goes through `accord.directory.selectors` with the
token's user as the actor, so any later restriction applies here too.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accord.access.actor import Actor
from accord.api import schemas
from accord.api.auth import request_user
from accord.core import clock
from accord.core.pagination import api_page
from accord.directory import selectors
from accord.directory.api import shapes as shapes
from accord.directory.models import StatutoryDesignation

router = Router(tags=["directory"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}

RowT = TypeVar("RowT", bound=Model)


def paginate(rows: QuerySet[RowT], page: schemas.PageQuery) -> tuple[list[RowT], dict[str, int]]:
    """One page of `rows` and the counts to describe it: two queries, whatever the page size."""
    return api_page(rows, offset=page.offset, limit=page.limit)


class PeopleQuery(schemas.PageQuery):
    q: schemas.SearchText = Field("", description="Words matched against names, email, etc.")
    kind: Literal["member", "officer"] | None = None
    group: schemas.IntParam | None = Field(
        None, description="Only members of this political group (id)."
    )


@router.get("/people", response={200: schemas.PersonPage, **ERRORS})
def people(request: HttpRequest, filters: Query[PeopleQuery]) -> schemas.PersonPage:
    rows = selectors.person_list(
        actor=request_user(request),
        query=filters.q,
        kind=filters.kind or "",
        group_id=filters.group,
    )
    items, meta = paginate(rows, filters)
    return schemas.PersonPage(items=[shapes.person_summary(p) for p in items], **meta)


def person_detail(actor: Actor, person_id: int) -> schemas.PersonOut:
    person = selectors.person_get(actor=actor, person_id=person_id)
    officer = shapes.officer_of(person)
    reports = selectors.direct_reports(actor=actor, officer=officer) if officer else []
    return shapes.person_detail(
        person,
        appointments=selectors.appointments_for(actor=actor, person=person),
        reports=reports,
    )


@router.get("/people/{person_id}", response={200: schemas.PersonOut, **ERRORS})
def person(request: HttpRequest, person_id: schemas.IntParam) -> schemas.PersonOut:
    return person_detail(request_user(request), person_id)


@router.get("/groups", response={200: schemas.GroupPage, **ERRORS})
def groups(request: HttpRequest, page: Query[schemas.PageQuery]) -> schemas.GroupPage:
    items, meta = paginate(selectors.group_list(actor=request_user(request)), page)
    return schemas.GroupPage(items=[shapes.group_out(g) for g in items], **meta)


@router.get("/groups/{group_id}", response={200: schemas.GroupDetailOut, **ERRORS})
def group(request: HttpRequest, group_id: schemas.IntParam) -> schemas.GroupDetailOut:
    actor = request_user(request)
    found = selectors.group_get(actor=actor, group_id=group_id)
    return shapes.group_detail(
        found,
        leader=selectors.group_leader(group=found),
        members=selectors.group_members(actor=actor, group=found),
    )


@router.get("/divisions", response={200: schemas.DivisionPage, **ERRORS})
def divisions(request: HttpRequest, page: Query[schemas.PageQuery]) -> schemas.DivisionPage:
    items, meta = paginate(selectors.division_list(actor=request_user(request)), page)
    return schemas.DivisionPage(items=[shapes.division_out(d) for d in items], **meta)


@router.get("/divisions/{division_id}", response={200: schemas.DivisionOut, **ERRORS})
def division(request: HttpRequest, division_id: schemas.IntParam) -> schemas.DivisionOut:
    found = selectors.division_get(actor=request_user(request), division_id=division_id)
    return shapes.division_out(found)


@router.get("/directorates", response={200: schemas.DirectoratePage, **ERRORS})
def directorates(request: HttpRequest, page: Query[schemas.PageQuery]) -> schemas.DirectoratePage:
    items, meta = paginate(selectors.directorate_list(actor=request_user(request)), page)
    refs = [shapes.directorate_ref(d) for d in items]
    return schemas.DirectoratePage(items=[r for r in refs if r is not None], **meta)


@router.get("/committees", response={200: schemas.CommitteePage, **ERRORS})
def committees(request: HttpRequest, page: Query[schemas.PageQuery]) -> schemas.CommitteePage:
    items, meta = paginate(selectors.committee_list(actor=request_user(request)), page)
    return schemas.CommitteePage(items=[shapes.committee_out(c) for c in items], **meta)


@router.get("/committees/{committee_id}", response={200: schemas.CommitteeDetailOut, **ERRORS})
def committee(request: HttpRequest, committee_id: schemas.IntParam) -> schemas.CommitteeDetailOut:
    actor = request_user(request)
    found = selectors.committee_get(actor=actor, committee_id=committee_id)
    return shapes.committee_detail(
        found, memberships=selectors.committee_memberships(actor=actor, committee=found)
    )


class OnQuery(Schema):
    on: schemas.Day | None = Field(None, description="The day to answer for; today if omitted.")


@router.get("/statutory-officers", response={200: schemas.StatutoryOfficersOut, **ERRORS})
def statutory_officers(request: HttpRequest, when: Query[OnQuery]) -> schemas.StatutoryOfficersOut:
    day = when.on or clock.today()
    current = list(selectors.statutory_designations(actor=request_user(request), on=day))
    return schemas.StatutoryOfficersOut(
        on=day,
        offices=[
            shapes.statutory_office(
                office,
                acting=selectors.acting_statutory_officer(office=office.value, on=day),
                designations=[d for d in current if d.office == office.value],
            )
            for office in StatutoryDesignation.Office
        ],
    )
