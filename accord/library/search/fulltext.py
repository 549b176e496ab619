"""Full-text search over the protocol library: the index, ranked matches and their snippets.

SQLite keeps an FTS5 table, `library_paragraph_fts`, that `index_version` fills (the import and
status-change services call it in their transaction); PostgreSQL searches the paragraph table
itself through a GIN index on `to_tsvector('english', heading || ' ' || text)`, which it keeps
up to date by itself. Both are created by migration 0002_search.

User input is never passed to either query language as written: it is cut into words, operator
words are dropped and each word is quoted, so no input can make a query fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from accord.core import limits
from accord.library.models import ProtocolParagraph, ProtocolVersion
from accord.library.search.words import OPERATORS, find, phrase_stems, stem, words

__all__ = [
    "MAX_QUERY",
    "Hit",
    "index_version",
    "paragraphs_by_id",
    "query_terms",
    "ranked_ids",
    "search",
    "snippet",
    "unindex_version",
    "version_ids",
]

MAX_QUERY = limits.MAX_SEARCH_CHARACTERS
FTS_TABLE = "library_paragraph_fts"
# bm25 weights for the FTS5 columns (paragraph_id, heading, text): a word in a paragraph's
# heading says more about what it is about than the same word in its text.
HEADING_WEIGHT = 4.0
TEXT_WEIGHT = 1.0
SNIPPET_WORDS = 36
SNIPPET_BEFORE = 8

Piece = tuple[bool, str]


@dataclass(frozen=True)
class Hit:
    """A paragraph found, with its version and document loaded."""

    paragraph: ProtocolParagraph
    rank: float
    # The words around the match: (is_match, text) pieces, plain text (the template escapes).
    snippet: list[Piece]
    # Why `ask` chose it, in words; "" for `search`.
    explanation: str = ""
    matched: tuple[str, ...] = ()

    @property
    def citation(self) -> str:
        return self.paragraph.citation

    @property
    def version(self) -> ProtocolVersion:
        return self.paragraph.version


# -- the index ----------------------------------------------------------------------------------


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_version(version: ProtocolVersion) -> None:
    """(Re)index a version's paragraphs; idempotent. Call it inside the writing transaction."""
    if not _sqlite():
        return  # PostgreSQL's functional index follows the paragraph table by itself.
    unindex_version(version)
    rows = ProtocolParagraph.objects.filter(version=version).values_list("pk", "heading", "text")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (paragraph_id, heading, text) VALUES (%s, %s, %s)",  # noqa: S608 - constant table names; values are parameters
            [(pk, heading, text) for pk, heading, text in rows],
        )


def unindex_version(version: ProtocolVersion) -> None:
    """Take a version's paragraphs out of the index (before deleting or re-importing it)."""
    if not _sqlite():
        return
    ids = list(ProtocolParagraph.objects.filter(version=version).values_list("pk", flat=True))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE paragraph_id IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608 - constant table names; values are parameters
            ids,
        )


# -- words --------------------------------------------------------------------------------------


def query_terms(query: str) -> list[str]:
    """The words of a search box's input, without operator words or punctuation."""
    terms: list[str] = []
    for word in words(query[:MAX_QUERY]):
        word = word.removesuffix("'s")
        if word in OPERATORS or word in terms:
            continue
        terms.append(word)
    # Searches are refused beyond this many words; this guards callers that did not check.
    return terms[: limits.MAX_SEARCH_WORDS]


# -- snippets -----------------------------------------------------------------------------------


def snippet(text: str, terms: Iterable[str]) -> list[Piece]:
    """The words around the first match, each matched word marked."""
    tokens = re.split(r"([^\W_]+(?:['\u2019][^\W_]+)*)", text)
    # tokens alternate: gap, word, gap, word, ..., gap
    found = tokens[1::2]
    stems = [stem(w) for w in found]
    marked = [False] * len(found)
    for term in terms:
        wanted = phrase_stems(term)
        for start in find(stems, wanted):
            for i in range(start, start + len(wanted)):
                marked[i] = True
    first = next((i for i, m in enumerate(marked) if m), 0)
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(found), start + SNIPPET_WORDS)
    pieces: list[Piece] = []

    def add(is_match: bool, piece: str) -> None:
        if not piece:
            return
        if pieces and pieces[-1][0] == is_match:
            pieces[-1] = (is_match, pieces[-1][1] + piece)
        else:
            pieces.append((is_match, piece))

    if start > 0:
        add(False, "\u2026 ")
    for i in range(start, end):
        add(marked[i], found[i])
        if i + 1 < end:
            gap = tokens[2 * i + 2]
            # a gap between two marked words of one phrase is part of the match
            add(marked[i] and marked[i + 1], gap)
    if end < len(found):
        add(False, " \u2026")
    elif found:
        add(False, tokens[-1].rstrip())
    return pieces


# -- queries ------------------------------------------------------------------------------------


def _quoted(term: str) -> str:
    return '"' + " ".join(words(term)) + '"'


def ranked_ids(
    version_ids: list[int], terms: Sequence[str], *, any_term: bool, limit: int
) -> list[tuple[int, float]]:
    """(paragraph id, rank: higher is better) of the best matches, ties to the version in force."""
    if not version_ids or not terms:
        return []
    if _sqlite():
        return _ranked_ids_sqlite(version_ids, terms, any_term=any_term, limit=limit)
    return _ranked_ids_postgres(version_ids, terms, any_term=any_term, limit=limit)


def _ranked_ids_sqlite(
    version_ids: list[int], terms: Sequence[str], *, any_term: bool, limit: int
) -> list[tuple[int, float]]:
    match = (" OR " if any_term else " ").join(_quoted(t) for t in terms)
    paragraphs = ProtocolParagraph._meta.db_table
    versions = ProtocolVersion._meta.db_table
    placeholders = ", ".join(["%s"] * len(version_ids))
    sql = (
        f"SELECT p.id, bm25({FTS_TABLE}, 0.0, %s, %s) AS score"  # noqa: S608 - constant table names; values are parameters
        f" FROM {FTS_TABLE} JOIN {paragraphs} p ON p.id = {FTS_TABLE}.paragraph_id"
        f" JOIN {versions} v ON v.id = p.version_id"
        f" WHERE {FTS_TABLE} MATCH %s AND p.version_id IN ({placeholders})"
        " ORDER BY round(score, 6), CASE v.status WHEN 'in_force' THEN 0 ELSE 1 END,"
        " v.in_force_from DESC, p.version_id DESC, p.position LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEADING_WEIGHT, TEXT_WEIGHT, match, *version_ids, limit])
        return [(int(pk), -float(score)) for pk, score in cursor.fetchall()]


def _ranked_ids_postgres(
    version_ids: list[int], terms: Sequence[str], *, any_term: bool, limit: int
) -> list[tuple[int, float]]:
    searched = (" or " if any_term else " ").join(_quoted(t) for t in terms)
    table = connection.ops.quote_name(ProtocolParagraph._meta.db_table)
    # Written exactly as the index is (0002_search), so that PostgreSQL uses it.
    matches = RawSQL(  # noqa: S611 - constant table names; values are parameters
        f"to_tsvector('english', {table}.heading || ' ' || {table}.text)"
        " @@ websearch_to_tsquery('english', %s)",
        [searched],
        output_field=BooleanField(),
    )
    vector = SearchVector("heading", weight="A", config="english") + SearchVector(
        "text", weight="B", config="english"
    )
    query = SearchQuery(searched, search_type="websearch", config="english")
    rows = (
        ProtocolParagraph.objects.filter(matches, version_id__in=version_ids)
        .annotate(
            # 1: divided by the log of the length, so a short paragraph outranks a long one.
            score=SearchRank(vector, query, normalization=Value(1)),
            not_in_force=Case(
                When(version__status=ProtocolVersion.Status.IN_FORCE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("-score", "not_in_force", "-version__in_force_from", "-version_id", "position")
        .values_list("pk", "score")[:limit]
    )
    return [(int(pk), float(score)) for pk, score in rows]


def paragraphs_by_id(ids: Sequence[int]) -> dict[int, ProtocolParagraph]:
    rows = ProtocolParagraph.objects.select_related("version__document").filter(pk__in=ids)
    return {p.pk: p for p in rows}


def version_ids(versions: QuerySet[ProtocolVersion]) -> list[int]:
    return list(versions.values_list("pk", flat=True))


def search(versions: QuerySet[ProtocolVersion], query: str, *, limit: int = 20) -> list[Hit]:
    """Paragraphs of `versions` that contain every word of `query`, best first.

    Only `versions` are searched: the reader's, from `accord.library.selectors.search`."""
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    ranked = ranked_ids(version_ids(versions), terms, any_term=False, limit=limit)
    paragraphs = paragraphs_by_id([pk for pk, _ in ranked])
    return [
        Hit(paragraph=paragraphs[pk], rank=rank, snippet=snippet(paragraphs[pk].text, terms))
        for pk, rank in ranked
        if pk in paragraphs
    ]
