"""Scenario tests written as data: a council can change its profile and see what changes.

A scenario file sits next to its profile (`leicestershire-000.scenarios.yaml` beside
`leicestershire-000.yaml`). It describes a small directory of made-up people by short keys,
then scenarios: open a case, take steps (act, agree, withdraw, move the clock with `today`,
record an absence, a relationship or an involvement) and say what to expect (the stage, who
handles it and who can see it, the deadline, reminders, stand-ins, or the error a step must be
refused with).

`run_scenarios` plays them through the real services in an empty database, each scenario in its
own transaction that is rolled back, and reports every expectation that did not hold. See
docs/profiles.md for the format.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from django.conf import settings
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.core import clock
from accord.core.errors import AccordError, ValidationFailed
from accord.directory.models import Directorate, Officer, Person, PoliticalGroup
from accord.procedures.models import Case
from accord.profiles.loader import load_profile
from accord.profiles.schema import Profile, Side

__all__ = [
    "ScenarioFile",
    "ScenarioInvalid",
    "ScenarioResult",
    "build_directory",
    "load_scenarios",
    "run_scenarios",
    "scenario_path_for",
]

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
_Error = Literal[
    "TransitionNotAllowed",
    "ConsentMissing",
    "ConflictOfInterest",
    "EngagementMissing",
    "ValidationFailed",
    "NotFound",
]
_APPOINTMENTS = frozenset(
    {
        "leader",
        "deputy_leader",
        "group_leader",
        "lead_member",
        "director",
        "head_of_service",
        "democratic_services",
    }
)
_OFFICES = {
    "chief_executive": ("head_of_paid_service", False),
    "monitoring_officer": ("monitoring_officer", False),
    "deputy_monitoring_officer": ("monitoring_officer", True),
    "chief_finance_officer": ("chief_finance_officer", False),
    "deputy_chief_finance_officer": ("chief_finance_officer", True),
    "scrutiny_officer": ("scrutiny_officer", False),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PersonSpec(_Model):
    kind: Side
    directorate: Key | None = None
    line_manager: Key | None = None
    cmt: bool = False
    group: Key | None = None
    roles: list[Key] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fits_kind(self) -> PersonSpec:
        if self.kind is Side.OFFICER and self.group is not None:
            raise ValueError("an officer has no political group")
        if self.kind is Side.MEMBER and (self.directorate or self.line_manager or self.cmt):
            raise ValueError("a member has no directorate, line manager or CMT seat")
        for role in self.roles:
            if role not in _APPOINTMENTS and role not in _OFFICES:
                known = ", ".join(sorted(_APPOINTMENTS | set(_OFFICES)))
                raise ValueError(f"unknown role '{role}'; use one of: {known}")
        return self


class DirectorySpec(_Model):
    groups: list[Key] = Field(default_factory=list)
    directorates: list[Key] = Field(default_factory=list)
    people: dict[Key, PersonSpec]


class Expect(_Model):
    stage: Key | None = None
    outcome: Key | None = None
    handlers: list[Key] | None = None
    visible_to: list[Key] | None = None
    hidden_from: list[Key] | None = None
    due: dt.date | None = None
    reminders: dict[Key, int] | None = None
    alerts: dict[Key, int] | None = Field(
        default=None, description="Content-free alerts each person has had about the case."
    )
    subject: Key | None = Field(default=None, description="Who the case is about now.")
    stand_ins: dict[str, Key] | None = Field(
        default=None, description="Role expression -> the person acting for it."
    )
    stand_in_reasons: dict[str, str] | None = Field(
        default=None,
        description="Role expression -> text the recorded reason for its stand-in contains.",
    )
    arrangement_needed: bool | None = None
    notified: dict[Key, list[Key]] | None = Field(
        default=None,
        description="Duty -> exactly the people its latest run sent a notice to ([] for none).",
    )
    duties: list[Key] | None = Field(
        default=None, description="Exactly the duties recorded on the case so far, in order."
    )
    late: list[Key] | None = Field(
        default=None, description="Exactly the duties whose latest run was recorded as late."
    )
    no_one_to_tell: list[Key] | None = Field(
        default=None, description="Exactly the duties whose latest run found no one to tell."
    )
    event_date: dt.date | None = None


class Act(_Model):
    by: Key
    to: Key
    records: dict[Key, str] | None = Field(
        default=None, description="Omit to fill every required record with sample text."
    )
    handler: Key | None = Field(
        default=None, description="The person chosen to handle the stage moved to."
    )
    event_date: dt.date | None = Field(default=None, description="A new date for the event.")
    names: Key | None = Field(
        default=None, description="The person the step names as the case's subject."
    )


class Refusal(_Model):
    error: _Error
    says: str | None = None


class Engage(_Model):
    by: Key


class Consent(_Model):
    by: Key
    to: Key
    note: str = ""


class Absence(_Model):
    person: Key
    starts_on: dt.date = Field(alias="from")
    ends_on: dt.date = Field(alias="to")


class Relationship(_Model):
    person: Key
    other: Key


class Involvement(_Model):
    by: Key
    person: Key
    note: str = "Advised on the matter before it was raised."


class Step(_Model):
    expect: Expect | None = None
    act: Act | None = None
    consent: Consent | None = None
    withdraw: Consent | None = None
    today: dt.date | None = Field(default=None, description="Move the clock to this day.")
    sweep: bool = False
    absence: Absence | None = None
    relationship: Relationship | None = None
    involvement: Involvement | None = None
    engage: Engage | None = Field(
        default=None, description="`by`, handling a joint stage, records taking part."
    )
    error: _Error | None = None
    says: str | None = Field(default=None, description="Text the refusal must contain.")

    @model_validator(mode="after")
    def _one_thing(self) -> Step:
        doing = [
            name
            for name in (
                "expect",
                "act",
                "consent",
                "withdraw",
                "today",
                "absence",
                "relationship",
                "involvement",
                "engage",
            )
            if getattr(self, name) is not None
        ] + (["sweep"] if self.sweep else [])
        if len(doing) != 1:
            raise ValueError(f"a step does exactly one thing; this one has {doing or 'none'}")
        if (self.error or self.says) and doing[0] in ("expect", "today", "sweep"):
            raise ValueError("`error` and `says` go with an action, not expect/today/sweep")
        return self


class Scenario(_Model):
    name: str
    cite: str | None = None
    procedure: Key
    raiser: Key
    subject: Key | None = Field(
        default=None, description="Left out where a later step names the subject."
    )
    handler_choice: str | None = Field(
        default=None,
        description="Whom the raiser chose to go to first (a handler of the first stage).",
    )
    opened_on: dt.date
    public_on: dt.date | None = Field(
        default=None, description="The day the matter is to be made public, if it has one."
    )
    handler: Key | None = Field(
        default=None, description="The person the raiser chooses to handle the first stage."
    )
    event_date: dt.date | None = Field(default=None, description="The date of the event.")
    refused: Refusal | None = Field(
        default=None, description="The opening itself must be refused, like this."
    )
    steps: list[Step] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_steps(self) -> Scenario:
        if not self.steps and self.refused is None:
            raise ValueError("a scenario needs steps, unless its opening is `refused`")
        return self


class ScenarioFile(_Model):
    directory: DirectorySpec
    scenarios: list[Scenario] = Field(min_length=1)


class ScenarioInvalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def scenario_path_for(profile_path: Path) -> Path:
    return profile_path.with_name(f"{profile_path.stem}.scenarios.yaml")


def load_scenarios(path: Path, profile: Profile) -> ScenarioFile:
    """Read and check a scenario file against its profile; every problem is reported."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scenarios = ScenarioFile.model_validate(data)
    except yaml.YAMLError as error:
        raise ScenarioInvalid([f"{path.name}: not valid YAML: {error}"]) from None
    except ValidationError as error:
        raise ScenarioInvalid(
            [
                f"{path.name}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                for e in error.errors()
            ]
        ) from None
    problems = list(_cross_check(scenarios, profile))
    if problems:
        raise ScenarioInvalid([f"{path.name}: {p}" for p in problems])
    return scenarios


def _cross_check(scenarios: ScenarioFile, profile: Profile) -> Iterator[str]:
    people = scenarios.directory.people
    for key, person in people.items():
        if person.directorate and person.directorate not in scenarios.directory.directorates:
            yield f"directory.people.{key}.directorate: no directorate '{person.directorate}'"
        if person.group and person.group not in scenarios.directory.groups:
            yield f"directory.people.{key}.group: no group '{person.group}'"
        if person.line_manager and person.line_manager not in people:
            yield f"directory.people.{key}.line_manager: no person '{person.line_manager}'"
    for index, scenario in enumerate(scenarios.scenarios):
        at = f"scenarios[{index}] ({scenario.name})"
        if scenario.procedure not in profile.procedures:
            yield f"{at}.procedure: the profile has no procedure '{scenario.procedure}'"
            continue
        procedure = profile.procedures[scenario.procedure]
        places = {s.key for s in procedure.stages} | {o.key for o in procedure.outcomes}
        for which in (scenario.raiser, scenario.subject, scenario.handler):
            if which is not None and which not in people:
                yield f"{at}: no person '{which}' in the directory"
        for number, step in enumerate(scenario.steps):
            for name in _people_in(step):
                if name not in people:
                    yield f"{at}.steps[{number}]: no person '{name}' in the directory"
            for place in _places_in(step):
                if place not in places:
                    yield f"{at}.steps[{number}]: '{place}' is not a stage or outcome of it"


def _people_in(step: Step) -> Iterator[str]:
    for part in (step.act, step.consent, step.withdraw, step.involvement, step.engage):
        if part is not None:
            yield part.by
    if step.act is not None and step.act.handler is not None:
        yield step.act.handler
    if step.act is not None and step.act.names is not None:
        yield step.act.names
    if step.involvement:
        yield step.involvement.person
    if step.absence:
        yield step.absence.person
    if step.relationship:
        yield step.relationship.person
        yield step.relationship.other
    if step.expect:
        for group in (step.expect.handlers, step.expect.visible_to, step.expect.hidden_from):
            yield from group or []
        yield from (step.expect.reminders or {}).keys()
        yield from (step.expect.alerts or {}).keys()
        yield from [step.expect.subject] if step.expect.subject else []
        yield from (step.expect.stand_ins or {}).values()
        for told in (step.expect.notified or {}).values():
            yield from told


def _places_in(step: Step) -> Iterator[str]:
    for part in (step.act, step.consent, step.withdraw):
        if part is not None:
            yield part.to
    if step.expect:
        yield from (p for p in (step.expect.stage, step.expect.outcome) if p is not None)


# --- Running --------------------------------------------------------------------------------


@dataclass
class ScenarioResult:
    name: str
    cite: str | None
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


class _Rollback(Exception):
    pass


def run_scenarios(
    profile_text: str, scenarios: ScenarioFile, *, only: str | None = None
) -> list[ScenarioResult]:
    """Play each scenario in its own rolled-back transaction against an empty directory."""
    if Person.objects.exists():
        raise ValidationFailed.for_field(
            "database",
            "Scenarios need an empty directory; `accord profile check` runs them in a scratch "
            "database.",
        )
    results = []
    for scenario in scenarios.scenarios:
        if only is not None and scenario.name != only:
            continue
        result = ScenarioResult(scenario.name, scenario.cite)
        try:
            with transaction.atomic():
                _Player(profile_text, scenarios.directory, scenario, result).play()
                raise _Rollback
        except _Rollback:
            pass
        results.append(result)
    return results


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


@dataclass
class BuiltDirectory:
    people: dict[str, Person] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


def build_directory(directory: DirectorySpec) -> BuiltDirectory:
    """Create the scenario directory through the directory services, with an account each."""
    from accord.accounts.models import User
    from accord.directory.services import (
        directorate_create,
        group_create,
        member_create,
        officer_create,
        role_appoint,
        statutory_designate,
    )

    start = dt.date(2000, 1, 1)
    built = BuiltDirectory()
    groups: dict[str, PoliticalGroup] = {
        key: group_create(actor=None, name=key.replace("_", " ").title(), short_name=key[:20])
        for key in directory.groups
    }
    directorates: dict[str, Directorate] = {
        key: directorate_create(actor=None, code=key[:20], name=key.replace("_", " ").title())
        for key in directory.directorates or ["council"]
    }
    default_directorate = next(iter(directorates.values()))
    officers: dict[str, Officer] = {}
    pending = dict(directory.people)
    # Managers first, so every line manager exists before the people they manage.
    while pending:
        progressed = False
        for key, spec in list(pending.items()):
            if spec.line_manager and spec.line_manager not in officers:
                if pending.get(spec.line_manager) is None:
                    raise ScenarioInvalid([f"{key}: line manager is not an officer"])
                continue
            given_name = key.replace("_", " ").title()
            email = f"{key}@scenario.invalid"
            if spec.kind is Side.OFFICER:
                officer = officer_create(
                    actor=None,
                    email=email,
                    directorate=directorates.get(spec.directorate or "", default_directorate),
                    job_title=key.replace("_", " "),
                    line_manager=officers.get(spec.line_manager or ""),
                    is_cmt=spec.cmt,
                    given_name=given_name,
                    family_name="Example",
                )
                officers[key] = officer
                person = officer.person
            else:
                member = member_create(
                    actor=None,
                    email=email,
                    group=groups.get(spec.group or ""),
                    divisions=[],
                    term_starts_on=start,
                    given_name=given_name,
                    family_name="Example",
                )
                person = member.person
            built.people[key] = person
            built.names[person.pk] = key
            built.users[key] = User.objects.create_user(
                username=f"scenario-{key}", email=email, person=person
            )
            for role in spec.roles:
                if role in _OFFICES:
                    office, is_deputy = _OFFICES[role]
                    statutory_designate(
                        actor=None,
                        office=office,
                        officer=officers[key],
                        starts_on=start,
                        is_deputy=is_deputy,
                        deputy_rank=1 if is_deputy else 0,
                    )
                else:
                    role_appoint(
                        actor=None,
                        person=person,
                        role=role,
                        starts_on=start,
                        group=groups.get(spec.group or ""),
                        directorate=(officers[key].directorate if key in officers else None),
                    )
            del pending[key]
            progressed = True
        if not progressed:
            raise ScenarioInvalid(["line managers form a loop"])
    return built


def _said(error: AccordError) -> str:
    """A refusal's words, with what it says about each field (a date or choice refused)."""
    errors = getattr(error, "errors", None) or []
    return " ".join([error.detail, *(f"{e.field}: {e.message}" for e in errors)])


class _Player:
    def __init__(
        self, text: str, directory: DirectorySpec, scenario: Scenario, result: ScenarioResult
    ) -> None:
        self.text = text
        self.profile = load_profile(text)
        self.directory = directory
        self.scenario = scenario
        self.result = result

    def fail(self, number: int, message: str) -> None:
        self.result.failures.append(f"step {number + 1}: {message}")

    def play(self) -> None:
        from accord.procedures.services.opening import case_open
        from accord.profiles.services import profile_version_store

        with clock.frozen_at(_moment(self.scenario.opened_on)):
            built = build_directory(self.directory)
            self.people, self.names, self.users = built.people, built.names, built.users
            version = profile_version_store(actor=None, text=self.text)
            if version.in_force_from > self.scenario.opened_on:
                self.result.failures.append(
                    f"opened_on {self.scenario.opened_on} is before the profile is in force "
                    f"({version.in_force_from})"
                )
                return
            refused = self.scenario.refused
            try:
                self.case = case_open(
                    actor=self.users[self.scenario.raiser],
                    procedure=self.scenario.procedure,
                    raiser=self.people[self.scenario.raiser],
                    subject=(self.people[self.scenario.subject] if self.scenario.subject else None),
                    profile_version=version,
                    public_on=self.scenario.public_on,
                    handler=self._person(self.scenario.handler),
                    handler_choice=self.scenario.handler_choice or "",
                    event_date=self.scenario.event_date,
                )
            except AccordError as error:
                if refused is None:
                    self.result.failures.append(f"the case could not be opened: {error.detail}")
                elif type(error).__name__ != refused.error:
                    self.result.failures.append(
                        f"expected the opening to be refused with {refused.error}, got "
                        f"{type(error).__name__}: {error.detail}"
                    )
                elif refused.says and refused.says not in _said(error):
                    self.result.failures.append(
                        f"the refusal does not say '{refused.says}': {_said(error)}"
                    )
                return
            if refused is not None:
                self.result.failures.append(
                    f"expected the opening to be refused with {refused.error}, but it was allowed"
                )
                return
            for number, step in enumerate(self.scenario.steps):
                self._step(number, step)

    def _step(self, number: int, step: Step) -> None:
        if step.today is not None:
            clock.set_frozen(_moment(step.today))
            return
        if step.expect is not None:
            self._expect(number, step.expect)
            return
        try:
            with transaction.atomic():
                self._do(step)
        except AccordError as error:
            kind = type(error).__name__
            if step.error is None:
                self.fail(number, f"refused unexpectedly ({kind}): {error.detail}")
            elif kind != step.error:
                self.fail(number, f"expected {step.error}, got {kind}: {error.detail}")
            elif step.says and step.says not in _said(error):
                self.fail(number, f"the refusal does not say '{step.says}': {_said(error)}")
            return
        if step.error is not None:
            self.fail(number, f"expected {step.error}, but the step was allowed")

    def _do(self, step: Step) -> None:
        from accord.directory.services import absence_record
        from accord.procedures.services.consent import consent_give, consent_withdraw
        from accord.procedures.services.engagement import engagement_record
        from accord.procedures.services.involvement import involvement_record
        from accord.procedures.services.moving import case_transition
        from accord.procedures.services.timers import timers_sweep
        from accord.registers.services import relationship_declare

        if step.act is not None:
            records = step.act.records
            if records is None:
                records = {key: "Recorded in the scenario." for key in self._needed(step.act.to)}
            self.case = case_transition(
                actor=self.users[step.act.by],
                case=self.case,
                to=step.act.to,
                records=records,
                handler=self._person(step.act.handler),
                event_date=step.act.event_date,
                named=self.people[step.act.names] if step.act.names else None,
            )
        elif step.engage is not None:
            engagement_record(actor=self.users[step.engage.by], case=self.case)
        elif step.consent is not None:
            consent_give(
                actor=self.users[step.consent.by],
                case=self.case,
                to=step.consent.to,
                note=step.consent.note,
            )
        elif step.withdraw is not None:
            consent_withdraw(
                actor=self.users[step.withdraw.by], case=self.case, to=step.withdraw.to
            )
        elif step.sweep:
            timers_sweep()
        elif step.absence is not None:
            absence_record(
                actor=None,
                officer=self.people[step.absence.person].officer,
                starts_on=step.absence.starts_on,
                ends_on=step.absence.ends_on,
            )
        elif step.relationship is not None:
            relationship_declare(
                actor=None,
                person=self.people[step.relationship.person],
                other=self.people[step.relationship.other],
                nature="family",
            )
        elif step.involvement is not None:
            involvement_record(
                actor=self.users[step.involvement.by],
                case=self.case,
                person=self.people[step.involvement.person],
                note=step.involvement.note,
            )

    def _person(self, key: str | None) -> Person | None:
        return self.people[key] if key is not None else None

    def _needed(self, to: str) -> list[str]:
        from accord.procedures.selectors import case_table, records_needed

        transition = case_table(self.case).move(self.case.stage, to)
        return records_needed(self.case, transition) if transition is not None else []

    def _expect(self, number: int, expect: Expect) -> None:
        from accord.procedures.selectors import (
            alert_count,
            case_afresh,
            case_handlers,
            case_stand_ins,
            case_timer,
            case_viewers,
            latest_visit,
            reminder_count,
            visible_cases,
        )

        case = case_afresh(self.case)
        if expect.stage is not None and (case.stage != expect.stage or not case.is_open):
            where = case.stage if case.is_open else f"ended at {case.outcome}"
            self.fail(number, f"expected stage {expect.stage}, the case is at {where}")
        if expect.outcome is not None and case.outcome != expect.outcome:
            self.fail(number, f"expected outcome {expect.outcome}, got {case.outcome or 'none'}")
        if expect.handlers is not None:
            got = self._keys(case_handlers(case))
            if got != sorted(expect.handlers):
                self.fail(number, f"expected handlers {sorted(expect.handlers)}, got {got}")
        if expect.visible_to is not None or expect.hidden_from is not None:
            resolved = set(self._keys(case_viewers(case)))
            # Both directions: resolving the rules, and each person's own filtered list.
            listed = {
                key
                for key, user in self.users.items()
                if visible_cases(user).filter(pk=case.pk).exists()
            }
            if resolved != listed:
                self.fail(
                    number,
                    f"the rules name {sorted(resolved)} but the lists show {sorted(listed)}",
                )
            if expect.visible_to is not None and sorted(listed) != sorted(expect.visible_to):
                self.fail(
                    number, f"expected visible to {sorted(expect.visible_to)}, got {sorted(listed)}"
                )
            for key in expect.hidden_from or []:
                if key in listed:
                    self.fail(number, f"expected hidden from {key}, but they can see it")
        if expect.due is not None:
            timer = case_timer(case)
            got_due = timer.due_on if timer else None
            if got_due != expect.due:
                self.fail(number, f"expected due {expect.due}, got {got_due}")
        if expect.reminders is not None:
            for key, count in expect.reminders.items():
                got_count = reminder_count(case, self.people[key].pk)
                if got_count != count:
                    self.fail(number, f"expected {count} reminder(s) for {key}, got {got_count}")
        if expect.alerts is not None:
            for key, count in expect.alerts.items():
                got_count = alert_count(case, self.people[key].pk)
                if got_count != count:
                    self.fail(number, f"expected {count} alert(s) for {key}, got {got_count}")
        if expect.subject is not None:
            got_subject = self.names.get(case.subject_id or 0, "nobody")
            if got_subject != expect.subject:
                self.fail(number, f"expected subject {expect.subject}, got {got_subject}")
        if expect.stand_ins is not None:
            got_stand_ins = {
                s.expression: self.names.get(s.person_id, "?") for s in case_stand_ins(case)
            }
            if got_stand_ins != expect.stand_ins:
                self.fail(number, f"expected stand-ins {expect.stand_ins}, got {got_stand_ins}")
        if expect.stand_in_reasons is not None:
            reasons = {s.expression: s.explanation for s in case_stand_ins(case)}
            for role, text in expect.stand_in_reasons.items():
                if text not in reasons.get(role, ""):
                    self.fail(
                        number,
                        f"expected the reason for {role}'s stand-in to say '{text}', got "
                        f"{reasons.get(role, 'no stand-in')!r}",
                    )
        if expect.arrangement_needed is not None:
            visit = latest_visit(case)
            needed = bool(visit and visit.arrangement_needed)
            if needed != expect.arrangement_needed:
                self.fail(number, f"expected arrangement_needed {expect.arrangement_needed}")
        if expect.event_date is not None and case.event_date != expect.event_date:
            self.fail(number, f"expected event_date {expect.event_date}, got {case.event_date}")
        self._expect_duties(number, expect, case)

    def _expect_duties(self, number: int, expect: Expect, case: Case) -> None:
        from accord.procedures.selectors import case_duties

        rows = list(case_duties(case))
        latest = {row.duty: row for row in rows}
        if expect.duties is not None and [r.duty for r in rows] != expect.duties:
            self.fail(number, f"expected duties {expect.duties}, got {[r.duty for r in rows]}")
        for key, people in (expect.notified or {}).items():
            row = latest.get(key)
            if row is None:
                self.fail(number, f"expected duty {key} to have been done, but it was not")
                continue
            got = self._keys(notice.person_id for notice in row.notices.all())
            if got != sorted(people):
                self.fail(number, f"expected {key} to tell {sorted(people)}, it told {got}")
        for name, status in (("late", "late"), ("no_one_to_tell", "no_one")):
            wanted = getattr(expect, name)
            if wanted is None:
                continue
            got_keys = sorted(key for key, row in latest.items() if row.status == status)
            if got_keys != sorted(wanted):
                self.fail(number, f"expected {name} {sorted(wanted)}, got {got_keys}")

    def _keys(self, person_ids: Any) -> list[str]:
        return sorted(self.names.get(p, f"person {p}") for p in person_ids)
