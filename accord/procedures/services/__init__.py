"""Writes of the procedure engine, one module per action: opening a case (`opening`), giving
its stages out with conflicts checked (`assignment`), moving it (`moving`, whose
`move_with_history` is the one step every write changing a case's stage or history takes),
consent, joint engagement, reopening, material involvement, timers firing and retention.

Every write is one transaction with its audit event; tasks are queued only once it commits.
The names below are the engine's public writes; import them from here or from their module.
"""

from accord.procedures.deadlines import due_on
from accord.procedures.services.assignment import conflicts_recheck
from accord.procedures.services.consent import consent_give, consent_withdraw
from accord.procedures.services.duties import notices_read
from accord.procedures.services.engagement import engagement_record
from accord.procedures.services.involvement import involvement_record
from accord.procedures.services.moving import case_transition
from accord.procedures.services.opening import case_open
from accord.procedures.services.reopening import case_reopen
from accord.procedures.services.retention import cases_expire
from accord.procedures.services.timers import timer_fire, timers_sweep

__all__ = [
    "case_open",
    "case_reopen",
    "case_transition",
    "cases_expire",
    "conflicts_recheck",
    "consent_give",
    "consent_withdraw",
    "due_on",
    "engagement_record",
    "involvement_record",
    "notices_read",
    "timer_fire",
    "timers_sweep",
]
