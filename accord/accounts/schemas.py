"""The shape of the caller, as `GET /api/v1/me` answers."""

from __future__ import annotations

from ninja import Field, Schema

from accord.directory.schemas import PersonOut


class MeOut(Schema):
    username: str
    person: PersonOut | None
    roles: list[str] = Field(description="Roles held today, from the directory.")
