"""Conduct concerns in the browser: your concerns, raising one, one concern with what you may do
on it, and the Monitoring Officer's register with its export.

Thin: reads go through `accord.concerns.selectors`, which decide who sees a concern at all and,
in `concern_detail`, how much of it; writes through `accord.concerns.services`. A concern the
reader may not see raises NotFound, which is the site's ordinary 404 page, exactly as for one
that does not exist; lists and counts are built from the same selectors, so they never include
one either.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.access import policies, policy
from accord.access.actor import Actor
from accord.access.roles import Role, roles_for
from accord.concerns import export, selectors, services
from accord.concerns.forms import (
    ConsentForm,
    MoveForm,
    PeopleSearchForm,
    RaiseForm,
    RegisterFilterForm,
    ReportForm,
    ShareForm,
)
from accord.concerns.models import Concern
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.core.pagination import WebPage, web_page
from accord.directory.models import Person
from accord.directory.selectors import person_label, person_list, signed_in_person
from accord.procedures.errors import ProcedureRefused
from accord.procedures.forms import Posted, rebound
from accord.procedures.selectors import case_table, presentation
from accord.procedures.table import TransitionTable, table_for
from accord.profiles.explain import Explanation, describe, explain
from accord.profiles.expressions import ExpressionKind, Party, Relation, RoleExpression
from accord.profiles.loader import load_profile
from accord.profiles.schema import Profile
from accord.profiles.selectors import council_profile_in_force
from accord.web.converters import id_from
from accord.web.forms import add_service_errors

CONCERNS_PER_PAGE = 25
REGISTER_PER_PAGE = 50
PEOPLE_SHOWN = 300
# A spreadsheet treats a cell starting with one of these as a formula.
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
    person = signed_in_person(request.user)
    context: dict[str, Any] = {"person": person}
    if person is not None:
        visible = selectors.concerns_visible(request.user)
        waiting = selectors.concern_queue(request.user)
        context.update(
            raised=_section(
                request, "raised", visible.filter(case__raiser=person), CONCERNS_PER_PAGE
            ),
            waiting=_section(request, "waiting", waiting, CONCERNS_PER_PAGE),
            others=_section(
                request,
                "others",
                visible.exclude(case__raiser=person).exclude(pk__in=waiting.values("pk")),
                CONCERNS_PER_PAGE,
            ),
        )
    return render(request, "concerns/list.html", context)


# --- Raising one ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """The route the reader's concern takes under the council's rules in force today."""

    direction: str
    about: str  # "member" or "officer"
    raiser_kind: str
    table: TransitionTable
    guidance: list[Explanation]


def to_raiser(profile: Profile, expression: RoleExpression) -> str:
    """A role in words addressed to the person raising it: "your Director", not "the Director
    of the person who raised it"."""
    if (
        expression.kind is ExpressionKind.RELATIVE
        and expression.party is Party.RAISER
        and expression.relation is not None
    ):
        if expression.relation is Relation.LINE_MANAGER:
            return "your line manager"
        return f"your {profile.role_title(Role(expression.relation.value))}"
    return describe(profile, expression)


def _joined(words: list[str], last: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _guidance(table: TransitionTable) -> list[Explanation]:
    """What happens next and who will see it, each with the paragraph that says so."""
    profile = table.profile
    procedure = table.procedure
    stage = table.stages[procedure.initial]
    first = [to_raiser(profile, e) for e in stage.handlers]
    lines = []
    if stage.choose_handler:
        lines.append(
            explain(
                profile,
                f"You choose who to talk to first: {_joined(first, 'or')}. Only the person you "
                "choose will see this at first",
                stage.cite,
            )
        )
    else:
        lines.append(
            explain(
                profile,
                f"It goes first to {_joined(first, 'or')}. Only they and you will see it at first",
                stage.cite,
            )
        )
    timer = stage.timer
    if timer is not None and timer.after in profile.durations:
        reminded = _joined([describe(profile, e) for e in timer.to], "and")
        brought_in = [
            describe(profile, e) for e in timer.to if e.kind is not ExpressionKind.HANDLERS
        ]
        then = (
            f"it also goes to {_joined(brought_in, 'and')}, and a reminder goes to {reminded}"
            if timer.action.value == "escalate"
            else f"a reminder goes to {reminded}"
        )
        lines.append(
            explain(
                profile,
                f"If nothing has been done after {profile.durations[timer.after].describe()}, "
                f"{then}",
                timer.cite,
            )
        )
    for transition in procedure.transitions:
        consent = transition.consent
        if consent is not None and consent.from_.party is Party.RAISER:
            lines.append(
                explain(
                    profile,
                    f"You will be asked for your agreement to {consent.about}",
                    consent.cite,
                )
            )
    subject_sees = any(
        e.kind is ExpressionKind.PARTY and e.party is Party.SUBJECT
        for s in procedure.stages
        for e in s.visible_to
    )
    if not subject_sees:
        lines.append(
            explain(profile, "The person it is about cannot see it in Accord", procedure.cite)
        )
    return lines


def _route(person: Person) -> Route | None:
    if person.kind == Person.Kind.OFFICER:
        direction, about = Concern.Direction.OFFICER_ABOUT_MEMBER, Person.Kind.MEMBER
    elif person.kind == Person.Kind.MEMBER:
        direction, about = Concern.Direction.MEMBER_ABOUT_OFFICER, Person.Kind.OFFICER
    else:
        return None
    try:
        stored = council_profile_in_force(on=clock.today())
    except NotFound:
        return None
    keys = load_profile(stored.text).procedures_for(selectors.direction_purpose(direction))
    if not keys:
        return None
    table = table_for(stored.text, keys[0])
    return Route(str(direction), str(about), str(person.kind), table, _guidance(table))


def _first_stage_roles(expressions: Iterable[RoleExpression]) -> frozenset[Role]:
    """The offices a first stage names: "the raiser's Director" names Directors."""
    named = set()
    for e in expressions:
        if e.kind is ExpressionKind.ROLE and e.role is not None:
            named.add(e.role)
        elif e.kind is ExpressionKind.RELATIVE and e.relation is not None:
            named.add(Role(e.relation.value))
    return frozenset(named)


def _people(
    actor: Actor, query: str, kind: str, exclude: int, posted: str
) -> tuple[list[Person], int]:
    """Up to PEOPLE_SHOWN active people of `kind` matching `query`, keeping a posted choice."""
    people = person_list(actor=actor, query=query, kind=kind).exclude(pk=exclude)
    shown = list(people[:PEOPLE_SHOWN])
    chosen = id_from(posted)
    if chosen is not None and all(p.pk != chosen for p in shown):
        shown += list(people.filter(pk=chosen))
    total = people.count() if len(shown) >= PEOPLE_SHOWN else len(shown)
    return shown, total


@policy.signed_in
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest) -> HttpResponse:
    person = signed_in_person(request.user)
    route = _route(person) if person is not None else None
    if person is None or route is None:
        return render(request, "concerns/new.html", {"person": person, "route": None})
    posted = request.POST if request.method == "POST" else None
    search = PeopleSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    for_query = search.cleaned_data["for_q"].strip() if search.is_valid() else ""
    subjects, total = _people(
        request.user, query, route.about, person.pk, posted.get("subject", "") if posted else ""
    )
    table = route.table
    records_for_others = bool(
        roles_for(request.user)
        & _first_stage_roles(table.handler_expressions(table.procedure.initial))
    )
    raisers: list[Person] | None = None
    if records_for_others:
        raisers, _ = _people(
            request.user,
            for_query,
            route.raiser_kind,
            person.pk,
            posted.get("raiser", "") if posted else "",
        )
    form = RaiseForm(
        posted,
        about=route.about,
        subjects=[(p.pk, person_label(p)) for p in subjects],
        first_contacts=[
            (e.text, _capital(to_raiser(table.profile, e))) for e in table.handler_choices()
        ],
        raisers=[(p.pk, person_label(p)) for p in raisers] if raisers is not None else None,
        raiser_kind=route.raiser_kind,
    )
    if posted is not None and form.is_valid():
        chosen = {p.pk: p for p in [*subjects, *(raisers or [])]}
        data = form.cleaned_data
        try:
            concern = services.concern_raise(
                actor=request.user,
                direction=route.direction,
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
            "route": route,
            "procedure": table.procedure,
            "form": form,
            "search_form": search,
            "query": query,
            "records_for_others": records_for_others,
            "shown": len(subjects),
            "total": total,
        },
    )


# --- One concern ----------------------------------------------------------------------------


def _page(request: HttpRequest, concern: Concern, bound: Posted | None = None) -> HttpResponse:
    detail = selectors.concern_detail(request.user, concern)
    shown = frozenset(case_table(concern.case).procedure.shown_to_raiser)

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
    action = presentation.record_label("action")
    timeline = [
        (entry, [(k, services.ACTIONS.get(v, v) if k == action else v) for k, v in entry.records])
        for entry in detail.timeline
    ]
    return render(
        request,
        "concerns/concern.html",
        {
            "detail": detail,
            "timeline": timeline,
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
        records=presentation.records_needed(found.case, to),
        shown_to_raiser=frozenset(case_table(found.case).procedure.shown_to_raiser),
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
            title = case_table(moved).title_of(to)
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
    title = case_table(found.case).title_of(to)
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
    exported = export.write_register(response, request.user, found)
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    services.concern_register_exported(actor=request.user, filters=filters, rows=exported)
    return response
