"""Seeding the demonstration council through the directory and account services.

Going through the services (rather than bulk inserts) means the demo's audit trail looks like a
real council's and every rule the services enforce is exercised by the demo data itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils.module_loading import module_has_submodule

from accord.accounts.services import account_create
from accord.core import clock
from accord.core.errors import ValidationFailed
from accord.demo import data
from accord.demo.library import seed_library
from accord.demo.plan import DemoPlan, build_plan
from accord.demo.selectors import demo_council_seeded
from accord.directory import services as directory
from accord.directory.models import (
    Committee,
    Council,
    Directorate,
    Division,
    Member,
    Officer,
    Person,
    PoliticalGroup,
)
from accord.procedures.services import case_open
from accord.profiles import shipped
from accord.profiles.schema import Purpose
from accord.profiles.selectors import council_profile_in_force, profile_of
from accord.profiles.services import council_profile_set, profile_version_store

if TYPE_CHECKING:
    from accord.accounts.models import User


@dataclass(frozen=True)
class SeedOutcome:
    created: bool  # False: the demo council was already there
    seconds: float
    profile: str = ""
    profile_changed: bool = False  # the council now runs on a different profile


def demo_seed(
    *, actor: User | None = None, plan: DemoPlan | None = None, profile: str = shipped.DEFAULT
) -> SeedOutcome:
    """Create the demonstration council in one transaction, unless it is already there.

    The council runs on the shipped profile `profile`; when the council is already there, it
    is switched to that profile (new cases follow it; cases already open keep their rules).
    """
    started = time.perf_counter()
    texts = _profile_texts(profile)
    try:
        with transaction.atomic():
            if demo_council_seeded():
                profile_id, changed = demo_profile_use(actor=actor, texts=texts)
                return SeedOutcome(
                    created=False,
                    seconds=time.perf_counter() - started,
                    profile=profile_id,
                    profile_changed=changed,
                )
            _refuse_unless_empty()
            _Seeder(actor, plan or build_plan()).run()
            profile_id, _ = demo_profile_use(actor=actor, texts=texts)
            _sample_cases(actor)
            seed_library(actor=actor, council_name=Council.objects.get().name)
    except IntegrityError:
        # Another process seeded at the same moment and won the one-council constraint.
        if demo_council_seeded():
            return SeedOutcome(created=False, seconds=time.perf_counter() - started)
        raise
    return SeedOutcome(created=True, seconds=time.perf_counter() - started, profile=profile_id)


def _profile_texts(name: str) -> list[str]:
    try:
        return shipped.shipped_texts(name)
    except KeyError:
        names = ", ".join(shipped.shipped_names())
        raise ValidationFailed.for_field(
            "profile", f"There is no shipped profile '{name}'. Choose one of: {names}."
        ) from None


def demo_profile_use(*, actor: User | None, texts: list[str]) -> tuple[str, bool]:
    """Store each version of a shipped profile (oldest first) and run the council on it;
    say whether that changed the profile the council runs on."""
    stored = [profile_version_store(actor=actor, text=text) for text in texts]
    profile_id = stored[-1].profile_id
    council = Council.objects.get()
    if council.profile_name == profile_id:
        return profile_id, False
    council_profile_set(actor=actor, profile_id=profile_id)
    return profile_id, True


# Cases the demo opens so the case pages have something to show: (purpose, the account that
# raises it, the account it is about). A purpose the council's profile does not have is skipped.
SAMPLE_CASES = (
    (Purpose.MEMBER_ENQUIRY, "member", "officer"),
    (Purpose.DELEGATED_DECISION, "director", "lead-member"),
)


def _sample_cases(actor: User | None) -> None:
    from accord.accounts.models import User as Account

    version = council_profile_in_force(on=clock.today())
    profile = profile_of(version)
    for purpose, raiser, subject in SAMPLE_CASES:
        keys = profile.procedures_for(purpose)
        if not keys:
            continue
        raised_by = Account.objects.get(username=raiser)
        about = Account.objects.get(username=subject)
        assert raised_by.person is not None
        assert about.person is not None
        case_open(
            actor=raised_by,
            procedure=keys[0],
            raiser=raised_by.person,
            subject=about.person,
            profile_version=version,
        )
    for seed in _app_demo_seeds():
        seed(version=version, account=_account)


def _account(username: str) -> User:
    from accord.accounts.models import User as Account

    return Account.objects.get(username=username)


def _app_demo_seeds() -> list[Callable[..., None]]:
    """Each app's own demo content: the `seed_demo(version=, account=)` of its `demo` module, if
    it has one (as a procedure app does), in the order the apps are installed."""
    seeds = []
    for config in apps.get_app_configs():
        if config.name == "accord.demo" or not module_has_submodule(config.module, "demo"):
            continue
        seeds.append(import_module(f"{config.name}.demo").seed_demo)
    return seeds


def _refuse_unless_empty() -> None:
    council = Council.objects.first()
    if council is not None:
        raise ValidationFailed.for_field(
            "council",
            f"This database already holds {council.name}; "
            "the demo council is only seeded into an empty directory.",
        )
    if Person.objects.exists():
        raise ValidationFailed.for_field(
            "council",
            "This database already has people in its directory; "
            "the demo council is only seeded into an empty directory.",
        )


class _Seeder:
    def __init__(self, actor: User | None, plan: DemoPlan) -> None:
        self.actor = actor
        self.plan = plan
        self.groups: dict[str, PoliticalGroup] = {}
        self.divisions: dict[str, Division] = {}
        self.directorates: dict[str, Directorate] = {}
        self.members: dict[str, Member] = {}
        self.officers: dict[str, Officer] = {}

    def run(self) -> None:
        directory.council_configure(
            actor=self.actor,
            name=data.COUNCIL_NAME,
            short_name=data.COUNCIL_SHORT_NAME,
            governance=Council.Governance.LEADER_AND_CABINET,
            profile_name=data.COUNCIL_PROFILE,
        )
        self._map()
        self._groups()
        self._members()
        self._officers()
        self._administration()
        self._appointments()
        self._committees()
        self._accounts()

    def _map(self) -> None:
        for division in self.plan.divisions:
            self.divisions[division.code] = directory.division_create(
                actor=self.actor, code=division.code, name=division.name
            )
        for code, neighbours in sorted(self.plan.adjacency.items()):
            directory.division_set_adjacent(
                actor=self.actor,
                division=self.divisions[code],
                adjacent=[self.divisions[n] for n in sorted(neighbours)],
            )

    def _groups(self) -> None:
        for spec in data.GROUPS:
            self.groups[spec.key] = directory.group_create(
                actor=self.actor,
                name=spec.name,
                short_name=spec.key,
                is_independent=spec.is_independent,
            )

    def _members(self) -> None:
        for member in self.plan.members:
            person = member.person
            self.members[person.key] = directory.member_create(
                actor=self.actor,
                given_name=person.given_name,
                family_name=person.family_name,
                email=person.email,
                group=self.groups[member.group] if member.group else None,
                divisions=[self.divisions[code] for code in member.divisions],
                term_starts_on=data.ELECTION_DAY,
                is_co_opted=member.is_co_opted,
                honorific="" if member.is_co_opted else "County Councillor",
                phone=person.phone,
                external_ref=person.external_ref,
            )

    def _officers(self) -> None:
        for spec in data.DIRECTORATES:
            self.directorates[spec.code] = directory.directorate_create(
                actor=self.actor, code=spec.code, name=spec.name
            )
        # The plan lists every manager before the people they manage.
        for officer in self.plan.officers:
            person = officer.person
            self.officers[person.key] = directory.officer_create(
                actor=self.actor,
                given_name=person.given_name,
                family_name=person.family_name,
                email=person.email,
                directorate=self.directorates[officer.directorate],
                job_title=officer.job_title,
                line_manager=self.officers[officer.manager] if officer.manager else None,
                is_cmt=officer.is_cmt,
                phone=person.phone,
                external_ref=person.external_ref,
            )

    def _person(self, key: str) -> Person:
        holder: Member | Officer = self.members[key] if key in self.members else self.officers[key]
        return holder.person

    def _administration(self) -> None:
        directory.administration_change(
            actor=self.actor,
            groups=[self.groups[key] for key in data.ADMINISTRATION_GROUPS],
            leader=self.members[self.plan.leader],
            starts_on=data.ANNUAL_MEETING,
            note="Coalition formed at the annual meeting after the county elections.",
        )

    def _appointments(self) -> None:
        for appointment in self.plan.appointments:
            directory.role_appoint(
                actor=self.actor,
                person=self._person(appointment.person),
                role=appointment.role,
                starts_on=appointment.starts_on,
                group=self.groups[appointment.group] if appointment.group else None,
                directorate=(
                    self.directorates[appointment.directorate] if appointment.directorate else None
                ),
                areas=appointment.areas,
                is_statutory_childrens_lead=appointment.is_statutory_childrens_lead,
            )
        for designation in self.plan.designations:
            directory.statutory_designate(
                actor=self.actor,
                office=designation.office,
                officer=self.officers[designation.officer],
                starts_on=designation.starts_on,
                is_deputy=designation.is_deputy,
                deputy_rank=designation.deputy_rank,
            )

    def _committees(self) -> None:
        for planned in self.plan.committees:
            committee: Committee = directory.committee_create(
                actor=self.actor, name=planned.name, kind=planned.kind
            )
            for key, position in planned.seats:
                directory.committee_add_member(
                    actor=self.actor,
                    committee=committee,
                    member=self.members[key],
                    position=position,
                    starts_on=data.ANNUAL_MEETING,
                )

    def _accounts(self) -> None:
        for account in self.plan.accounts:
            account_create(
                actor=self.actor,
                person=self._person(account.person),
                username=account.spec.username,
                password=data.DEMO_PASSWORD,
            )
