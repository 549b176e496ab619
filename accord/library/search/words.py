"""Words as the search reads them: cutting text into words, a rough stem, phrases found in a row,
and the word lists of `accord/library/data/words.toml`, checked and loaded once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

from django.core.exceptions import ImproperlyConfigured
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    ValidationError,
    model_validator,
)

__all__ = [
    "ENDING_IN_Y",
    "OPERATORS",
    "QUESTION_WORDS",
    "STOP_WORDS",
    "SUFFIXES",
    "SYNONYMS",
    "WORDS_FILE",
    "WordLists",
    "find",
    "load",
    "phrase_stems",
    "stem",
    "words",
]

WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "words.toml"
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# The query languages' own operators (FTS5 and PostgreSQL's websearch): never searched for, so
# that no input can change what a query means. Part of the syntax, so not in the data file.
OPERATORS = frozenset({"and", "or", "not", "near"})


def _lower_case(word: str) -> str:
    if not word or word != word.strip().lower():
        raise ValueError(f"{word!r} must be written in lower case, without spaces around it")
    return word


Word = Annotated[StrictStr, AfterValidator(_lower_case)]


class _Stemming(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    suffixes: tuple[Word, ...] = Field(min_length=1)
    ending_in_y: tuple[Word, ...]

    @model_validator(mode="after")
    def _cut_endings(self) -> _Stemming:
        if not set(self.ending_in_y) <= set(self.suffixes):
            raise ValueError("every ending in ending_in_y must be one of the suffixes")
        return self


class WordLists(BaseModel):
    """The shape `words.toml` must have."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stop_words: tuple[Word, ...] = Field(min_length=1)
    question_words: tuple[Word, ...] = Field(min_length=1)
    synonyms: tuple[Annotated[tuple[Word, ...], Field(min_length=2)], ...]
    stemming: _Stemming


def load(path: Path = WORDS_FILE) -> WordLists:
    """The word lists in `path`, refused with the reason if they do not have their shape."""
    try:
        with path.open("rb") as file:
            return WordLists.model_validate(tomllib.load(file))
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as failed:
        raise ImproperlyConfigured(f"{path} is not a valid list of words: {failed}") from failed


_LISTS = load()
# Words that say nothing about what a paragraph is about.
STOP_WORDS = frozenset(_LISTS.stop_words)
QUESTION_WORDS = frozenset(_LISTS.question_words)
# Words the protocols use for the same thing (first: the name the explanation uses).
SYNONYMS: tuple[tuple[str, ...], ...] = _LISTS.synonyms
SUFFIXES: tuple[str, ...] = _LISTS.stemming.suffixes
ENDING_IN_Y = frozenset(_LISTS.stemming.ending_in_y)


def words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in WORD.findall(text)]


def stem(word: str) -> str:
    """A rough stem, good enough to find in a paragraph the words the index matched."""
    word = word.lower().replace("\u2019", "'").removesuffix("'s").strip("'")
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            cut = word[: -len(suffix)]
            return cut + "y" if suffix in ENDING_IN_Y else cut
    return word


def phrase_stems(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(term))


def find(stems: Sequence[str], wanted: tuple[str, ...]) -> list[int]:
    """Start positions where the stems `wanted` occur in a row in `stems`."""
    if not wanted:
        return []
    n = len(wanted)
    return [i for i in range(len(stems) - n + 1) if tuple(stems[i : i + n]) == wanted]
