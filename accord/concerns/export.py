"""The concerns register as a spreadsheet: the rows a reader may see, one CSV line each.

Rows come from `selectors.concern_rows`, so the export shows exactly what the register page
shows its reader. A cell that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accord.access.actor import Actor
from accord.concerns import selectors
from accord.concerns.models import Concern

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


def _chunks(found: QuerySet[Concern], size: int) -> Iterator[list[Concern]]:
    chunk: list[Concern] = []
    for concern in found.iterator(chunk_size=size):
        chunk.append(concern)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def register_rows(actor: Actor, found: QuerySet[Concern]) -> Iterable[list[str]]:
    """The CSV's rows after its header, read in chunks of a fixed number of queries each, so a
    large register is read evenly."""
    for chunk in _chunks(found, CHUNK):
        for row in selectors.concern_rows(actor, chunk):
            case = row.case
            yield [
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


def write_register(out: Any, actor: Actor, found: QuerySet[Concern]) -> int:
    """Write the header and every row `actor` may see to `out`; how many rows were written."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    written = 0
    for row in register_rows(actor, found):
        writer.writerow(row)
        written += 1
    return written
