"""The audit trail in the browser: search it, read an event, verify the chain, export a checkpoint.

Only the Monitoring Officer, deputies and directory administrators reach these pages (anyone
else gets 404), and reading the trail is itself recorded: a search once (not once per page, see
`accord.audit.selectors.search_recorded`), each event opened, each verification and each
checkpoint exported.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accord.access import policies, policy
from accord.audit import selectors
from accord.audit.services import chain_verify, checkpoint_export, record
from accord.core.errors import NotFound
from accord.core.pagination import web_page
from accord.web.forms import AccordForm, GovukDateField, SearchField

EVENTS_PER_PAGE = 50

audit_reader = policy.allowed_by(policies.AUDIT_READERS)


class EventFilterForm(AccordForm):
    verb = SearchField(
        label="What happened",
        help_text="The start of the action's name, for example directory. or audit.viewed",
    )
    actor = SearchField(label="Who", help_text="A username, or system")
    target_type = SearchField(
        label="Record type",
        help_text="For example directory.person",
    )
    target_id = SearchField(label="Record id")
    occurred_from = GovukDateField(label="From", required=False, help_text="For example 27 3 2026")
    occurred_to = GovukDateField(label="To", required=False, help_text="Inclusive")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and end < start:
            self.add_error(
                "occurred_to", "The end date must be the same as or after the start date"
            )
        return cleaned

    def filters(self) -> selectors.EventFilters:
        data = self.cleaned_data
        return selectors.EventFilters(
            verb_prefix=data["verb"].strip(),
            actor=data["actor"].strip(),
            target_type=data["target_type"].strip(),
            target_id=data["target_id"].strip(),
            occurred_from=data["occurred_from"],
            occurred_to=data["occurred_to"],
        )


@audit_reader
def events(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET)
    context: dict[str, Any] = {"form": form, "filtering": False, "page_obj": None}
    if form.is_valid():
        filters = form.filters()
        # Recorded before the page is read, so the count and the rows shown agree.
        if not selectors.search_recorded(actor=request.user, filters=filters, verb="audit.viewed"):
            record(actor=request.user, verb="audit.viewed", data={"filters": filters.as_data()})
        events = selectors.event_list(actor=request.user, filters=filters)
        context.update(
            filtering=bool(filters.as_data()),
            **web_page(events, EVENTS_PER_PAGE, request.GET).context(),
        )
    return render(request, "audit/events.html", context)


@audit_reader
def event(request: HttpRequest, seq: int) -> HttpResponse:
    try:
        found = selectors.event_get(actor=request.user, seq=seq)
    except NotFound as error:
        raise Http404(error.detail) from error
    record(actor=request.user, verb="audit.viewed", target=found)
    return render(
        request,
        "audit/event.html",
        {
            "event": found,
            # Autoescaped by the template: data is shown as text, never as markup.
            "data_json": json.dumps(found.data, indent=2, sort_keys=True, ensure_ascii=False),
            "hash_matches": selectors.hash_matches(found),
        },
    )


@audit_reader
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "audit/verify.html", {"result": None})
    result = chain_verify(actor=request.user)
    return render(request, "audit/verify.html", {"result": result})


@audit_reader
def checkpoint(request: HttpRequest) -> HttpResponse:
    exported = checkpoint_export(actor=request.user)
    response = HttpResponse(exported.signed_text(), content_type="application/json")
    filename = f"audit-checkpoint-{exported.seq}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
