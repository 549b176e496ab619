"""Form helpers for the GOV.UK templates in web/partials/.

`GovukDateField` takes a date as three boxes (day, month, year), as GOV.UK's date input asks;
the other widgets are Django's own, rendered by `web/partials/field.html`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from accord.core.errors import ValidationFailed

DATE_PARTS = ("day", "month", "year")


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
        except (TypeError, ValueError) as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def add_service_errors(form: forms.Form, failed: ValidationFailed) -> None:
    """Show a service's errors on the form: beside the field each names, or above the form."""
    for error in failed.errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    if not failed.errors:
        form.add_error(None, failed.detail)
