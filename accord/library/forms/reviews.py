"""Forms for reviewing a protocol. They parse input only; the rules are the review services'
(`accord.library.services.reviews`)."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.library.models import ProtocolReview
from accord.web.forms import AccordForm, GovukDateField

TEXTAREA = {"rows": 4}


def _text(
    label: str, *, required: bool = False, hint: str = "", message: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        widget=forms.Textarea(attrs=TEXTAREA),
        max_length=10_000,
        error_messages={"required": message} if message else {},
    )


class ReportFieldsForm(AccordForm):
    why = _text(
        "Why is the protocol being reviewed?",
        required=True,
        hint="Shown in the report's background. Only the library's keepers see it.",
        message="Say why the protocol is being reviewed",
    )
    consultations = _text("Consultations")
    legal_implications = _text("Legal implications")
    policy_implications = _text("Policy implications")
    financial_implications = _text("Resource and financial implications")
    equality_implications = _text(
        "Equality and human rights implications",
        hint="Any equality impact assessment made of the proposed changes.",
    )


class ReviewOpenForm(ReportFieldsForm):
    field_order = ["document", "reason", "why", "started_on"]
    document = forms.ChoiceField(
        label="Protocol", error_messages={"required": "Choose the protocol to review"}
    )
    reason = forms.ChoiceField(
        label="What prompted the review?",
        choices=ProtocolReview.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what prompted the review"},
    )
    started_on = GovukDateField(
        label="Date the review started (optional)", required=False, help_text="Today if left out."
    )

    def __init__(self, *args: Any, documents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a protocol"), *documents]


class ProposeForm(AccordForm):
    draft = forms.ChoiceField(
        label="Draft version to propose",
        help_text="Import the amended protocol as a draft version first.",
        error_messages={"required": "Choose the draft version"},
    )

    def __init__(self, *args: Any, drafts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["draft"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a draft"), *drafts]


class CommitteeForm(AccordForm):
    met_on = GovukDateField(
        label="Date the Standards Committee met",
        error_messages={"required": "Enter the date the committee met"},
    )
    recommendation = forms.ChoiceField(
        label="What did the committee recommend?",
        choices=ProtocolReview.Recommendation.choices,
        widget=forms.RadioSelect,
        help_text="If it does not recommend the draft, the review goes back to open.",
        error_messages={"required": "Choose what the committee recommended"},
    )
    note = _text("Note", hint="The amendments asked for, if any.")


class CouncilForm(AccordForm):
    met_on = GovukDateField(
        label="Date Full Council approved it",
        error_messages={"required": "Enter the date Full Council approved it"},
    )
    in_force_from = GovukDateField(
        label="Date it comes into force",
        error_messages={"required": "Enter the date it comes into force"},
    )
    note = _text("Note")


class CloseForm(AccordForm):
    reason = _text(
        "Why is the review closed without change?",
        required=True,
        message="Say why the review is closed",
    )


class AcknowledgeForm(AccordForm):
    """Which version the reader acknowledges: its document's key and its label, as the page's
    buttons send them."""

    key = forms.CharField(max_length=64)
    label = forms.CharField(max_length=40)
