"""Turns the fixed shape in `accord.demo.data` into a full, repeatable cast of people and posts.

Pure Python: nothing here touches the database, so the plan can be checked on its own and the
seeding service only has to carry it out.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from accord.demo import data
from accord.demo.names import NameSource


@dataclass(frozen=True)
class DivisionPlan:
    code: str
    name: str
    seats: int


@dataclass(frozen=True)
class PersonPlan:
    key: str
    given_name: str
    family_name: str
    email: str
    phone: str
    external_ref: str


@dataclass(frozen=True)
class MemberPlan:
    person: PersonPlan
    group: str | None
    divisions: tuple[str, ...]
    is_co_opted: bool = False


@dataclass(frozen=True)
class OfficerPlan:
    person: PersonPlan
    directorate: str
    job_title: str
    manager: str | None
    is_cmt: bool = False


@dataclass(frozen=True)
class AppointmentPlan:
    person: str
    role: str
    starts_on: dt.date
    group: str | None = None
    directorate: str | None = None
    areas: tuple[str, ...] = ()
    is_statutory_childrens_lead: bool = False


@dataclass(frozen=True)
class DesignationPlan:
    office: str
    officer: str
    starts_on: dt.date
    is_deputy: bool = False
    deputy_rank: int = 0


@dataclass(frozen=True)
class CommitteePlan:
    name: str
    kind: str
    seats: tuple[tuple[str, str], ...]  # (member key, position)


@dataclass(frozen=True)
class AccountPlan:
    spec: data.AccountSpec
    person: str


@dataclass
class DemoPlan:
    divisions: list[DivisionPlan] = field(default_factory=list)
    adjacency: dict[str, set[str]] = field(default_factory=dict)
    members: list[MemberPlan] = field(default_factory=list)
    officers: list[OfficerPlan] = field(default_factory=list)
    leader: str = ""
    appointments: list[AppointmentPlan] = field(default_factory=list)
    designations: list[DesignationPlan] = field(default_factory=list)
    committees: list[CommitteePlan] = field(default_factory=list)
    accounts: list[AccountPlan] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


class _People:
    """Issues names, unique emails, drama-range phone numbers and record ids."""

    def __init__(self, rng: random.Random) -> None:
        self._names = NameSource(rng)
        self._emails: set[str] = set()
        self._counts = {"member": 0, "officer": 0}

    def new(self, kind: str) -> PersonPlan:
        given, family = self._names.next()
        self._counts[kind] += 1
        n = self._counts[kind]
        local = f"{_slug(given)}.{_slug(family)}"
        if kind == "member":
            local = f"cllr.{local}"
        email = f"{local}@{data.EMAIL_DOMAIN}"
        suffix = 2
        while email in self._emails:
            email = f"{local}{suffix}@{data.EMAIL_DOMAIN}"
            suffix += 1
        self._emails.add(email)
        if kind == "member":
            return PersonPlan(f"m{n}", given, family, email, f"07700 900{n:03d}", f"CLLR-{n:03d}")
        return PersonPlan(f"o{n}", given, family, email, f"01632 960{n:03d}", f"EMP-{n:04d}")


def build_plan(seed: int = data.RANDOM_SEED) -> DemoPlan:
    rng = random.Random(seed)
    plan = DemoPlan()
    people = _People(rng)
    _plan_map(plan, rng)
    officers = _plan_officers(plan, people, rng)
    members = _plan_members(plan, people, rng)
    _plan_member_roles(plan, members, rng)
    _plan_accounts(plan, officers, members)
    return plan


# --- Map -----------------------------------------------------------------------------------


def _plan_map(plan: DemoPlan, rng: random.Random) -> None:
    grid: list[list[str]] = []
    for r, row in enumerate(data.MAP_ROWS):
        codes = []
        for c, name in enumerate(row):
            code = f"WY{r * len(row) + c + 1:02d}"
            seats = 2 if name in data.TWO_MEMBER_DIVISIONS else 1
            plan.divisions.append(DivisionPlan(code, f"{name}", seats))
            plan.adjacency[code] = set()
            codes.append(code)
        grid.append(codes)

    def join(a: str, b: str) -> None:
        plan.adjacency[a].add(b)
        plan.adjacency[b].add(a)

    rows, cols = len(grid), len(grid[0])
    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols:
                join(grid[r][c], grid[r][c + 1])
            if r + 1 < rows:
                join(grid[r][c], grid[r + 1][c])
            # Boundaries are not straight lines: some corners meet, only ever one pair per square.
            if r + 1 < rows and c + 1 < cols and rng.random() < data.DIAGONAL_CHANCE:
                if rng.random() < 0.5:
                    join(grid[r][c], grid[r + 1][c + 1])
                else:
                    join(grid[r][c + 1], grid[r + 1][c])


# --- Officers ------------------------------------------------------------------------------


@dataclass
class _Officers:
    """Keys of the posts other parts of the plan refer to."""

    chief_executive: str = ""
    directors: dict[str, str] = field(default_factory=dict)  # directorate code -> key
    heads: dict[str, str] = field(default_factory=dict)  # service name -> key
    managers: dict[str, str] = field(default_factory=dict)  # team name -> key
    teams: dict[str, list[str]] = field(default_factory=dict)  # team name -> officer keys


def _past_date(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    return dt.date(rng.randint(first_year, last_year), rng.randint(1, 12), 1)


def _plan_officers(plan: DemoPlan, people: _People, rng: random.Random) -> _Officers:
    posts = _Officers()
    add = plan.officers.append

    ceo = people.new("officer")
    posts.chief_executive = ceo.key
    add(OfficerPlan(ceo, "CEX", "Chief Executive", None, is_cmt=True))

    for spec in data.DIRECTORATES:
        top = ceo.key
        if spec.director_title:
            director = people.new("officer")
            add(OfficerPlan(director, spec.code, spec.director_title, ceo.key, is_cmt=True))
            posts.directors[spec.code] = director.key
            top = director.key
            plan.appointments.append(
                AppointmentPlan(
                    director.key,
                    "director",
                    _past_date(rng, 2016, 2023),
                    directorate=spec.code,
                )
            )
        for service in spec.services:
            head = people.new("officer")
            add(OfficerPlan(head, spec.code, f"Head of {service.name}", top))
            posts.heads[service.name] = head.key
            plan.appointments.append(
                AppointmentPlan(
                    head.key,
                    "head_of_service",
                    _past_date(rng, 2015, 2024),
                    directorate=spec.code,
                    areas=(service.name,),
                )
            )
            for team in service.teams:
                manager = people.new("officer")
                add(OfficerPlan(manager, spec.code, f"{team.name} Manager", head.key))
                posts.managers[team.name] = manager.key
                posts.teams[team.name] = []
                for i in range(team.size):
                    officer = people.new("officer")
                    title = f"Senior {team.title}" if i < 2 else team.title
                    add(OfficerPlan(officer, spec.code, title, manager.key))
                    posts.teams[team.name].append(officer.key)

    _plan_statutory(plan, posts, rng)
    _plan_democratic_services(plan, posts)
    return posts


def _plan_statutory(plan: DemoPlan, posts: _Officers, rng: random.Random) -> None:
    since = [_past_date(rng, 2017, 2024) for _ in range(4)]
    plan.designations += [
        DesignationPlan("head_of_paid_service", posts.chief_executive, since[0]),
        DesignationPlan(
            "head_of_paid_service", posts.directors["ASC"], since[0], is_deputy=True, deputy_rank=1
        ),
        DesignationPlan("monitoring_officer", posts.directors["LAW"], since[1]),
        DesignationPlan(
            "monitoring_officer",
            posts.heads["Legal Services"],
            since[1],
            is_deputy=True,
            deputy_rank=1,
        ),
        DesignationPlan(
            "monitoring_officer",
            posts.managers["Litigation and Social Care Law"],
            since[1],
            is_deputy=True,
            deputy_rank=2,
        ),
        DesignationPlan("chief_finance_officer", posts.directors["RES"], since[2]),
        DesignationPlan(
            "chief_finance_officer", posts.heads["Finance"], since[2], is_deputy=True, deputy_rank=1
        ),
        DesignationPlan("scrutiny_officer", posts.managers["Scrutiny"], since[3]),
        DesignationPlan(
            "scrutiny_officer",
            posts.heads["Democratic Services"],
            since[3],
            is_deputy=True,
            deputy_rank=1,
        ),
    ]


def _plan_democratic_services(plan: DemoPlan, posts: _Officers) -> None:
    since = dt.date(2023, 4, 1)
    team = [
        posts.heads["Democratic Services"],
        posts.managers["Committee Services"],
        *posts.teams["Committee Services"],
        posts.managers["Member Support"],
        *posts.teams["Member Support"],
    ]
    for key in team:
        plan.appointments.append(
            AppointmentPlan(key, "democratic_services", since, directorate="LAW")
        )
    plan.appointments.append(
        AppointmentPlan(posts.teams["Member Support"][0], "directory_admin", since)
    )


# --- Members -------------------------------------------------------------------------------


def _plan_members(plan: DemoPlan, people: _People, rng: random.Random) -> dict[str, list[str]]:
    """Elect the council; returns member keys by group, co-opted members under ""."""
    seats = [d.code for d in plan.divisions for _ in range(d.seats)]
    labels = [g.key for g in data.GROUPS for _ in range(g.seats)]
    assert len(seats) == len(labels), "seats and group sizes disagree"
    rng.shuffle(labels)
    by_group: dict[str, list[str]] = {g.key: [] for g in data.GROUPS}
    for code, group in zip(seats, labels, strict=True):
        person = people.new("member")
        plan.members.append(MemberPlan(person, group, (code,)))
        by_group[group].append(person.key)
    by_group[""] = []
    for _ in range(data.CO_OPTED_MEMBERS):
        person = people.new("member")
        plan.members.append(MemberPlan(person, None, (), is_co_opted=True))
        by_group[""].append(person.key)
    return by_group


def _plan_member_roles(plan: DemoPlan, members: dict[str, list[str]], rng: random.Random) -> None:
    start = data.ANNUAL_MEETING
    hg, lrg = list(members["HG"]), list(members["LRG"])
    plan.leader = hg.pop(0)
    deputy_leader = lrg.pop(0)
    group_leaders = {"HG": plan.leader, "LRG": deputy_leader}
    for key in ("PA", "GF"):
        group_leaders[key] = members[key][0]
    for group, person in group_leaders.items():
        plan.appointments.append(AppointmentPlan(person, "group_leader", start, group=group))
    plan.appointments.append(AppointmentPlan(deputy_leader, "deputy_leader", start))

    pools = {"HG": hg, "LRG": lrg}
    cabinet: list[str] = []
    for i, (area, group) in enumerate(data.PORTFOLIOS):
        holder = deputy_leader if area == "Resources" else pools[group].pop(0)
        cabinet.append(holder)
        plan.appointments.append(
            AppointmentPlan(
                holder,
                "lead_member",
                start,
                areas=(area,),
                is_statutory_childrens_lead=(i == 0),
            )
        )
    plan.committees.append(
        CommitteePlan(
            data.CABINET_NAME,
            "cabinet",
            (
                (plan.leader, "chair"),
                (deputy_leader, "vice_chair"),
                *((key, "member") for key in cabinet if key != deputy_leader),
            ),
        )
    )

    executive = {plan.leader, *cabinet}
    office_holders = executive | set(group_leaders.values())
    backbench = {
        group: [key for key in keys if key not in office_holders]
        for group, keys in members.items()
        if group
    }
    for spec in data.COMMITTEES:
        plan.committees.append(_plan_committee(spec, backbench, members[""], rng))
    plan.committees.append(
        CommitteePlan(
            data.EMPLOYMENT_NAME,
            "employment",
            (
                (plan.leader, "chair"),
                (deputy_leader, "vice_chair"),
                (group_leaders["PA"], "member"),
                (group_leaders["GF"], "member"),
                *((key, "member") for key in rng.sample(backbench["HG"], 2)),
                (rng.choice(backbench["PA"]), "member"),
            ),
        )
    )


def _plan_committee(
    spec: data.CommitteeSpec,
    backbench: dict[str, list[str]],
    co_opted: list[str],
    rng: random.Random,
) -> CommitteePlan:
    chosen: dict[str, list[str]] = {
        group: rng.sample(backbench[group], count) for group, count in spec.seats
    }
    chair = chosen[spec.chair_group][0]
    vice = chosen[spec.vice_chair_group][0]
    seats = [(chair, "chair"), (vice, "vice_chair")]
    seats += [
        (key, "member") for keys in chosen.values() for key in keys if key not in (chair, vice)
    ]
    seats += [(key, "member") for key in co_opted[: spec.co_opted]]
    return CommitteePlan(spec.name, spec.kind, tuple(seats))


# --- Sign-in accounts ----------------------------------------------------------------------


def _first(keys: Iterable[str], *, unless: set[str]) -> str:
    return next(key for key in keys if key not in unless)


def _plan_accounts(plan: DemoPlan, posts: _Officers, members: dict[str, list[str]]) -> None:
    role_holders = {a.person for a in plan.appointments}
    chairs = {key for c in plan.committees for key, pos in c.seats if pos != "member"}
    seats_in = {d.code: d.seats for d in plan.divisions}
    # An ordinary backbencher with neighbours: a lone seat in a division with at least three
    # adjoining ones, so "adjoining division" notices have someone to reach.
    backbencher = next(
        m.person.key
        for m in plan.members
        if m.group == "HG"
        and m.person.key not in role_holders | chairs
        and seats_in[m.divisions[0]] == 1
        and len(plan.adjacency[m.divisions[0]]) >= 3
    )
    lead_members = [
        a for a in plan.appointments if a.role == "lead_member" and a.is_statutory_childrens_lead
    ]
    democratic_officer = _first(
        posts.teams["Committee Services"],
        unless={a.person for a in plan.appointments if a.role == "directory_admin"},
    )
    ordinary_officer = posts.teams["Highway Maintenance"][-1]
    holders = {
        "officer": ordinary_officer,
        "director": posts.directors["ENV"],
        "head-of-service": posts.heads["Highways"],
        "chief-executive": posts.chief_executive,
        "monitoring-officer": posts.directors["LAW"],
        "deputy-monitoring-officer": posts.heads["Legal Services"],
        "chief-finance-officer": posts.directors["RES"],
        "democratic-services": democratic_officer,
        "member": backbencher,
        "group-leader": members["PA"][0],
        "leader": plan.leader,
        "lead-member": lead_members[0].person,
    }
    plan.accounts = [AccountPlan(spec, holders[spec.username]) for spec in data.DEMO_ACCOUNTS]
