"""Form helpers for the GOV.UK templates in web/partials/.

`AccordForm` is every form's base: it refuses text holding a character no text may hold (see
`accord.core.limits`), on the field that holds it. `SearchField` is every search box: a few words
at most. `GovukDateField` takes a date as three boxes (day, month, year), as GOV.UK's date input
asks; the other widgets are Django's own, rendered by `web/partials/field.html`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from accord.core import limits
from accord.core.errors import ValidationFailed

DATE_PARTS = ("day", "month", "year")
_ID = re.compile(r"[0-9]{1,10}")


class AccordForm(forms.Form):
    """The base of every form on the site.

    Once the form is cleaned, any text typed into it that holds a control character (or half
    of a surrogate pair) is an error on its field: text that would reach PostgreSQL (which
    cannot store NUL), the audit trail (which refuses it), or a page or PDF that cannot show
    it. A multi-line box (`Textarea`) may hold tabs and line breaks; a one-line box may not.
    """

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            # Text typed into a box. (A file's contents are for its own reader to check; Django
            # takes what is not printable out of a file's name.)
            if not isinstance(field, forms.CharField) or not isinstance(value, str):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            found = limits.refused_character(value, multiline=multiline)
            if found is not None:
                self.add_error(name, limits.unusable_character(found, multiline=multiline))


class SearchField(forms.CharField):
    """A search box: at most `limits.MAX_SEARCH_WORDS` words and `MAX_SEARCH_CHARACTERS`
    characters (`most_words` for a plain question)."""

    def __init__(self, *, most_words: int = limits.MAX_SEARCH_WORDS, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", limits.MAX_SEARCH_CHARACTERS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.most_words = most_words

    def validate(self, value: Any) -> None:
        super().validate(value)
        refusal = limits.too_many_words(value or "", self.most_words)
        if refusal is not None:
            raise ValidationError(refusal, code="too_many_words")


class ModelChoicesField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several records chosen by id. Django's own asks the database about every id sent, and
    an id beyond any integer column (2^63) fails there rather than being an invalid choice."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if not _ID.fullmatch(str(pk)) or int(pk) > limits.MAX_INTEGER:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class GovukDateWidget(forms.Widget):
    """Reads `<name>_day`, `<name>_month` and `<name>_year`; rendered by fields/date.html."""

    template_name = "web/partials/fields/date_widget.html"

    def value_from_datadict(
        self, data: Mapping[str, Any] | MultiValueDict[str, Any], files: Any, name: str
    ) -> list[str] | None:
        parts = [str(data.get(f"{name}_{part}", "")).strip() for part in DATE_PARTS]
        return parts if any(parts) else None

    def value_omitted_from_data(
        self, data: Mapping[str, Any] | MultiValueDict[str, Any], files: Any, name: str
    ) -> bool:
        return not any(f"{name}_{part}" in data for part in DATE_PARTS)


class GovukDateField(forms.Field):
    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "The date must include a day, month and year",
        "invalid": "The date must be a real date",
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in (None, "", []):
            return None
        if isinstance(value, dt.date):
            return value
        day, month, year = value
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            return dt.date(int(year), int(month), int(day))
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def add_service_errors(form: forms.Form, failed: ValidationFailed) -> None:
    """Show a service's errors on the form: beside the field each names, or above the form."""
    for error in failed.errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    if not failed.errors:
        form.add_error(None, failed.detail)
