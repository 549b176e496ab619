from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access import policy
from accord.access.roles import roles_for
from accord.directory import selectors
from accord.web.navigation import navigation_for
from accord.web.presentation import role_labels


@policy.signed_in
def home(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    appointments = (
        list(selectors.appointments_for(actor=request.user, person=person)) if person else []
    )
    return render(
        request,
        "web/home.html",
        {
            "person": person,
            "roles": role_labels(roles_for(request.user)),
            "appointments": appointments,
            "sections": [
                link for link in navigation_for(request.user, None) if link.href != request.path
            ],
        },
    )


@policy.public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
