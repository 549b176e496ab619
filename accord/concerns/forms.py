"""Forms for the conduct concern pages: raising a concern, acting on one, agreeing to a step,
saying what is shared, reporting pressure afterwards, and filtering the register.

They only parse what was sent and say what is missing in plain words. Whether a step is allowed,
who may record a concern for someone else and whom it goes to are `accord.concerns.services`'
to decide: their errors come back on the field each names (`what_happened`, `records.reason`).
Fields carry the service's names, so the error summary links each message to its box.
"""

from __future__ import annotations

from typing import Any

from django import forms

from accord.concerns.models import Concern
from accord.concerns.services import ACTIONS
from accord.procedures.selectors.presentation import record_label
from accord.web.forms import AccordForm, GovukDateField, SearchField

YES_NO = [("yes", "Yes"), ("no", "No")]
STATUS_CHOICES = [("", "Open and ended"), ("open", "Open"), ("closed", "Ended")]
# Short words: the filter must fit a phone's width (WCAG 1.4.10).
DIRECTION_CHOICES = [
    ("", "Both"),
    (Concern.Direction.OFFICER_ABOUT_MEMBER.value, "Officer about member"),
    (Concern.Direction.MEMBER_ABOUT_OFFICER.value, "Member about officer"),
]


class PeopleSearchForm(AccordForm):
    """Narrows the people offered in the raise form's lists."""

    q = SearchField(label="Search by name, email or job title")
    for_q = SearchField(label="Search for the person you are recording it for")


def _person_field(label: str, choices: list[tuple[int, str]], **kwargs: Any) -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[("", "Choose a person"), *choices],
        **kwargs,
    )


class RaiseForm(AccordForm):
    """The concern in the raiser's words. `first_contact` is there only where the council's
    rules let the raiser choose; `raiser` only for someone the concern could go to first."""

    def __init__(
        self,
        *args: Any,
        about: str,
        subjects: list[tuple[int, str]],
        first_contacts: list[tuple[str, str]],
        raisers: list[tuple[int, str]] | None,
        raiser_kind: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        article = "an" if raiser_kind[:1] in "aeiou" else "a"
        if raisers is not None:
            self.fields["raiser"] = _person_field(
                f"Are you recording this for {article} {raiser_kind} who spoke to you? (optional)",
                raisers,
                required=False,
                help_text=(
                    f"Leave this blank if the concern is your own. Choose the {raiser_kind} "
                    "who came to you: it is then recorded as theirs and comes to you."
                ),
                error_messages={"invalid_choice": f"Choose the {raiser_kind} from the list"},
            )
        self.fields["subject"] = _person_field(
            f"Which {about} is it about?",
            subjects,
            error_messages={
                "required": f"Choose which {about} it is about",
                "invalid_choice": f"Choose which {about} it is about from the list",
            },
        )
        self.fields["what_happened"] = forms.CharField(
            label="What happened?",
            help_text="Say what was said or done, where, and who else was there.",
            widget=forms.Textarea(attrs={"rows": 8}),
            error_messages={"required": "Say what happened"},
        )
        self.fields["happened_on"] = GovukDateField(
            label="When did it happen? (optional)",
            help_text="For example, 27 3 2026. Leave it blank if it went on over a time.",
            required=False,
        )
        self.fields["outcome_wanted"] = forms.CharField(
            label="What would you like to happen? (optional)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["tried_direct"] = forms.ChoiceField(
            label=f"Have you tried to settle it with the {about} directly?",
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Say whether you have tried to settle it with them directly",
                "invalid_choice": "Say whether you have tried to settle it with them directly",
            },
        )
        self.fields["tried_direct_details"] = forms.CharField(
            label="If you have, what did you try and what happened? (optional)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        if first_contacts:
            self.fields["first_contact"] = forms.ChoiceField(
                label="Who do you want to talk to first?",
                help_text="Only the person you choose will see the concern at first.",
                choices=first_contacts,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": "Choose who you want to talk to first"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choosing = "first_contact" in self.fields and "first_contact" not in self.errors
        if choosing and not cleaned.get("raiser") and not cleaned.get("first_contact"):
            self.add_error("first_contact", "Choose who you want to talk to first")
        return cleaned

    @property
    def tried_direct(self) -> bool | None:
        value = self.cleaned_data.get("tried_direct")
        return {"yes": True, "no": False}.get(value or "")


class MoveForm(AccordForm):
    """One step the reader may take: a box for each record it needs, posted as
    `records.<key>`; the recorded action is a choice of the council's own list."""

    def __init__(
        self,
        *args: Any,
        to: str,
        records: list[str],
        shown_to_raiser: frozenset[str],
        **kwargs: Any,
    ) -> None:
        kwargs["auto_id"] = f"move-{to}-%s"
        super().__init__(*args, **kwargs)
        for key in records:
            hint = (
                "The person who raised the concern will see what you write here."
                if key in shown_to_raiser
                else "The person who raised the concern will not see this."
            )
            field: forms.Field
            # Not required here: the engine says what is missing, citing the rule.
            if key == "action":
                field = forms.ChoiceField(
                    label="What action is to be taken?",
                    choices=list(ACTIONS.items()),
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=hint,
                )
            else:
                field = forms.CharField(
                    label=record_label(key),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=hint,
                )
            self.fields[f"records.{key}"] = field

    @property
    def records(self) -> dict[str, str]:
        return {
            name.removeprefix("records."): str(value or "")
            for name, value in self.cleaned_data.items()
        }


class ConsentForm(AccordForm):
    """Agreeing to one step, with what may be shared with those it brings in."""

    summary = forms.CharField(
        label="What may be shared with them",
        help_text=(
            "Only this is shown to them, not what you wrote when you raised the concern. "
            "Leave it blank to share nothing in writing."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_identity = forms.BooleanField(label="They may be told my name", required=False)

    def __init__(self, *args: Any, to: str, **kwargs: Any) -> None:
        kwargs["auto_id"] = f"consent-{to}-%s"
        super().__init__(*args, **kwargs)


class ShareForm(AccordForm):
    summary = forms.CharField(
        label="What may be shared",
        help_text=(
            "What people told of the concern beyond those handling it may read. Leave it blank "
            "to share nothing in writing."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    share_identity = forms.BooleanField(label="They may be told my name", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["auto_id"] = "share-%s"
        super().__init__(*args, **kwargs)


class ReportForm(AccordForm):
    report = forms.CharField(
        label="What has happened since?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["auto_id"] = "report-%s"
        super().__init__(*args, **kwargs)


class RegisterFilterForm(AccordForm):
    q = SearchField(label="Search by the name of the person it is about, or by what was said")
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    direction = forms.ChoiceField(label="Direction", choices=DIRECTION_CHOICES, required=False)
