"""Plain questions answered from the protocols in force, each paragraph saying why it was chosen.

A question is read as the ideas it names (`concepts`): a phrase of the protocols' synonyms is one
idea searched under all its names, any other word that is not a stop word, a question word or an
operator is one idea of its own. The full-text index finds the candidates; the paragraphs that
cover most of the ideas come first, and each says which it covers and where (`explain`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accord.library.models import ProtocolParagraph, ProtocolVersion
from accord.library.search.fulltext import (
    MAX_QUERY,
    Hit,
    paragraphs_by_id,
    ranked_ids,
    snippet,
    version_ids,
)
from accord.library.search.words import (
    OPERATORS,
    QUESTION_WORDS,
    STOP_WORDS,
    SYNONYMS,
    find,
    phrase_stems,
    stem,
    words,
)

__all__ = ["Answer", "Concept", "ask", "concepts"]

# How many candidates `ask` reads before ordering them by the concepts they cover.
ASK_CANDIDATES = 200


@dataclass(frozen=True)
class Answer:
    question: str
    terms_used: list[str]
    hits: list[Hit]
    explanation: str


@dataclass(frozen=True)
class Concept:
    name: str  # as the explanation names it
    variants: tuple[str, ...]  # the terms searched for


def concepts(question: str) -> list[Concept]:
    """The ideas a question names, in the order it names them."""
    found = [w.removesuffix("'s") for w in words(question[:MAX_QUERY])]
    stems = [stem(w) for w in found]
    used = [False] * len(found)
    named: list[Concept] = []
    # Longest variants first, so "member of the public" is read before "member".
    variants = sorted(
        ((group, v) for group in SYNONYMS for v in group), key=lambda gv: -len(words(gv[1]))
    )
    for group, variant in variants:
        wanted = phrase_stems(variant)
        for start in find(stems, wanted):
            span = range(start, start + len(wanted))
            if any(used[i] for i in span):
                continue
            for i in span:
                used[i] = True
            if all(c.variants != group for c in named):
                named.append(Concept(group[0], group))
    for i, word in enumerate(found):
        if used[i] or word in STOP_WORDS or word in QUESTION_WORDS or word in OPERATORS:
            continue
        if len(word) < 2 or word.isdigit():
            continue
        if all(c.variants != (word,) for c in named):
            named.append(Concept(word, (word,)))
    return named


def _covered(paragraph: ProtocolParagraph, concept: Concept) -> str | None:
    """The variant of `concept` the paragraph uses (the literal name first), or None."""
    stems = [stem(w) for w in words(f"{paragraph.heading} {paragraph.text}")]
    for variant in concept.variants:
        if find(stems, phrase_stems(variant)):
            return variant
    return None


def _where(paragraph: ProtocolParagraph) -> str:
    if paragraph.heading:
        return f"in the paragraph headed \u201c{paragraph.heading}\u201d"
    if paragraph.section:
        return f"in paragraph {paragraph.reference}, in the section \u201c{paragraph.section}\u201d"
    return f"in paragraph {paragraph.reference}"


def _explain(matched: list[tuple[Concept, str]], paragraph: ProtocolParagraph) -> str:
    named = [
        c.name if phrase_stems(v) == phrase_stems(c.name) else f"{c.name} (as \u2018{v}\u2019)"
        for c, v in matched
    ]
    where = _where(paragraph)
    version = paragraph.version
    return (
        f"Matched {', '.join(named)}, {where} of {version.document.title} "
        f"({version.label}, {version.get_status_display().lower()})."
    )


def ask(versions: QuerySet[ProtocolVersion], question: str, *, limit: int = 5) -> Answer:
    """The paragraphs of the versions in force among `versions` that best answer a plain
    question, each saying why it was chosen.

    Only `versions` are read: the reader's, from `accord.library.selectors.ask`. Paragraphs are
    ordered by how many of the question's ideas they cover, then by how many they name in the
    question's own words, then by the search rank.
    """
    ideas = concepts(question)
    terms = [v for c in ideas for v in c.variants]
    if not ideas or limit <= 0:
        return Answer(question, terms, [], "The question has no words to search for.")
    in_force = versions.filter(status=ProtocolVersion.Status.IN_FORCE)
    ranked = ranked_ids(version_ids(in_force), terms, any_term=True, limit=ASK_CANDIDATES)
    paragraphs = paragraphs_by_id([pk for pk, _ in ranked])
    scored: list[tuple[tuple[int, int, float, int], Hit]] = []
    for order, (pk, rank) in enumerate(ranked):
        paragraph = paragraphs.get(pk)
        if paragraph is None:
            continue
        matched = [(c, v) for c in ideas if (v := _covered(paragraph, c)) is not None]
        if not matched:
            continue  # the index stems more loosely than `stem`; say nothing we cannot explain
        literal = sum(1 for c, v in matched if phrase_stems(v) == phrase_stems(c.name))
        hit = Hit(
            paragraph=paragraph,
            rank=rank,
            snippet=snippet(paragraph.text, [v for _, v in matched]),
            explanation=_explain(matched, paragraph),
            matched=tuple(c.name for c, _ in matched),
        )
        scored.append(((-len(matched), -literal, -rank, order), hit))
    scored.sort(key=lambda pair: pair[0])
    hits = [hit for _, hit in scored[:limit]]
    names = ", ".join(c.name for c in ideas)
    explanation = (
        f"Searched the protocols in force for {names} (and the words the protocols use for "
        "them), and put first the paragraphs that cover most of them."
        if hits
        else f"No paragraph of a protocol in force mentions {names}."
    )
    return Answer(question, terms, hits, explanation)
