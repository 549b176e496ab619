"""Maintaining the directory in the browser: Democratic Services and directory administrators.

Thin, like every view: a form parses the request, one directory service does the work, and the
service's `ValidationFailed` errors go back on the fields they name. A successful change
redirects (post/redirect/get) with a success banner. To anyone else these pages do not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.access.actor import account_of

if TYPE_CHECKING:
    from accord.accounts.models import User
    from accord.directory.services import ImportResult

import base64
import datetime as dt
import io
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.dateformat import format as format_date

from accord.access import policies, policy
from accord.core.errors import ValidationFailed
from accord.directory import forms as admin_forms
from accord.directory import selectors, services
from accord.web.forms import AccordForm, SearchField, add_service_errors

admin_only = policy.allowed_by(policies.DIRECTORY_MANAGERS)

PENDING_IMPORT_KEY = "directory_admin.pending_import"
SEARCH_RESULTS = 50

T = TypeVar("T")


def _day(day: dt.date) -> str:
    return format_date(day, "j F Y")


def _actor(request: HttpRequest) -> User:
    """The signed-in account: the actor recorded in the audit trail for every change."""
    user = account_of(request.user)
    if user is None:  # pragma: no cover - the role policy admits only accounts
        raise Http404
    return user


def _posted(request: HttpRequest) -> Any:
    """The form data when the form was submitted, so an empty submission is still checked."""
    return request.POST if request.method == "POST" else None


def _posted_with_files(request: HttpRequest) -> tuple[Any, Any]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _succeeded(form: forms.Form, call: Callable[[], object]) -> bool:
    try:
        call()
    except ValidationFailed as failed:
        add_service_errors(form, failed)
        return False
    return True


def _saved(request: HttpRequest, form: forms.Form, call: Callable[[], object]) -> bool:
    """Whether the form was submitted, is valid, and the service accepted it."""
    return request.method == "POST" and form.is_valid() and _succeeded(form, call)


def _form_page(
    request: HttpRequest, form: forms.Form, *, title: str, button: str, **context: Any
) -> HttpResponse:
    return render(
        request,
        "directory/manage/form.html",
        {"form": form, "title": title, "button": button, **context},
    )


# --- the start page ----------------------------------------------------------------------------


class PersonSearchForm(AccordForm):
    q = SearchField(label="Find a person by name, email or job title")


@admin_only
def index(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    people = (
        list(selectors.person_list(actor=request.user, query=query)[:SEARCH_RESULTS])
        if query
        else []
    )
    return render(
        request,
        "directory/manage/index.html",
        {
            "search_form": form,
            "query": query,
            "people": people,
            "administration": selectors.current_administration(),
        },
    )


@admin_only
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = selectors.person_get(actor=request.user, person_id=person_id)
    officer = selectors.officer_of(subject)
    designations = (
        list(selectors.designations_for_officer(actor=request.user, officer=officer))
        if officer
        else []
    )
    return render(
        request,
        "directory/manage/person.html",
        {
            "subject": subject,
            "officer": officer,
            "appointments": list(selectors.appointments_for(actor=request.user, person=subject)),
            "designations": designations,
        },
    )


# --- importing from CSV ------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingImport:
    token: str
    filename: str
    text: str
    created: int
    updated: int
    unchanged: int


def _stash_import(session: SessionBase, filename: str, text: str, result: ImportResult) -> str:
    """Keep the checked file server-side until it is confirmed; only a random token leaves.

    One pending import per session: uploading another file replaces it. The text is compressed
    because the session row is rewritten on every request while the import waits.
    """
    token = secrets.token_urlsafe(24)
    session[PENDING_IMPORT_KEY] = {
        "token": token,
        "filename": filename,
        "content": base64.b64encode(zlib.compress(text.encode("utf-8"))).decode("ascii"),
        "counts": [result.created, result.updated, result.unchanged],
    }
    return token


def _pending_import(session: SessionBase, token: str) -> PendingImport | None:
    stored = session.get(PENDING_IMPORT_KEY)
    if not stored or not secrets.compare_digest(str(stored["token"]), token):
        return None
    text = zlib.decompress(base64.b64decode(stored["content"])).decode("utf-8")
    created, updated, unchanged = stored["counts"]
    return PendingImport(token, stored["filename"], text, created, updated, unchanged)


def _import_problems_form(result: ImportResult) -> admin_forms.CsvUploadForm:
    """An upload form showing that the file was refused, for the error summary."""
    form = admin_forms.CsvUploadForm(data={}, files=MultiValueDict())
    form.errors.clear()
    count = len(result.errors)
    form.add_error(
        "file",
        f"The file has {count} {'problem' if count == 1 else 'problems'} listed below. "
        "Nothing has been imported. Correct the file and upload it again.",
    )
    return form


def _import_page(
    request: HttpRequest, form: admin_forms.CsvUploadForm, result: ImportResult | None = None
) -> HttpResponse:
    return render(
        request,
        "directory/manage/import.html",
        {
            "form": form,
            "problems": result.errors if result else [],
            "max_upload": admin_forms.MAX_UPLOAD_LABEL,
        },
    )


@admin_only
def import_upload(request: HttpRequest) -> HttpResponse:
    form = admin_forms.CsvUploadForm(*_posted_with_files(request))
    if request.method != "POST" or not form.is_valid():
        return _import_page(request, form)
    text: str = form.cleaned_data["file"]
    result = services.directory_import_csv(
        actor=_actor(request), file=io.StringIO(text), dry_run=True
    )
    if not result.ok:
        return _import_page(request, _import_problems_form(result), result)
    token = _stash_import(request.session, form.filename, text, result)
    return redirect("directory:directory_admin_import_preview", token=token)


@admin_only
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    pending = _pending_import(request.session, token)
    if pending is None:
        raise Http404("No such import.")
    if request.method != "POST":
        return render(request, "directory/manage/import_preview.html", {"pending": pending})
    result = services.directory_import_csv(
        actor=_actor(request), file=io.StringIO(pending.text), dry_run=False
    )
    request.session.pop(PENDING_IMPORT_KEY, None)
    if not result.ok:
        # The directory changed between the preview and the confirmation.
        return _import_page(request, _import_problems_form(result), result)
    messages.success(request, result.summary())
    return redirect("directory:directory_admin_import")


# --- absences, roles and statutory designations ------------------------------------------------


@admin_only
def absence_record(request: HttpRequest) -> HttpResponse:
    initial = {"officer": request.GET.get("person")} if request.GET.get("person") else None
    form = admin_forms.AbsenceForm(_posted(request), initial=initial, actor=request.user)
    if _saved(
        request,
        form,
        lambda: services.absence_record(actor=_actor(request), **form.service_arguments()),
    ):
        officer = form.cleaned_data["officer"]
        messages.success(request, f"Absence recorded for {officer}.")
        return redirect("directory:directory_admin_person", person_id=officer.person_id)
    return _form_page(
        request,
        form,
        title="Record an officer\N{RIGHT SINGLE QUOTATION MARK}s absence",
        button="Record absence",
    )


@admin_only
def role_appoint(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = selectors.person_get(actor=request.user, person_id=person_id)
    form = admin_forms.RoleAppointForm(_posted(request), actor=request.user, person=subject)
    if _saved(
        request,
        form,
        lambda: services.role_appoint(
            actor=_actor(request), person=subject, **form.service_arguments()
        ),
    ):
        messages.success(request, f"{subject} appointed.")
        return redirect("directory:directory_admin_person", person_id=subject.pk)
    return _form_page(request, form, title="Appoint to a role", button="Appoint", subject=subject)


@admin_only
def role_end(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_get(actor=request.user, appointment_id=appointment_id)
    form = admin_forms.EndForm(_posted(request))
    if _saved(
        request,
        form,
        lambda: services.role_end(
            actor=_actor(request), appointment=appointment, ends_on=form.cleaned_data["ends_on"]
        ),
    ):
        ends_on = _day(form.cleaned_data["ends_on"])
        messages.success(request, f"{appointment.get_role_display()} ends on {ends_on}.")
        return redirect("directory:directory_admin_person", person_id=appointment.person_id)
    return _form_page(
        request,
        form,
        title=f"End {appointment.get_role_display()}",
        button="End role",
        subject=appointment.person,
        ending=appointment,
    )


@admin_only
def designate(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = selectors.person_get(actor=request.user, person_id=person_id)
    officer = selectors.officer_of(subject)
    if officer is None:
        raise Http404("Only officers hold statutory offices.")
    form = admin_forms.DesignationForm(_posted(request))
    if _saved(
        request,
        form,
        lambda: services.statutory_designate(
            actor=_actor(request), officer=officer, **form.service_arguments()
        ),
    ):
        messages.success(request, f"{subject} designated.")
        return redirect("directory:directory_admin_person", person_id=subject.pk)
    return _form_page(
        request,
        form,
        title="Designate a statutory officer or deputy",
        button="Designate",
        subject=subject,
    )


@admin_only
def designation_end(request: HttpRequest, designation_id: int) -> HttpResponse:
    designation = selectors.designation_get(actor=request.user, designation_id=designation_id)
    form = admin_forms.EndForm(_posted(request))
    if _saved(
        request,
        form,
        lambda: services.statutory_designation_end(
            actor=_actor(request), designation=designation, ends_on=form.cleaned_data["ends_on"]
        ),
    ):
        messages.success(request, f"{designation} ends on {_day(form.cleaned_data['ends_on'])}.")
        return redirect("directory:directory_admin_person", person_id=designation.officer.person_id)
    return _form_page(
        request,
        form,
        title="End a statutory designation",
        button="End designation",
        subject=designation.officer.person,
        ending=designation,
    )


# --- committees and the political administration -----------------------------------------------


@admin_only
def committee_member_add(request: HttpRequest) -> HttpResponse:
    initial = {"committee": request.GET.get("committee")} if request.GET.get("committee") else None
    form = admin_forms.CommitteeMemberForm(_posted(request), initial=initial, actor=request.user)
    if _saved(
        request,
        form,
        lambda: services.committee_add_member(actor=_actor(request), **form.service_arguments()),
    ):
        committee, member = form.cleaned_data["committee"], form.cleaned_data["member"]
        messages.success(request, f"{member} added to {committee}.")
        return redirect("directory:committee", committee_id=committee.pk)
    return _form_page(request, form, title="Add a member to a committee", button="Add member")


def _resubmission(request: HttpRequest) -> list[tuple[str, str]]:
    """The submitted answers, to carry through the confirmation step (they are checked again)."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in {"csrfmiddlewaretoken", "action"}
        for value in values
    ]


@admin_only
def administration_change(request: HttpRequest) -> HttpResponse:
    """Two steps: the details, then a confirmation that says what will end (000 §21)."""
    form = admin_forms.AdministrationForm(_posted(request), actor=request.user)
    action = request.POST.get("action", "")
    page = {"title": "Change of political administration", "button": "Continue"}
    if request.method != "POST" or action == "edit" or not form.is_valid():
        return _form_page(request, form, **page, intro="administration")
    data = form.cleaned_data
    if action != "confirm":
        starts_on: dt.date = data["starts_on"]
        return render(
            request,
            "directory/manage/administration_confirm.html",
            {
                "data": data,
                "answers": _resubmission(request),
                "current": selectors.current_administration(on=starts_on - dt.timedelta(days=1)),
                "ending": selectors.administration_roles_ending(starts_on=starts_on),
                "ends_on": starts_on - dt.timedelta(days=1),
            },
        )
    if _succeeded(
        form,
        lambda: services.administration_change(
            actor=_actor(request),
            groups=data["groups"],
            leader=data["leader"],
            starts_on=data["starts_on"],
            note=data["note"],
        ),
    ):
        messages.success(
            request,
            f"The new administration starts on {_day(data['starts_on'])}, "
            f"with {data['leader']} as Leader of the Council.",
        )
        return redirect("directory:directory_admin")
    return _form_page(request, form, **page, intro="administration")
