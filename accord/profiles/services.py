"""Writes: storing a profile version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from accord.access.actor import Actor
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import FieldError, ValidationFailed
from accord.profiles.loader import ProfileInvalid, load_profile, text_sha256
from accord.profiles.models import ProfileVersion

if TYPE_CHECKING:
    from accord.directory.models import Council

__all__ = ["council_profile_set", "profile_version_store"]


def profile_version_store(*, actor: Actor, text: str) -> ProfileVersion:
    """Validate `text` and store it as its profile's stated version.

    Storing the same text again returns the stored version and writes nothing. Different text
    under a version already stored is refused: a stored version never changes, because cases
    opened under it must keep running under exactly those rules.
    """
    try:
        profile = load_profile(text)
    except ProfileInvalid as invalid:
        raise ValidationFailed(
            str(invalid),
            [
                FieldError(e.path, f"line {e.line}: {e.message}" if e.line else e.message)
                for e in invalid.errors
            ],
        ) from invalid
    digest = text_sha256(text)
    with transaction.atomic():
        existing = (
            ProfileVersion.objects.select_for_update()
            .filter(profile_id=profile.id, version=profile.version)
            .first()
        )
        if existing is not None:
            if existing.sha256 == digest:
                return existing
            raise ValidationFailed.for_field(
                "version",
                f"Version {profile.version} of profile '{profile.id}' is already stored with "
                "different text. A stored version never changes: give the new text the next "
                "version number.",
            )
        stored = ProfileVersion.objects.create(
            profile_id=profile.id,
            version=profile.version,
            council=profile.council,
            source_document=profile.source.document,
            source_version=profile.source.version,
            in_force_from=profile.source.in_force_from,
            text=text,
            sha256=digest,
            loaded_at=clock.now(),
        )
        record(
            actor=actor,
            verb="profiles.version_stored",
            target=stored,
            data={
                "profile_id": profile.id,
                "version": profile.version,
                "sha256": digest,
                "source_document": profile.source.document,
                "source_version": profile.source.version,
                "in_force_from": profile.source.in_force_from.isoformat(),
            },
        )
    return stored


def council_profile_set(*, actor: Actor, profile_id: str) -> Council:
    """Make the council run on a stored profile: new cases open under its version in force."""
    from accord.directory.selectors import council_get
    from accord.directory.services import council_configure

    stored = ProfileVersion.objects.filter(profile_id=profile_id).order_by("-version").first()
    council = council_get()
    if stored is None:
        raise ValidationFailed.for_field(
            "profile", f"No profile '{profile_id}' is stored: load it with `accord profile load`."
        )
    if council is None:
        raise ValidationFailed.for_field("council", "Set up the council's details first.")
    profile = load_profile(stored.text)
    return council_configure(
        actor=actor,
        name=council.name,
        short_name=council.short_name,
        governance=profile.governance.value,
        profile_name=profile_id,
    )
