"""Searching the library and asking it a plain question, as the actor may: only the versions
`readable_versions(actor)` gives are read, so a draft is never found, returned or counted for
someone who may not read it."""

from __future__ import annotations

from accord.access.actor import Actor
from accord.library.search import fulltext, questions
from accord.library.search.fulltext import Hit
from accord.library.search.questions import Answer
from accord.library.selectors.versions import readable_versions

__all__ = ["Answer", "Hit", "ask", "search"]


def search(actor: Actor, query: str, *, limit: int = 20) -> list[Hit]:
    """Paragraphs of the versions the actor may read that contain every word of `query`."""
    return fulltext.search(readable_versions(actor), query, limit=limit)


def ask(actor: Actor, question: str, *, limit: int = 5) -> Answer:
    """The in-force paragraphs the actor may read that best answer a plain question, each saying
    why it was chosen."""
    return questions.ask(readable_versions(actor), question, limit=limit)
