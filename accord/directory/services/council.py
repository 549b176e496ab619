"""Council, political groups, divisions and directorates."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accord.access.actor import Actor
from accord.audit.services import record
from accord.core.errors import ValidationFailed
from accord.directory.models import (
    Council,
    Directorate,
    Division,
    PoliticalGroup,
)
from accord.directory.services._common import (
    _choice,
    _Errors,
    _text,
)

# --- council, groups, divisions, directorates -------------------------------------------------


@transaction.atomic
def council_configure(
    *, actor: Actor, name: str, short_name: str, governance: str, profile_name: str = ""
) -> Council:
    errors = _Errors()
    name = _text(errors, "name", name, max_length=200)
    short_name = _text(errors, "short_name", short_name, max_length=60)
    _choice(errors, "governance", governance, Council.Governance.values)
    profile_name = _text(errors, "profile_name", profile_name, max_length=60, required=False)
    errors.raise_if_any()

    council = Council.objects.select_for_update().first()
    created = council is None
    if council is None:
        council = Council()
    council.name = name
    council.short_name = short_name
    council.governance = governance
    council.profile_name = profile_name
    council.save()
    record(
        actor=actor,
        verb="directory.council_configured",
        target=council,
        data={
            "created": created,
            "name": name,
            "governance": governance,
            "profile_name": profile_name,
        },
    )
    return council


@transaction.atomic
def group_create(
    *, actor: Actor, name: str, short_name: str, is_independent: bool = False
) -> PoliticalGroup:
    errors = _Errors()
    name = _text(errors, "name", name, max_length=120)
    short_name = _text(errors, "short_name", short_name, max_length=20)
    errors.unique(
        PoliticalGroup, "name", name, f"A political group called '{name}' already exists."
    )
    errors.unique(
        PoliticalGroup,
        "short_name",
        short_name,
        f"The short name '{short_name}' is already used by a group.",
    )
    errors.raise_if_any()

    group = PoliticalGroup.objects.create(
        name=name, short_name=short_name, is_independent=is_independent
    )
    record(
        actor=actor,
        verb="directory.group_created",
        target=group,
        data={"name": name, "short_name": short_name, "is_independent": is_independent},
    )
    return group


@transaction.atomic
def division_create(*, actor: Actor, code: str, name: str) -> Division:
    errors = _Errors()
    code = _text(errors, "code", code, max_length=20)
    name = _text(errors, "name", name, max_length=120)
    errors.unique(Division, "code", code, f"A division with code '{code}' already exists.")
    errors.unique(Division, "name", name, f"A division called '{name}' already exists.")
    errors.raise_if_any()

    division = Division.objects.create(code=code, name=name)
    record(
        actor=actor,
        verb="directory.division_created",
        target=division,
        data={"code": code, "name": name},
    )
    return division


@transaction.atomic
def division_set_adjacent(
    *, actor: Actor, division: Division, adjacent: Iterable[Division]
) -> Division:
    """Replace the divisions adjoining `division`. Adjacency is symmetric (000 §32)."""
    neighbours = list({d.pk: d for d in adjacent}.values())
    if any(d.pk == division.pk for d in neighbours):
        raise ValidationFailed.for_field("adjacent", f"{division} cannot adjoin itself.")

    before = set(division.adjacent.values_list("code", flat=True))
    # The relation is declared symmetrical, so Django writes both directions of each pair.
    division.adjacent.set(neighbours)
    after = {d.code for d in neighbours}
    record(
        actor=actor,
        verb="directory.division_adjacency_set",
        target=division,
        data={"added": sorted(after - before), "removed": sorted(before - after)},
    )
    return division


@transaction.atomic
def directorate_create(*, actor: Actor, code: str, name: str) -> Directorate:
    errors = _Errors()
    code = _text(errors, "code", code, max_length=20)
    name = _text(errors, "name", name, max_length=120)
    errors.unique(Directorate, "code", code, f"A directorate with code '{code}' already exists.")
    errors.unique(Directorate, "name", name, f"A directorate called '{name}' already exists.")
    errors.raise_if_any()

    directorate = Directorate.objects.create(code=code, name=name)
    record(
        actor=actor,
        verb="directory.directorate_created",
        target=directorate,
        data={"code": code, "name": name},
    )
    return directorate
