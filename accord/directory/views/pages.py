"""Directory pages: people, political groups, divisions, committees and statutory officers.

Thin: every read goes through `accord.directory.selectors`; a selector's NotFound is a 404.
"""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access import policy
from accord.core.pagination import web_page
from accord.directory import forms, selectors

PEOPLE_PER_PAGE = 25

T = TypeVar("T")


@policy.signed_in
def people(request: HttpRequest) -> HttpResponse:
    form = forms.PeopleFilterForm(request.GET or None)
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
    shown = selectors.person_page(actor=request.user, person_id=person_id)
    return render(request, "directory/person.html", vars(shown))


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
    shown = selectors.committee_page(actor=request.user, committee_id=committee_id)
    return render(
        request,
        "directory/committee.html",
        {"committee": shown.committee, "chair": shown.chair, "memberships": shown.memberships},
    )


@policy.signed_in
def statutory(request: HttpRequest) -> HttpResponse:
    offices = selectors.statutory_offices(actor=request.user)
    return render(request, "directory/statutory.html", {"offices": offices})
