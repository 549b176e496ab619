"""Forms for maintaining the directory in the browser.

Each form parses the request into the arguments of one directory service; the service checks the
rules and its `ValidationFailed` errors are put back on the field they name. Field names match the
services' argument names for that reason.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from accord.access.actor import Actor
from accord.directory import selectors
from accord.directory.models import (
    Committee,
    CommitteeMembership,
    Directorate,
    Member,
    Officer,
    Person,
    PoliticalGroup,
    RoleAppointment,
    StatutoryDesignation,
)
from accord.web.forms import AccordForm, GovukDateField, ModelChoicesField, SearchField

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_LABEL = "2 MB"


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A select of people, labelled so that two people with one name can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        officer = getattr(obj, "officer", None) if obj.kind == Person.Kind.OFFICER else None
        if officer is not None:
            return f"{obj.full_name}, {officer.job_title}"
        member = getattr(obj, "member", None) if obj.kind == Person.Kind.MEMBER else None
        if member is not None and member.group is not None:
            return f"{obj.full_name} ({member.group.short_name})"
        return str(obj.full_name)


def _officers(actor: Actor) -> PersonChoiceField:
    return PersonChoiceField(
        label="Officer",
        queryset=selectors.person_list(actor=actor, kind=Person.Kind.OFFICER),
        empty_label="Choose an officer",
        error_messages={"required": "Choose an officer"},
    )


def _members(actor: Actor, label: str) -> PersonChoiceField:
    return PersonChoiceField(
        label=label,
        queryset=selectors.person_list(actor=actor, kind=Person.Kind.MEMBER),
        empty_label="Choose a member",
        error_messages={"required": "Choose a member"},
    )


def _officer_of(person: Person) -> Officer:
    officer: Officer | None = getattr(person, "officer", None)
    if officer is None:
        raise forms.ValidationError("Choose an officer")
    return officer


def _member_of(person: Person) -> Member:
    member: Member | None = getattr(person, "member", None)
    if member is None:
        raise forms.ValidationError("Choose a member")
    return member


class CsvUploadForm(AccordForm):
    filename = ""

    file = forms.FileField(
        label="Upload a CSV file",
        help_text=f"A CSV file saved as UTF-8, no larger than {MAX_UPLOAD_LABEL}.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self) -> str:
        """The file's text: the import reads text, and the text is what is kept for confirming."""
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_UPLOAD_LABEL}"
            )
        raw: bytes = upload.read()
        self.filename = upload.name or ""
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                "The selected file must be a CSV saved as UTF-8 (in a spreadsheet, choose "
                "“CSV UTF-8”)"
            ) from exc


class AbsenceForm(AccordForm):
    starts_on = GovukDateField(label="First day of absence", help_text="For example, 1 12 2026")
    ends_on = GovukDateField(label="Last day of absence", help_text="For example, 5 12 2026")
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=200,
        help_text="Shown when a deputy acts in their place, for example “Annual leave”.",
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"officer": _officers(actor), **self.fields}

    def clean_officer(self) -> Officer:
        return _officer_of(self.cleaned_data["officer"])

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "officer": data["officer"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "reason": data["reason"],
        }


def _split_areas(text: str) -> list[str]:
    return [area.strip() for area in text.split(",") if area.strip()]


class RoleAppointForm(AccordForm):
    """Appoint a person to a role. Only the roles, and the details, for their kind are offered."""

    role = forms.ChoiceField(label="Role", error_messages={"required": "Choose a role"})
    group: forms.ModelChoiceField[PoliticalGroup] = forms.ModelChoiceField(
        label="Political group",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="For a Group Leader: the group they lead.",
    )
    directorate: forms.ModelChoiceField[Directorate] = forms.ModelChoiceField(
        label="Directorate",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="For a Director: the directorate they run.",
    )
    areas = forms.CharField(
        label="Areas (optional)",
        required=False,
        max_length=500,
        help_text="For a Lead Member: portfolio areas, separated by commas.",
    )
    is_statutory_childrens_lead = forms.BooleanField(
        label="Statutory Lead Member for Children\N{RIGHT SINGLE QUOTATION MARK}s Services",
        required=False,
    )
    starts_on = GovukDateField(label="Start date", help_text="For example, 1 6 2026")
    ends_on = GovukDateField(
        label="End date (optional)",
        required=False,
        help_text="The last day the role is held. Leave empty if it has no set end.",
    )

    def __init__(self, *args: Any, actor: Actor, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        is_member = person.kind == Person.Kind.MEMBER
        allowed = RoleAppointment.MEMBER_ROLES if is_member else RoleAppointment.OFFICER_ROLES
        role_field: forms.ChoiceField = self.fields["role"]  # type: ignore[assignment]
        role_field.choices = [
            ("", "Choose a role"),
            *((value, label) for value, label in RoleAppointment.Role.choices if value in allowed),
        ]
        if is_member:
            group_field: forms.ModelChoiceField = self.fields["group"]  # type: ignore[type-arg,assignment]
            group_field.queryset = selectors.group_list(actor=actor)
            del self.fields["directorate"]
        else:
            directorate_field: forms.ModelChoiceField = self.fields["directorate"]  # type: ignore[type-arg,assignment]
            directorate_field.queryset = selectors.directorate_list(actor=actor)
            for name in ("group", "areas", "is_statutory_childrens_lead"):
                del self.fields[name]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "starts_on": data["starts_on"],
            "ends_on": data.get("ends_on"),
            "group": data.get("group"),
            "directorate": data.get("directorate"),
            "areas": _split_areas(data.get("areas") or ""),
            "is_statutory_childrens_lead": bool(data.get("is_statutory_childrens_lead")),
        }


class EndForm(AccordForm):
    ends_on = GovukDateField(
        label="Last day held",
        help_text="It can end earlier than already recorded, never later. For example, 31 5 2026",
    )


class DesignationForm(AccordForm):
    office = forms.ChoiceField(
        label="Statutory office",
        choices=[("", "Choose an office"), *StatutoryDesignation.Office.choices],
        error_messages={"required": "Choose a statutory office"},
    )
    is_deputy = forms.BooleanField(label="Designate as a deputy, not the holder", required=False)
    deputy_rank = forms.IntegerField(
        label="Deputy rank (deputies only)",
        required=False,
        min_value=0,
        max_value=20,
        help_text="1 acts first when the holder is absent, then 2, and so on.",
    )
    starts_on = GovukDateField(label="Start date", help_text="For example, 1 6 2026")
    ends_on = GovukDateField(label="End date (optional)", required=False)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "office": data["office"],
            "is_deputy": bool(data["is_deputy"]),
            "deputy_rank": data["deputy_rank"] or 0,
            "starts_on": data["starts_on"],
            "ends_on": data.get("ends_on"),
        }


class CommitteeMemberForm(AccordForm):
    committee: forms.ModelChoiceField[Committee] = forms.ModelChoiceField(
        label="Committee",
        queryset=None,
        empty_label="Choose a committee",
        error_messages={"required": "Choose a committee"},
    )
    position = forms.ChoiceField(
        label="Position",
        choices=CommitteeMembership.Position.choices,
        initial=CommitteeMembership.Position.MEMBER,
    )
    starts_on = GovukDateField(label="Start date", help_text="For example, 1 6 2026")

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committee_field: forms.ModelChoiceField = self.fields["committee"]  # type: ignore[type-arg,assignment]
        committee_field.queryset = selectors.committee_list(actor=actor)
        fields = dict(self.fields)
        self.fields = {
            "committee": fields.pop("committee"),
            "member": _members(actor, "Member"),
            **fields,
        }

    def clean_member(self) -> Member:
        return _member_of(self.cleaned_data["member"])

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "committee": data["committee"],
            "member": data["member"],
            "position": data["position"],
            "starts_on": data["starts_on"],
        }


class AdministrationForm(AccordForm):
    groups: forms.ModelMultipleChoiceField[PoliticalGroup] = ModelChoicesField(
        label="Political groups forming the administration",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the group or groups forming the administration"},
    )
    starts_on = GovukDateField(
        label="First day of the new administration", help_text="For example, 20 5 2026"
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the council meeting that elected the Leader.",
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups_field: forms.ModelMultipleChoiceField = self.fields["groups"]  # type: ignore[type-arg,assignment]
        groups_field.queryset = selectors.group_list(actor=actor)
        fields = dict(self.fields)
        self.fields = {
            "groups": fields.pop("groups"),
            "leader": _members(actor, "Leader of the Council"),
            **fields,
        }

    def clean_leader(self) -> Member:
        return _member_of(self.cleaned_data["leader"])


class PeopleFilterForm(AccordForm):
    q = SearchField(label="Search by name, email, job title or division")
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everyone"), *Person.Kind.choices],
    )
