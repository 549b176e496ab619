"""What of a profile Accord runs, and what waits: the honest half of `accord profile check`.

A citation says which paragraph a rule encodes; this report says whether anything executes it.
Rules executed are the procedures' stages, moves, outcomes, timers and conflict rules; duties
executed are those set off by a case event; gates executed are consents in procedures and the
information rules a procedure or an existing capability runs; guidance is shown, never run; and
every duty, rule or paragraph deferred is listed under the capability it waits for, which must
not exist yet (the profile check refuses a deferral to one that does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.profiles.capabilities import CAPABILITIES
from accord.profiles.schema import InformationRuleKind, Profile

__all__ = ["ExecutionReport", "execution_report"]


@dataclass(frozen=True)
class ExecutionReport:
    rules_executed: int
    duties_executed: int
    gates_executed: int
    guidance: int
    # Capability title -> the paragraphs (with what waits there) deferred to it.
    deferred: dict[str, list[str]] = field(default_factory=dict)

    @property
    def deferred_count(self) -> int:
        return sum(len(items) for items in self.deferred.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "rules_executed": self.rules_executed,
            "duties_executed": self.duties_executed,
            "gates_executed": self.gates_executed,
            "information_rules_guidance": self.guidance,
            "deferred": self.deferred,
        }


def execution_report(profile: Profile) -> ExecutionReport:
    rules = len(profile.conflicts)
    consents = 0
    for procedure in profile.procedures.values():
        rules += len(procedure.stages) + len(procedure.transitions) + len(procedure.outcomes)
        rules += sum(1 for stage in procedure.stages if stage.timer is not None)
        rules += 1 if procedure.reopen is not None else 0
        consents += sum(1 for t in procedure.transitions if t.consent is not None)
    deferred: dict[str, list[str]] = {}

    def defer(key: str, line: str) -> None:
        deferred.setdefault(CAPABILITIES[key].title, []).append(line)

    duties = 0
    for duty in profile.notification_duties:
        if duty.on_case:
            duties += 1
        else:
            defer(duty.deferred_to or "local_notices", f"{duty.cite} (duty {duty.key})")
    gates = consents
    guidance = 0
    for rule in profile.information_rules:
        if rule.kind is InformationRuleKind.GATE:
            gates += 1
        elif rule.kind is InformationRuleKind.DEFERRED and rule.deferred_to:
            defer(rule.deferred_to, f"{rule.cite} (rule {rule.key})")
        else:
            guidance += 1
    for uncited in profile.uncited:
        if uncited.deferred_to:
            defer(uncited.deferred_to, f"{uncited.cite} (not cited)")
    return ExecutionReport(
        rules_executed=rules,
        duties_executed=duties,
        gates_executed=gates,
        guidance=guidance,
        deferred=deferred,
    )
