"""Searching the protocol library, and asking it a plain question, in the browser.

Thin: `accord.library.selectors.search` and `ask` decide what the reader may find (drafts only
for the library's keepers); these views parse the query and render.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accord.access import policy
from accord.core import limits
from accord.library.selectors import ask, search
from accord.web.forms import AccordForm, SearchField

MAX_QUERY = limits.MAX_SEARCH_CHARACTERS


class SearchForm(AccordForm):
    q = SearchField(
        label="Search the protocols",
        error_messages={"max_length": f"The search must be {MAX_QUERY} characters or fewer"},
    )


class AskForm(AccordForm):
    question = SearchField(
        label="Your question",
        help_text="For example: can I forward an officer's email to a resident?",
        most_words=limits.MAX_QUESTION_WORDS,
        error_messages={"max_length": f"The question must be {MAX_QUERY} characters or fewer"},
    )


@policy.signed_in
@require_GET
def protocol_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    hits = search(request.user, query) if query else []
    return render(request, "library/search.html", {"form": form, "query": query, "hits": hits})


@policy.signed_in
@require_GET
def protocol_ask(request: HttpRequest) -> HttpResponse:
    form = AskForm(request.GET or None)
    question = form.cleaned_data["question"].strip() if form.is_valid() else ""
    answer = ask(request.user, question) if question else None
    return render(
        request, "library/ask.html", {"form": form, "question": question, "answer": answer}
    )
