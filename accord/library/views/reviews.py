"""Reviewing a protocol, and acknowledging one, in the browser.

Reviews and the acknowledgement register are the library's keepers' (the Monitoring Officer,
deputies, democratic services): to anyone else these pages are the site's ordinary 404. The
review page offers only the actions `accord.library.reviews.workflow.TRANSITIONS` allows from the
review's stage. Everyone signed in acknowledges the versions they have been asked to read.
Thin: reads through the selectors, writes through the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.access import policies, policy
from accord.core.errors import AccordError, NotFound, PermissionDenied, ValidationFailed
from accord.core.pagination import links_for, web_page
from accord.library.forms import reviews as review_forms
from accord.library.selectors import (
    acknowledgement_register,
    action_label,
    allowed_actions,
    documents_readable,
    draft_committee_report,
    in_force_due,
    next_step,
    pending_for,
    report_open,
    review_drafts,
    review_get,
    reviews_visible,
    version_get,
)
from accord.library.services import (
    acknowledge,
    acknowledgements_request,
    review_close,
    review_committee,
    review_council_approve,
    review_open,
    review_propose,
    review_update_report_fields,
)
from accord.web.forms import add_service_errors

if TYPE_CHECKING:
    from accord.library.models import ProtocolReview, ProtocolVersion

keepers_only = policy.allowed_by(policies.LIBRARY_KEEPERS)
REVIEWS_PER_PAGE = 25


def _failed(error: AccordError) -> ValidationFailed:
    return ValidationFailed(error.detail, error.errors)


@keepers_only
@require_GET
def protocol_reviews(request: HttpRequest) -> HttpResponse:
    shown = web_page(reviews_visible(request.user), REVIEWS_PER_PAGE, request.GET)
    return render(request, "library/reviews.html", shown.context())


@keepers_only
@require_http_methods(["GET", "POST"])
def protocol_review_new(request: HttpRequest) -> HttpResponse:
    documents = {d.key: d for d in documents_readable(request.user)}
    form = review_forms.ReviewOpenForm(
        request.POST if request.method == "POST" else None,
        documents=[(key, d.title) for key, d in documents.items()],
        initial={"document": request.GET.get("document", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = review_open(
                actor=request.user,
                document=documents[data["document"]],
                reason=data["reason"],
                why=data["why"],
                started_on=data["started_on"],
                consultations=data["consultations"],
                legal_implications=data["legal_implications"],
                policy_implications=data["policy_implications"],
                financial_implications=data["financial_implications"],
                equality_implications=data["equality_implications"],
            )
        except AccordError as failed:
            add_service_errors(form, _failed(failed))
        else:
            messages.success(request, f"Review of {review.document.title} opened")
            return redirect("library:protocol_review", public_id=review.public_id)
    return render(request, "library/review_new.html", {"form": form})


def _drafts(review: ProtocolReview) -> dict[str, ProtocolVersion]:
    return {str(v.pk): v for v in review_drafts(review)}


def _forms(review: ProtocolReview, data: Any, action: str) -> dict[str, forms.Form]:
    """The form of each allowed action; only the one posted is bound."""

    def bound(name: str) -> Any:
        return data if action == name else None

    allowed = set(allowed_actions(review))
    built: dict[str, forms.Form] = {}
    if "propose" in allowed:
        drafts = [(pk, f"{v.label}: {v.title}") for pk, v in _drafts(review).items()]
        built["propose"] = review_forms.ProposeForm(
            bound("propose"), drafts=drafts, prefix="propose"
        )
    if "committee" in allowed:
        built["committee"] = review_forms.CommitteeForm(bound("committee"), prefix="committee")
    if "council_approve" in allowed:
        built["council_approve"] = review_forms.CouncilForm(
            bound("council_approve"), prefix="council"
        )
    if "close" in allowed:
        built["close"] = review_forms.CloseForm(bound("close"), prefix="close")
    if report_open(review):
        initial = {
            name: getattr(review, name) for name in review_forms.ReportFieldsForm.base_fields
        }
        built["report"] = review_forms.ReportFieldsForm(
            bound("report"), prefix="report", initial=initial
        )
    return built


def _act(request: HttpRequest, review: ProtocolReview, action: str, form: forms.Form) -> str:
    data = form.cleaned_data
    actor = request.user
    if action == "propose":
        review_propose(actor=actor, review=review, draft=_drafts(review)[data["draft"]])
        return "Draft proposed"
    if action == "committee":
        review_committee(
            actor=actor,
            review=review,
            met_on=data["met_on"],
            recommendation=data["recommendation"],
            note=data["note"],
        )
        return "The committee's recommendation is recorded"
    if action == "council_approve":
        review_council_approve(
            actor=actor,
            review=review,
            met_on=data["met_on"],
            in_force_from=data["in_force_from"],
            note=data["note"],
        )
        return "Full Council's approval is recorded"
    if action == "close":
        review_close(actor=actor, review=review, reason=data["reason"])
        return "The review is closed"
    review_update_report_fields(actor=actor, review=review, **data)
    return "The report is saved"


@keepers_only
@require_http_methods(["GET", "POST"])
def protocol_review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = review_get(actor=request.user, public_id=public_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    built = _forms(review, request.POST if action else None, action)
    refused: ValidationFailed | None = None
    if action and action not in built:
        refused = ValidationFailed.for_field(
            "action", "That cannot be done at this stage of the review."
        )
    elif action:
        form = built[action]
        if form.is_valid():
            try:
                done = _act(request, review, action, form)
            except (ValidationFailed, PermissionDenied) as failed:
                add_service_errors(form, _failed(failed))
            else:
                messages.success(request, done)
                return redirect("library:protocol_review", public_id=review.public_id)
    status = 400 if action else 200
    return render(
        request,
        "library/review.html",
        {
            "review": review,
            "next_step": next_step(review),
            "actions": [(name, action_label(name), form) for name, form in built.items()],
            "posted": built.get(action),
            "refused": refused,
            "in_force_due": in_force_due(review),
        },
        status=status,
    )


@keepers_only
@require_GET
def protocol_review_report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = review_get(actor=request.user, public_id=public_id)
    return render(
        request,
        "library/review_report.html",
        {"review": review, "report": draft_committee_report(review)},
    )


@keepers_only
@require_GET
def protocol_review_report_text(request: HttpRequest, public_id: UUID) -> HttpResponse:
    review = review_get(actor=request.user, public_id=public_id)
    response = HttpResponse(
        draft_committee_report(review).to_text(), content_type="text/plain; charset=utf-8"
    )
    name = f"review-{review.document.key}-{review.started_on:%Y-%m-%d}.txt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@policy.signed_in
@require_http_methods(["GET", "POST"])
def protocol_acknowledge(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = review_forms.AcknowledgeForm(request.POST)
        if not form.is_valid():
            raise NotFound("No such protocol version.")
        key, label = form.cleaned_data["key"], form.cleaned_data["label"]
        try:
            version = version_get(actor=request.user, key=key, label=label)
            acknowledge(actor=request.user, version=version)
        except (ValidationFailed, PermissionDenied) as failed:
            messages.error(request, failed.errors[0].message if failed.errors else failed.detail)
        else:
            messages.success(request, f"Thank you: you have acknowledged {version.title}, {label}")
        return redirect("library:protocol_acknowledge")
    return render(request, "library/acknowledge.html", {"pending": list(pending_for(request.user))})


@keepers_only
@require_GET
def protocol_acknowledgements(request: HttpRequest, key: str, label: str) -> HttpResponse:
    version = version_get(actor=request.user, key=key, label=label)
    register = acknowledgement_register(request.user, version, page=request.GET.get("page"))
    return render(
        request,
        "library/acknowledgements.html",
        {
            "version": version,
            "register": register,
            **links_for(register.page, request.GET).context(),
        },
    )


@keepers_only
@require_POST
def protocol_acknowledgements_ask(request: HttpRequest, key: str, label: str) -> HttpResponse:
    """Ask the people who joined since the version came into force to acknowledge it."""
    version = version_get(actor=request.user, key=key, label=label)
    try:
        asked = acknowledgements_request(version=version, actor=request.user)
    except ValidationFailed as failed:
        messages.error(request, "; ".join(e.message for e in failed.errors) or failed.detail)
    else:
        if asked:
            messages.success(request, f"Asked {asked} {'person' if asked == 1 else 'people'}")
        else:
            messages.success(request, "Everyone has already been asked")
    return redirect("library:protocol_acknowledgements", key=key, label=label)
