"""Full-text search over the protocol library, and plain questions answered from it.

Only the versions `accord.library.selectors.readable_versions(actor)` gives are searched, so a
draft is never found, returned or counted for someone who may not read it.

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

from accord.access.actor import Actor
from accord.core import limits
from accord.library.models import ProtocolParagraph, ProtocolVersion
from accord.library.selectors import readable_versions

__all__ = [
    "MAX_QUERY",
    "STOP_WORDS",
    "SYNONYMS",
    "Answer",
    "Hit",
    "ask",
    "index_version",
    "query_terms",
    "search",
    "unindex_version",
]

MAX_QUERY = limits.MAX_SEARCH_CHARACTERS
FTS_TABLE = "library_paragraph_fts"
# bm25 weights for the FTS5 columns (paragraph_id, heading, text): a word in a paragraph's
# heading says more about what it is about than the same word in its text.
HEADING_WEIGHT = 4.0
TEXT_WEIGHT = 1.0
SNIPPET_WORDS = 36
SNIPPET_BEFORE = 8
# How many candidates `ask` reads before ordering them by the concepts they cover.
ASK_CANDIDATES = 200

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_OPERATORS = frozenset({"and", "or", "not", "near"})

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


@dataclass(frozen=True)
class Answer:
    question: str
    terms_used: list[str]
    hits: list[Hit]
    explanation: str


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


def _words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


def query_terms(query: str) -> list[str]:
    """The words of a search box's input, without operator words or punctuation."""
    terms: list[str] = []
    for word in _words(query[:MAX_QUERY]):
        word = word.removesuffix("'s")
        if word in _OPERATORS or word in terms:
            continue
        terms.append(word)
    # Searches are refused beyond this many words; this guards callers that did not check.
    return terms[: limits.MAX_SEARCH_WORDS]


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "ed", "es", "er", "ly", "s")


def _stem(word: str) -> str:
    """A rough stem, good enough to find in a paragraph the words the index matched."""
    word = word.lower().replace("\u2019", "'").removesuffix("'s").strip("'")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix in {"ies", "ied"} else stem
    return word


def _phrase_stems(term: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _words(term))


def _find(stems: Sequence[str], wanted: tuple[str, ...]) -> list[int]:
    """Start positions where the stems `wanted` occur in a row in `stems`."""
    if not wanted:
        return []
    n = len(wanted)
    return [i for i in range(len(stems) - n + 1) if tuple(stems[i : i + n]) == wanted]


# -- snippets -----------------------------------------------------------------------------------


def _snippet(text: str, terms: Iterable[str]) -> list[Piece]:
    """The words around the first match, each matched word marked."""
    tokens = re.split(r"([^\W_]+(?:['\u2019][^\W_]+)*)", text)
    # tokens alternate: gap, word, gap, word, ..., gap
    words = tokens[1::2]
    stems = [_stem(w) for w in words]
    marked = [False] * len(words)
    for term in terms:
        wanted = _phrase_stems(term)
        for start in _find(stems, wanted):
            for i in range(start, start + len(wanted)):
                marked[i] = True
    first = next((i for i, m in enumerate(marked) if m), 0)
    start = max(0, first - SNIPPET_BEFORE)
    end = min(len(words), start + SNIPPET_WORDS)
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
        add(marked[i], words[i])
        if i + 1 < end:
            gap = tokens[2 * i + 2]
            # a gap between two marked words of one phrase is part of the match
            add(marked[i] and marked[i + 1], gap)
    if end < len(words):
        add(False, " \u2026")
    elif words:
        add(False, tokens[-1].rstrip())
    return pieces


# -- queries ------------------------------------------------------------------------------------


def _quoted(term: str) -> str:
    return '"' + " ".join(_words(term)) + '"'


def _ranked_ids(
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
    words = (" or " if any_term else " ").join(_quoted(t) for t in terms)
    table = connection.ops.quote_name(ProtocolParagraph._meta.db_table)
    # Written exactly as the index is (0002_search), so that PostgreSQL uses it.
    matches = RawSQL(  # noqa: S611 - constant table names; values are parameters
        f"to_tsvector('english', {table}.heading || ' ' || {table}.text)"
        " @@ websearch_to_tsquery('english', %s)",
        [words],
        output_field=BooleanField(),
    )
    vector = SearchVector("heading", weight="A", config="english") + SearchVector(
        "text", weight="B", config="english"
    )
    query = SearchQuery(words, search_type="websearch", config="english")
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


def _load(ids: Sequence[int]) -> dict[int, ProtocolParagraph]:
    rows = ProtocolParagraph.objects.select_related("version__document").filter(pk__in=ids)
    return {p.pk: p for p in rows}


def _version_ids(versions: QuerySet[ProtocolVersion]) -> list[int]:
    return list(versions.values_list("pk", flat=True))


def search(actor: Actor, query: str, *, limit: int = 20) -> list[Hit]:
    """Paragraphs of the versions the actor may read that contain every word of `query`."""
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    ranked = _ranked_ids(_version_ids(readable_versions(actor)), terms, any_term=False, limit=limit)
    paragraphs = _load([pk for pk, _ in ranked])
    return [
        Hit(paragraph=paragraphs[pk], rank=rank, snippet=_snippet(paragraphs[pk].text, terms))
        for pk, rank in ranked
        if pk in paragraphs
    ]


# -- plain questions ----------------------------------------------------------------------------

# Words that say nothing about what a paragraph is about.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "anyone",
        "anything",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "him",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "let",
        "me",
        "might",
        "must",
        "my",
        "need",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "please",
        "same",
        "she",
        "should",
        "so",
        "some",
        "someone",
        "something",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "very",
        "want",
        "was",
        "we",
        "were",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "ok",
        "okay",
        "allowed",
        "permitted",
        "able",
    ]
)
QUESTION_WORDS = frozenset(
    ["what", "when", "where", "which", "who", "whom", "whose", "why", "how", "may"]
)

# Words the protocols use for the same thing (first: the name the explanation uses). A question
# naming any of them searches for all.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("forward", "share", "pass on", "send on", "disclose", "copy to", "circulate"),
    ("email", "e-mail", "correspondence", "message", "letter"),
    (
        "resident",
        "constituent",
        "member of the public",
        "members of the public",
        "the public",
        "third party",
        "third parties",
    ),
    ("councillor", "member", "elected member"),
    ("officer", "staff", "employee"),
    ("complain", "complaint", "concern", "grievance"),
    ("press", "media", "journalist", "newspaper", "reporter"),
    ("respond", "response", "reply", "answer"),
    ("enquiry", "inquiry", "request", "query", "question"),
    ("confidential", "confidence", "sensitive", "private"),
    ("time", "timescale", "working days", "deadline", "promptly"),
)


@dataclass(frozen=True)
class _Concept:
    name: str  # as the explanation names it
    variants: tuple[str, ...]  # the terms searched for


def _concepts(question: str) -> list[_Concept]:
    words = [w.removesuffix("'s") for w in _words(question[:MAX_QUERY])]
    stems = [_stem(w) for w in words]
    used = [False] * len(words)
    concepts: list[_Concept] = []
    # Longest variants first, so "member of the public" is read before "member".
    variants = sorted(
        ((group, v) for group in SYNONYMS for v in group), key=lambda gv: -len(_words(gv[1]))
    )
    for group, variant in variants:
        wanted = _phrase_stems(variant)
        for start in _find(stems, wanted):
            span = range(start, start + len(wanted))
            if any(used[i] for i in span):
                continue
            for i in span:
                used[i] = True
            if all(c.variants != group for c in concepts):
                concepts.append(_Concept(group[0], group))
    for i, word in enumerate(words):
        if used[i] or word in STOP_WORDS or word in QUESTION_WORDS or word in _OPERATORS:
            continue
        if len(word) < 2 or word.isdigit():
            continue
        if all(c.variants != (word,) for c in concepts):
            concepts.append(_Concept(word, (word,)))
    return concepts


def _covered(paragraph: ProtocolParagraph, concept: _Concept) -> str | None:
    """The variant of `concept` the paragraph uses (the literal name first), or None."""
    stems = [_stem(w) for w in _words(f"{paragraph.heading} {paragraph.text}")]
    for variant in concept.variants:
        if _find(stems, _phrase_stems(variant)):
            return variant
    return None


def _where(paragraph: ProtocolParagraph) -> str:
    if paragraph.heading:
        return f"in the paragraph headed \u201c{paragraph.heading}\u201d"
    if paragraph.section:
        return f"in paragraph {paragraph.reference}, in the section \u201c{paragraph.section}\u201d"
    return f"in paragraph {paragraph.reference}"


def _explain(matched: list[tuple[_Concept, str]], paragraph: ProtocolParagraph) -> str:
    words = [
        c.name if _phrase_stems(v) == _phrase_stems(c.name) else f"{c.name} (as \u2018{v}\u2019)"
        for c, v in matched
    ]
    where = _where(paragraph)
    version = paragraph.version
    return (
        f"Matched {', '.join(words)}, {where} of {version.document.title} "
        f"({version.label}, {version.get_status_display().lower()})."
    )


def ask(actor: Actor, question: str, *, limit: int = 5) -> Answer:
    """The in-force paragraphs that best answer a plain question, each saying why it was chosen.

    Paragraphs are ordered by how many of the question's ideas they cover, then by how many
    they name in the question's own words, then by the search rank.
    """
    concepts = _concepts(question)
    terms = [v for c in concepts for v in c.variants]
    if not concepts or limit <= 0:
        return Answer(question, terms, [], "The question has no words to search for.")
    versions = readable_versions(actor).filter(status=ProtocolVersion.Status.IN_FORCE)
    ranked = _ranked_ids(_version_ids(versions), terms, any_term=True, limit=ASK_CANDIDATES)
    paragraphs = _load([pk for pk, _ in ranked])
    scored: list[tuple[tuple[int, int, float, int], Hit]] = []
    for order, (pk, rank) in enumerate(ranked):
        paragraph = paragraphs.get(pk)
        if paragraph is None:
            continue
        matched = [(c, v) for c in concepts if (v := _covered(paragraph, c)) is not None]
        if not matched:
            continue  # the index stems more loosely than `_stem`; say nothing we cannot explain
        literal = sum(1 for c, v in matched if _phrase_stems(v) == _phrase_stems(c.name))
        hit = Hit(
            paragraph=paragraph,
            rank=rank,
            snippet=_snippet(paragraph.text, [v for _, v in matched]),
            explanation=_explain(matched, paragraph),
            matched=tuple(c.name for c, _ in matched),
        )
        scored.append(((-len(matched), -literal, -rank, order), hit))
    scored.sort(key=lambda pair: pair[0])
    hits = [hit for _, hit in scored[:limit]]
    names = ", ".join(c.name for c in concepts)
    explanation = (
        f"Searched the protocols in force for {names} (and the words the protocols use for "
        "them), and put first the paragraphs that cover most of them."
        if hits
        else f"No paragraph of a protocol in force mentions {names}."
    )
    return Answer(question, terms, hits, explanation)
