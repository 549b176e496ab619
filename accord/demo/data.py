"""The fixed shape of the demonstration council: its map, groups, directorates and sign-ins.

Everything personal (names, emails, who sits where) is generated from these in `accord.demo.plan`.
The county, its places and its political groups are invented; the email domain is under
`example.gov.uk` and telephone numbers are in the ranges Ofcom keeps for drama, so nothing real is
ever addressed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.access.roles import Role

COUNCIL_NAME = "Wyvernshire County Council"
COUNCIL_SHORT_NAME = "Wyvernshire"
# A leader-and-cabinet county with overview and scrutiny. Seeding sets the profile it runs on
# (by default Leicestershire's, which encodes protocol 000: `accord demo --profile NAME`).
COUNCIL_PROFILE = ""
EMAIL_DOMAIN = "wyvernshire.example.gov.uk"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose: it is a demo
RANDOM_SEED = 20250501

ELECTION_DAY = dt.date(2025, 5, 1)
ANNUAL_MEETING = dt.date(2025, 5, 20)

# The county drawn as a grid, north at the top; cells sharing an edge adjoin, plus a few diagonals.
MAP_ROWS: tuple[tuple[str, ...], ...] = (
    ("Harrowmoor", "Fellbeck", "Kestrel Edge", "Stanbury North", "Ravensworth",
     "Oakhanger Heath", "Brindle Marsh", "Eastwold", "Thornwick Sands", "Saltcote"),
    ("Colbrook Valley", "Hollowford West", "Hollowford East", "Stanbury South",
     "Wyvernbridge North", "Kingsmere North", "Kingsmere East", "Bramblecombe", "Marshfleet",
     "Gullhaven"),
    ("Ashcombe", "Linwood Forest", "Wyvernbridge West", "Wyvernbridge Central",
     "Wyvernbridge East", "Kingsmere West", "Kingsmere South", "Hartley Green", "Dunmere",
     "Sandholme"),
    ("Pennock Hills", "Wellbrook", "Wyvernbridge Riverside", "Wyvernbridge South", "Millbury",
     "Great Haddon", "Little Haddon", "Elmsworth North", "Orchard Vale", "Foxley Ness"),
    ("Chalkford", "Castle Aston", "Aston Vale", "Ryland Water", "Shepcombe", "Nettleford",
     "Barrowdene", "Elmsworth South", "Wyke St Mary", "Sedgemere"),
)  # fmt: skip
TWO_MEMBER_DIVISIONS = frozenset(
    {
        "Wyvernbridge Central",
        "Wyvernbridge Riverside",
        "Kingsmere North",
        "Hollowford East",
        "Elmsworth North",
    }
)
DIAGONAL_CHANCE = 0.35


@dataclass(frozen=True)
class GroupSpec:
    key: str
    name: str
    seats: int
    is_independent: bool = False


GROUPS = (
    GroupSpec("HG", "Heartland Group", 24),
    GroupSpec("PA", "Progressive Alliance", 15),
    GroupSpec("LRG", "Liberal Reform Group", 8),
    GroupSpec("GF", "Green Future Group", 5),
    GroupSpec("IND", "Independent Members", 3, is_independent=True),
)
ADMINISTRATION_GROUPS = ("HG", "LRG")  # no group has a majority of 55: a two-group coalition
CO_OPTED_MEMBERS = 2  # independent persons co-opted to the Standards Committee


@dataclass(frozen=True)
class TeamSpec:
    name: str
    size: int
    title: str  # what its officers are called


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    teams: tuple[TeamSpec, ...]


@dataclass(frozen=True)
class DirectorateSpec:
    code: str
    name: str
    director_title: str  # empty: the Chief Executive heads it directly
    services: tuple[ServiceSpec, ...]


def _service(name: str, *teams: tuple[str, int, str]) -> ServiceSpec:
    return ServiceSpec(name, tuple(TeamSpec(*team) for team in teams))


DIRECTORATES = (
    DirectorateSpec(
        "CEX",
        "Chief Executive's Office",
        "",
        (
            _service(
                "Policy and Strategy",
                ("Policy", 5, "Policy Officer"),
                ("Performance and Insight", 5, "Insight Analyst"),
            ),
            _service(
                "Communications",
                ("Media and Communications", 5, "Communications Officer"),
                ("Customer Engagement", 6, "Customer Engagement Adviser"),
            ),
        ),
    ),
    DirectorateSpec(
        "RES",
        "Corporate Resources",
        "Director of Corporate Resources",
        (
            _service(
                "Finance",
                ("Corporate Finance", 6, "Accountant"),
                ("Exchequer Services", 6, "Exchequer Officer"),
                ("Internal Audit", 4, "Auditor"),
            ),
            _service(
                "People",
                ("HR Advisory", 6, "HR Adviser"),
                ("Payroll and Pensions", 5, "Payroll Officer"),
            ),
            _service(
                "Digital and ICT",
                ("Service Desk", 6, "Service Desk Analyst"),
                ("Infrastructure", 5, "Infrastructure Engineer"),
                ("Applications", 5, "Applications Developer"),
            ),
            _service(
                "Property",
                ("Facilities", 6, "Facilities Officer"),
                ("Estates", 4, "Estates Surveyor"),
            ),
        ),
    ),
    DirectorateSpec(
        "LAW",
        "Law and Governance",
        "Director of Law and Governance",
        (
            _service(
                "Legal Services",
                ("Litigation and Social Care Law", 6, "Solicitor"),
                ("Contracts and Property Law", 5, "Solicitor"),
            ),
            _service(
                "Democratic Services",
                ("Committee Services", 5, "Democratic Services Officer"),
                ("Scrutiny", 3, "Scrutiny Support Officer"),
                ("Member Support", 4, "Member Support Officer"),
            ),
            _service(
                "Information Governance",
                ("Information Rights", 4, "Information Rights Officer"),
                ("Records Management", 3, "Records Officer"),
            ),
        ),
    ),
    DirectorateSpec(
        "CFS",
        "Children and Family Services",
        "Director of Children and Family Services",
        (
            _service(
                "Children's Social Care",
                ("Safeguarding North", 8, "Social Worker"),
                ("Safeguarding South", 8, "Social Worker"),
                ("Children in Care", 7, "Social Worker"),
            ),
            _service(
                "Education and SEND",
                ("School Admissions", 6, "Admissions Officer"),
                ("SEND Assessment", 7, "SEND Caseworker"),
            ),
            _service(
                "Early Help",
                ("Family Support", 6, "Family Support Worker"),
                ("Youth Services", 5, "Youth Worker"),
            ),
        ),
    ),
    DirectorateSpec(
        "ASC",
        "Adults and Communities",
        "Director of Adults and Communities",
        (
            _service(
                "Adult Social Care",
                ("Assessment and Review North", 8, "Care Manager"),
                ("Assessment and Review South", 8, "Care Manager"),
            ),
            _service(
                "Commissioning and Quality",
                ("Commissioning", 5, "Commissioning Officer"),
                ("Quality Assurance", 4, "Quality Assurance Officer"),
            ),
            _service(
                "Public Health",
                ("Health Improvement", 5, "Health Improvement Practitioner"),
                ("Health Protection", 4, "Health Protection Practitioner"),
            ),
            _service(
                "Libraries and Heritage",
                ("Libraries", 6, "Library Officer"),
                ("Museums and Archives", 4, "Archivist"),
            ),
        ),
    ),
    DirectorateSpec(
        "ENV",
        "Environment and Transport",
        "Director of Environment and Transport",
        (
            _service(
                "Highways",
                ("Highway Maintenance", 8, "Highways Inspector"),
                ("Traffic and Network Management", 6, "Traffic Engineer"),
                ("Transport Planning", 5, "Transport Planner"),
            ),
            _service(
                "Waste and Environment",
                ("Waste Management", 6, "Waste Officer"),
                ("Countryside and Climate", 5, "Countryside Officer"),
            ),
            _service(
                "Planning and Economy",
                ("Minerals and Waste Planning", 4, "Planning Officer"),
                ("Economic Development", 5, "Economic Development Officer"),
                ("Trading Standards", 5, "Trading Standards Officer"),
            ),
        ),
    ),
)

# Cabinet portfolios: (area, group of the holder). The first is the statutory Lead Member for
# Children's Services; the Deputy Leader holds the Resources portfolio.
PORTFOLIOS = (
    ("Children and Family Services", "HG"),
    ("Adult Social Care and Health", "HG"),
    ("Highways and Transport", "HG"),
    ("Economy and Growth", "HG"),
    ("Resources", "LRG"),
    ("Environment and Climate", "LRG"),
    ("Communities and Public Protection", "LRG"),
)


@dataclass(frozen=True)
class CommitteeSpec:
    name: str
    kind: str
    seats: tuple[tuple[str, int], ...]  # backbench seats per group
    chair_group: str
    vice_chair_group: str
    co_opted: int = 0


COMMITTEES = (
    CommitteeSpec(
        "Overview and Scrutiny Committee",
        "overview_scrutiny",
        (("HG", 5), ("PA", 4), ("LRG", 1), ("GF", 1), ("IND", 1)),
        chair_group="PA",
        vice_chair_group="HG",
    ),
    CommitteeSpec(
        "Regulatory Committee",
        "regulatory",
        (("HG", 5), ("PA", 3), ("LRG", 1), ("GF", 1), ("IND", 1)),
        chair_group="HG",
        vice_chair_group="LRG",
    ),
    CommitteeSpec(
        "Standards Committee",
        "standards",
        (("HG", 3), ("PA", 2), ("LRG", 1), ("GF", 1)),
        chair_group="LRG",
        vice_chair_group="PA",
        co_opted=CO_OPTED_MEMBERS,
    ),
    CommitteeSpec(
        "Corporate Governance Committee",
        "corporate_governance",
        (("HG", 4), ("PA", 3), ("LRG", 1), ("GF", 1)),
        chair_group="PA",
        vice_chair_group="HG",
    ),
)
CABINET_NAME = "Cabinet"
EMPLOYMENT_NAME = "Employment Committee"


@dataclass(frozen=True)
class AccountSpec:
    username: str
    label: str
    role: Role  # the access role the account exists to show


DEMO_ACCOUNTS = (
    AccountSpec("officer", "Officer", Role.OFFICER),
    AccountSpec("director", "Director", Role.DIRECTOR),
    AccountSpec("head-of-service", "Head of Service", Role.HEAD_OF_SERVICE),
    AccountSpec("chief-executive", "Chief Executive", Role.CHIEF_EXECUTIVE),
    AccountSpec("monitoring-officer", "Monitoring Officer", Role.MONITORING_OFFICER),
    AccountSpec(
        "deputy-monitoring-officer", "Deputy Monitoring Officer", Role.DEPUTY_MONITORING_OFFICER
    ),
    AccountSpec("chief-finance-officer", "Chief Finance Officer", Role.CHIEF_FINANCE_OFFICER),
    AccountSpec("democratic-services", "Democratic Services", Role.DEMOCRATIC_SERVICES),
    AccountSpec("member", "Member", Role.MEMBER),
    AccountSpec("group-leader", "Group Leader", Role.GROUP_LEADER),
    AccountSpec("leader", "Leader of the Council", Role.LEADER),
    AccountSpec("lead-member", "Lead Member", Role.LEAD_MEMBER),
)
DEMO_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS)
