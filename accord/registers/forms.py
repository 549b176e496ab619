"""Forms for the register of declared relationships.

They only parse what was sent; whether a declaration may be made, and by whom, is for
`accord.registers.services` to say, and its errors come back on the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core import clock
from accord.registers.models import DeclaredRelationship
from accord.registers.services import DESCRIPTION_MAX
from accord.web.forms import AccordForm, GovukDateField, SearchField

STATUS_CHOICES = [
    ("", "Current and ended"),
    ("current", "Current"),
    ("ended", "Ended"),
]


def _person_field(label: str, choices: list[tuple[int, str]], empty: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[("", "Choose a person"), *choices],
        error_messages={"required": empty, "invalid_choice": f"{empty} from the list"},
    )


class PeopleSearchForm(AccordForm):
    """Narrows the people offered in the declaration form's lists."""

    q = SearchField(label="Search for the other person by name, email or job title")
    person_q = SearchField(label="Search for whose relationship it is")


class DeclareForm(AccordForm):
    """The declaration; `person` (whose it is) only for the register's keepers."""

    nature = forms.ChoiceField(
        label="What kind of relationship or connection is it?",
        widget=forms.RadioSelect,
        choices=DeclaredRelationship.Nature.choices,
        error_messages={
            "required": "Choose the kind of relationship",
            "invalid_choice": "Choose the kind of relationship",
        },
    )
    description = forms.CharField(
        label="Anything the Monitoring Officer should know about it (optional)",
        help_text=("Seen only by the two of you and by the Monitoring Officer and their deputies."),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_on = GovukDateField(
        label="Since when?",
        help_text="Today, unless it began earlier. For example, 27 3 2026",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        others: list[tuple[int, str]],
        people: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = {"starts_on": clock.today(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        if people is not None:
            # Only the register's keepers record a declaration for someone else.
            fields["person"] = _person_field(
                "Whose relationship is it?", people, "Choose whose relationship it is"
            )
        fields["other"] = _person_field(
            "Who is it with?", others, "Choose who the relationship is with"
        )
        self.fields = {**fields, **self.fields}


class EndForm(AccordForm):
    ends_on = GovukDateField(
        label="Last day of the relationship",
        help_text="Today, unless it ended earlier. For example, 27 3 2026",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"ends_on": clock.today(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class RegisterFilterForm(AccordForm):
    q = SearchField(label="Name of either person")
    status = forms.ChoiceField(label="Show", required=False, choices=STATUS_CHOICES)
