"""Forms for the case pages: starting a case, moving it on, and giving or withdrawing agreement.

They only parse what was sent. Whether a step is allowed, and what it needs, is the engine's to
say: a missing record or a refused step comes back from the service with the rule's citation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from accord.core.errors import FieldError, ValidationFailed
from accord.procedures.selectors.presentation import record_label
from accord.web.forms import AccordForm, SearchField, add_service_errors

RECORD_MAX = 20_000


@dataclass(frozen=True)
class Posted:
    """A form that was posted and came back with errors: which kind ("move", "consent", …)
    and for which step, so the page shows it, errors and all, where it was filled in."""

    kind: str
    to: str
    form: forms.Form


def rebound(
    posted: Posted | None, kind: str, to: str, fresh: Callable[[], forms.Form]
) -> forms.Form:
    """The posted form if it was this one (`kind` for step `to`), otherwise a fresh one: every
    case page, the engine's or a procedure app's, puts a refused form back the same way."""
    if posted is not None and posted.kind == kind and posted.to == to:
        return posted.form
    return fresh()


class ProcedureChoiceForm(AccordForm):
    procedure = forms.ChoiceField(
        label="What do you want to raise?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what you want to raise",
            "invalid_choice": "Choose what you want to raise",
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["procedure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class SubjectSearchForm(AccordForm):
    q = SearchField(label="Search by name, email or job title")


class CaseOpenForm(AccordForm):
    procedure = forms.CharField(widget=forms.HiddenInput, max_length=64)
    subject = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": "Choose who it is about",
            "invalid_choice": "Choose who it is about from the list",
        },
    )

    def __init__(
        self,
        *args: Any,
        label: str,
        choices: list[tuple[int | str, str]],
        with_subject: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_subject:
            # A later step names who it is about; the person raising it does not.
            del self.fields["subject"]
            return
        field = self.fields["subject"]
        assert isinstance(field, forms.TypedChoiceField)
        field.label = label
        field.choices = [("", "Choose a person"), *choices]


class MoveForm(AccordForm):
    """One available move: a text box for each record the step needs written down, and where
    the step names the case's subject, a choice of the people it may name (`named`)."""

    def __init__(
        self,
        *args: Any,
        to: str,
        records: list[str],
        names: tuple[str, list[tuple[int, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs["prefix"] = f"move-{to}"
        super().__init__(*args, **kwargs)
        if names is not None:
            title, choices = names
            # Not required here either: the engine says who must be named, citing the rule.
            self.fields["named"] = forms.TypedChoiceField(
                label=f"Who is named as {title}?",
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "Choose a person"), *choices],
                error_messages={"invalid_choice": f"Choose {title} from the list"},
            )
        for key in records:
            # Not required here: the engine says what is missing, citing the rule.
            self.fields[key] = forms.CharField(
                label=record_label(key),
                required=False,
                max_length=RECORD_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


class ConsentForm(AccordForm):
    note = forms.CharField(
        label="If you agree to only part of it, say which part (optional)",
        required=False,
        max_length=RECORD_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, to: str, **kwargs: Any) -> None:
        kwargs["prefix"] = f"consent-{to}"
        super().__init__(*args, **kwargs)


class InvolvementForm(AccordForm):
    """A statutory officer's earlier involvement in the matter (000 SO §7.3, App B §8.2)."""

    person = forms.TypedChoiceField(
        label="Which statutory officer or deputy was involved?",
        coerce=int,
        error_messages={
            "required": "Choose the statutory officer who was involved",
            "invalid_choice": "Choose the statutory officer who was involved from the list",
        },
    )
    note = forms.CharField(
        label="How were they involved?",
        help_text="For example, the advice they gave before it reached this stage.",
        max_length=RECORD_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say how they were involved"},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs["prefix"] = "involvement"
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose a statutory officer"), *choices]


def show_service_errors(form: forms.Form, failed: ValidationFailed) -> None:
    """A service's errors on the form; `records.reason` is the form's `reason` box."""
    add_service_errors(
        form,
        ValidationFailed(
            failed.detail,
            [FieldError(e.field.removeprefix("records."), e.message) for e in failed.errors],
        ),
    )
