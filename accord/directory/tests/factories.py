"""Test factories for the directory. Shared by every app's tests."""

from __future__ import annotations

import datetime as dt

from factory.declarations import LazyAttribute, PostGeneration, Sequence, SubFactory
from factory.django import DjangoModelFactory, Password

from accord.accounts.models import User
from accord.directory import models

TERM_START = dt.date(2025, 5, 1)


class DirectorateFactory(DjangoModelFactory[models.Directorate]):
    class Meta:
        model = models.Directorate
        django_get_or_create = ("code",)

    code = Sequence(lambda n: f"DIR{n}")
    name = Sequence(lambda n: f"Directorate {n}")


class GroupFactory(DjangoModelFactory[models.PoliticalGroup]):
    class Meta:
        model = models.PoliticalGroup

    name = Sequence(lambda n: f"Group {n}")
    short_name = Sequence(lambda n: f"G{n}")


class DivisionFactory(DjangoModelFactory[models.Division]):
    class Meta:
        model = models.Division

    code = Sequence(lambda n: f"D{n:03d}")
    name = Sequence(lambda n: f"Division {n}")


class PersonFactory(DjangoModelFactory[models.Person]):
    class Meta:
        model = models.Person

    kind = models.Person.Kind.OFFICER
    given_name = Sequence(lambda n: f"Given{n}")
    family_name = Sequence(lambda n: f"Family{n}")
    email = Sequence(lambda n: f"person{n}@example.gov.uk")


class OfficerFactory(DjangoModelFactory[models.Officer]):
    class Meta:
        model = models.Officer

    person = SubFactory(PersonFactory, kind=models.Person.Kind.OFFICER)
    directorate = SubFactory(DirectorateFactory)
    job_title = "Officer"


def _set_divisions(
    member: models.Member, create: bool, extracted: list[models.Division] | None, **kwargs: object
) -> None:
    if create and extracted:
        member.divisions.set(extracted)


class MemberFactory(DjangoModelFactory[models.Member]):
    class Meta:
        model = models.Member
        skip_postgeneration_save = True

    person = SubFactory(
        PersonFactory, kind=models.Person.Kind.MEMBER, honorific="County Councillor"
    )
    group = SubFactory(GroupFactory)
    term_starts_on = TERM_START

    divisions = PostGeneration(_set_divisions)


class CommitteeFactory(DjangoModelFactory[models.Committee]):
    class Meta:
        model = models.Committee

    name = Sequence(lambda n: f"Committee {n}")
    kind = models.Committee.Kind.OVERVIEW_SCRUTINY


class RoleAppointmentFactory(DjangoModelFactory[models.RoleAppointment]):
    class Meta:
        model = models.RoleAppointment

    starts_on = TERM_START


class StatutoryDesignationFactory(DjangoModelFactory[models.StatutoryDesignation]):
    class Meta:
        model = models.StatutoryDesignation

    officer = SubFactory(OfficerFactory)
    starts_on = TERM_START
    is_deputy = False
    # Deputies rank from 1 (a database constraint); the holder's rank is 0.
    deputy_rank = LazyAttribute(lambda d: 1 if d.is_deputy else 0)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)

    username = Sequence(lambda n: f"user{n}")
    email = LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = Password("correct horse battery staple")


def account_holding(kind: str) -> User:
    """An account whose directory person holds `kind` today: "member", "officer", "director",
    "monitoring_officer", "deputy_monitoring_officer", "directory_admin", or "nobody" (an
    account with no directory person)."""
    if kind == "nobody":
        return UserFactory.create(username="nobody")
    if kind == "member":
        person = MemberFactory.create().person
    else:
        officer = OfficerFactory.create()
        person = officer.person
        if kind == "monitoring_officer":
            StatutoryDesignationFactory.create(office="monitoring_officer", officer=officer)
        elif kind == "deputy_monitoring_officer":
            StatutoryDesignationFactory.create(
                office="monitoring_officer", officer=officer, is_deputy=True
            )
        elif kind == "directory_admin":
            RoleAppointmentFactory.create(person=person, role=kind)
        elif kind == "director":
            RoleAppointmentFactory.create(person=person, role=kind, directorate=officer.directorate)
    return UserFactory.create(username=kind.replace("_", "."), person=person)
