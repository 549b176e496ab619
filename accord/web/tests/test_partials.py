"""The GOV.UK form partials, the date field and the role-driven service navigation."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template.loader import render_to_string

from accord.access import policies
from accord.access.roles import Role
from accord.accounts.models import User
from accord.web.forms import GovukDateField
from accord.web.navigation import NavItem, allowed_by, navigation_for


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the register")
    colour = forms.ChoiceField(label="Colour", choices=[("r", "Red"), ("g", "Green")])
    tags = forms.MultipleChoiceField(
        label="Tags", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    due = GovukDateField(label="Due date")


def render_field(form: forms.Form, name: str) -> str:
    return render_to_string("web/partials/field.html", {"field": form[name]})


def test_error_summary_links_each_error_to_its_field():
    form = ExampleForm(data={})
    assert not form.is_valid()
    html = render_to_string("web/partials/error_summary.html", {"form": form})
    assert "There is a problem" in html
    for name in ("name", "colour", "tags", "due"):
        assert f'href="#id_{name}"' in html


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert (
        render_to_string("web/partials/error_summary.html", {"form": ExampleForm()}).strip() == ""
    )


def test_each_widget_kind_renders_its_govuk_component_with_a_hidden_error_prefix():
    form = ExampleForm(data={"notes": "x"})
    form.is_valid()
    expected = {
        "name": 'class="govuk-input govuk-input--error',
        "colour": 'class="govuk-select govuk-select--error',
        "tags": 'class="govuk-checkboxes',
        "notes": 'class="govuk-textarea',
        "due": 'class="govuk-date-input"',
    }
    for name, marker in expected.items():
        html = render_field(form, name)
        assert marker in html, name
        assert f'id="id_{name}"' in html, name
    assert '<span class="govuk-visually-hidden">Error:</span>' in render_field(form, "name")
    assert 'aria-describedby="id_name-hint id_name-error"' in render_field(form, "name")


def test_submitted_values_are_shown_again_but_never_passwords():
    class SignIn(forms.Form):
        login = forms.CharField()
        password = forms.CharField(widget=forms.PasswordInput)

    form = SignIn(data={"login": "someone", "password": "secret-value"})
    assert 'value="someone"' in render_field(form, "login")
    assert "secret-value" not in render_field(form, "password")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"due_day": "3", "due_month": "11", "due_year": "2025"}, dt.date(2025, 11, 3)),
        ({"due_day": "31", "due_month": "2", "due_year": "2025"}, "The date must be a real date"),
        ({"due_day": "3", "due_month": "", "due_year": "2025"}, "must include a day, month"),
        ({}, "Enter a date"),
    ],
)
def test_date_field_reads_day_month_and_year(data, expected):
    class DateForm(forms.Form):
        due = GovukDateField(label="Due date")

    form = DateForm(data=data)
    if isinstance(expected, dt.date):
        assert form.is_valid(), form.errors
        assert form.cleaned_data["due"] == expected
    else:
        assert not form.is_valid()
        assert expected in form.errors["due"][0]


def test_date_input_shows_what_was_typed_after_an_error():
    class DateForm(forms.Form):
        due = GovukDateField(label="Due date")

    form = DateForm(data={"due_day": "31", "due_month": "2", "due_year": "2025"})
    form.is_valid()
    html = render_field(form, "due")
    assert 'value="31"' in html
    assert 'value="2025"' in html


def test_navigation_shows_only_sections_whose_policy_allows_the_user(monkeypatch):
    monkeypatch.setattr(
        "accord.access.policies.roles_for", lambda user, on=None: frozenset({Role.DIRECTORY_ADMIN})
    )
    user = User(username="someone", is_active=True, person_id=1)
    sections = [
        NavItem("Home", "web:home"),
        NavItem("Audit", "directory:statutory", visible_to=allowed_by(policies.AUDIT_READERS)),
        NavItem("Reviews", "directory:groups", visible_to=allowed_by(policies.LIBRARY_KEEPERS)),
    ]
    links = navigation_for(user, "directory:statutory", sections)
    assert [(link.label, link.aria_current) for link in links] == [
        ("Home", ""),
        ("Audit", "page"),
    ]


@pytest.mark.django_db
def test_signed_in_users_see_the_directory_in_the_navigation(council, officer_client):
    from django.urls import reverse

    response = officer_client.get(reverse("directory:group", args=[council.group.pk]))
    html = response.content.decode()
    assert 'aria-current="true"' in html
    assert ">Directory<" in html
