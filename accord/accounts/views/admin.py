"""Account administration pages: list, detail, create, disable and enable.

Directory administrators and Democratic Services may use them; anyone else gets 404. Thin: reads
through `accord.accounts.selectors`, writes through `accord.accounts.services`, and every write
redirects to the account's page with a success banner (post/redirect/get).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accord.access import policies, policy
from accord.access.roles import roles_for_people
from accord.accounts import selectors, services
from accord.accounts.forms import (
    AccountCreateForm,
    AccountFilterForm,
    ReasonForm,
)
from accord.core.errors import ValidationFailed
from accord.core.pagination import web_page
from accord.web.forms import add_service_errors
from accord.web.presentation import role_labels

ACCOUNTS_PER_PAGE = 25

account_admin = policy.allowed_by(policies.ACCOUNT_ADMINS)

EVENT_LABELS = {
    "account.signed_in": "Signed in",
    "account.signed_out": "Signed out",
    "account.created": "Account created",
    "account.disabled": "Account disabled",
    "account.enabled": "Account enabled",
    "account.password_set": "Password set",
    "account.sso_linked": "Single sign-on linked",
}
SIGN_OUT_LABELS = {
    "signed_out": "by the account holder",
    "idle_timeout": "after a period without activity",
    "absolute_timeout": "at the session time limit",
}


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _event_details(verb: str, data: dict[str, Any]) -> str:
    if verb in {"account.disabled", "account.enabled"}:
        return str(data.get("reason", ""))
    if verb == "account.signed_in":
        return ", then ".join(str(m) for m in data.get("methods", []))
    if verb == "account.signed_out":
        return SIGN_OUT_LABELS.get(str(data.get("reason")), "")
    if verb == "account.sso_linked":
        return str(data.get("provider", ""))
    return ""


@account_admin
def account_list(request: HttpRequest) -> HttpResponse:
    form = AccountFilterForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    accounts = selectors.account_list(actor=request.user, query=query)
    shown = web_page(accounts, ACCOUNTS_PER_PAGE, request.GET)
    roles = roles_for_people(u.person_id for u in shown.rows if u.person_id)
    rows = [
        {"account": user, "roles": role_labels(roles.get(user.person_id or 0, frozenset()))}
        for user in shown.rows
    ]
    return render(
        request,
        "accounts/admin/list.html",
        {
            "filter_form": form,
            "query": query,
            **shown.context(),
            "rows": rows,
        },
    )


@account_admin
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = selectors.account_get(actor=request.user, user_id=user_id)
    roles = roles_for_people([account.person_id] if account.person_id else [])
    events = [
        {
            "event": event,
            "label": EVENT_LABELS.get(event.verb, event.verb),
            "details": _event_details(event.verb, event.data),
        }
        for event in selectors.account_events(actor=request.user, user=account)
    ]
    return render(
        request,
        "accounts/admin/detail.html",
        {
            "account": account,
            "roles": role_labels(roles.get(account.person_id or 0, frozenset())),
            "sessions": selectors.active_session_count(user=account),
            "events": events,
            "is_self": account.pk == request.user.pk,
        },
    )


@account_admin
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    people = selectors.people_without_account(actor=request.user)
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = AccountCreateForm(_posted(request), people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(
                actor=request.user,
                person=form.cleaned_data["person"],
                username=form.cleaned_data["username"],
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Account {account.username} created")
            return redirect("accounts:account_admin_detail", user_id=account.pk)
    return render(request, "accounts/admin/create.html", {"form": form})


@account_admin
@require_http_methods(["GET", "POST"])
def account_disable(request: HttpRequest, user_id: int) -> HttpResponse:
    account = selectors.account_get(actor=request.user, user_id=user_id)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.account_disable(
                actor=request.user, user=account, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            sessions = "session" if ended == 1 else "sessions"
            messages.success(
                request, f"Account {account.username} disabled: {ended} {sessions} ended"
            )
            return redirect("accounts:account_admin_detail", user_id=account.pk)
    return render(
        request,
        "accounts/admin/confirm.html",
        {
            "form": form,
            "account": account,
            "action": "disable",
            "sessions": selectors.active_session_count(user=account),
        },
    )


@account_admin
@require_http_methods(["GET", "POST"])
def account_enable(request: HttpRequest, user_id: int) -> HttpResponse:
    account = selectors.account_get(actor=request.user, user_id=user_id)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.account_enable(
                actor=request.user, user=account, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Account {account.username} enabled")
            return redirect("accounts:account_admin_detail", user_id=account.pk)
    return render(
        request,
        "accounts/admin/confirm.html",
        {"form": form, "account": account, "action": "enable"},
    )
