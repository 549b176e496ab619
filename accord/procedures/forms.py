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
from accord.web.forms import AccordForm, GovukDateField, SearchField, add_service_errors

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
        asks_public_day: bool = False,
        handler_choices: list[tuple[int, str]] | None = None,
        event_title: str | None = None,
        with_subject: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_subject:
            # A later step names who it is about; the person raising it does not.
            del self.fields["subject"]
        else:
            field = self.fields["subject"]
            assert isinstance(field, forms.TypedChoiceField)
            field.label = label
            field.choices = [("", "Choose a person"), *choices]
        if asks_public_day:
            # Some people must be told before this day; the engine records a late telling.
            self.fields["public_on"] = GovukDateField(
                label="When will it be made public, if you know?",
                help_text="Some people must be told before then. For example, 27 3 2027",
                required=False,
            )
        add_step_fields(self, handler_choices or [], event_title)


def add_step_fields(
    form: forms.Form, handler_choices: list[tuple[int, str]], event_title: str | None
) -> None:
    """The fields a step needs besides its records: whom to give the next stage to, where the
    mover chooses, and the date of the procedure's event, where the step sets it. Not
    required here: the engine says what is missing, citing the rule."""
    if handler_choices:
        form.fields["handler"] = forms.TypedChoiceField(
            label="Who should handle it?",
            help_text="The protocol asks for one person; only they will handle and see it.",
            coerce=int,
            required=False,
            empty_value=None,
            choices=[("", "Choose a person"), *handler_choices],
            error_messages={"invalid_choice": "Choose who handles it from the list"},
        )
    if event_title is not None:
        form.fields["event_date"] = GovukDateField(
            label=f"Date of {event_title}",
            help_text="For example, 27 3 2027. It must give the notice the protocol asks for.",
            required=False,
        )


STEP_FIELDS = ("handler", "event_date")


class MoveForm(AccordForm):
    """One available move: a text box for each record the step needs written down, and where
    the step names the case's subject, a choice of the people it may name (`named`)."""

    def __init__(
        self,
        *args: Any,
        to: str,
        records: list[str],
        handler_choices: list[tuple[int, str]] | None = None,
        event_title: str | None = None,
        names: tuple[str, list[tuple[int, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs["prefix"] = f"move-{to}"
        super().__init__(*args, **kwargs)
        add_step_fields(self, handler_choices or [], event_title)
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
