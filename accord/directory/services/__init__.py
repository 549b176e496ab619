"""Every write to the council directory.

Each service takes keyword arguments only, checks all of its input before writing anything
(raising `ValidationFailed` whose errors name the offending field), runs in one transaction and
records one audit event in that transaction. Roles, designations, memberships and
administrations are dated rows: ending one sets `ends_on`, never deletes it, so the directory can
answer "who was who on day D" for as long as records are kept.
"""

from accord.directory.importing import ImportResult, RowError, directory_import_csv
from accord.directory.services._common import ADMINISTRATION_ROLES
from accord.directory.services.administration import (
    administration_change,
)
from accord.directory.services.committees import (
    committee_add_member,
    committee_create,
)
from accord.directory.services.council import (
    council_configure,
    directorate_create,
    division_create,
    division_set_adjacent,
    group_create,
)
from accord.directory.services.people import (
    member_create,
    member_update,
    officer_create,
    officer_update,
)
from accord.directory.services.roles import (
    role_appoint,
    role_end,
)
from accord.directory.services.statutory import (
    absence_record,
    statutory_designate,
    statutory_designation_end,
)

__all__ = [
    "ADMINISTRATION_ROLES",
    "ImportResult",
    "RowError",
    "absence_record",
    "administration_change",
    "committee_add_member",
    "committee_create",
    "council_configure",
    "directorate_create",
    "directory_import_csv",
    "division_create",
    "division_set_adjacent",
    "group_create",
    "member_create",
    "member_update",
    "officer_create",
    "officer_update",
    "role_appoint",
    "role_end",
    "statutory_designate",
    "statutory_designation_end",
]
