"""Reads: which profile version applies. Profiles are public rules, so no actor is needed."""

from __future__ import annotations

import datetime as dt

from accord.core.errors import NotFound
from accord.profiles.loader import load_profile
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import Profile

__all__ = [
    "council_profile_in_force",
    "profile_in_force",
    "profile_of",
    "profile_version_get",
    "profile_versions",
]


def profile_in_force(profile_id: str, *, on: dt.date) -> ProfileVersion:
    """The version of `profile_id` in force on `on`: of those already in force, the one in
    force from the latest date, and of several from that date the highest. A later correction
    of an earlier edition (in force from its earlier date) never displaces a newer edition."""
    found = (
        ProfileVersion.objects.filter(profile_id=profile_id, in_force_from__lte=on)
        .order_by("-in_force_from", "-version")
        .first()
    )
    if found is None:
        raise NotFound(f"No version of profile '{profile_id}' is in force on {on.isoformat()}.")
    return found


def profile_version_get(profile_id: str, version: int) -> ProfileVersion:
    found = ProfileVersion.objects.filter(profile_id=profile_id, version=version).first()
    if found is None:
        raise NotFound(f"Profile '{profile_id}' has no version {version}.")
    return found


def profile_versions(profile_id: str) -> list[ProfileVersion]:
    return list(ProfileVersion.objects.filter(profile_id=profile_id).order_by("version"))


def profile_of(stored: ProfileVersion) -> Profile:
    """The parsed rules of a stored version (it was checked when stored)."""
    return load_profile(stored.text)


def council_profile_in_force(*, on: dt.date) -> ProfileVersion:
    """The version of the council's own profile that new cases open under on `on`."""
    from accord.directory.selectors import council_get

    council = council_get()
    if council is None or not council.profile_name:
        raise NotFound("The council has no profile set.")
    return profile_in_force(council.profile_name, on=on)
