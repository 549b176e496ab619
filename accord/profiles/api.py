"""The protocol's rules: public to any working token, since they are the council's published
protocol."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from accord.api import schemas
from accord.core import clock
from accord.core.errors import NotFound
from accord.profiles.schemas import RulesInForceOut, RulesOut
from accord.profiles.selectors import profile_version_get
from accord.profiles.selectors.presentation import council_rules, profile_rules

router = Router(tags=["rules"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 404: schemas.ErrorOut, 422: schemas.ErrorOut}


@router.get("", response={200: RulesInForceOut, **ERRORS})
def rules_in_force(request: HttpRequest) -> Any:
    """The council's rules in force today and every stored version of them."""
    found = council_rules(on=clock.today())
    if found is None:
        raise NotFound()
    return found


@router.get("/{profile_id}/versions/{version}", response={200: RulesOut, **ERRORS})
def rules_version(request: HttpRequest, profile_id: str, version: schemas.IntParam) -> Any:
    """Every rule of one stored version, each with its explanation and citation."""
    return profile_rules(profile_version_get(profile_id, version))
