"""Forms for account administration: input parsing and field messages only.

Rules (who may be disabled, what a username may be) live in `accord.accounts.services`; their
`ValidationFailed` errors are put back on these forms by `add_service_errors`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from accord.directory.models import Person
from accord.web.forms import AccordForm, SearchField


class AccountFilterForm(AccordForm):
    q = SearchField(label="Search by username, email or name")


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.email})"


class AccountCreateForm(AccordForm):
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        label="Person in the directory",
        help_text="Only people without an account are listed.",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person the account is for",
            "invalid_choice": "Choose a person from the list",
        },
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="Letters, digits and @ . + - _ only. People can also sign in with their email.",
        error_messages={"required": "Enter a username"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        assert isinstance(person_field, PersonChoiceField)
        person_field.queryset = people


class ReasonForm(AccordForm):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="This is kept in the audit trail.",
        error_messages={"required": "Enter the reason"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
