"""The capabilities a profile's rules can be run by, and whether Accord has each yet.

A profile may leave a paragraph, a duty or an information rule to a capability Accord does not
have yet (`deferred_to:`), so that its coverage report is honest about what runs today and what
waits. Naming a capability that exists is refused: once it exists, the rule must be encoded or
explained for what it is.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CAPABILITIES", "Capability", "capability"]


@dataclass(frozen=True)
class Capability:
    key: str
    title: str
    exists: bool
    runs: str


CAPABILITIES: dict[str, Capability] = {
    c.key: c
    for c in (
        Capability(
            "procedures",
            "Procedures on the case engine",
            True,
            "stages, moves, consents, timers, conflicts and duties on a case",
        ),
        Capability(
            "concerns",
            "Conduct concerns",
            True,
            "officers' concerns about members and members' concerns about officers",
        ),
        Capability(
            "protocol_library",
            "Protocol library",
            True,
            "the protocol's versions, acknowledgements and reviews",
        ),
        Capability(
            "registers",
            "Registers",
            True,
            "declared close relationships and other registers read for conflicts",
        ),
        Capability(
            "local_notices",
            "Keeping members informed",
            False,
            "matters logged for a division, and the notices to its members before they are "
            "made public",
        ),
        Capability(
            "member_enquiries",
            "Councillors' enquiries",
            False,
            "a councillor's question and its answer, routing, forwarding and the consents "
            "around correspondence",
        ),
        Capability(
            "statutory_officers",
            "Statutory officers' reports and referrals",
            False,
            "section 114 and section 5 reports, referrals to the police, auditors or "
            "regulators, and the people outside the council they involve",
        ),
        Capability(
            "information_barriers",
            "Information barriers",
            False,
            "party-political confidences and briefings shared between political groups",
        ),
        Capability(
            "assurance",
            "Assurance and training",
            False,
            "training, annual reports and reviews of how the protocol is working",
        ),
    )
}


def capability(key: str) -> Capability | None:
    return CAPABILITIES.get(key)
