"""The concerns register as a spreadsheet: one CSV line for each row a reader may see.

Nothing here reads a concern: `selectors.register_csv` hands in the rows `concern_rows` gives
the reader, so the export shows exactly what the register page shows them. A cell that a
spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from accord.concerns.models import Concern
    from accord.concerns.selectors import ConcernRow

COLUMNS = [
    "Public id",
    "Opened",
    "Closed",
    "Direction",
    "Procedure",
    "Stage",
    "Outcome",
    "About",
    "Raised by",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 200


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def chunks(found: QuerySet[Concern], size: int = CHUNK) -> Iterator[list[Concern]]:
    """`found` in lists of `size`, so the rows of each are read in a fixed number of queries."""
    chunk: list[Concern] = []
    for concern in found.iterator(chunk_size=size):
        chunk.append(concern)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def cells(row: ConcernRow) -> list[str]:
    case = row.case
    return [
        cell(value)
        for value in (
            row.public_id,
            timezone.localdate(case.opened_at).isoformat(),
            timezone.localdate(case.closed_at).isoformat() if case.closed_at else "",
            row.direction_label,
            case.procedure_title,
            case.stage_title,
            case.outcome_title or "",
            row.subject_name,
            row.raiser_name or "",
        )
    ]


def write_register(out: Any, rows: Iterable[ConcernRow]) -> int:
    """Write the header and a line for each of `rows` to `out`; how many lines of rows."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    written = 0
    for row in rows:
        writer.writerow(cells(row))
        written += 1
    return written
