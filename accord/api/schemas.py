"""The shapes the API sends and accepts. People are always identified by their person id.

What a client sends is read through a few shared types, so that every input has the same
limits (`accord.core.limits`, listed in docs/api.md): `IntParam` for an integer in a path or
query string, `IntBody` for one in a JSON body, `SearchText` and `QuestionText` for searches,
`Day` for a date. Text with a character no text may hold is refused by `accord.api.checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from annotated_types import Ge, Le, MaxLen
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StrictInt
from pydantic_core import PydanticCustomError

from accord.core import limits

MAX_LIMIT = 200
DEFAULT_LIMIT = 50

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# More digits than this is beyond any limit, however it is written: not worth reading.
_MOST_DIGITS = 12


def _written_as_a_whole_number(value: object) -> object:
    """Only digits, with a minus sign if negative (so that -1 is refused as out of range, not
    as unreadable). Left to itself, pydantic reads " 6", "6\r", "6_000" and "6.0" as numbers,
    and `true` as 1."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        if len(value.lstrip("-").lstrip("0")) > _MOST_DIGITS:
            return -1 if value.startswith("-") else limits.MAX_INTEGER + 1
        return int(value)
    raise PydanticCustomError("int_parsing", "Input should be a whole number written in digits")


# An integer in a path or a query string (an id, `offset`): digits only, 0 to 2^31-1. (The
# range comes before the check on how it is written, so that the description states it; a
# field using it adds no range of its own, which pydantic would not apply.)
IntParam = Annotated[
    int, Ge(0), Le(limits.MAX_INTEGER), BeforeValidator(_written_as_a_whole_number)
]
# `limit`: rows per page, the same way.
LimitParam = Annotated[int, Ge(1), Le(MAX_LIMIT), BeforeValidator(_written_as_a_whole_number)]
# An integer in a JSON body (an id): a JSON integer only (not `true`, `"12"` or `12.0`), in the
# same range.
IntBody = Annotated[StrictInt, Ge(0), Le(limits.MAX_INTEGER)]


def _few_words(most: int) -> AfterValidator:
    def check(value: str) -> str:
        refusal = limits.too_many_words(value, most)
        if refusal is not None:
            raise PydanticCustomError("too_many_words", refusal)
        return value

    return AfterValidator(check)


# A search: at most `limits.MAX_SEARCH_WORDS` words and `MAX_SEARCH_CHARACTERS` characters.
SearchText = Annotated[
    str, MaxLen(limits.MAX_SEARCH_CHARACTERS), _few_words(limits.MAX_SEARCH_WORDS)
]
# A plain question to the library: a sentence, so more words than a search.
QuestionText = Annotated[
    str, MaxLen(limits.MAX_SEARCH_CHARACTERS), _few_words(limits.MAX_QUESTION_WORDS)
]

_WRITTEN_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_as_a_day(value: object) -> object:
    """Only `YYYY-MM-DD` (or a date): left to itself, pydantic reads a number as seconds since
    1970 (`on=0` was 1 January 1970) and a date-time at midnight as its day."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _WRITTEN_DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", "Input should be a date written YYYY-MM-DD")


# A day the client sends: in a query string or a body, always written YYYY-MM-DD.
Day = Annotated[dt.date, BeforeValidator(_written_as_a_day)]


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class PageQuery(Schema):
    limit: LimitParam = Field(DEFAULT_LIMIT, description="Rows per page.")
    offset: IntParam = Field(0, description="Rows to skip.")


class PageMeta(Schema):
    count: int = Field(description="Rows matching the query, across all pages.")
    limit: int
    offset: int
