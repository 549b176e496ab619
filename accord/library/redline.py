"""The redline between two versions of a protocol: which paragraph became which, and its words.

`compare(old, new)` pairs each paragraph or item of the old version with at most one of the
new by what they say, never by line or by number, in four steps:

1. Candidates: every old/new pair whose words are at least `ALIGNED` alike (difflib's ratio
   over lower-cased words, so case, punctuation and curly quotes do not count against a pair).
   Two upper bounds of that ratio (the lengths, then the words the pair shares) rule out most
   pairs before difflib runs, so a few hundred paragraphs a side compare in well under a second.
   A pair is dropped if either side has a partner far more alike (`_OUTCLASSED`).
2. In place: the heaviest set of candidates that keeps both versions' order (a weighted longest
   increasing subsequence) are the paragraphs that stayed where they were, renumbered or not.
3. Moved: of the paragraphs left, pairs at least `MOVED` alike, strongest first; they are out of
   order with their neighbours, or step 2 would have kept them.
4. Rewritten in place: between two neighbouring pairs from step 2, paragraphs still unpaired on
   both sides are paired in order at a lower bar (`REWRITTEN`, or `REWRITTEN_SAME_NUMBER` when
   the number did not change). This finds a paragraph rewritten where it stood, without pairing
   two unrelated paragraphs that merely share the council's vocabulary.

What is left is deleted (old) or inserted (new). A pair is `same` (same reference and words),
`changed` (same reference, other words), `renumbered` (in order, another reference) or `moved`.

Word changes are difflib opcodes over words, spaces and punctuation marks, with short unchanged
runs between two changes folded into them ("joint or single" -> "single or joint" is one
change, not three). Joining a change's "same" and "del" pieces gives the old text exactly, and
"same" and "ins" the new.

The HTML is the templates' (`library/_redline.html`, and `library/redline_pdf.html` for the PDF):
every piece of text is autoescaped, and it uses classes only (styled by
`accord/web/assets/scss/_redline.scss`), never inline style or script.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final, Literal, Protocol

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from accord.core import clock

__all__ = [
    "ALIGNED",
    "KINDS",
    "MOVED",
    "REWRITTEN",
    "REWRITTEN_SAME_NUMBER",
    "Change",
    "ParagraphLike",
    "Redline",
    "compare",
    "pdf_document",
    "render_html",
    "render_pdf",
    "render_text",
    "similarity",
    "word_ops",
]

Kind = Literal["same", "changed", "renumbered", "moved", "inserted", "deleted"]
KINDS: Final[tuple[Kind, ...]] = ("same", "changed", "renumbered", "moved", "inserted", "deleted")
Words = tuple[tuple[str, str], ...]

# Measured on the Leicestershire protocol's two versions: paragraphs that stayed are 0.57-1.0
# alike, rewritten ones 0.24-0.36, and the best unrelated pair in the same gap 0.18.
ALIGNED: Final = 0.5
MOVED: Final = 0.6
REWRITTEN: Final = 0.25
REWRITTEN_SAME_NUMBER: Final = 0.2
# A pair is not considered if either side has a partner this much more alike: a short lead-in
# ("The Monitoring Officer will:") is half like many others, and must not be kept in place with
# one of them when its own counterpart moved.
_OUTCLASSED: Final = 0.25
# Breaks ties between equally alike pairs (repeated wording) in favour of the same number.
_SAME_NUMBER_BONUS: Final = 0.01

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


class ParagraphLike(Protocol):
    """What the redline reads of a paragraph: `ParsedParagraph`, `ProtocolParagraph`, ..."""

    @property
    def reference(self) -> str: ...

    @property
    def heading(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Change:
    """One paragraph's fate: `old` and `new` are None for an inserted or a deleted one."""

    kind: Kind
    old: ParagraphLike | None
    new: ParagraphLike | None
    similarity: float
    words: Words
    heading_words: Words = ()

    @property
    def old_reference(self) -> str:
        return self.old.reference if self.old is not None else ""

    @property
    def new_reference(self) -> str:
        return self.new.reference if self.new is not None else ""

    @property
    def reference(self) -> str:
        """The reference it has now, or had if it was deleted."""
        return self.new_reference or self.old_reference

    @property
    def heading(self) -> str:
        paragraph = self.new if self.new is not None else self.old
        return paragraph.heading if paragraph is not None else ""

    @property
    def reworded(self) -> bool:
        """True if a paired paragraph's words or heading changed."""
        if self.old is None or self.new is None:
            return False
        return any(op != "same" for op, _ in (*self.words, *self.heading_words))


@dataclass(frozen=True)
class Redline:
    """The changes in the new version's order, each deleted paragraph where it used to be."""

    changes: list[Change]

    def counts(self) -> dict[str, int]:
        counted = Counter(change.kind for change in self.changes)
        return {kind: counted[kind] for kind in KINDS}

    def differences(self) -> list[Change]:
        return [change for change in self.changes if change.kind != "same"]


# --- pairing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    words: tuple[str, ...]
    # Each word with its occurrence number, so that a set intersection counts shared words
    # with their multiplicity: the upper bound difflib's quick_ratio computes, at set speed.
    bag: frozenset[tuple[str, int]]


def _unit(paragraph: ParagraphLike) -> _Unit:
    words = tuple(_WORD.findall(f"{paragraph.heading} {paragraph.text}".casefold()))
    seen: Counter[str] = Counter()
    bag = []
    for word in words:
        seen[word] += 1
        bag.append((word, seen[word]))
    return _Unit(words, frozenset(bag))


def similarity(old: ParagraphLike, new: ParagraphLike) -> float:
    """How alike two paragraphs' words are, from 0 to 1 (difflib's ratio over their words)."""
    return _Scorer([_unit(old)], [_unit(new)]).score(0, 0, 0.0)


class _Scorer:
    def __init__(self, olds: list[_Unit], news: list[_Unit]) -> None:
        self.olds, self.news = olds, news
        self._matchers: dict[int, SequenceMatcher[str]] = {}
        self._known: dict[tuple[int, int], float] = {}

    def score(self, i: int, j: int, at_least: float) -> float:
        """The pair's similarity, or 0.0 once it is certain to be below `at_least`."""
        if (i, j) in self._known:
            return self._known[i, j]
        a, b = self.olds[i], self.news[j]
        total = len(a.words) + len(b.words)
        if total == 0:
            return 1.0
        if 2 * min(len(a.words), len(b.words)) < at_least * total:
            return 0.0
        if 2 * len(a.bag & b.bag) < at_least * total:
            return 0.0
        if a.words == b.words:
            value = 1.0
        else:
            matcher = self._matchers.get(j)
            if matcher is None:
                matcher = self._matchers[j] = SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(list(b.words))
            matcher.set_seq1(list(a.words))
            value = matcher.ratio()
        self._known[i, j] = value
        return value


def _increasing(pairs: Sequence[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """The heaviest subset of (old, new, weight) pairs in which old and new both increase."""
    if not pairs:
        return []
    size = max(j for _, j, _ in pairs) + 1
    # A Fenwick tree over new indexes holding the best chain ending before each one.
    tree_value = [0.0] * (size + 1)
    tree_at = [-1] * (size + 1)
    best = [0.0] * len(pairs)
    back = [-1] * len(pairs)
    # Within one old index new ones go downwards, so no two pairs of one old paragraph chain.
    for k in sorted(range(len(pairs)), key=lambda k: (pairs[k][0], -pairs[k][1])):
        _, j, weight = pairs[k]
        value, at, position = 0.0, -1, j
        while position > 0:
            if tree_value[position] > value:
                value, at = tree_value[position], tree_at[position]
            position -= position & -position
        best[k], back[k] = value + weight, at
        position = j + 1
        while position <= size:
            if best[k] > tree_value[position]:
                tree_value[position], tree_at[position] = best[k], k
            position += position & -position
    end = max(range(len(pairs)), key=best.__getitem__)
    chain = []
    while end != -1:
        chain.append(pairs[end])
        end = back[end]
    return chain[::-1]


def _plausible(candidates: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Drop a pair if either paragraph has a partner far more alike than the other one."""
    best_old: dict[int, float] = {}
    best_new: dict[int, float] = {}
    for i, j, value in candidates:
        best_old[i] = max(best_old.get(i, 0.0), value)
        best_new[j] = max(best_new.get(j, 0.0), value)
    return [
        (i, j, value)
        for i, j, value in candidates
        if value + _OUTCLASSED > max(best_old[i], best_new[j])
    ]


def compare(old: Sequence[ParagraphLike], new: Sequence[ParagraphLike]) -> Redline:
    """The redline from `old` to `new`, both in document order."""
    olds, news = list(old), list(new)
    scorer = _Scorer([_unit(p) for p in olds], [_unit(p) for p in news])

    def weight(i: int, j: int, value: float) -> float:
        same_number = olds[i].reference == news[j].reference
        return value + (_SAME_NUMBER_BONUS if same_number else 0.0)

    candidates = _plausible(
        [
            (i, j, value)
            for i in range(len(olds))
            for j in range(len(news))
            if (value := scorer.score(i, j, ALIGNED)) >= ALIGNED
        ]
    )
    in_place = {
        i: j for i, j, _ in _increasing([(i, j, weight(i, j, v)) for i, j, v in candidates])
    }

    moved: dict[int, int] = {}
    taken = set(in_place.values())
    strongest_first = sorted((-value, i, j) for i, j, value in candidates if value >= MOVED)
    for _, i, j in strongest_first:
        if i not in in_place and i not in moved and j not in taken:
            moved[i] = j
            taken.add(j)

    fences = [(-1, -1), *sorted(in_place.items()), (len(olds), len(news))]
    for (i0, j0), (i1, j1) in itertools.pairwise(fences):
        gap_old = [i for i in range(i0 + 1, i1) if i not in moved]
        gap_new = [j for j in range(j0 + 1, j1) if j not in taken]
        found = []
        for i in gap_old:
            for j in gap_new:
                bar = REWRITTEN_SAME_NUMBER
                if olds[i].reference != news[j].reference:
                    bar = REWRITTEN
                if (value := scorer.score(i, j, bar)) >= bar:
                    found.append((i, j, weight(i, j, value)))
        for i, j, _ in _increasing(found):
            in_place[i] = j

    return Redline(_ordered(olds, news, scorer, in_place, moved))


def _ordered(
    olds: list[ParagraphLike],
    news: list[ParagraphLike],
    scorer: _Scorer,
    in_place: dict[int, int],
    moved: dict[int, int],
) -> list[Change]:
    at_new: dict[int, Change] = {}
    for i, j in (*in_place.items(), *moved.items()):
        at_new[j] = _paired(olds[i], news[j], scorer.score(i, j, 0.0), moved=i in moved)
    # A deleted paragraph goes after the last paragraph before it that stayed in place.
    deleted_after: dict[int, list[Change]] = {}
    last_in_place = -1
    for i, paragraph in enumerate(olds):
        if i in in_place:
            last_in_place = i
        elif i not in moved:
            change = Change("deleted", paragraph, None, 0.0, _whole("del", paragraph.text))
            deleted_after.setdefault(last_in_place, []).append(change)
    old_at = {j: i for i, j in in_place.items()}
    changes = list(deleted_after.get(-1, []))
    for j, paragraph in enumerate(news):
        inserted = Change("inserted", None, paragraph, 0.0, _whole("ins", paragraph.text))
        changes.append(at_new.get(j, inserted))
        if j in old_at:
            changes.extend(deleted_after.get(old_at[j], []))
    return changes


def _paired(old: ParagraphLike, new: ParagraphLike, value: float, *, moved: bool) -> Change:
    words = word_ops(old.text, new.text)
    heading_words = word_ops(old.heading, new.heading)
    unchanged = old.text == new.text and old.heading == new.heading
    kind: Kind
    if moved:
        kind = "moved"
    elif old.reference != new.reference:
        kind = "renumbered"
    else:
        kind = "same" if unchanged else "changed"
    return Change(kind, old, new, 1.0 if unchanged else value, words, heading_words)


def _whole(op: str, text: str) -> Words:
    return ((op, text),) if text else ()


def word_ops(old: str, new: str) -> Words:
    """The word-level changes from `old` to `new`: ("same" | "del" | "ins", text) pieces."""
    if old == new:
        return _whole("same", old)
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    # Runs: ["=", text, ""] unchanged, or ["~", deleted, inserted] a change.
    runs: list[list[str]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(["=", "".join(a[i1:i2]), ""])
        elif runs and runs[-1][0] == "~":
            runs[-1][1] += "".join(a[i1:i2])
            runs[-1][2] += "".join(b[j1:j2])
        else:
            runs.append(["~", "".join(a[i1:i2]), "".join(b[j1:j2])])
    _fold_short_runs(runs)
    ops: list[tuple[str, str]] = []
    for mark, first, second in runs:
        if mark == "=":
            ops.append(("same", first))
        else:
            ops.extend((op, text) for op, text in (("del", first), ("ins", second)) if text)
    return tuple(ops)


def _fold_short_runs(runs: list[list[str]]) -> None:
    """Fold an unchanged run between two changes into them if it is no longer than either."""
    k = 1
    while k < len(runs) - 1:
        before, same, after = runs[k - 1], runs[k], runs[k + 1]
        if before[0] == after[0] == "~" and same[0] == "=":
            shortest = min(max(len(before[1]), len(before[2])), max(len(after[1]), len(after[2])))
            if not _WORD.search(same[1]) or len(same[1]) <= shortest:
                runs[k - 1 : k + 2] = [
                    ["~", before[1] + same[1] + after[1], before[2] + same[1] + after[2]]
                ]
                k = max(k - 1, 1)
                continue
        k += 1


# --- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """A change as the HTML shows it (`library/_redline.html`)."""

    kind: Kind
    reference: str
    # The reference it had, when it was renumbered or moved under another one.
    was: str
    heading_words: Words
    words: Words
    tags: tuple[Kind, ...]


def _shown(change: Change) -> _Shown:
    old, new = change.old_reference, change.new_reference
    heading_words = change.heading_words or _whole("same", change.heading)
    if change.kind == "inserted":
        heading_words = _whole("ins", change.heading)
    elif change.kind == "deleted":
        heading_words = _whole("del", change.heading)
    tags: tuple[Kind, ...] = () if change.kind == "same" else (change.kind,)
    if change.kind in ("renumbered", "moved") and change.reworded:
        tags += ("changed",)
    was = old if old and new and old != new else ""
    return _Shown(change.kind, change.reference, was, heading_words, change.words, tags)


def _summary(counts: dict[str, int]) -> str:
    """ "3 changed, 30 renumbered, 1 moved, 200 inserted, 1 deleted; 20 unchanged"."""
    parts = [f"{counts[kind]} {kind}" for kind in KINDS[1:] if counts[kind]]
    unchanged = f"{counts['same']} unchanged"
    return f"{', '.join(parts)}; {unchanged}" if parts else f"No changes; {unchanged}"


def render_html(
    redline: Redline, *, include_same: bool = True, heading_level: int = 3
) -> SafeString:
    """The redline as HTML: one block per paragraph, words marked with <ins> and <del>."""
    if heading_level not in range(2, 7):
        raise ValueError(f"heading_level must be 2 to 6, not {heading_level}")
    shown = redline.changes if include_same else redline.differences()
    return render_to_string(
        "library/_redline.html#redline",
        {
            "changes": [_shown(change) for change in shown],
            "any_paragraphs": bool(redline.changes),
            "level": heading_level,
        },
    )


# Characters a plain-text reader must not act on: controls (including escape sequences for
# terminals) and the bidirectional overrides that can make text read other than it is.
_UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARK_LOOKALIKE = re.compile(r"\[(?=[+-]|$)|(?:(?<=[+-])|^)\]")
_CONTEXT_WORDS: Final = 6
_EXCERPT: Final = 80


def _plain(text: str) -> str:
    """Text safe on one line of a plain-text report, unable to fake a [+ +] or [- -] mark."""
    text = _UNSAFE_TEXT.sub("", text.replace("\n", " ").replace("\t", " ").replace("\r", " "))
    return _MARK_LOOKALIKE.sub(lambda m: "\\" + m.group(0), text)


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1].rstrip() + "\u2026"


def _shortened(text: str, *, keep_start: bool, keep_end: bool) -> str:
    words = text.split(" ")
    if len(words) <= 2 * _CONTEXT_WORDS + 1:
        return text
    start = " ".join(words[:_CONTEXT_WORDS]) if keep_start else ""
    end = " ".join(words[-_CONTEXT_WORDS:]) if keep_end else ""
    return f"{start}{' ' if start else ''}\u2026{' ' if end else ''}{end}"


def _marked(ops: Words) -> str:
    pieces = []
    for k, (op, text) in enumerate(ops):
        if op == "ins":
            pieces.append(f"[+{_plain(text)}+]")
        elif op == "del":
            pieces.append(f"[-{_plain(text)}-]")
        else:
            pieces.append(_plain(_shortened(text, keep_start=k > 0, keep_end=k < len(ops) - 1)))
    return "".join(pieces)


def _text_line(change: Change) -> str:
    old, new = change.old_reference, change.new_reference
    references = f"{old} \u2192 {new}" if old and new and old != new else change.reference
    label: str = change.kind
    if change.kind in ("renumbered", "moved") and change.reworded:
        label += ", changed"
    if change.reworded:
        body = _marked(change.words)
        if any(op != "same" for op, _ in change.heading_words):
            body = f"{_marked(change.heading_words)}: {body}"
    else:
        paragraph = change.new or change.old
        body = _plain(_excerpt(change.heading or (paragraph.text if paragraph else "")))
    return f"{label} {_plain(references)}: {body}"


def render_text(redline: Redline) -> str:
    """A plain-text summary: the counts, then one line per paragraph that is not the same."""
    lines = [f"Changes: {_summary(redline.counts())}."]
    lines.extend(_text_line(change) for change in redline.differences())
    return "\n".join(lines) + "\n"


def pdf_document(redline: Redline, *, title: str) -> str:
    """The standalone HTML document `render_pdf` prints, its stylesheet embedded."""
    return render_to_string(
        "library/redline_pdf.html",
        {
            "title": title,
            "today": clock.today(),
            "summary": _summary(redline.counts()),
            "redline": render_html(redline, include_same=False),
        },
    )


def render_pdf(redline: Redline, *, title: str) -> bytes:
    """The redline as a tagged PDF: title, date, counts and every paragraph that changed."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = pdf_document(redline, title=title)
    # Nothing in the document is fetched: text cannot smuggle in a URL for WeasyPrint to open.
    html = HTML(string=document, url_fetcher=URLFetcher(allowed_protocols=()))
    pdf: bytes = html.write_pdf(pdf_tags=True)
    return pdf
