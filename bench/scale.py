"""Grow the seeded demo council to `scale` times its people, through the directory services.

Every extra member and officer is made by `member_create` / `officer_create`, and given an account
without a password by `account_create` (as single sign-on would), so each one is validated and
audited exactly as a real one; the only shortcut is that they all run inside one transaction,
which saves a commit per person. Extra members join an existing group and division; extra
officers join a directorate under a line manager drawn from the officers already there, so line
management trees deepen as well as widen. Cases are opened through the procedure engine, so
case lists have (scale - 1) times 30 more of each kind to choose from.

The protocol library grows through its own services (`grow_library`): the people added are asked
to acknowledge the version in force, and one in two of them does; the demo council's protocol
gets `scale` draft versions and (scale - 1) closed reviews, each having proposed a draft, before
the one review left under way, which the review pages show at every scale.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time

from django.db import transaction

from accord.accounts.models import User
from accord.accounts.services import account_create
from accord.concerns.services import concern_raise
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
from accord.library.models import Acknowledgement, ProtocolReview, ProtocolVersion
from accord.library.services import (
    acknowledge,
    acknowledgements_request,
    review_close,
    review_open,
    review_propose,
    version_import,
)
from accord.procedures.services import case_open
from accord.procedures.table import table_for
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
    `officer` account is the subject of every enquiry, the Monitoring Officer is chosen for
    every officer's concern, the `officer` account's Director has members' concerns about
    officers in that directorate, and the Chief Finance Officer is told of every delegated
    decision."""
    version = council_profile_in_force(on=clock.today())
    profile = profile_of(version)
    officer = User.objects.get(username="officer").person
    assert officer is not None
    members = list(Person.objects.filter(kind="member").order_by("pk"))
    officers = list(Person.objects.filter(kind="officer").exclude(pk=officer.pk).order_by("pk"))
    accounts = dict(User.objects.filter(person__isnull=False).values_list("person_id", "pk"))
    users = User.objects.in_bulk(list(accounts.values()))
    keys = profile.procedures_for(Purpose.MEMBER_ENQUIRY)
    for _ in range(CASES_PER_SCALE * (scale - 1) if keys else 0):
        case_open(
            actor=None,
            procedure=keys[0],
            raiser=rng.choice(members),
            subject=officer,
            profile_version=version,
        )
    # Delegated decisions tell the Chief Finance Officer (000 App C 5.2): their notices grow too.
    # Their own generator, so the rest of the data is drawn exactly as before.
    decisions = profile.procedures_for(Purpose.DELEGATED_DECISION)
    chief_officers = [p for p in officers if p.pk in accounts]
    draw = random.Random(scale)
    for _ in range(CASES_PER_SCALE * (scale - 1) if decisions else 0):
        case_open(
            actor=None,
            procedure=decisions[0],
            raiser=draw.choice(chief_officers),
            subject=draw.choice(members),
            profile_version=version,
        )
    first = table_for(version.text, profile.procedures_for(Purpose.OFFICER_CONCERN)[0])
    choices = [e.text for e in first.handler_choices()]
    colleagues = list(
        Person.objects.filter(
            officer__directorate__officers__person=officer, kind="officer"
        ).distinct()
    )
    # Concerns are raised by people signing in, so only people with accounts raise them.
    signed_officers = [p for p in officers if p.pk in accounts]
    signed_members = [p for p in members if p.pk in accounts]
    for n in range(CASES_PER_SCALE * (scale - 1)):
        raiser = rng.choice(signed_officers)
        concern_raise(
            actor=users[accounts[raiser.pk]],
            direction="officer_about_member",
            subject=rng.choice(members),
            what_happened=f"Bench concern {n}.",
            tried_direct=False,
            first_contact="monitoring_officer" if "monitoring_officer" in choices else "",
        )
        member = rng.choice(signed_members)
        concern_raise(
            actor=users[accounts[member.pk]],
            direction="member_about_officer",
            subject=rng.choice(colleagues),
            what_happened=f"Bench concern {n}.",
            tried_direct=False,
        )


# The demo council's own protocol (accord/demo/library.py) and the account that keeps it.
PROTOCOL_KEY = "member-officer-protocol"
KEEPER = "monitoring-officer"


def grow_library(*, scale: int) -> float:
    """Give the protocol library a review under way (at every scale, so the review pages have
    one to show) and, at scale N, what more people and more reviews bring: returns the seconds
    it took.

    - Everyone `grow_directory` added is asked to acknowledge the version in force
      (`acknowledgements_request`, as putting it in force asked the demo's people), and one in
      two of those with an account says they have read it (`acknowledge`).
    - The protocol gets `scale` draft versions (`version_import` of the text in force, under
      labels `bench-draft-1`...), and (scale - 1) reviews (`review_open`) that each propose a
      draft (`review_propose`) and are closed without change (`review_close`), a month apart;
      then the review under way opens today and proposes `bench-draft-1`.
    """
    started = time.perf_counter()
    keeper = User.objects.get(username=KEEPER)
    in_force = ProtocolVersion.objects.select_related("document").get(
        document__key=PROTOCOL_KEY, status=ProtocolVersion.Status.IN_FORCE
    )
    document = in_force.document
    today = clock.today()
    with transaction.atomic():
        if scale > 1:
            _grow_acknowledgements(in_force, keeper=keeper)
        drafts = []
        for n in range(1, scale + 1):
            imported = version_import(
                actor=keeper,
                document_key=PROTOCOL_KEY,
                label=f"bench-draft-{n}",
                source_name=in_force.source_name,
                data=in_force.source_text.encode(),
                title=in_force.title,
            )
            assert imported.version is not None
            drafts.append(imported.version)
        for n in range(1, scale):
            review = review_open(
                actor=keeper,
                document=document,
                reason=ProtocolReview.Reason.PERIODIC,
                why=f"Bench review {n}.",
                started_on=today - dt.timedelta(days=30 * (scale - n)),
            )
            review_propose(actor=keeper, review=review, draft=drafts[n])
            review_close(actor=keeper, review=review, reason=f"Bench review {n}: no change.")
        review = review_open(
            actor=keeper,
            document=document,
            reason=ProtocolReview.Reason.PERIODIC,
            why="The benchmark's review under way.",
            started_on=today,
        )
        review_propose(actor=keeper, review=review, draft=drafts[0])
    return time.perf_counter() - started


def _grow_acknowledgements(version: ProtocolVersion, *, keeper: User) -> None:
    asked_before = set(
        Acknowledgement.objects.filter(version=version).values_list("person_id", flat=True)
    )
    acknowledgements_request(version=version, actor=keeper)
    newly_asked = (
        Acknowledgement.objects.filter(version=version)
        .exclude(person_id__in=asked_before)
        .values_list("person_id", flat=True)
    )
    accounts = User.objects.filter(person_id__in=list(newly_asked)).order_by("pk")
    for user in list(accounts)[::2]:
        acknowledge(actor=user, version=version)
