"""The word lists plain questions are read with live in a data file, checked when loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accord.library.search import words

# The lists as the search module held them in its code before they became data.
STOP_WORDS_BEFORE = frozenset(
    {
        "a",
        "able",
        "about",
        "above",
        "after",
        "again",
        "all",
        "allowed",
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
        "ok",
        "okay",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "permitted",
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
    }
)
QUESTION_WORDS_BEFORE = frozenset(
    {"how", "may", "what", "when", "where", "which", "who", "whom", "whose", "why"}
)
SUFFIXES_BEFORE = (
    "ations",
    "ation",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "ed",
    "es",
    "er",
    "ly",
    "s",
)
SYNONYMS_BEFORE = (
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


def test_loading_the_word_lists_gives_the_words_the_search_used_before():
    loaded = words.load()

    assert frozenset(loaded.stop_words) == words.STOP_WORDS == STOP_WORDS_BEFORE
    assert frozenset(loaded.question_words) == words.QUESTION_WORDS == QUESTION_WORDS_BEFORE
    assert words.SUFFIXES == SUFFIXES_BEFORE
    assert {"ies", "ied"} == words.ENDING_IN_Y
    assert words.SYNONYMS == SYNONYMS_BEFORE


def test_stems_cut_the_first_ending_that_leaves_three_letters():
    assert words.stem("parties") == "party"
    assert words.stem("forwarding") == "forward"
    assert words.stem("Officer\u2019s") == "offic"
    assert words.stem("is") == "is"


def _lists(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "words.toml"
    path.write_text(
        'stop_words = ["a"]\nquestion_words = ["why"]\nsynonyms = [["email", "letter"]]\n' + text
    )
    return path


def test_a_word_list_of_the_right_shape_loads(tmp_path):
    path = _lists(tmp_path, '[stemming]\nsuffixes = ["ies", "s"]\nending_in_y = ["ies"]\n')
    assert words.load(path).stemming.suffixes == ("ies", "s")


@pytest.mark.parametrize(
    "stemming",
    [
        '[stemming]\nsuffixes = ["Ies", "s"]\nending_in_y = []\n',
        '[stemming]\nsuffixes = ["s"]\nending_in_y = ["ies"]\n',
        '[stemming]\nsuffixes = ["s", 3]\nending_in_y = []\n',
        '[stemming]\nsuffixes = ["s"]\nending_in_y = []\nprefixes = ["un"]\n',
        "",
    ],
    ids=["upper case", "ending not a suffix", "not a word", "unknown list", "missing list"],
)
def test_a_word_list_of_another_shape_is_refused_naming_the_file(tmp_path, stemming):
    path = _lists(tmp_path, stemming)
    with pytest.raises(ImproperlyConfigured, match=r"words\.toml is not a valid list of words"):
        words.load(path)
