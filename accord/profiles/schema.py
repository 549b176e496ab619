"""The council profile format: pydantic models, published as JSON Schema.

Field validation happens here; the checks that look across the whole profile (does every
transition lead to a known stage, can this role consent) are in `accord.profiles.checks`.
See docs/profiles.md.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from accord.access.roles import Role
from accord.core.working_days import Region, WorkingCalendar
from accord.profiles.expressions import ActorExpression, AudienceExpression, ViewerExpression

__all__ = [
    "Calendar",
    "ConflictRule",
    "Consent",
    "Duration",
    "DurationUnit",
    "DutyTrigger",
    "EventNotice",
    "EveryEnding",
    "Governance",
    "InformationRule",
    "InformationRuleKind",
    "Matter",
    "NamesSubject",
    "NotificationDuty",
    "NotifyWhen",
    "Outcome",
    "Procedure",
    "Profile",
    "Purpose",
    "Reopen",
    "RoleTitle",
    "Side",
    "Silence",
    "Source",
    "SourcePart",
    "Stage",
    "Timer",
    "TimerAction",
    "Transition",
    "Uncited",
    "profile_json_schema",
]

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A paragraph reference such as "50(c)", "SO 4.3" or "App B 8.2": write it in quotes.
Cite = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    Field(description='The paragraph that requires this, e.g. "50(c)" or "SO 4.3".'),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Governance(StrEnum):
    LEADER_AND_CABINET = "leader_and_cabinet"
    COMMITTEE_SYSTEM = "committee_system"


class Purpose(StrEnum):
    """What a procedure is for, so the part of Accord that runs it can find it by purpose
    whatever key the council's profile gives it."""

    OFFICER_CONCERN = "officer_concern"
    MEMBER_CONCERN = "member_concern"
    MEMBER_ENQUIRY = "member_enquiry"
    NEED_TO_KNOW = "need_to_know"
    DELEGATED_DECISION = "delegated_decision"
    STATUTORY_CONSULTATION = "statutory_consultation"
    SCRUTINY_ATTENDANCE = "scrutiny_attendance"
    GROUP_MEETING_ATTENDANCE = "group_meeting_attendance"
    OTHER = "other"


class Side(StrEnum):
    OFFICER = "officer"
    MEMBER = "member"


class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class TimerAction(StrEnum):
    REMIND = "remind"
    ESCALATE = "escalate"


class Matter(StrEnum):
    EVENT = "event"
    PUBLIC_MEETING = "public_meeting"
    MEMBER_PUBLIC_MEETING = "member_public_meeting"
    CONSULTATION = "consultation"
    SENSITIVE_REPORT = "sensitive_report"
    DELEGATED_DECISION = "delegated_decision"
    PRESS_APPROACH = "press_approach"
    PARTNERSHIP_ACTION = "partnership_action"
    FOI_REQUEST = "foi_request"
    RESIDENT_COMPLAINTS = "resident_complaints"
    OPERATIONAL_MATTER = "operational_matter"
    MAJOR_INCIDENT = "major_incident"
    OTHER = "other"


class NotifyWhen(StrEnum):
    BEFORE_PUBLIC = "before_public"
    # As soon as reasonably possible, and in any case before it is made public (004 §4.4).
    PROMPTLY_AND_BEFORE_PUBLIC = "promptly_and_before_public"
    BEFORE_START = "before_start"
    PROMPTLY = "promptly"
    WITHIN = "within"


class DutyTrigger(StrEnum):
    """What sets a duty off. The first six happen on a case and the engine runs them in the
    same transaction; a matter logged belongs to the capability that logs matters."""

    CASE_OPENED = "case_opened"
    STAGE_ENTERED = "stage_entered"
    STAGE_LEFT = "stage_left"
    OUTCOME = "outcome"
    CONSENT_GIVEN = "consent_given"
    RECORD_WRITTEN = "record_written"
    MATTER_LOGGED = "matter_logged"


CASE_TRIGGERS = frozenset(DutyTrigger) - {DutyTrigger.MATTER_LOGGED}


class InformationRuleKind(StrEnum):
    """What an information rule is: guidance people follow, a gate a procedure runs (a consent
    or a consultation before an act), or a rule that belongs to a capability not built yet."""

    GUIDANCE = "guidance"
    GATE = "gate"
    DEFERRED = "deferred"


class SourcePart(_Model):
    """A part of the document that numbers its paragraphs afresh, cited with a prefix."""

    prefix: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9]*(?: [A-Za-z0-9]+)*$", max_length=20)
    ] = Field(description='How citations name the part, e.g. "SO" in "SO 4.3", or "App A".')
    heading: Text = Field(
        description="The text the part's heading line in the document starts with (case is "
        'ignored), e.g. "Statutory Officers Protocol" or "Appendix A".'
    )


class Source(_Model):
    document: Text = Field(description="The protocol document's file stem in the library.")
    title: Text
    version: Text = Field(description='The document\'s own version label, e.g. "2025".')
    in_force_from: dt.date
    parts: list[SourcePart] = Field(
        default_factory=list,
        description="Parts after the main protocol that number their paragraphs from 1 again.",
    )


class RoleTitle(_Model):
    title: Text = Field(description="What this council calls the role.")
    cite: Cite | None = None


class Calendar(_Model):
    region: Region
    closures: list[dt.date] = Field(default_factory=list)
    cite: Cite | None = None

    def working_calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.region, frozenset(self.closures))


class Duration(_Model):
    amount: Annotated[int, Field(gt=0, le=1000)]
    unit: DurationUnit
    cite: Cite
    aim: bool = Field(
        default=False,
        description='True where the protocol states the time as an aim ("should aim to reply '
        'within one week"), not a limit: it is shown as an aim, and nothing is refused when it '
        "passes.",
    )

    def describe(self) -> str:
        words = self.unit.value.replace("_", " ")
        amount = f"{self.amount} {words[:-1] if self.amount == 1 else words}"
        return f"{amount}, an aim" if self.aim else amount


class Timer(_Model):
    after: Key = Field(description="The name of a duration in `durations`.")
    action: TimerAction
    to: list[ViewerExpression] = Field(
        min_length=1,
        description="Who is reminded, and for an escalation brought in to handle the stage too; "
        "`handlers` reminds whoever handles the stage when it fires.",
    )
    remind_without_content: list[ActorExpression] = Field(
        default_factory=list,
        description="People reminded who may not otherwise see the case: whoever of them "
        "cannot see it is told only that a matter under the timer's paragraph needs their "
        "attention, with nothing of its content or parties, and is given no sight of it.",
    )
    cite: Cite


class Stage(_Model):
    key: Key
    title: Text
    cite: Cite
    handlers: list[ActorExpression] = Field(min_length=1)
    visible_to: list[ViewerExpression] = Field(min_length=1)
    no_members: bool = Field(
        default=False, description="True where the protocol says no member is involved."
    )
    timer: Timer | None = None
    requires_records: list[Key] = Field(default_factory=list)
    choose_handler: bool | Literal["person"] = Field(
        default=False,
        description="`true` where the person raising the case chooses which one of `handlers` "
        "takes this stage (only on the initial stage), e.g. whom an officer talks to first; "
        "`person` where whoever brings the case into this stage (the raiser, at opening) "
        "chooses one person from those the handlers name, e.g. the relevant member of a team. "
        "Only the one chosen handles and sees the stage.",
    )
    joint: bool = Field(
        default=False,
        description="True where every handler of the stage must take part: each records that "
        "they have engaged, and the case cannot leave the stage until all have.",
    )

    @property
    def chooses_role(self) -> bool:
        """The raiser chooses one of the handler expressions when opening the case."""
        return self.choose_handler is True

    @property
    def chooses_person(self) -> bool:
        """Whoever brings the case here chooses one person the handlers name."""
        return self.choose_handler == "person"


class Consent(_Model):
    from_: ActorExpression = Field(alias="from")
    about: Text
    cite: Cite


class NamesSubject(_Model):
    """The person who takes this step names the case's subject from the directory: someone
    holding `role` on the day (the Executive naming the Lead Member who attends, say)."""

    role: Role = Field(description="The role the person named must hold, e.g. lead_member.")
    cite: Cite


class Transition(_Model):
    from_: Key = Field(alias="from")
    to: Key
    by: list[ActorExpression] = Field(min_length=1)
    cite: Cite
    consent: Consent | None = None
    requires_records: list[Key] = Field(default_factory=list)
    after_due: bool = Field(
        default=False,
        description="True where the move may be made only once the stage's timer has run out "
        "(a councillor may chase an unanswered enquiry after the week, say): before then it is "
        "refused, citing the transition's paragraph.",
    )
    reschedules: bool = Field(
        default=False,
        description="True where the move sets a new date for the procedure's `event` (an "
        "alternative meeting date); the new date must give the same notice.",
    )
    names_subject: NamesSubject | None = Field(
        default=None,
        description="The step names the case's subject, chosen from the people holding a "
        "role; a procedure with such a step opens with no subject.",
    )


class EventNotice(_Model):
    """A dated event the case leads to (a meeting someone is asked to attend) and the notice
    they must be given of it, counted back from its date."""

    title: Text = Field(description='What the event is, e.g. "the committee meeting".')
    notice: Key = Field(
        description="The name of a duration in `durations`: the least notice before the "
        "event's date, counted back from it (the event's day not counted)."
    )
    cite: Cite


class EveryEnding(_Model):
    """Records that must be written on every move that ends the case, whichever outcome."""

    requires_records: list[Key] = Field(min_length=1)
    cite: Cite


class Outcome(_Model):
    key: Key
    title: Text
    cite: Cite
    retain_for: Key | None = Field(
        default=None,
        description="The name of a duration in `durations`: how long a case that ended here "
        "is kept before its content is deleted. Without it the case is kept.",
    )


class Reopen(_Model):
    """A later report (of pressure or retaliation, say) that brings the case back to a stage,
    whether it is still open or has ended."""

    to: Key = Field(description="The stage the report brings the case to.")
    by: list[ActorExpression] = Field(min_length=1, description="Who may make the report.")
    about: Text = Field(description="What is reported, e.g. pressure or retaliation.")
    cite: Cite


class Procedure(_Model):
    title: Text
    purpose: Purpose
    cite: Cite
    raised_by: Side
    about: Side
    initial: Key
    stages: list[Stage] = Field(min_length=1)
    transitions: list[Transition] = Field(min_length=1)
    outcomes: list[Outcome] = Field(min_length=1)
    reopen: Reopen | None = None
    event: EventNotice | None = Field(
        default=None,
        description="A dated event the case leads to: the case is opened with its date, and a "
        "date with less than the notice is refused.",
    )
    every_ending: EveryEnding | None = Field(
        default=None,
        description="Records every move to an outcome must write, however the case ends.",
    )
    shown_to_raiser: list[Key] = Field(
        default_factory=list,
        description="Records written on the case that the person who raised it is shown (a "
        "reply, say); every other record is for those handling the case.",
    )

    @property
    def subject_named_later(self) -> bool:
        """True where a step names the subject, so the case opens without one."""
        return any(t.names_subject is not None for t in self.transitions)


class NotificationDuty(_Model):
    """Someone must be told something. A duty triggered by a case event names its procedure and, as
    the trigger needs, the stage, outcome or record; the engine tells each person `tell` names,
    in the case's own transaction, and records on the case that it was done."""

    key: Key
    trigger: DutyTrigger = Field(
        default=DutyTrigger.MATTER_LOGGED,
        description="What sets the duty off: a case opened, a stage entered or left, an "
        "outcome, a consent given, a record written, or a matter logged (the default).",
    )
    procedure: Key | None = Field(
        default=None, description="For a case event: the procedure whose cases it watches."
    )
    stage: Key | None = Field(
        default=None,
        description="For stage_entered and stage_left, the stage; for consent_given, the "
        "stage the agreed move leads to.",
    )
    outcome: Key | None = Field(
        default=None, description="For `trigger: outcome`, the outcome (left out: any outcome)."
    )
    record: Key | None = Field(
        default=None, description="For `trigger: record_written`, the record written."
    )
    matter: Matter | None = Field(
        default=None, description="For `trigger: matter_logged`, the kind of matter."
    )
    tell: list[AudienceExpression] = Field(min_length=1)
    says: Text | None = Field(
        default=None,
        description="What the people told are told, in the council's words (required for a "
        "case event). It must not depend on the case's content: it is the same for every case.",
    )
    when: NotifyWhen = NotifyWhen.PROMPTLY
    within: Key | None = Field(
        default=None, description="With `when: within`, the name of a duration."
    )
    only_if: Text | None = Field(
        default=None,
        description="For a matter logged: a condition the person logging it confirms before "
        "these people are told (e.g. the facility also serves the adjoining divisions).",
    )
    deferred_to: Key | None = Field(
        default=None,
        description="For a duty Accord cannot run yet: the capability that will run it "
        "(see `accord profile capabilities`).",
    )
    cite: Cite

    @property
    def on_case(self) -> bool:
        return self.trigger in CASE_TRIGGERS


class InformationRule(_Model):
    key: Key
    summary: Text
    cite: Cite
    applies_to: list[Text] = Field(default_factory=list)
    kind: InformationRuleKind = Field(
        default=InformationRuleKind.GUIDANCE,
        description="guidance (people follow it; Accord shows it), gate (a procedure runs it: "
        "name it in `enforced_by`) or deferred (name the capability in `deferred_to`).",
    )
    enforced_by: Key | None = Field(
        default=None,
        description="For a gate: the procedure whose consent or step runs it, citing the same "
        "paragraph, or a capability Accord has that runs it (e.g. registers).",
    )
    deferred_to: Key | None = Field(
        default=None, description="For a deferred rule: the capability that will run it."
    )


class ConflictRule(_Model):
    """Who steps in when the person a role expression names has a conflict of interest."""

    role: ActorExpression = Field(
        description="The role or relative role that may be conflicted, e.g. monitoring_officer."
    )
    alternates: list[ActorExpression] = Field(
        min_length=1,
        description="Who acts instead, in order: the first without a conflict takes the step.",
    )
    external: Text | None = Field(
        default=None,
        description="What happens if every alternate is conflicted too, e.g. an external "
        "Monitoring Officer appointed by the Chief Executive.",
    )
    procedures: list[Key] = Field(
        default_factory=list,
        description="The procedures this rule is for; left out, every procedure. A rule for a "
        "procedure takes the place of the general rule for the same role there.",
    )
    cite: Cite

    @property
    def scope(self) -> str:
        """How the rule is told apart from another for the same role."""
        return self.role.text + (f" in {', '.join(self.procedures)}" if self.procedures else "")


class Uncited(_Model):
    """An actionable paragraph this profile deliberately does not encode, and why."""

    cite: Cite
    reason: Text
    deferred_to: Key | None = Field(
        default=None,
        description="Where the paragraph waits for a capability Accord does not have yet, its "
        "name (see `accord profile capabilities`); the reason then says what it will run.",
    )


class Silence(_Model):
    topic: Text
    default: Text
    note: Text | None = None


class Profile(_Model):
    id: Slug
    council: Text
    governance: Governance
    version: Annotated[int, Field(ge=1)]
    source: Source
    supersedes: Annotated[int, Field(ge=1)] | None = None
    roles: dict[Role, RoleTitle] = Field(default_factory=dict)
    calendar: Calendar | None = None
    durations: dict[Key, Duration] = Field(default_factory=dict)
    procedures: dict[Key, Procedure] = Field(default_factory=dict)
    notification_duties: list[NotificationDuty] = Field(default_factory=list)
    information_rules: list[InformationRule] = Field(default_factory=list)
    conflicts: list[ConflictRule] = Field(default_factory=list)
    silences: list[Silence] = Field(default_factory=list)
    uncited: list[Uncited] = Field(
        default_factory=list,
        description="Actionable paragraphs left out on purpose, each with the reason.",
    )

    def procedures_for(self, purpose: Purpose) -> list[str]:
        """The keys of the procedures serving `purpose`, in the order the profile lists them."""
        return [key for key, procedure in self.procedures.items() if procedure.purpose is purpose]

    def conflict_rules_for(self, procedure: str) -> dict[str, ConflictRule]:
        """The conflict rule for each role in `procedure`: its own, else the general one."""
        rules = {r.role.text: r for r in self.conflicts if not r.procedures}
        rules |= {r.role.text: r for r in self.conflicts if procedure in r.procedures}
        return rules

    def role_title(self, role: Role) -> str:
        """The council's own title for `role`, or Accord's default wording."""
        entry = self.roles.get(role)
        return entry.title if entry else role.value.replace("_", " ").capitalize()


def profile_json_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Accord council profile"
    return schema
