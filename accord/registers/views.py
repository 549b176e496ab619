"""The register of declared relationships in the browser.

Anyone with a directory entry sees and declares their own relationships, and ends them; the
Monitoring Officer acting today and the deputies see the whole register and may record or end a
declaration on someone's behalf. Thin: reads through `accord.registers.selectors` (which decide
who sees what: a declaration the reader may not see is the site's ordinary 404 page), writes
through `accord.registers.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accord.access import policies, policy
from accord.access.actor import Actor
from accord.core.errors import AccordError, NotFound, ValidationFailed
from accord.core.pagination import web_page
from accord.directory.selectors import person_get, person_label, person_list, person_signed_in
from accord.registers.forms import (
    DeclareForm,
    EndForm,
    PeopleSearchForm,
    RegisterFilterForm,
)
from accord.registers.selectors import (
    keeps_register,
    relationship_get,
    relationship_register,
    relationships_of,
)
from accord.registers.services import relationship_declare, relationship_end
from accord.web.converters import id_from
from accord.web.forms import add_service_errors

if TYPE_CHECKING:
    from accord.directory.models import Person
    from accord.registers.models import DeclaredRelationship

RELATIONSHIPS_PER_PAGE = 25
PEOPLE_SHOWN = 300

keepers_only = policy.allowed_by(policies.REGISTER_KEEPERS)


@dataclass(frozen=True)
class Row:
    relationship: DeclaredRelationship
    # (person id, label): the other person on one's own list; both on the whole register.
    parties: list[tuple[int, str]]


def _own_row(relationship: DeclaredRelationship, person_id: int) -> Row:
    other = relationship.other if relationship.person_id == person_id else relationship.person
    return Row(relationship, [(other.pk, person_label(other))])


def _both(relationship: DeclaredRelationship) -> Row:
    return Row(
        relationship,
        [(p.pk, person_label(p)) for p in (relationship.person, relationship.other)],
    )


def _back(request: HttpRequest, relationship: DeclaredRelationship) -> HttpResponse:
    """Back to the reader's own list if they are party to it, else to the whole register."""
    person_id = getattr(request.user, "person_id", None)
    if person_id in {relationship.person_id, relationship.other_id}:
        return redirect("registers:relationships")
    return redirect("registers:relationships_all")


@policy.signed_in
@require_GET
def relationships(request: HttpRequest) -> HttpResponse:
    person = person_signed_in(actor=request.user)
    rows = [_own_row(r, person.pk) for r in relationships_of(request.user)] if person else []
    return render(
        request,
        "registers/relationships.html",
        {
            "person": person,
            "current": [row for row in rows if row.relationship.ends_on is None],
            "ended": [row for row in rows if row.relationship.ends_on is not None],
            "keeper": keeps_register(request.user),
        },
    )


def _people(
    actor: Actor, query: str, *, exclude: int | None = None, always: tuple[str, ...] = ()
) -> tuple[list[Person], int]:
    """Active people matching `query` (at most PEOPLE_SHOWN), with any in `always` added so a
    submitted or default choice stays valid; and how many matched."""
    people = person_list(actor=actor, query=query)
    if exclude is not None:
        people = people.exclude(pk=exclude)
    shown = list(people[:PEOPLE_SHOWN])
    wanted = {pk for pk in map(id_from, always) if pk is not None} - {p.pk for p in shown}
    if wanted:
        shown += list(person_list(actor=actor).filter(pk__in=wanted).exclude(pk=exclude or 0))
    total = people.count() if len(shown) >= PEOPLE_SHOWN else len(shown)
    return shown, total


@policy.signed_in
@require_http_methods(["GET", "POST"])
def relationship_new(request: HttpRequest) -> HttpResponse:
    person = person_signed_in(actor=request.user)
    if person is None:
        return render(request, "registers/new.html", {"person": None})
    keeper = keeps_register(request.user)
    search = PeopleSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    person_query = search.cleaned_data["person_q"].strip() if search.is_valid() else ""
    posted = request.POST if request.method == "POST" else None
    others, total = _people(
        request.user,
        query,
        exclude=None if keeper else person.pk,
        always=(posted.get("other", ""),) if posted else (),
    )
    people: list[Person] | None = None
    if keeper:
        people, _ = _people(
            request.user,
            person_query,
            always=(str(person.pk), posted.get("person", "") if posted else ""),
        )
    form = DeclareForm(
        posted,
        others=[(p.pk, person_label(p)) for p in others],
        people=[(p.pk, person_label(p)) for p in people] if people is not None else None,
        initial={"person": person.pk} if keeper else None,
    )
    if posted is not None and form.is_valid():
        chosen = {p.pk: p for p in [*others, *(people or [])]}
        whose = chosen[form.cleaned_data["person"]] if keeper else person
        other = chosen[form.cleaned_data["other"]]
        try:
            declared = relationship_declare(
                actor=request.user,
                person=whose,
                other=other,
                nature=form.cleaned_data["nature"],
                starts_on=form.cleaned_data["starts_on"],
                description=form.cleaned_data["description"],
            )
        except AccordError as failed:
            add_service_errors(form, ValidationFailed(failed.detail, failed.errors))
        else:
            if whose.pk == person.pk:
                messages.success(request, f"Relationship declared with {other.full_name}")
            else:
                messages.success(
                    request,
                    f"Relationship recorded between {whose.full_name} and {other.full_name}",
                )
            return _back(request, declared)
    return render(
        request,
        "registers/new.html",
        {
            "person": person,
            "keeper": keeper,
            "form": form,
            "search_form": search,
            "query": query,
            "person_query": person_query,
            "shown": len(others),
            "total": total,
        },
    )


@policy.signed_in
@require_http_methods(["GET", "POST"])
def relationship_end_page(request: HttpRequest, relationship_id: int) -> HttpResponse:
    found = relationship_get(request.user, relationship_id)
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and found.ends_on is None and form.is_valid():
        try:
            relationship_end(
                actor=request.user, relationship=found, ends_on=form.cleaned_data["ends_on"]
            )
        except ValidationFailed as failed:
            add_service_errors(form, failed)
        else:
            messages.success(
                request,
                f"The relationship ends on {form.cleaned_data['ends_on']:%-d %B %Y}",
            )
            return _back(request, found)
    person = person_signed_in(actor=request.user)
    party = person is not None and person.pk in {found.person_id, found.other_id}
    return render(
        request,
        "registers/end.html",
        {
            "relationship": found,
            "row": _own_row(found, person.pk) if person is not None and party else _both(found),
            "party": party,
            "from_register": not party,
            "form": form,
        },
    )


@keepers_only
@require_GET
def relationships_all(request: HttpRequest) -> HttpResponse:
    filters = RegisterFilterForm(request.GET)
    query = filters.cleaned_data["q"].strip() if filters.is_valid() else ""
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    raw_person = request.GET.get("person", "")
    person_id = id_from(raw_person)
    rows = relationship_register(request.user, person_id=person_id, query=query, status=status)
    shown = web_page(rows, RELATIONSHIPS_PER_PAGE, request.GET)
    chosen: Person | None = None
    if person_id is not None:
        try:
            chosen = person_get(actor=request.user, person_id=person_id)
        except NotFound:
            chosen = None
    return render(
        request,
        "registers/all.html",
        {
            "filter_form": filters,
            "query": query,
            "person_id": person_id,
            "chosen": person_label(chosen) if chosen else "",
            **shown.context(),
            "rows": [_both(r) for r in shown.rows],
        },
    )
