from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.access import policy


@policy.signed_in
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@policy.public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
