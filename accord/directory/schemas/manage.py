"""The shapes the directory administration endpoints accept and answer with."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from accord.api.schemas import Day, IntBody
from accord.directory.schemas import GroupRef, PersonRef


class ImportQuery(Schema):
    dry_run: bool = Field(
        False, description="Only check the file and report what would change; save nothing."
    )


class PeopleImportOut(Schema):
    dry_run: bool
    created: int = Field(description="People added (or, in a dry run, who would be).")
    updated: int
    unchanged: int


class AppointmentIn(Schema):
    person_id: IntBody
    role: str = Field(description="leader, deputy_leader, group_leader, lead_member, director, …")
    starts_on: Day
    ends_on: Day | None = None
    group_id: IntBody | None = Field(None, description="The group a Group Leader leads.")
    directorate_id: IntBody | None = Field(None, description="The directorate a Director runs.")
    areas: list[str] = Field(default_factory=list, description="A Lead Member's areas.")
    is_statutory_childrens_lead: bool = False


class AppointmentCreatedOut(Schema):
    id: int
    person: PersonRef
    role: str
    group_id: int | None
    directorate_id: int | None
    areas: list[str]
    is_statutory_childrens_lead: bool
    starts_on: dt.date
    ends_on: dt.date | None


class EndIn(Schema):
    ends_on: Day = Field(description="The last day held; may be earlier, never later.")


class DesignationIn(Schema):
    person_id: IntBody = Field(description="The officer's person id.")
    office: str = Field(
        description="head_of_paid_service, monitoring_officer, chief_finance_officer or "
        "scrutiny_officer"
    )
    starts_on: Day
    ends_on: Day | None = None
    is_deputy: bool = False
    deputy_rank: IntBody = Field(0, description="Deputies from 1 (acts first); 0 for holders.")


class DesignationCreatedOut(Schema):
    id: int
    office: str
    officer: PersonRef
    is_deputy: bool
    deputy_rank: int
    starts_on: dt.date
    ends_on: dt.date | None


class CommitteeMemberIn(Schema):
    person_id: IntBody = Field(description="The member's person id.")
    position: str = Field("member", description="chair, vice_chair or member")
    starts_on: Day


class CommitteeMemberOut(Schema):
    id: int
    committee_id: int
    member: PersonRef
    position: str
    starts_on: dt.date


class AdministrationIn(Schema):
    group_ids: list[IntBody] = Field(description="The political groups forming the administration.")
    leader_person_id: IntBody = Field(description="The new Leader of the Council (a member).")
    starts_on: Day
    note: str = Field("", max_length=300)


class AdministrationOut(Schema):
    id: int
    starts_on: dt.date
    groups: list[GroupRef]
    leader: PersonRef
    ended_on: dt.date = Field(description="The day the previous administration's roles ended.")
    ended_appointment_ids: list[int] = Field(
        description="Leader, Deputy Leader and Lead Member appointments ended by the change."
    )
