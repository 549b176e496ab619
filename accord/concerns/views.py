"""Conduct concerns in the browser: your concerns, raising one, one concern with what you may do
on it, and the Monitoring Officer's register with its export.

Thin: reads go through `accord.concerns.selectors`, which decide who sees a concern at all and,
in `concern_detail`, how much of it; writes through `accord.concerns.services`. A concern the
reader may not see raises NotFound, which is the site's ordinary 404 page, exactly as for one
that does not exist; lists and counts are built from the same selectors, so they never include
one either. What happens to a concern raised today is `selectors.concern_guidance`, which the API
gives too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.access import policies, policy
from accord.concerns import selectors, services
from accord.concerns.forms import (
    ConsentForm,
    MoveForm,
    PeopleSearchForm,
    RaiseForm,
    RegisterFilterForm,
    ReportForm,
    ShareForm,
)
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.core.pagination import WebPage, web_page
from accord.directory.selectors import person_label, person_signed_in
from accord.procedures.errors import ProcedureRefused
from accord.procedures.forms import Posted, rebound
from accord.web.converters import id_from
from accord.web.forms import add_service_errors

if TYPE_CHECKING:
    from accord.concerns.models import Concern
    from accord.directory.models import Person

CONCERNS_PER_PAGE = 25
REGISTER_PER_PAGE = 50
PEOPLE_SHOWN = 300
register_readers_only = policy.allowed_by(policies.CONCERN_REGISTER_READERS)


# --- Lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    page: Page[Concern]
    rows: list[selectors.ConcernRow]
    pagination: WebPage


def _section(request: HttpRequest, key: str, concerns: QuerySet[Concern], per: int) -> Section:
    """One paginated list, its page chosen by the query parameter `key`, so several lists on
    one page page separately."""
    shown = web_page(concerns, per, request.GET, key=key)
    return Section(
        key=key,
        page=shown.page,
        rows=selectors.concern_rows(request.user, shown.page.object_list),
        pagination=shown,
    )


@policy.signed_in
@require_GET
def concerns(request: HttpRequest) -> HttpResponse:
    person = person_signed_in(actor=request.user)
    context: dict[str, Any] = {"person": person}
    if person is not None:
        context.update(
            raised=_section(
                request, "raised", selectors.concerns_raised(request.user), CONCERNS_PER_PAGE
            ),
            waiting=_section(
                request, "waiting", selectors.concern_queue(request.user), CONCERNS_PER_PAGE
            ),
            others=_section(
                request, "others", selectors.concerns_others(request.user), CONCERNS_PER_PAGE
            ),
        )
    return render(request, "concerns/list.html", context)


# --- Raising one ----------------------------------------------------------------------------


def _guidance(request: HttpRequest) -> selectors.ConcernGuidance | None:
    try:
        return selectors.concern_guidance(request.user)
    except NotFound:
        return None


def _chosen(posted: QueryDict | None, name: str) -> int | None:
    return id_from(posted.get(name, "")) if posted is not None else None


@policy.signed_in
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    person = person_signed_in(actor=request.user)
    guidance = _guidance(request) if person is not None else None
    if person is None or guidance is None:
        return render(request, "concerns/new.html", {"person": person, "guidance": None})
    posted = request.POST if request.method == "POST" else None
    search = PeopleSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    for_query = search.cleaned_data["for_q"].strip() if search.is_valid() else ""
    subjects, total = selectors.people_to_choose(
        request.user,
        query=query,
        kind=guidance.about,
        exclude=person.pk,
        chosen=_chosen(posted, "subject"),
        limit=PEOPLE_SHOWN,
    )
    raisers: list[Person] | None = None
    if guidance.may_record_for_others:
        raisers, _ = selectors.people_to_choose(
            request.user,
            query=for_query,
            kind=guidance.raised_by,
            exclude=person.pk,
            chosen=_chosen(posted, "raiser"),
            limit=PEOPLE_SHOWN,
        )
    form = RaiseForm(
        posted,
        about=guidance.about,
        subjects=[(p.pk, person_label(p)) for p in subjects],
        first_contacts=[(c.key, c.label) for c in guidance.first_contacts],
        raisers=[(p.pk, person_label(p)) for p in raisers] if raisers is not None else None,
        raiser_kind=guidance.raised_by,
    )
    if posted is not None and form.is_valid():
        chosen = {p.pk: p for p in [*subjects, *(raisers or [])]}
        data = form.cleaned_data
        try:
            concern = services.concern_raise(
                actor=request.user,
                direction=guidance.direction,
                subject=chosen[data["subject"]],
                what_happened=data["what_happened"],
                happened_on=data["happened_on"],
                outcome_wanted=data["outcome_wanted"],
                tried_direct=form.tried_direct,
                tried_direct_details=data["tried_direct_details"],
                first_contact=data.get("first_contact") or "",
                raiser=chosen[data["raiser"]] if data.get("raiser") else None,
            )
        except ProcedureRefused as refused:
            form.add_error(None, str(refused.explanation))
        except ValidationFailed as failed:
            add_service_errors(form, failed)
        else:
            done = (
                "The concern has been recorded for the person who spoke to you"
                if data.get("raiser")
                else "Your concern has been raised"
            )
            messages.success(request, done)
            return redirect(reverse("concerns:concern_detail", args=[concern.case.public_id]))
    return render(
        request,
        "concerns/new.html",
        {
            "person": person,
            "guidance": guidance,
            "form": form,
            "search_form": search,
            "query": query,
            "records_for_others": guidance.may_record_for_others,
            "shown": len(subjects),
            "total": total,
        },
    )


# --- One concern ----------------------------------------------------------------------------


def _page(request: HttpRequest, concern: Concern, bound: Posted | None = None) -> HttpResponse:
    detail = selectors.concern_detail(request.user, concern)
    shown = selectors.shown_to_raiser(concern)

    moves = [
        {
            "move": move,
            "form": rebound(
                bound,
                "move",
                move.to,
                partial(MoveForm, to=move.to, records=move.requires_records, shown_to_raiser=shown),
            ),
        }
        for move in detail.case.actions
    ]
    sharing = {"summary": detail.shared_summary, "share_identity": detail.share_identity}
    agreements = [
        {
            "agreement": agreement,
            "form": rebound(
                bound,
                "consent",
                agreement.to,
                partial(ConsentForm, to=agreement.to, initial=sharing),
            ),
        }
        for agreement in detail.case.agreements
    ]
    return render(
        request,
        "concerns/concern.html",
        {
            "detail": detail,
            "timeline": selectors.timeline_in_words(detail),
            "case": detail.case,
            "moves": moves,
            "agreements": agreements,
            "share_form": rebound(bound, "share", "", partial(ShareForm, initial=sharing))
            if detail.is_raiser
            else None,
            "report_form": rebound(bound, "report", "", ReportForm) if detail.can_report else None,
            "viewings": selectors.concern_viewings(request.user, concern),
            "form": bound.form if bound else None,
        },
    )


def _done(request: HttpRequest, concern: Concern, message: str) -> HttpResponse:
    messages.success(request, message)
    if not selectors.concerns_visible(request.user).filter(pk=concern.pk).exists():
        # The step handed the concern on to people the reader is not among.
        return redirect(reverse("concerns:concern_list"))
    return redirect(reverse("concerns:concern_detail", args=[concern.case.public_id]))


def _refused(request: HttpRequest, public_id: uuid.UUID, bound: Posted) -> HttpResponse:
    return _page(request, selectors.concern_get(request.user, public_id), bound)


@policy.signed_in
@require_GET
def concern(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.concern_get(request.user, public_id)
    services.concern_viewed(actor=request.user, concern=found)
    return _page(request, found)


@policy.signed_in
@require_POST
def concern_act(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.concern_get(request.user, public_id)
    to = request.POST.get("to", "")
    form = MoveForm(
        request.POST,
        to=to,
        records=selectors.records_needed(found, to),
        shown_to_raiser=selectors.shown_to_raiser(found),
    )
    if form.is_valid():
        try:
            moved = services.concern_act(
                actor=request.user, concern=found, to=to, records=form.records
            )
        except ProcedureRefused as refused:
            form.add_error(None, str(refused.explanation))
        except ValidationFailed as failed:
            add_service_errors(form, failed)
        else:
            title = selectors.step_title(found, to)
            ended = f"The concern has ended: {title}"
            return _done(
                request, found, ended if moved.outcome else f"The concern has moved to: {title}"
            )
    return _refused(request, public_id, Posted("move", to, form))


@policy.signed_in
@require_POST
def concern_consent(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.concern_get(request.user, public_id)
    to = request.POST.get("to", "")
    decision = request.POST.get("decision", "")
    form = ConsentForm(request.POST, to=to)
    title = selectors.step_title(found, to)
    if decision not in {"give", "withdraw"}:
        form.add_error(None, "Choose whether to agree to the step or withdraw your agreement.")
    elif form.is_valid():
        try:
            if decision == "give":
                services.concern_consent_give(
                    actor=request.user,
                    concern=found,
                    to=to,
                    summary=form.cleaned_data["summary"],
                    share_identity=form.cleaned_data["share_identity"],
                )
            else:
                services.concern_consent_withdraw(actor=request.user, concern=found, to=to)
        except ProcedureRefused as refused:
            form.add_error(None, str(refused.explanation))
        except ValidationFailed as failed:
            add_service_errors(form, failed)
        else:
            return _done(
                request,
                found,
                f"You agreed to this step: {title}"
                if decision == "give"
                else f"You withdrew your agreement to this step: {title}",
            )
    return _refused(request, public_id, Posted("consent", to, form))


@policy.signed_in
@require_POST
def concern_share(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.concern_get(request.user, public_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            services.concern_share(
                actor=request.user,
                concern=found,
                summary=form.cleaned_data["summary"],
                share_identity=form.cleaned_data["share_identity"],
            )
        except ProcedureRefused as refused:
            form.add_error(None, str(refused.explanation))
        except ValidationFailed as failed:
            add_service_errors(form, failed)
        else:
            return _done(request, found, "What may be shared has been saved")
    return _refused(request, public_id, Posted("share", "", form))


@policy.signed_in
@require_POST
def concern_report(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = selectors.concern_get(request.user, public_id)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.concern_report(
                actor=request.user, concern=found, report=form.cleaned_data["report"]
            )
        except ProcedureRefused as refused:
            form.add_error(None, str(refused.explanation))
        except ValidationFailed as failed:
            add_service_errors(form, failed)
        else:
            return _done(request, found, "Your report has been recorded")
    return _refused(request, public_id, Posted("report", "", form))


# --- The register ---------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[RegisterFilterForm, QuerySet[Concern]]:
    form = RegisterFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.concern_register(
        request.user,
        query=data.get("q", ""),
        status=data.get("status", ""),
        direction=data.get("direction", ""),
    )
    return form, found


@register_readers_only
@require_GET
def concern_register(request: HttpRequest) -> HttpResponse:
    form, found = _filtered(request)
    return _register_page(request, form, found)


def _register_page(
    request: HttpRequest, form: RegisterFilterForm, found: QuerySet[Concern], status: int = 200
) -> HttpResponse:
    section = _section(request, "page", found, REGISTER_PER_PAGE)
    return render(
        request,
        "concerns/register.html",
        {
            "filter_form": form,
            "section": section,
            "csv_href": f"{reverse('concerns:concern_register_csv')}?{request.GET.urlencode()}"
            if request.GET
            else reverse("concerns:concern_register_csv"),
        },
        status=status,
    )


@register_readers_only
@require_GET
def concern_register_csv(request: HttpRequest) -> HttpResponse:
    form, found = _filtered(request)
    if form.errors:
        # Filters that cannot be used: say so on the register page rather than export all.
        return _register_page(request, form, found, status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="concerns-register-{clock.today().isoformat()}.csv"'
    )
    exported = selectors.register_csv(response, request.user, found)
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    services.concern_register_exported(actor=request.user, filters=filters, rows=exported)
    return response
