"""Grow the seeded demo council to `scale` times its people, through the directory services.

Every extra member and officer is made by `member_create` / `officer_create`, and given an account
without a password by `account_create` (as single sign-on would), so each one is validated and
audited exactly as a real one; the only shortcut is that they all run inside one transaction,
which saves a commit per person. Extra members join an existing group and division; extra
officers join a directorate under a line manager drawn from the officers already there, so line
management trees deepen as well as widen. Cases are opened through the procedure engine, so
case lists have (scale - 1) times 30 more of each kind to choose from.
"""

from __future__ import annotations

import random
import re
import time

from django.db import transaction

from accord.accounts.models import User
from accord.accounts.services import account_create
from accord.core import clock
from accord.demo import data
from accord.demo.names import FAMILY_NAMES, GIVEN_NAMES
from accord.directory import services as directory
from accord.directory.models import (
    Directorate,
    Division,
    Member,
    Officer,
    Person,
    PoliticalGroup,
)
from accord.procedures.services import case_open
from accord.profiles.schema import Purpose
from accord.profiles.selectors import council_profile_in_force, profile_of

JOB_TITLES = ("Officer", "Senior Officer", "Team Manager", "Adviser", "Analyst", "Assistant")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


def grow_directory(*, scale: int, seed: int = 2026) -> float:
    """Add (scale - 1) times the demo's members and officers, and cases for them; returns the
    seconds it took."""
    if scale <= 1:
        return 0.0
    started = time.perf_counter()
    rng = random.Random(seed)
    extra_members = Member.objects.count() * (scale - 1)
    extra_officers = Officer.objects.count() * (scale - 1)
    groups = list(PoliticalGroup.objects.order_by("pk"))
    divisions = list(Division.objects.order_by("pk"))
    directorates = list(Directorate.objects.order_by("pk"))
    officers_in: dict[int, list[Officer]] = {d.pk: [] for d in directorates}
    for officer in Officer.objects.order_by("pk"):
        officers_in[officer.directorate_id].append(officer)

    def names(n: int) -> tuple[str, str, str]:
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        return given, family, f"{_slug(given)}.{_slug(family)}.b{n}"

    with transaction.atomic():
        for n in range(1, extra_members + 1):
            given, family, handle = names(n)
            member = directory.member_create(
                actor=None,
                given_name=given,
                family_name=family,
                email=f"cllr.{handle}@{data.EMAIL_DOMAIN}",
                group=rng.choice(groups),
                divisions=[rng.choice(divisions)],
                term_starts_on=data.ELECTION_DAY,
                honorific="County Councillor",
            )
            account_create(actor=None, person=member.person, username=f"cllr.{handle}")
        for n in range(1, extra_officers + 1):
            given, family, handle = names(n)
            directorate = rng.choice(directorates)
            managers = officers_in[directorate.pk]
            officer = directory.officer_create(
                actor=None,
                given_name=given,
                family_name=family,
                email=f"{handle}@{data.EMAIL_DOMAIN}",
                directorate=directorate,
                job_title=rng.choice(JOB_TITLES),
                line_manager=rng.choice(managers) if managers else None,
            )
            managers.append(officer)
            account_create(actor=None, person=officer.person, username=handle)
        _grow_cases(scale=scale, rng=rng)
    return time.perf_counter() - started


CASES_PER_SCALE = 30


def _grow_cases(*, scale: int, rng: random.Random) -> None:
    """Open cases through the engine, so case lists are measured with more cases to show: the
    `officer` account is the subject of every enquiry, and the Monitoring Officer handles
    every officer's concern."""
    version = council_profile_in_force(on=clock.today())
    profile = profile_of(version)
    officer = User.objects.get(username="officer").person
    assert officer is not None
    members = list(Person.objects.filter(kind="member").order_by("pk"))
    officers = list(Person.objects.filter(kind="officer").exclude(pk=officer.pk).order_by("pk"))
    for purpose in (Purpose.MEMBER_ENQUIRY, Purpose.OFFICER_CONCERN):
        keys = profile.procedures_for(purpose)
        if not keys:
            continue
        for _ in range(CASES_PER_SCALE * (scale - 1)):
            if purpose is Purpose.MEMBER_ENQUIRY:
                raiser, subject = rng.choice(members), officer
            else:
                raiser, subject = rng.choice(officers), rng.choice(members)
            case_open(
                actor=None,
                procedure=keys[0],
                raiser=raiser,
                subject=subject,
                profile_version=version,
            )
