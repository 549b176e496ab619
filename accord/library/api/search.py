"""/protocols/search and /protocols/ask: full-text search and plain questions over the library.

Thin: `accord.library.selectors.search` and `ask` read only the versions the token's account may
read, so a draft is never returned or counted for anyone but the library's keepers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accord.api import schemas
from accord.api.auth import request_user
from accord.library.selectors import Hit, ask, search

router = Router(tags=["protocols"])

ERRORS: dict[int, Any] = {401: schemas.ErrorOut, 422: schemas.ErrorOut}


class PieceOut(Schema):
    match: bool = Field(description="True for the words the search matched.")
    text: str


class HitOut(Schema):
    citation: str = Field(description='"{document key}@{version label}:{reference}".')
    document: str = Field(description="The document key.")
    version: str = Field(description="The version label.")
    status: str
    reference: str
    heading: str
    anchor: str
    snippet: list[PieceOut]
    rank: float
    explanation: str = Field("", description="Why `ask` chose the paragraph; empty for search.")


class AnswerOut(Schema):
    question: str
    terms_used: list[str]
    explanation: str
    hits: list[HitOut]


class SearchQuery(Schema):
    q: schemas.SearchText = Field(description="Words every paragraph found must use.")


class AskQuery(Schema):
    question: schemas.QuestionText = Field(description="A question in plain words.")


def _hit(hit: Hit) -> dict[str, Any]:
    paragraph = hit.paragraph
    return {
        "citation": hit.citation,
        "document": paragraph.version.document.key,
        "version": paragraph.version.label,
        "status": paragraph.version.status,
        "reference": paragraph.reference,
        "heading": paragraph.heading,
        "anchor": paragraph.anchor,
        "snippet": [{"match": is_match, "text": text} for is_match, text in hit.snippet],
        "rank": hit.rank,
        "explanation": hit.explanation,
    }


@router.get("/search", response={200: list[HitOut], **ERRORS})
def protocol_search(request: HttpRequest, params: Query[SearchQuery]) -> Any:
    """Paragraphs you may read that use every word of `q`, best first (at most 20)."""
    return [_hit(hit) for hit in search(request_user(request), params.q)]


@router.get("/ask", response={200: AnswerOut, **ERRORS})
def protocol_ask(request: HttpRequest, params: Query[AskQuery]) -> Any:
    """The paragraphs in force that best answer a plain question, each with why it was chosen."""
    answer = ask(request_user(request), params.question)
    return {
        "question": answer.question,
        "terms_used": answer.terms_used,
        "explanation": answer.explanation,
        "hits": [_hit(hit) for hit in answer.hits],
    }
