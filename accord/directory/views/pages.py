"""Directory pages: people, political groups, divisions, committees and statutory officers.

Thin: every read goes through `accord.directory.selectors`; a selector's NotFound is a 404.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access import policy
from accord.core.pagination import web_page
from accord.directory import selectors
from accord.directory.models import CommitteeMembership, Person, StatutoryDesignation
from accord.web.forms import AccordForm, SearchField

PEOPLE_PER_PAGE = 25

T = TypeVar("T")


class PeopleFilterForm(AccordForm):
    q = SearchField(label="Search by name, email, job title or division")
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everyone"), *Person.Kind.choices],
    )


@policy.signed_in
def people(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    query, kind = "", ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    people = selectors.person_list(actor=request.user, query=query, kind=kind)
    shown = web_page(people, PEOPLE_PER_PAGE, request.GET)
    return render(
        request,
        "directory/people.html",
        {"filter_form": form, "query": query, **shown.context()},
    )


@policy.signed_in
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = selectors.person_get(actor=request.user, person_id=person_id)
    context: dict[str, Any] = {
        "subject": subject,
        "appointments": list(selectors.appointments_for(actor=request.user, person=subject)),
    }
    if subject.kind == Person.Kind.MEMBER and hasattr(subject, "member"):
        context["member"] = subject.member
        context["committee_memberships"] = list(
            selectors.memberships_for_member(actor=request.user, member=subject.member)
        )
    elif hasattr(subject, "officer"):
        officer = subject.officer
        context["officer"] = officer
        context["reports"] = list(selectors.direct_reports(actor=request.user, officer=officer))
        context["designations"] = list(
            selectors.designations_for_officer(actor=request.user, officer=officer)
        )
    return render(request, "directory/person.html", context)


@policy.signed_in
def groups(request: HttpRequest) -> HttpResponse:
    leaders = selectors.group_leaders()
    rows = [
        {"group": group, "leader": leaders.get(group.pk)}
        for group in selectors.group_list_with_counts(actor=request.user)
    ]
    return render(request, "directory/groups.html", {"rows": rows})


@policy.signed_in
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    subject = selectors.group_get(actor=request.user, group_id=group_id)
    return render(
        request,
        "directory/group.html",
        {
            "group": subject,
            "leader": selectors.group_leader(group=subject),
            "members": list(selectors.group_members(actor=request.user, group=subject)),
        },
    )


@policy.signed_in
def divisions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/divisions.html",
        {"divisions": list(selectors.division_list(actor=request.user))},
    )


@policy.signed_in
def division(request: HttpRequest, division_id: int) -> HttpResponse:
    subject = selectors.division_get(actor=request.user, division_id=division_id)
    return render(request, "directory/division.html", {"division": subject})


@policy.signed_in
def committees(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/committees.html",
        {"committees": list(selectors.committee_list(actor=request.user))},
    )


@policy.signed_in
def committee(request: HttpRequest, committee_id: int) -> HttpResponse:
    subject = selectors.committee_get(actor=request.user, committee_id=committee_id)
    memberships = list(selectors.committee_memberships(actor=request.user, committee=subject))
    chair = next((m for m in memberships if m.position == CommitteeMembership.Position.CHAIR), None)
    return render(
        request,
        "directory/committee.html",
        {"committee": subject, "chair": chair, "memberships": memberships},
    )


@policy.signed_in
def statutory(request: HttpRequest) -> HttpResponse:
    designations = list(selectors.statutory_designations(actor=request.user))
    offices = []
    for office in StatutoryDesignation.Office:
        held = [d for d in designations if d.office == office.value]
        offices.append(
            {
                "label": office.label,
                "slug": office.value,
                "holders": [d.officer for d in held if not d.is_deputy],
                "deputies": [d.officer for d in held if d.is_deputy],
                "acting": selectors.acting_statutory_officer(office=office.value),
            }
        )
    return render(request, "directory/statutory.html", {"offices": offices})
