"""The example profile's council, for tests of the case and rules pages and API.

The directory is the one `example.scenarios.yaml` describes, built through the directory
services, with an account for each person; the council runs on `example.yaml`. The officer who
raises concerns and the member they are about get distinctive names, so a test can prove those
names never reach a page that must not show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.test import Client

from accord.accounts.testing import give_totp
from accord.api.services import token_create
from accord.api.tests.fixtures import ApiClient
from accord.directory.models import Person
from accord.directory.services import council_configure
from accord.procedures.scenarios import BuiltDirectory, DirectorySpec, build_directory
from accord.profiles.models import ProfileVersion
from accord.profiles.services import council_profile_set, profile_version_store

DATA = Path(__file__).resolve().parents[2] / "profiles" / "data"
EXAMPLE = DATA / "example.yaml"
# Who, among the scenario directory's people, must set up two-factor sign-in.
STATUTORY = ("chief_exec", "mo", "deputy_mo")
_SPEC = yaml.safe_load((DATA / "example.scenarios.yaml").read_text(encoding="utf-8"))
# Every person in the example directory, by key, in the order the scenario file lists them.
EVERYONE: tuple[str, ...] = tuple(_SPEC["directory"]["people"])
NAMES = {
    "officer": ("Perpetua", "Quillfeather"),
    "councillor": ("Ignatius", "Wolstenholme"),
}


@dataclass
class ExampleCouncil:
    built: BuiltDirectory
    version: ProfileVersion

    def person(self, key: str) -> Person:
        return self.built.people[key]

    def user(self, key: str) -> Any:
        return self.built.users[key]

    def client(self, key: str) -> Client:
        client = Client()
        client.force_login(self.user(key))
        return client

    def api(self, key: str) -> ApiClient:
        """An API client with a new token for `key`'s account."""
        return ApiClient(token_create(actor=None, user=self.user(key), name="tests")[1])


def example_council() -> ExampleCouncil:
    """Build the example council in the test database (call inside a django_db test)."""
    built = build_directory(DirectorySpec.model_validate(_SPEC["directory"]))
    for key, (given, family) in NAMES.items():
        Person.objects.filter(pk=built.people[key].pk).update(given_name=given, family_name=family)
        built.people[key].refresh_from_db()
    for key in STATUTORY:
        give_totp(built.users[key])
    version = profile_version_store(actor=None, text=EXAMPLE.read_text(encoding="utf-8"))
    council_configure(
        actor=None,
        name="Example County Council",
        short_name="Example",
        governance="leader_and_cabinet",
    )
    council_profile_set(actor=None, profile_id=version.profile_id)
    return ExampleCouncil(built=built, version=version)
