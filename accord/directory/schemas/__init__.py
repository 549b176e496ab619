"""The shapes the directory's API answers with: people, groups, divisions, directorates,
committees and the statutory officers. People are always identified by their person id."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from accord.api.schemas import Day, IntBody, PageMeta

# --- References: the few fields needed to name something and fetch it ------------------------


class PersonRef(Schema):
    id: int
    full_name: str


class GroupRef(Schema):
    id: int
    name: str
    short_name: str


class DivisionRef(Schema):
    id: int
    code: str
    name: str


class DirectorateRef(Schema):
    id: int
    code: str
    name: str


# --- People -----------------------------------------------------------------------------------


class PersonSummaryOut(Schema):
    id: int
    kind: str
    given_name: str
    family_name: str
    full_name: str
    honorific: str
    email: str
    phone: str
    group: GroupRef | None = Field(description="Members only.")
    is_co_opted: bool | None = Field(description="Members only.")
    directorate: DirectorateRef | None = Field(description="Officers only.")
    job_title: str | None = Field(description="Officers only.")


class PersonPage(PageMeta):
    items: list[PersonSummaryOut]


class AppointmentOut(Schema):
    role: str
    role_label: str
    group: GroupRef | None
    directorate: DirectorateRef | None
    areas: list[str]
    is_statutory_childrens_lead: bool
    starts_on: dt.date
    ends_on: dt.date | None


class PersonOut(PersonSummaryOut):
    divisions: list[DivisionRef] = Field(description="Members only; empty for officers.")
    term_starts_on: dt.date | None
    term_ends_on: dt.date | None
    is_cmt: bool | None
    line_manager: PersonRef | None
    direct_reports: list[PersonRef]
    appointments: list[AppointmentOut] = Field(description="Roles held today.")


# --- Groups, divisions, directorates, committees ----------------------------------------------


class GroupOut(Schema):
    id: int
    name: str
    short_name: str
    is_independent: bool


class GroupPage(PageMeta):
    items: list[GroupOut]


class GroupMemberOut(Schema):
    id: int
    full_name: str
    divisions: list[DivisionRef]


class GroupDetailOut(GroupOut):
    leader: PersonRef | None = Field(description="The Group Leader today.")
    members: list[GroupMemberOut]


class DivisionOut(Schema):
    id: int
    code: str
    name: str
    adjacent: list[DivisionRef]
    members: list[PersonRef]


class DivisionPage(PageMeta):
    items: list[DivisionOut]


class DirectoratePage(PageMeta):
    items: list[DirectorateRef]


class CommitteeOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class CommitteePage(PageMeta):
    items: list[CommitteeOut]


class CommitteeMembershipOut(Schema):
    member: PersonRef
    group: GroupRef | None
    position: str
    position_label: str
    starts_on: dt.date
    ends_on: dt.date | None


class CommitteeDetailOut(CommitteeOut):
    memberships: list[CommitteeMembershipOut] = Field(description="Current on today's date.")


class AbsenceIn(Schema):
    person_id: IntBody = Field(description="The absent officer's person id.")
    starts_on: Day
    ends_on: Day
    reason: str = Field("", max_length=200)


class AbsenceOut(Schema):
    id: int
    officer: PersonRef
    starts_on: dt.date
    ends_on: dt.date
    reason: str


# --- Statutory officers -----------------------------------------------------------------------


class DesignationOut(Schema):
    officer: PersonRef
    is_deputy: bool
    deputy_rank: int
    starts_on: dt.date
    ends_on: dt.date | None


class ActingOut(Schema):
    officer: PersonRef | None
    is_deputy: bool
    reason: str


class StatutoryOfficeOut(Schema):
    office: str
    office_label: str
    acting: ActingOut = Field(description="Who acts in the office on the day, and why.")
    designations: list[DesignationOut]


class StatutoryOfficersOut(Schema):
    on: dt.date
    offices: list[StatutoryOfficeOut]
