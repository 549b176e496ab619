"""Checking a service's input: every problem found at once, each naming its field, then one
refusal (`ValidationFailed`) before anything is written."""

from __future__ import annotations

from accord.core.errors import FieldError, ValidationFailed


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


class Problems:
    """What is wrong with one call's input. Services add to it as they check each field and
    call `raise_if_any` before they write."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, field: str, message: str) -> None:
        self.items.append(FieldError(field, message))

    def text(
        self, field: str, value: str | None, *, max_length: int, required: str = "", label: str = ""
    ) -> str:
        """`value` without surrounding space. Noted as a problem: empty when `required` (the
        message to show), or longer than `max_length` characters."""
        cleaned = (value or "").strip()
        if required and not cleaned:
            self.add(field, required)
        elif len(cleaned) > max_length:
            self.add(field, f"{label or _label(field)} must be {max_length:,} characters or fewer.")
        return cleaned

    def raise_if_any(self, detail: str = "") -> None:
        """Refuse the call if anything was noted: `detail` sums it up (by default the one
        problem's message, or "Please correct the errors.")."""
        if not self.items:
            return
        if not detail:
            detail = self.items[0].message if len(self.items) == 1 else "Please correct the errors."
        raise ValidationFailed(detail, self.items)
