"""The protocol library in the browser: read, compare and import protocol documents.

Everyone signed in reads the versions that are or were in force; the library's keepers (the
Monitoring Officer, deputies, democratic services) also see drafts and approved versions, import
new ones and put them in force. Reads go through `accord.library.selectors`, so a version the
reader may not see is the site's ordinary 404; writes through `accord.library.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.access import policies, policy
from accord.core.errors import NotFound, ValidationFailed
from accord.core.limits import accepts_body
from accord.library.forms import versions as library_forms
from accord.library.selectors import (
    documents_readable,
    keeps_library,
    matching_profiles,
    paragraph_get,
    paragraph_rules,
    pending_import_get,
    pending_import_preview,
    pending_import_state,
    readable_versions,
    redline_between,
    render_html,
    render_pdf,
    render_text,
    version_coverage,
    version_get,
    version_paragraphs,
)
from accord.library.services import (
    import_confirm,
    import_forget,
    import_upload,
    paragraph_mark,
    version_approve,
    version_put_in_force,
    version_withdraw,
)
from accord.web.forms import add_service_errors

if TYPE_CHECKING:
    from accord.library.models import PendingImport, ProtocolVersion

keepers_only = policy.allowed_by(policies.LIBRARY_KEEPERS)
# How often the import's progress page reloads itself, when the keeper asks it to.
PROGRESS_REFRESH_SECONDS = 3


@policy.signed_in
@require_GET
def protocols(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/protocols.html",
        {"documents": documents_readable(request.user), "keeper": keeps_library(request.user)},
    )


@dataclass(frozen=True)
class Block:
    """A paragraph and the items numbered under it, as the reading page lays them out."""

    paragraph: Any
    items: list[Any]


def _blocks(paragraphs: list[Any]) -> list[Block]:
    blocks: list[Block] = []
    for paragraph in paragraphs:
        if paragraph.kind == "item" and blocks:
            blocks[-1].items.append(paragraph)
        else:
            blocks.append(Block(paragraph, []))
    return blocks


@policy.signed_in
@require_GET
def protocol_version(request: HttpRequest, key: str, label: str) -> HttpResponse:
    version = version_get(actor=request.user, key=key, label=label)
    paragraphs = list(version_paragraphs(version))
    sections: list[tuple[str, list[Block]]] = []
    for block in _blocks(paragraphs):
        section = block.paragraph.section
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append(block)
    others = [
        v for v in readable_versions(request.user).filter(document=version.document) if v != version
    ]
    keeper = keeps_library(request.user)
    return render(
        request,
        "library/version.html",
        {
            "version": version,
            "sections": sections,
            "count": sum(1 for p in paragraphs if p.kind == "paragraph"),
            "others": others,
            "keeper": keeper,
            "approve_form": library_forms.ApproveForm(),
            "withdraw_form": library_forms.WithdrawForm(),
            "profiles": [stored for stored, _ in matching_profiles(version)],
        },
    )


@policy.signed_in
@require_GET
def protocol_version_text(request: HttpRequest, key: str, label: str) -> HttpResponse:
    version = version_get(actor=request.user, key=key, label=label)
    response = HttpResponse(version.source_text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.document.key}-{label}.txt"'
    return response


@policy.signed_in
@require_http_methods(["GET", "POST"])
def protocol_paragraph(request: HttpRequest, key: str, label: str, anchor: str) -> HttpResponse:
    paragraph = paragraph_get(actor=request.user, key=key, label=label, anchor=anchor)
    keeper = keeps_library(request.user)
    form = library_forms.MarkingForm(
        request.POST if request.method == "POST" else None,
        initial=_marking_initial(paragraph),
    )
    if request.method == "POST":
        if not keeper:
            raise NotFound("No such paragraph.")
        if form.is_valid():
            try:
                paragraph_mark(
                    actor=request.user,
                    paragraph=paragraph,
                    actionable=form.cleaned_data["actionable"],
                    note=form.cleaned_data["note"],
                )
            except ValidationFailed as failed:
                add_service_errors(form, failed)
            else:
                messages.success(request, f"Marking saved for {paragraph.reference}.")
                return redirect(request.path)
    return render(
        request,
        "library/paragraph.html",
        {
            "paragraph": paragraph,
            "version": paragraph.version,
            "rules": paragraph_rules(paragraph),
            "keeper": keeper,
            "form": form,
            "marking": getattr(paragraph, "marking", None),
        },
    )


def _marking_initial(paragraph: Any) -> dict[str, Any]:
    marking = getattr(paragraph, "marking", None)
    if marking is None:
        return {}
    return {"actionable": "yes" if marking.actionable else "no", "note": marking.note}


@policy.signed_in
@require_GET
def protocol_coverage(request: HttpRequest, key: str, label: str, profile_id: str) -> HttpResponse:
    version = version_get(actor=request.user, key=key, label=label)
    for stored, profile in matching_profiles(version):
        if stored.profile_id == profile_id:
            report, rows = version_coverage(version, profile)
            break
    else:
        raise NotFound("No such profile for this version.")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return render(
        request,
        "library/coverage.html",
        {
            "version": version,
            "stored": stored,
            "rows": rows,
            "counts": counts,
            "problems": report.problems,
        },
    )


def _compare_pair(request: HttpRequest, key: str) -> tuple[ProtocolVersion, ProtocolVersion]:
    versions = list(readable_versions(request.user).filter(document__key=key))
    if not versions:
        raise NotFound("No such protocol.")
    by_label = {v.label: v for v in versions}
    ordered = sorted(versions, key=lambda v: (v.in_force_from is None, v.in_force_from, v.pk))
    old_label = request.GET.get("old") or (ordered[-2].label if len(ordered) > 1 else "")
    new_label = request.GET.get("new") or ordered[-1].label
    if old_label not in by_label or new_label not in by_label:
        raise NotFound("No such protocol version.")
    return by_label[old_label], by_label[new_label]


@policy.signed_in
@require_GET
def protocol_compare(request: HttpRequest, key: str) -> HttpResponse:
    versions = list(readable_versions(request.user).filter(document__key=key))
    if len(versions) < 2:
        raise NotFound("No versions to compare.")
    old, new = _compare_pair(request, key)
    redline = redline_between(old, new)
    return render(
        request,
        "library/compare.html",
        {
            "document": new.document,
            "old": old,
            "new": new,
            "versions": versions,
            "counts": redline.counts(),
            "redline": render_html(redline),
            "query": f"?old={old.label}&new={new.label}",
        },
    )


@policy.signed_in
@require_GET
def protocol_compare_text(request: HttpRequest, key: str) -> HttpResponse:
    old, new = _compare_pair(request, key)
    response = HttpResponse(
        render_text(redline_between(old, new)), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{key}-{old.label}-{new.label}.txt"'
    return response


@policy.signed_in
@require_GET
def protocol_compare_pdf(request: HttpRequest, key: str) -> HttpResponse:
    old, new = _compare_pair(request, key)
    pdf = render_pdf(
        redline_between(old, new), title=f"{new.document.title}: {old.label} to {new.label}"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{key}-{old.label}-{new.label}.pdf"'
    return response


# --- import: upload, preview, confirm --------------------------------------------------------


@accepts_body(library_forms.IMPORT_BODY)
@keepers_only
@require_http_methods(["GET", "POST"])
def protocol_import(request: HttpRequest) -> HttpResponse:
    posting = request.method == "POST"
    form = library_forms.ImportForm(
        request.POST if posting else None,
        request.FILES if posting else None,
        initial={"document": request.GET.get("document", "")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            started = import_upload(
                actor=request.user,
                document_key=form.cleaned_data["document"],
                label=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                council=form.cleaned_data["council"],
                source_name=upload.name,
                data=upload.read(),
                keep=True,
            )
        except ValidationFailed as failed:
            add_service_errors(form, failed)
        else:
            assert started.pending is not None
            return redirect("library:protocol_import_preview", token=started.pending.token)
    return render(request, "library/import.html", {"form": form})


def _start_again(request: HttpRequest, pending: PendingImport, errors: list[str]) -> HttpResponse:
    """Back to the import page with the reasons an upload was refused."""
    import_forget(actor=request.user, pending=pending)
    for message in errors:
        messages.error(request, message)
    return redirect(reverse("library:protocol_import") + f"?document={pending.document_key}")


@keepers_only
@require_http_methods(["GET", "POST"])
def protocol_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pending = pending_import_get(actor=request.user, token=token)
    except NotFound:
        raise Http404("No such import.") from None
    state = pending_import_state(pending)
    if state.refused:
        return _start_again(request, pending, [e["message"] for e in state.errors])
    if state.reading:
        # No script (the CSP allows none): a link to check again, and, if the keeper asks for
        # it, a page that reloads itself until the file is read. Reloading is their choice and
        # they can stop it (WCAG 2.2.1), so it is never the default.
        return render(
            request,
            "library/import_progress.html",
            {
                "pending": pending,
                "watching": request.GET.get("watch") == "1",
                "refresh_seconds": PROGRESS_REFRESH_SECONDS,
            },
        )
    if request.method == "POST":
        try:
            result = import_confirm(actor=request.user, pending=pending)
        except ValidationFailed as failed:
            # The library changed between the preview and the confirmation (a version with
            # this label was added meanwhile): start again with the reasons shown.
            messages.error(request, "; ".join(e.message for e in failed.errors) or failed.detail)
            return redirect(
                reverse("library:protocol_import") + f"?document={pending.document_key}"
            )
        assert result.version is not None
        messages.success(
            request,
            f"Imported {result.version} as a draft: {len(result.parsed.numbered())} numbered "
            "paragraphs.",
        )
        return redirect(
            "library:protocol_version", key=result.version.document.key, label=result.version.label
        )
    preview = pending_import_preview(pending)
    parsed = preview.result.parsed
    return render(
        request,
        "library/import_preview.html",
        {
            "fields": {
                "source_name": pending.source_name,
                "document_key": pending.document_key,
                "label": pending.label,
                "title": pending.title,
            },
            "parsed": parsed,
            "warnings": preview.warnings,
            "warnings_count": preview.warnings_count,
            "warnings_left_out": preview.warnings_left_out,
            "warning_characters": preview.warning_characters,
            "format": preview.result.source_format,
            "blocks": _blocks(preview.paragraphs),
            "paragraphs_left_out": preview.paragraphs_left_out,
            "numbered": len(parsed.numbered()),
            "new_document": preview.new_document,
        },
    )


# --- approving, putting in force, withdrawing --------------------------------------------------


def _keeper_version(request: HttpRequest, key: str, label: str) -> ProtocolVersion:
    if not keeps_library(request.user):
        raise NotFound("No such protocol version.")
    return version_get(actor=request.user, key=key, label=label)


def _version_page_with(
    request: HttpRequest, version: ProtocolVersion, failed: ValidationFailed
) -> HttpResponse:
    """Back to the version page with the service's reasons as messages."""
    for error in failed.errors:
        messages.error(request, error.message)
    if not failed.errors:
        messages.error(request, failed.detail)
    return redirect("library:protocol_version", key=version.document.key, label=version.label)


@keepers_only
@require_POST
def protocol_approve(request: HttpRequest, key: str, label: str) -> HttpResponse:
    version = _keeper_version(request, key, label)
    form = library_forms.ApproveForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for message in errors:
                messages.error(request, f"{form.fields[field].label}: {message}")
        return redirect("library:protocol_version", key=key, label=label)
    try:
        version_approve(actor=request.user, version=version, **form.cleaned_data)
    except ValidationFailed as failed:
        return _version_page_with(request, version, failed)
    messages.success(request, f"{version} is approved.")
    return redirect("library:protocol_version", key=key, label=label)


@keepers_only
@require_POST
def protocol_put_in_force(request: HttpRequest, key: str, label: str) -> HttpResponse:
    version = _keeper_version(request, key, label)
    try:
        version_put_in_force(actor=request.user, version=version)
    except ValidationFailed as failed:
        return _version_page_with(request, version, failed)
    messages.success(
        request, f"{version} is in force. Every member and officer is asked to acknowledge it."
    )
    return redirect("library:protocol_version", key=key, label=label)


@keepers_only
@require_POST
def protocol_withdraw(request: HttpRequest, key: str, label: str) -> HttpResponse:
    version = _keeper_version(request, key, label)
    form = library_forms.WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        version_withdraw(actor=request.user, version=version, reason=reason)
    except ValidationFailed as failed:
        return _version_page_with(request, version, failed)
    messages.success(request, f"{version} is withdrawn.")
    return redirect("library:protocol_version", key=key, label=label)
