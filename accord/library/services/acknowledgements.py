"""Asking members and officers to acknowledge a version in force, and their answers.

When a version comes into force every active member and officer is asked, once, to read it and
say they have (`acknowledgements_request`, called by `version_put_in_force` in its transaction).
People who join later are asked by the library's daily task (`acknowledgements_request_newcomers`)
or when a keeper asks from the register (`accord.library.selectors.acknowledgements`).
The email says only that a protocol needs reading and links to the acknowledgement page: it
carries no protocol text and no name of a document.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from accord.access.actor import Actor, person_of
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, PermissionDenied, ValidationFailed
from accord.library.models import Acknowledgement, ProtocolVersion
from accord.library.selectors.acknowledgements import people_to_ask
from accord.library.selectors.versions import keeps_library
from accord.notifications.services import notify_many

__all__ = ["acknowledge", "acknowledgements_request", "acknowledgements_request_newcomers"]

TEMPLATE = "protocol_acknowledgement"


def acknowledgements_request(*, version: ProtocolVersion, actor: Actor) -> int:
    """Ask every active member and officer to acknowledge `version` (in force); people already
    asked are not asked again. Returns how many were newly asked."""
    if actor is not None and not keeps_library(actor):
        raise PermissionDenied("Only the library's keepers can ask for acknowledgements.")
    if version.status != ProtocolVersion.Status.IN_FORCE:
        raise ValidationFailed.for_field(
            "version", "Acknowledgement can only be asked for a version in force."
        )
    now = clock.now()
    link = reverse("library:protocol_acknowledge")
    with transaction.atomic():
        already = set(
            Acknowledgement.objects.filter(version=version).values_list("person_id", flat=True)
        )
        people = [person for person in people_to_ask() if person.pk not in already]
        if not people:
            return 0  # nothing to write, so nothing to audit
        Acknowledgement.objects.bulk_create(
            [
                Acknowledgement(version=version, person=person, requested_at=now)
                for person in people
            ],
            ignore_conflicts=True,
        )
        notify_many(
            recipients=[(person, f"protocol-ack:{version.pk}:{person.pk}") for person in people],
            template=TEMPLATE,
            personalisation={},
            link=link,
        )
        record(
            actor=actor,
            verb="library.acknowledgements_requested",
            target=version,
            data={"version": str(version), "asked": len(people), "already_asked": len(already)},
        )
    return len(people)


def acknowledgements_request_newcomers() -> int:
    """Ask the people who joined since to acknowledge each version in force that everyone was
    asked to acknowledge (a reference document nobody was asked about stays so). Run daily by
    the library's task; returns how many were newly asked."""
    versions = ProtocolVersion.objects.filter(
        status=ProtocolVersion.Status.IN_FORCE, acknowledgements__isnull=False
    ).distinct()
    return sum(acknowledgements_request(version=version, actor=None) for version in versions)


def acknowledge(*, actor: Actor, version: ProtocolVersion) -> Acknowledgement:
    """The signed-in person says they have read `version`; saying it again changes nothing."""
    person_id = person_of(actor)
    if person_id is None:
        raise PermissionDenied(
            "Only someone in the council's directory can acknowledge a protocol."
        )
    found = Acknowledgement.objects.filter(version=version, person_id=person_id).first()
    if found is not None and found.acknowledged_at is not None:
        return found
    if version.status != ProtocolVersion.Status.IN_FORCE:
        raise ValidationFailed(
            "This version cannot be acknowledged.",
            [FieldError("version", "Only the version in force can be acknowledged.")],
        )
    now = clock.now()
    with transaction.atomic():
        if found is None:
            # Someone who joined after the request went out may still say they have read it.
            found, _ = Acknowledgement.objects.get_or_create(
                version=version, person_id=person_id, defaults={"requested_at": now}
            )
        updated = Acknowledgement.objects.filter(pk=found.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now
        )
        found.refresh_from_db()
        if updated:
            record(
                actor=actor,
                verb="library.acknowledged",
                target=found,
                data={"version": str(version)},
            )
    return found
