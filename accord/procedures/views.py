"""Cases in the browser: the cases you can see, starting one, and one case with what you can do.

Thin: reads go through `accord.procedures.selectors` (which decide who sees what, and whose
`presentation` builds what a page shows); writes through `accord.procedures.services`. A case
the reader may not see raises NotFound, which is the site's ordinary 404 page, exactly as for a
case that does not exist. The generic case page never names the people involved or shows what
was written in the case's records: the domain pages do that, for those entitled to it.
"""

from __future__ import annotations

import dataclasses
import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accord.access import policy
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.core.pagination import web_page
from accord.directory.selectors import (
    person_get,
    person_label,
    person_list,
    person_signed_in,
    statutory_officer_choices,
)
from accord.procedures.errors import ProcedureRefused
from accord.procedures.forms import (
    STEP_FIELDS,
    CaseOpenForm,
    ConsentForm,
    InvolvementForm,
    MoveForm,
    Posted,
    ProcedureChoiceForm,
    SubjectSearchForm,
    rebound,
    show_service_errors,
)
from accord.procedures.selectors import (
    alerts_for,
    app_page,
    case_get,
    case_table,
    notices_for,
    notices_unread,
    presentation,
    reminders_for,
    visible_cases,
)
from accord.procedures.services import (
    case_open,
    case_transition,
    consent_give,
    consent_withdraw,
    engagement_record,
    involvement_record,
    notices_read,
)
from accord.profiles.selectors import council_profile_in_force
from accord.web.converters import id_from
from accord.web.forms import AccordForm

if TYPE_CHECKING:
    from accord.directory.models import Person
    from accord.procedures.models import Case
    from accord.profiles.models import ProfileVersion

CASES_PER_PAGE = 25
REMINDERS_SHOWN = 20
NOTICES_PER_PAGE = 25
SUBJECTS_SHOWN = 300


@policy.signed_in
def cases(request: HttpRequest) -> HttpResponse:
    shown = web_page(presentation.listed(visible_cases(request.user)), CASES_PER_PAGE, request.GET)
    return render(
        request,
        "procedures/list.html",
        {
            "person": person_signed_in(actor=request.user),
            **shown.context(),
            "rows": presentation.case_rows(shown.rows),
            "reminders": list(
                reminders_for(request.user).filter(seen_at__isnull=True)[:REMINDERS_SHOWN]
            ),
            "unread_notices": notices_unread(request.user),
            # Content-free: each says only a paragraph, and is read without its case.
            "alerts": list(
                alerts_for(request.user).only("explanation", "created_at")[:REMINDERS_SHOWN]
            ),
        },
    )


@policy.signed_in
def notices(request: HttpRequest) -> HttpResponse:
    """What the person has been told under the protocol's duties, newest first; showing them
    the page marks them read."""
    shown = web_page(notices_for(request.user), NOTICES_PER_PAGE, request.GET)
    rows = presentation.notice_views(shown.rows)
    notices_read(actor=request.user)
    return render(request, "procedures/notices.html", {**shown.context(), "notices": rows})


def _council_profile() -> ProfileVersion | None:
    try:
        return council_profile_in_force(on=clock.today())
    except NotFound:
        return None


@policy.signed_in
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    person = person_signed_in(actor=request.user)
    stored = _council_profile()
    choices = presentation.procedures_raisable(stored, person) if stored else []
    data = request.POST if request.method == "POST" else request.GET
    context: dict[str, Any] = {"person": person, "stored": stored, "choices": choices}
    if not choices or "procedure" not in data:
        context["form"] = ProcedureChoiceForm(choices=choices)
        return render(request, "procedures/new_procedure.html", context)
    choice = ProcedureChoiceForm({"procedure": data["procedure"]}, choices=choices)
    if not choice.is_valid():
        context["form"] = choice
        return render(request, "procedures/new_procedure.html", context)
    assert stored is not None
    assert person is not None
    key = choice.cleaned_data["procedure"]
    procedure = presentation.procedure_of(stored, key)
    assert procedure is not None
    named_later = procedure.subject_named_later
    search = SubjectSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    people = person_list(actor=request.user, query=query, kind=procedure.about.value).exclude(
        pk=person.pk
    )
    shown = [] if named_later else list(people[:SUBJECTS_SHOWN])
    posted = request.POST.get("subject", "") if request.method == "POST" else ""
    chosen = id_from(posted)
    if chosen is not None and all(p.pk != chosen for p in shown) and not named_later:
        shown += list(people.filter(pk=chosen))
    about = procedure.about.value
    needs = presentation.start_needs(stored, key, person)
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None,
        initial={"procedure": key},
        label=f"Which {about} is it about?",
        choices=[(p.pk, person_label(p)) for p in shown],
        asks_public_day=presentation.asks_public_day(stored, key),
        handler_choices=needs.handler_choices,
        event_title=needs.event_title,
        with_subject=not named_later,
    )
    if request.method == "POST" and form.is_valid():
        subject = (
            None if named_later else next(p for p in shown if p.pk == form.cleaned_data["subject"])
        )
        try:
            case = case_open(
                actor=request.user,
                procedure=key,
                raiser=person,
                subject=subject,
                profile_id=stored.profile_id,
                public_on=form.cleaned_data.get("public_on"),
                handler=_chosen(request, form.cleaned_data.get("handler")),
                event_date=form.cleaned_data.get("event_date"),
            )
        except ValidationFailed as failed:
            show_service_errors(form, failed)
        else:
            messages.success(request, f"Case started: {procedure.title}")
            return redirect(reverse("procedures:case", args=[case.public_id]))
    context.update(
        form=form,
        search_form=search,
        query=query,
        procedure_key=key,
        procedure=procedure,
        about=about,
        named_later=named_later,
        shown=len(shown),
        total=people.count() if len(shown) >= SUBJECTS_SHOWN else len(shown),
    )
    return render(request, "procedures/new_subject.html", context)


@policy.signed_in
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    found = case_get(request.user, public_id)
    bound: forms.Form | None = None
    posted: Posted | None = None
    held = app_page(found)
    if (
        request.method == "POST"
        and held is not None
        and request.POST.get("action") not in {"involvement", "engage"}
    ):
        # Steps and agreements are taken where the case is held, whose services do the rest.
        messages.info(request, "Take steps on this case from its own page.")
        return redirect(held.path)
    if request.method == "POST":
        action, to = request.POST.get("action", ""), request.POST.get("to", "")
        if action == "involvement":
            bound, done = _record_involvement(request, found)
        elif action == "engage":
            bound, done = _record_engagement(request, found)
        else:
            bound, done = _act(request, found, action, to)
            posted = Posted("move" if action == "move" else "consent", to, bound)
        if done:
            messages.success(request, done)
            if action == "engage" and held is not None:
                return redirect(held.path)
            if not visible_cases(request.user).filter(pk=found.pk).exists():
                # The step handed the case on to people the reader is not among.
                return redirect(reverse("procedures:cases"))
            return redirect(reverse("procedures:case", args=[found.public_id]))
        found = case_get(request.user, public_id)
    view = presentation.case_view(request.user, found)
    if held is not None:
        view = dataclasses.replace(view, actions=[], agreements=[])
    moves = [
        {
            "move": move,
            "form": rebound(
                posted,
                "move",
                move.to,
                partial(
                    MoveForm,
                    to=move.to,
                    records=move.requires_records,
                    handler_choices=move.handler_choices,
                    event_title=_event_title(found) if move.sets_event_date else None,
                    names=presentation.naming_for(found, move.to),
                ),
            ),
        }
        for move in view.actions
    ]
    agreements = [
        {
            "agreement": agreement,
            "form": rebound(posted, "consent", agreement.to, partial(ConsentForm, to=agreement.to)),
        }
        for agreement in view.agreements
    ]
    involvement: forms.Form | None = None
    if view.you_handle:
        involvement = (
            bound
            if isinstance(bound, InvolvementForm)
            else InvolvementForm(choices=statutory_officer_choices(actor=request.user))
        )
    return render(
        request,
        "procedures/case.html",
        {
            "case": view,
            "moves": moves,
            "agreements": agreements,
            "involvement": involvement,
            "form": bound,
            "held": held,
        },
    )


def _record_involvement(request: HttpRequest, case: Case) -> tuple[forms.Form, str]:
    form = InvolvementForm(request.POST, choices=statutory_officer_choices(actor=request.user))
    if not form.is_valid():
        return form, ""
    try:
        involvement_record(
            actor=request.user,
            case=case,
            person=person_get(actor=request.user, person_id=form.cleaned_data["person"]),
            note=form.cleaned_data["note"],
        )
    except ProcedureRefused as refused:
        form.add_error(None, str(refused.explanation))
        return form, ""
    except ValidationFailed as failed:
        show_service_errors(form, failed)
        return form, ""
    return form, (
        "The statutory officer's earlier involvement is recorded: they are kept off this case "
        "wherever they would act on it"
    )


def _chosen(request: HttpRequest, person_id: int | None) -> Person | None:
    """The person chosen on a form to handle a stage (the choices offered were directory
    people, so a stale id is simply not found, and the engine then asks again)."""
    if person_id is None:
        return None
    try:
        return person_get(actor=request.user, person_id=person_id)
    except NotFound:
        return None


def _event_title(case: Case) -> str:
    event = case_table(case).procedure.event
    return event.title if event is not None else "the event"


def _record_engagement(request: HttpRequest, case: Case) -> tuple[forms.Form, str]:
    form = AccordForm(request.POST)
    try:
        engagement_record(actor=request.user, case=case)
    except ProcedureRefused as refused:
        form.add_error(None, str(refused.explanation))
        return form, ""
    except ValidationFailed as failed:
        form.add_error(None, failed.errors[0].message if failed.errors else failed.detail)
        return form, ""
    return form, "You have recorded that you took part at this stage"


def _act(request: HttpRequest, case: Case, action: str, to: str) -> tuple[forms.Form, str]:
    """Do what the form asked; the bound form (with any errors) and, if done, what to say."""
    title = case_table(case).title_of(to)
    form: forms.Form
    if action == "move":
        move = next(
            (m for m in presentation.case_view(request.user, case).actions if m.to == to), None
        )
        form = MoveForm(
            request.POST,
            to=to,
            records=presentation.records_needed(case, to),
            handler_choices=move.handler_choices if move else [],
            event_title=_event_title(case) if move and move.sets_event_date else None,
            names=presentation.naming_for(case, to),
        )
    elif action in {"consent", "withdraw"}:
        form = ConsentForm(request.POST, to=to)
    else:
        form = AccordForm(request.POST)
        form.add_error(None, "Choose one of the actions on this page.")
        return form, ""
    if not form.is_valid():
        return form, ""
    try:
        if action == "move":
            data = form.cleaned_data
            moved = case_transition(
                actor=request.user,
                case=case,
                to=to,
                records={k: v for k, v in data.items() if k not in (*STEP_FIELDS, "named")},
                handler=_chosen(request, data.get("handler")),
                event_date=data.get("event_date"),
                named=presentation.naming_person(case, to, data.get("named")),
            )
            done = (
                f"The case has ended: {title}"
                if moved.outcome
                else f"The case has moved to: {title}"
            )
        elif action == "consent":
            consent_give(actor=request.user, case=case, to=to, note=form.cleaned_data["note"])
            done = f"You agreed to this step: {title}"
        else:
            consent_withdraw(actor=request.user, case=case, to=to)
            done = f"You withdrew your agreement to this step: {title}"
    except ProcedureRefused as refused:
        form.add_error(None, str(refused.explanation))
        return form, ""
    except ValidationFailed as failed:
        show_service_errors(form, failed)
        return form, ""
    return form, done
