"""Who has been asked to acknowledge a version in force and who has: each person's own pending
versions, and the keepers' register (to anyone else the register does not exist)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from accord.access.actor import Actor, person_of
from accord.core.errors import NotFound
from accord.directory.models import Person
from accord.library.models import Acknowledgement, ProtocolVersion
from accord.library.selectors.versions import keeps_library

__all__ = [
    "AcknowledgementRegister",
    "AcknowledgementTotals",
    "acknowledgement_register",
    "acknowledgement_rows",
    "acknowledgement_totals",
    "not_yet_asked",
    "pending_for",
    "people_to_ask",
]

REGISTER_PER_PAGE = 50


def people_to_ask() -> QuerySet[Person]:
    """Everyone a version in force is to be acknowledged by: the active members and officers."""
    return Person.objects.filter(is_active=True, kind__in=[Person.Kind.MEMBER, Person.Kind.OFFICER])


def not_yet_asked(version: ProtocolVersion) -> int:
    """How many active members and officers have not been asked to acknowledge `version`:
    people who joined after it came into force."""
    asked = Acknowledgement.objects.filter(version=version).values("person_id")
    return people_to_ask().exclude(pk__in=asked).count()


def pending_for(actor: Actor) -> QuerySet[ProtocolVersion]:
    """The versions in force the actor has been asked to acknowledge and has not."""
    person_id = person_of(actor)
    versions = ProtocolVersion.objects.select_related("document").order_by(
        "document__title", "label"
    )
    if person_id is None:
        return versions.none()
    return versions.filter(
        status=ProtocolVersion.Status.IN_FORCE,
        acknowledgements__person_id=person_id,
        acknowledgements__acknowledged_at__isnull=True,
    )


@dataclass(frozen=True)
class AcknowledgementTotals:
    asked: int
    acknowledged: int
    not_asked: int  # active members and officers who joined after the request went out

    @property
    def outstanding(self) -> int:
        return self.asked - self.acknowledged


@dataclass(frozen=True)
class AcknowledgementRegister:
    version: ProtocolVersion
    totals: AcknowledgementTotals
    page: Page[Acknowledgement]

    @property
    def asked(self) -> int:
        return self.totals.asked

    @property
    def acknowledged(self) -> int:
        return self.totals.acknowledged

    @property
    def outstanding(self) -> int:
        return self.totals.outstanding


def acknowledgement_rows(actor: Actor, version: ProtocolVersion) -> QuerySet[Acknowledgement]:
    """Who was asked to acknowledge `version`, by name, for the keepers; NotFound to others."""
    if not keeps_library(actor):
        raise NotFound("No such register.")
    return (
        Acknowledgement.objects.filter(version=version)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def acknowledgement_totals(actor: Actor, version: ProtocolVersion) -> AcknowledgementTotals:
    """How many were asked, how many have acknowledged and how many are not yet asked."""
    totals = acknowledgement_rows(actor, version).aggregate(
        asked=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False))
    )
    return AcknowledgementTotals(totals["asked"], totals["acknowledged"], not_yet_asked(version))


def acknowledgement_register(
    actor: Actor, version: ProtocolVersion, *, page: Any = 1, per_page: int = REGISTER_PER_PAGE
) -> AcknowledgementRegister:
    """One page of the register of `version`, with its totals, for the keepers; NotFound to
    others."""
    rows = acknowledgement_rows(actor, version)
    shown = Paginator(rows, per_page).get_page(page)
    return AcknowledgementRegister(version, acknowledgement_totals(actor, version), shown)
