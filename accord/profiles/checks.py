"""Checks across a whole profile, run once every field is valid on its own.

Each check reports every problem it finds, with the YAML path of the value to change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from accord.access.roles import Role
from accord.profiles.capabilities import capability
from accord.profiles.expressions import ExpressionKind, Party, Relation, RoleExpression
from accord.profiles.schema import (
    DurationUnit,
    DutyTrigger,
    InformationRuleKind,
    NotificationDuty,
    NotifyWhen,
    Procedure,
    Profile,
    Side,
    TimerAction,
)

__all__ = ["ProfileError", "cross_check"]


@dataclass(frozen=True)
class ProfileError:
    """One problem: where it is (`path`, and the YAML line when known) and what is wrong."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or "(profile)"
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{where}: {self.message}"


# Offices only members hold: a stage where the protocol keeps members out may not use them.
_MEMBER_ROLES = frozenset(
    {
        Role.MEMBER,
        Role.CO_OPTED_MEMBER,
        Role.LEADER,
        Role.DEPUTY_LEADER,
        Role.GROUP_LEADER,
        Role.LEAD_MEMBER,
    }
)


def cross_check(profile: Profile) -> list[ProfileError]:
    errors: list[ProfileError] = []
    errors += _check_supersedes(profile)
    errors += _check_durations(profile)
    for name, procedure in profile.procedures.items():
        errors += _check_procedure(profile, f"procedures.{name}", procedure)
    errors += _check_duties(profile)
    errors += _check_information_rules(profile)
    errors += _check_deferrals(profile)
    errors += _check_conflicts(profile)
    return errors


def _check_supersedes(profile: Profile) -> Iterator[ProfileError]:
    if profile.supersedes is not None and profile.supersedes >= profile.version:
        yield ProfileError(
            "supersedes",
            f"version {profile.version} cannot supersede version {profile.supersedes}: "
            "it must replace an earlier version.",
        )


def _check_durations(profile: Profile) -> Iterator[ProfileError]:
    if profile.calendar is not None:
        return
    for name, duration in profile.durations.items():
        if duration.unit is DurationUnit.WORKING_DAYS:
            yield ProfileError(
                f"durations.{name}.unit",
                f"'{name}' is counted in working days, but the profile has no calendar "
                "to say which days are working days. Add a `calendar` with its region.",
            )


def _check_procedure(profile: Profile, path: str, procedure: Procedure) -> Iterator[ProfileError]:
    stage_keys = [stage.key for stage in procedure.stages]
    outcome_keys = [outcome.key for outcome in procedure.outcomes]
    for key, count in Counter(stage_keys + outcome_keys).items():
        if count > 1:
            yield ProfileError(
                f"{path}.stages", f"'{key}' is used for more than one stage or outcome."
            )
    stages = set(stage_keys)
    outcomes = set(outcome_keys)
    known = stages | outcomes
    if procedure.initial not in stages:
        yield ProfileError(
            f"{path}.initial",
            f"the initial stage '{procedure.initial}' is not one of this procedure's stages.",
        )

    for index, transition in enumerate(procedure.transitions):
        at = f"{path}.transitions[{index}]"
        if transition.from_ in outcomes:
            yield ProfileError(
                f"{at}.from",
                f"'{transition.from_}' is an outcome, which ends the procedure: "
                "no transition may leave it.",
            )
        elif transition.from_ not in stages:
            yield ProfileError(f"{at}.from", f"there is no stage '{transition.from_}'.")
        if transition.to not in known:
            yield ProfileError(f"{at}.to", f"there is no stage or outcome '{transition.to}'.")
        if transition.consent is not None and not transition.consent.from_.can_consent:
            giver = transition.consent.from_.text
            yield ProfileError(
                f"{at}.consent.from",
                f"'{giver}' cannot give consent: only a person the case is about "
                "(raiser or subject) can agree; an office or a role cannot.",
            )

    reached = {transition.to for transition in procedure.transitions}
    if procedure.reopen is not None:
        reached.add(procedure.reopen.to)
    leaving = {transition.from_ for transition in procedure.transitions}
    for index, stage in enumerate(procedure.stages):
        at = f"{path}.stages[{index}]"
        if stage.key != procedure.initial and stage.key not in reached:
            yield ProfileError(
                at, f"no transition reaches stage '{stage.key}', so a case can never get there."
            )
        if stage.key not in leaving:
            yield ProfileError(
                at,
                f"no transition leaves stage '{stage.key}'; a case would stop there for ever. "
                "Add a transition, or make it an outcome.",
            )
        if stage.timer is not None and stage.timer.after not in profile.durations:
            yield ProfileError(
                f"{at}.timer.after", f"there is no duration '{stage.timer.after}' in `durations`."
            )
        if (
            stage.timer is not None
            and stage.timer.action is TimerAction.ESCALATE
            and all(e.kind is ExpressionKind.HANDLERS for e in stage.timer.to)
        ):
            yield ProfileError(
                f"{at}.timer.to",
                "an escalation brings in someone new, but 'handlers' already handle the "
                "stage: name who it escalates to, or use `action: remind`.",
            )
        if stage.no_members:
            yield from _members_at(procedure, at, stage.handlers, "handlers")
            yield from _members_at(procedure, at, stage.visible_to, "visible_to")
        if stage.chooses_role and stage.key != procedure.initial:
            yield ProfileError(
                f"{at}.choose_handler",
                "only the initial stage can let the person raising the case choose its "
                "handler: the choice is made when the case opens. To let whoever brings the "
                "case here choose one person, write `choose_handler: person`.",
            )
        if stage.chooses_role and len(stage.handlers) < 2:
            yield ProfileError(
                f"{at}.choose_handler", "there is nothing to choose: the stage has one handler."
            )
        if stage.chooses_person and any(e.kind is ExpressionKind.PARTY for e in stage.handlers):
            yield ProfileError(
                f"{at}.choose_handler",
                "the person chosen comes from the roles the handlers name; a party to the case "
                "(raiser or subject) is not chosen. Name only roles, such as cmt.",
            )
        if (
            stage.chooses_person
            and procedure.reopen is not None
            and (procedure.reopen.to == stage.key)
        ):
            yield ProfileError(
                f"{at}.choose_handler",
                "a reopened case comes back to this stage with nobody to choose its handler: "
                "reopen it at another stage.",
            )
        if stage.joint and len(stage.handlers) < 2:
            yield ProfileError(
                f"{at}.joint", "joint handling needs two or more handlers: the stage has one."
            )
        if stage.joint and stage.choose_handler:
            yield ProfileError(
                f"{at}.joint",
                "a stage is either handled jointly by all its handlers or by the one the "
                "raiser chooses, not both.",
            )
        if stage.timer is not None:
            for position, expression in enumerate(stage.timer.remind_without_content):
                if expression.kind is ExpressionKind.PARTY:
                    yield ProfileError(
                        f"{at}.timer.remind_without_content[{position}]",
                        f"'{expression.text}' is a party to the case; remind them in `to`.",
                    )
    for index, outcome in enumerate(procedure.outcomes):
        if outcome.key not in reached:
            yield ProfileError(
                f"{path}.outcomes[{index}]",
                f"no transition reaches outcome '{outcome.key}', so a case can never end there.",
            )
        if outcome.retain_for is not None and outcome.retain_for not in profile.durations:
            yield ProfileError(
                f"{path}.outcomes[{index}].retain_for",
                f"there is no duration '{outcome.retain_for}' in `durations`.",
            )
    if procedure.reopen is not None and procedure.reopen.to not in stages:
        yield ProfileError(
            f"{path}.reopen.to",
            f"'{procedure.reopen.to}' is not one of this procedure's stages.",
        )
    if procedure.event is not None and procedure.event.notice not in profile.durations:
        yield ProfileError(
            f"{path}.event.notice",
            f"there is no duration '{procedure.event.notice}' in `durations`.",
        )
    for index, transition in enumerate(procedure.transitions):
        at = f"{path}.transitions[{index}]"
        if transition.reschedules and procedure.event is None:
            yield ProfileError(
                f"{at}.reschedules",
                "there is no date to change: give the procedure an `event` first.",
            )
        if transition.reschedules and transition.to not in stages:
            yield ProfileError(
                f"{at}.reschedules", "a new date is set only on a move to a stage, not an outcome."
            )
        timed = {stage.key for stage in procedure.stages if stage.timer is not None}
        if transition.after_due and transition.from_ not in timed:
            yield ProfileError(
                f"{at}.after_due",
                f"stage '{transition.from_}' has no timer, so there is no time to run out.",
            )
    written = {key for stage in procedure.stages for key in stage.requires_records} | {
        key for transition in procedure.transitions for key in transition.requires_records
    }
    if procedure.every_ending is not None:
        written |= set(procedure.every_ending.requires_records)
    for index, transition in enumerate(procedure.transitions):
        if transition.names_subject is not None and transition.to not in stages:
            yield ProfileError(
                f"{path}.transitions[{index}].names_subject",
                "a step that ends the case cannot name its subject: name them on a step to "
                "a stage.",
            )
    for index, key in enumerate(procedure.shown_to_raiser):
        if key not in written:
            yield ProfileError(
                f"{path}.shown_to_raiser[{index}]",
                f"no stage or step of this procedure writes a '{key}' record.",
            )


def _members_at(
    procedure: Procedure, at: str, expressions: list[RoleExpression], field: str
) -> Iterator[ProfileError]:
    for index, expression in enumerate(expressions):
        if _is_member(procedure, expression):
            yield ProfileError(
                f"{at}.{field}[{index}]",
                f"'{expression.text}' is a member, but this stage is marked no_members.",
            )


def _is_member(procedure: Procedure, expression: RoleExpression) -> bool:
    if expression.kind is ExpressionKind.ROLE:
        return expression.role in _MEMBER_ROLES
    if expression.kind is ExpressionKind.RELATIVE:
        return expression.relation is Relation.GROUP_LEADER
    if expression.kind is ExpressionKind.PARTY:
        side = procedure.raised_by if expression.party is Party.RAISER else procedure.about
        return side is Side.MEMBER
    return False


def _check_duties(profile: Profile) -> Iterator[ProfileError]:
    for index, duty in enumerate(profile.notification_duties):
        at = f"notification_duties[{index}]"
        if duty.when is NotifyWhen.WITHIN:
            if duty.within is None:
                yield ProfileError(
                    f"{at}.within", "`when: within` needs `within:` naming a duration."
                )
            elif duty.within not in profile.durations:
                yield ProfileError(
                    f"{at}.within", f"there is no duration '{duty.within}' in `durations`."
                )
        elif duty.within is not None:
            yield ProfileError(f"{at}.within", "`within:` is used only with `when: within`.")
        if duty.on_case:
            yield from _check_case_duty(profile, at, duty)
        elif duty.matter is None:
            yield ProfileError(
                f"{at}.matter",
                "a duty set off by a matter logged says which kind of matter (`matter:`).",
            )
    for kind, items in (
        ("notification_duties", [duty.key for duty in profile.notification_duties]),
        ("information_rules", [rule.key for rule in profile.information_rules]),
    ):
        for key, count in Counter(items).items():
            if count > 1:
                yield ProfileError(kind, f"the key '{key}' is used more than once.")


_CASE_WHEN = (
    NotifyWhen.PROMPTLY,
    NotifyWhen.BEFORE_PUBLIC,
    NotifyWhen.PROMPTLY_AND_BEFORE_PUBLIC,
    NotifyWhen.BEFORE_START,
)
# What each case event names besides its procedure.
_NEEDS = {
    DutyTrigger.STAGE_ENTERED: "stage",
    DutyTrigger.STAGE_LEFT: "stage",
    DutyTrigger.CONSENT_GIVEN: "stage",
    DutyTrigger.RECORD_WRITTEN: "record",
}


def _check_case_duty(profile: Profile, at: str, duty: NotificationDuty) -> Iterator[ProfileError]:
    if duty.matter is not None:
        yield ProfileError(f"{at}.matter", "`matter:` is only for `trigger: matter_logged`.")
    if duty.only_if is not None:
        yield ProfileError(
            f"{at}.only_if",
            "`only_if:` is for a matter logged; a duty on a case runs on its event.",
        )
    if duty.says is None:
        yield ProfileError(f"{at}.says", "say what the people told are told (`says:`).")
    if duty.when not in _CASE_WHEN:
        yield ProfileError(
            f"{at}.when",
            "a duty on a case is done when its event happens: use `promptly`, "
            "`before_public` where the case carries the day it is made public, or "
            "`before_start` where its procedure leads to a dated event.",
        )
    for index, expression in enumerate(duty.tell):
        if expression.kind is ExpressionKind.AUDIENCE:
            yield ProfileError(
                f"{at}.tell[{index}]",
                f"'{expression.text}' is found from where a matter is, and a case has no "
                "place: name roles or people related to the case.",
            )
    if duty.procedure is None:
        yield ProfileError(
            f"{at}.procedure", f"`trigger: {duty.trigger}` names the procedure it watches."
        )
        return
    procedure = profile.procedures.get(duty.procedure)
    if procedure is None:
        yield ProfileError(f"{at}.procedure", f"there is no procedure '{duty.procedure}'.")
        return
    if duty.when is NotifyWhen.BEFORE_START and procedure.event is None:
        yield ProfileError(
            f"{at}.when",
            f"`before_start` counts back from the date of the procedure's event, and "
            f"'{duty.procedure}' has no `event`.",
        )
    stages = {stage.key for stage in procedure.stages}
    needed = _NEEDS.get(duty.trigger)
    for field in ("stage", "outcome", "record"):
        value = getattr(duty, field)
        if (
            value is not None
            and field != needed
            and not (field == "outcome" and duty.trigger is DutyTrigger.OUTCOME)
        ):
            yield ProfileError(
                f"{at}.{field}", f"`{field}:` is not used with `trigger: {duty.trigger}`."
            )
    if needed == "stage":
        if duty.stage is None:
            yield ProfileError(f"{at}.stage", f"`trigger: {duty.trigger}` names the stage.")
        elif duty.trigger is DutyTrigger.CONSENT_GIVEN:
            gated = {t.to for t in procedure.transitions if t.consent is not None}
            if duty.stage not in gated:
                yield ProfileError(
                    f"{at}.stage",
                    f"no move to '{duty.stage}' in '{duty.procedure}' needs consent.",
                )
        elif duty.stage not in stages:
            yield ProfileError(f"{at}.stage", f"'{duty.procedure}' has no stage '{duty.stage}'.")
    outcomes = {outcome.key for outcome in procedure.outcomes}
    if (
        duty.trigger is DutyTrigger.OUTCOME
        and duty.outcome is not None
        and duty.outcome not in outcomes
    ):
        yield ProfileError(f"{at}.outcome", f"'{duty.procedure}' has no outcome '{duty.outcome}'.")
    if needed == "record":
        written = {key for stage in procedure.stages for key in stage.requires_records} | {
            key for transition in procedure.transitions for key in transition.requires_records
        }
        if duty.record is None:
            yield ProfileError(f"{at}.record", "`trigger: record_written` names the record.")
        elif duty.record not in written:
            yield ProfileError(
                f"{at}.record", f"no stage or step of '{duty.procedure}' writes '{duty.record}'."
            )


def _check_information_rules(profile: Profile) -> Iterator[ProfileError]:
    for index, rule in enumerate(profile.information_rules):
        at = f"information_rules[{index}]"
        if rule.kind is InformationRuleKind.GATE:
            yield from _check_gate(profile, at, rule.enforced_by, rule.cite)
        elif rule.enforced_by is not None:
            yield ProfileError(f"{at}.enforced_by", "`enforced_by:` is only for `kind: gate`.")
        if rule.kind is InformationRuleKind.DEFERRED and rule.deferred_to is None:
            yield ProfileError(
                f"{at}.deferred_to", "a deferred rule names the capability that will run it."
            )
        elif rule.kind is not InformationRuleKind.DEFERRED and rule.deferred_to is not None:
            yield ProfileError(f"{at}.deferred_to", "`deferred_to:` is only for `kind: deferred`.")


def _check_gate(
    profile: Profile, at: str, enforced_by: str | None, cite: str
) -> Iterator[ProfileError]:
    if enforced_by is None:
        yield ProfileError(f"{at}.enforced_by", "a gate names the procedure that runs it.")
        return
    runner = capability(enforced_by)
    if runner is not None:
        if not runner.exists:
            yield ProfileError(
                f"{at}.enforced_by",
                f"{runner.title} does not exist yet: make the rule `kind: deferred`.",
            )
        return
    procedure = profile.procedures.get(enforced_by)
    if procedure is None:
        yield ProfileError(
            f"{at}.enforced_by", f"there is no procedure or capability '{enforced_by}'."
        )
    elif not any(_within(c, cite) for c in _cites(procedure)):
        yield ProfileError(
            f"{at}.enforced_by",
            f"nothing in '{enforced_by}' cites {cite}, so nothing there runs this rule.",
        )


def _cites(procedure: Procedure) -> Iterator[str]:
    yield procedure.cite
    for stage in procedure.stages:
        yield stage.cite
        if stage.timer is not None:
            yield stage.timer.cite
    for transition in procedure.transitions:
        yield transition.cite
        if transition.consent is not None:
            yield transition.consent.cite
    for outcome in procedure.outcomes:
        yield outcome.cite


def _within(cite: str, of: str) -> bool:
    """Whether `cite` is the paragraph `of` or numbered under it ("5.12" is within "5.12",
    "50(c)" within "50")."""
    return cite == of or cite.startswith(of + "(") or cite.startswith(of + ".")


def _check_deferrals(profile: Profile) -> Iterator[ProfileError]:
    named = [
        (f"notification_duties[{i}].deferred_to", d.deferred_to)
        for i, d in enumerate(profile.notification_duties)
    ]
    named += [
        (f"information_rules[{i}].deferred_to", r.deferred_to)
        for i, r in enumerate(profile.information_rules)
    ]
    named += [(f"uncited[{i}].deferred_to", u.deferred_to) for i, u in enumerate(profile.uncited)]
    for index, duty in enumerate(profile.notification_duties):
        if duty.on_case and duty.deferred_to is not None:
            yield ProfileError(
                f"notification_duties[{index}].deferred_to",
                "Accord runs duties on a case: remove `deferred_to`.",
            )
    for at, key in named:
        if key is None:
            continue
        found = capability(key)
        if found is None:
            yield ProfileError(at, f"'{key}' is not a capability (`accord profile capabilities`).")
        elif found.exists:
            yield ProfileError(
                at,
                f"{found.title} exists now, so nothing waits for it: encode the rule, or say "
                "why it is not for Accord.",
            )


def _check_conflicts(profile: Profile) -> Iterator[ProfileError]:
    seen: set[str] = set()
    for index, rule in enumerate(profile.conflicts):
        at = f"conflicts[{index}]"
        if rule.role.kind is ExpressionKind.PARTY:
            yield ProfileError(
                f"{at}.role",
                f"'{rule.role.text}' is a party to the case, who is never given a step: "
                "name the role that might be conflicted, such as monitoring_officer.",
            )
        scopes = [f"{rule.role.text}@{key}" for key in rule.procedures] or [rule.role.text]
        if seen & set(scopes):
            where = f" for {', '.join(rule.procedures)}" if rule.procedures else ""
            yield ProfileError(f"{at}.role", f"'{rule.role.text}' has more than one rule{where}.")
        seen.update(scopes)
        for position, key in enumerate(rule.procedures):
            if key not in profile.procedures:
                yield ProfileError(
                    f"{at}.procedures[{position}]", f"there is no procedure '{key}'."
                )
        for position, alternate in enumerate(rule.alternates):
            if alternate.kind is ExpressionKind.PARTY:
                yield ProfileError(
                    f"{at}.alternates[{position}]",
                    f"'{alternate.text}' is a party to the case and cannot act instead.",
                )
            elif alternate.text == rule.role.text:
                yield ProfileError(
                    f"{at}.alternates[{position}]",
                    f"'{alternate.text}' cannot stand in for itself.",
                )
