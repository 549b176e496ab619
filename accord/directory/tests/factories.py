"""Test factories for the directory. Shared by every app's tests."""

from __future__ import annotations

import datetime as dt

import factory

from accord.directory import models

TERM_START = dt.date(2025, 5, 1)


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Directorate
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DIR{n}")
    name = factory.Sequence(lambda n: f"Directorate {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PoliticalGroup

    name = factory.Sequence(lambda n: f"Group {n}")
    short_name = factory.Sequence(lambda n: f"G{n}")


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Division

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Division {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    kind = models.Person.Kind.OFFICER
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Officer

    person = factory.SubFactory(PersonFactory, kind=models.Person.Kind.OFFICER)
    directorate = factory.SubFactory(DirectorateFactory)
    job_title = "Officer"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Member

    person = factory.SubFactory(
        PersonFactory, kind=models.Person.Kind.MEMBER, honorific="County Councillor"
    )
    group = factory.SubFactory(GroupFactory)
    term_starts_on = TERM_START

    @factory.post_generation
    def divisions(self, create: bool, extracted: list[models.Division] | None, **kwargs: object):
        if create and extracted:
            self.divisions.set(extracted)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Committee

    name = factory.Sequence(lambda n: f"Committee {n}")
    kind = models.Committee.Kind.OVERVIEW_SCRUTINY


class RoleAppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RoleAppointment

    starts_on = TERM_START


class StatutoryDesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StatutoryDesignation

    officer = factory.SubFactory(OfficerFactory)
    starts_on = TERM_START


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    password = factory.django.Password("correct horse battery staple")
