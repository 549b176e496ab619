"""Directory people and accounts for the sign-in tests, made with the models directly."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accord.accounts.models import User
from accord.accounts.services import account_create
from accord.core import clock
from accord.directory.models import (
    Directorate,
    Officer,
    Person,
    RoleAppointment,
    StatutoryDesignation,
)

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


@pytest.fixture
def directorate(db: Any) -> Directorate:
    return Directorate.objects.create(code="RES", name="Resources")


@pytest.fixture
def make_officer(directorate: Directorate) -> Callable[..., Person]:
    def make(given: str = "Sam", family: str = "Example", *, email: str | None = None) -> Person:
        n = next(_sequence)
        person = Person.objects.create(
            kind=Person.Kind.OFFICER,
            given_name=given,
            family_name=f"{family}{n}",
            email=email or f"officer{n}@council.example",
        )
        Officer.objects.create(person=person, directorate=directorate, job_title="Officer")
        return person

    return make


@pytest.fixture
def make_account(make_officer: Callable[..., Person]) -> Callable[..., User]:
    def make(username: str | None = None, *, person: Person | None = None) -> User:
        person = person or make_officer()
        name = username or f"user{person.pk}"
        return account_create(actor=None, person=person, username=name, password=PASSWORD)

    return make


@pytest.fixture
def officer_account(make_account: Callable[..., User]) -> User:
    return make_account("ordinary.officer")


@pytest.fixture
def monitoring_officer_account(make_account: Callable[..., User]) -> User:
    user = make_account("monitoring.officer")
    assert user.person is not None
    StatutoryDesignation.objects.create(
        office=StatutoryDesignation.Office.MONITORING_OFFICER,
        officer=user.person.officer,
        starts_on=clock.today() - dt.timedelta(days=30),
    )
    return user


@pytest.fixture
def directory_admin_account(make_account: Callable[..., User]) -> User:
    user = make_account("directory.admin")
    assert user.person is not None
    RoleAppointment.objects.create(
        person=user.person,
        role=RoleAppointment.Role.DIRECTORY_ADMIN,
        starts_on=clock.today() - dt.timedelta(days=30),
    )
    return user


def sign_in(
    client: Client, login: str, password: str = PASSWORD, *, ip: str = "203.0.113.10"
) -> Any:
    """Sign in through allauth's own form, as a browser would."""
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip
    )
