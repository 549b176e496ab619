"""Forms for the protocol library's pages. They parse input only; the rules are the services'."""

from __future__ import annotations

from django import forms

from accord.library.parsing.limits import IMPORT_FORM_BODY, MAX_FILE_BYTES, megabytes
from accord.web.forms import AccordForm, GovukDateField

MAX_UPLOAD = MAX_FILE_BYTES
# What a posted import form may carry: the file and the fields beside it.
IMPORT_BODY = IMPORT_FORM_BODY


class ImportForm(AccordForm):
    file = forms.FileField(
        label="Protocol document",
        help_text="A Word document (.docx), PDF, Markdown (.md) or plain text (.txt) file, up to "
        f"{megabytes(MAX_FILE_BYTES)}.",
        error_messages={"required": "Choose the protocol document to upload"},
    )
    document = forms.CharField(
        label="Document key",
        max_length=64,
        help_text="A short name for the document in web addresses and citations, for example "
        "member-officer-protocol. Use an existing key to add a version to that document.",
        error_messages={"required": "Enter the document key"},
    )
    version = forms.CharField(
        label="Version label",
        max_length=40,
        help_text="For example 2026 or 2026 draft.",
        error_messages={"required": "Enter the version label"},
    )
    title = forms.CharField(label="Title (optional)", max_length=200, required=False)
    council = forms.CharField(
        label="Council",
        max_length=200,
        required=False,
        help_text="Needed only for a new document.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(f"The file must be {megabytes(MAX_UPLOAD)} or smaller")
        return upload


class CompareForm(AccordForm):
    old = forms.CharField(label="Earlier version", max_length=40)
    new = forms.CharField(label="Later version", max_length=40)


class ApproveForm(AccordForm):
    approved_on = GovukDateField(
        label="Date Full Council approved it",
        error_messages={"required": "Enter the date Full Council approved it"},
    )
    in_force_from = GovukDateField(
        label="Date it comes into force",
        error_messages={"required": "Enter the date it comes into force"},
    )
    approved_by = forms.CharField(
        label="Approved by", max_length=300, initial="Full Council", required=False
    )


class WithdrawForm(AccordForm):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the version is withdrawn"},
    )


class MarkingForm(AccordForm):
    actionable = forms.TypedChoiceField(
        label="Is this paragraph actionable?",
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", "Yes: it places a duty, permission or prohibition a system can run"),
            ("no", "No: it states values, background or a definition"),
        ],
        error_messages={"required": "Choose whether the paragraph is actionable"},
    )
    note = forms.CharField(
        label="Note (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
