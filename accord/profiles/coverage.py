"""Which actionable paragraphs of its source document a profile cites, explains, or leaves out.

A paragraph (or a lettered or roman item) is *actionable* when it places an obligation, a
permission or a prohibition on someone that a system could run or check. `classify` decides
that with a short list of rules, each giving its reason, so anyone can see why a paragraph
counts and argue with it; a profile records a considered exception under `uncited:`.

The rules, in order (docs/profiles.md, "Checking a profile", says the same for authors):

1. A paragraph with no text of its own is a heading ("6. Escalation ...", "(b) Officers").
2. A paragraph whose first sentence states the protocol's purpose or background ("The purpose
   of this protocol ...", "This protocol seeks ...") or defines a term (a quoted term first,
   "for the purposes of this Protocol", "References in this Protocol to", "is designated
   under") is not actionable, and neither are the items completing that sentence.
3. Obligation, permission and prohibition are found by phrase: must, shall, should, will,
   is expected to, needs to, is to be (done), is required to, is responsible for, is obliged
   to, is entitled to, has the right, is prohibited, under no circumstances, it would be
   appropriate to, can expect ... from, may not, may only, and "may" followed by something a
   person does ("may raise", "may, with ... agreement, raise", "may be referred").
4. Some of those phrases do not count: "will" that predicts or describes ("will inevitably",
   "will often", "will include", "which will"); "will apply" or "shall apply", which says whom
   the protocol covers; a modal asking for an attitude rather than an act ("should
   recognise", "must be alert", "should be careful", "will have regard"); "need to" after a
   modal ("will inevitably need to"); "need to know"; any phrase inside a sentence's opening
   condition ("If an issue needs to be raised, ..."), since the rule is in the main clause.
5. A phrase followed within ten words by the language of values ("should be one of mutual
   trust", "behave courteously", "act with ... honesty", "impartial") is a statement of
   values and does not count.
6. Items and their parent are never counted twice for one duty. A sentence ending in a colon
   that the items complete ("The Council will ensure:") is a lead-in: it does not make the
   parent actionable; each item is judged on its own words and, if they have no phrase of
   their own, takes the lead-in's (unless the item names a quality, "A working partnership").
   The parent counts only for its own complete sentences. Items under a lead-in that
   introduces principles without obliging anyone ("The fundamental principles underpinning
   this protocol are:") are statements of principle.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from accord.profiles.citations import cited_paragraphs
from accord.profiles.paragraphs import Document, Paragraph, parse_document, parse_reference
from accord.profiles.schema import Profile

__all__ = [
    "Citation",
    "Classification",
    "CoverageReport",
    "Explanation",
    "classify",
    "coverage_report",
    "profile_document",
]

_MAY_ACTS = (
    r"raise|escalate|notify|inform|tell|obtain|attend|speak|ask|seek|refer|recommend|decide|"
    r"request|approach|share|disclose|publish|consult|contact|engage|advise|forward|copy|"
    r"decline|proceed|make|take|submit|report|appoint|invite|occur only|"
    r"be (?:referred|handled|addressed|dealt|raised|escalated|shared|disclosed|called|"
    r"accompanied|made|invited|notified|consulted|given|sent|told|informed|asked to explain)"
)
# Each phrase that places an obligation, permission or prohibition, with an optional
# parenthetical ("may, with the staff member's agreement, raise") and adverb.
_OBLIGATIONS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bmust(?:\s+not|n't|\s+never)?\b",
        r"\bshall(?:\s+not)?\b",
        r"\bshould(?:\s+not|n't|\s+never)?\b",
        r"\bwill(?:\s+not)?\b",
        r"\bmay\s+(?:not|only)\b",
        rf"\bmay(?:\s*,[^,]{{1,80}},)?\s+(?:also\s+|only\s+|then\s+)?(?:{_MAY_ACTS})\b",
        r"\b(?:is|are)\s+(?:still\s+|also\s+)?expected\s+to\b",
        r"\bcan\s+expect\b(?=[^.]*\bfrom\b)",
        r"\bneeds?\s+to\b(?!\s+know\b)",
        r"\b(?:is|are)\s+to\s+be\s+\w+ed\b",
        r"\b(?:is|are)\s+required\s+to\b",
        r"\b(?:is|are)\s+(?:\w+\s+)?responsible\s+for\b",
        r"\b(?:is|are)\s+obliged\s+to\b",
        r"\b(?:is|are)\s+entitled\s+to\b",
        r"\bha(?:s|ve)\s+(?:a\s+|the\s+)?(?:common\s+law\s+)?right\b",
        r"\b(?:is|are)\s+prohibited\b",
        r"\bunder\s+no\s+circumstances\b",
        r"\bwould\s+be\s+appropriate\s+(?:for\s+[\w\s]{1,40}?\s+)?to\b",
    )
)
_ADVERB = r"(?:\s+(?:\w+ly|also|always|still|then|normally|nonetheless|,))*"
# After "will": words that predict or describe rather than oblige.
_PREDICTION = re.compile(
    r"^(?:\s+not)?\s+(?:inevitably|potentially|often|frequently|usually|generally|likely|"
    r"probably|include|aim|depend)\b",
    re.IGNORECASE,
)
# After any modal: an attitude or a state of mind asked for, not an act.
_ATTITUDE = re.compile(
    r"^(?:\s+not)?"
    + _ADVERB
    + r"\s+(?:have regard|recognise|understand|accept|appreciate|endeavour|reduce|help|feel|"
    r"avoid the relationship|bear in mind|be (?:aware|alert|mindful|careful|guarded|"
    r"sufficient|noted|recognised|fearless|times|possible|able))\b",
    re.IGNORECASE,
)
_DESCRIPTIVE_BEFORE = re.compile(r"\b(?:which|that|there)\s*$", re.IGNORECASE)
# After "will" or "shall": the protocol saying whom it covers, not what anyone must do.
_SCOPE = re.compile(r"^(?:\s+also)?\s+apply\b", re.IGNORECASE)
# "need to" and the like after a modal: the modal is what decides ("will inevitably need to").
_AFTER_MODAL = re.compile(
    r"\b(?:will|shall|should|must|may|would|might|could|can)(?:\s+\w+ly)?\s*$", re.IGNORECASE
)
# The opening condition of a sentence ("If an issue needs to be raised, ...") states when a
# rule applies; the rule itself is in the main clause.
_CONDITION = re.compile(r"^(?:if|where|when|whenever|unless|although)\b[^,]*,", re.IGNORECASE)
_VALUE_WORDS = (
    r"\b(?:mutual|proper|with|of)\s+(?:\w+\s+)?(?:respect|trust|courtesy)\b|"
    r"\b(?:courtesy|courteous(?:ly)?|honesty|integrity|dignity|fairness|openness|fearless|"
    r"mindful|politically neutral|political neutrality|impartial(?:ity)?|be based on|"
    r"be one of|model the behaviours|even-handed)\b"
)
_VALUES = re.compile(_VALUE_WORDS, re.IGNORECASE)
# An item that names a quality expected of someone rather than something they do.
_ITEM_VALUES = re.compile(
    _VALUE_WORDS + r"|^(?:an?\s+)?(?:\w+\s+)?(?:partnership|understanding|appreciation|"
    r"commitment|awareness|sensitivity)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"^(?:the purpose of (?:this|the) protocol|(?:this|the) protocol,?\s+(?:is|also|seeks|"
    r"sets|explains|forms|sits|does not|reflects|can be|depends)\b|the effective operation "
    r"of this protocol)",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"^[\"\u201c][^\"\u201d]+[\"\u201d]|\bfor the purposes of this protocol\b|"
    r"^references in this protocol to\b|\bis designated under\b|^the term\b|"
    r"\bmeans (?:a|an|the|any)\b",
    re.IGNORECASE,
)
_MODALS = frozenset({"must", "shall", "should", "will", "may"})
_PRINCIPLES = re.compile(r"\bprinciples?\b|\bvalues\b", re.IGNORECASE)
_LEAD_IN_END = re.compile(r"(?::-?|\s[-\u2013\u2014])$")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c(])|(?<=:)\s+|(?<=:-)\s+")


@dataclass(frozen=True)
class Classification:
    paragraph: Paragraph
    actionable: bool
    reason: str

    @property
    def reference(self) -> str:
        return self.paragraph.reference


@dataclass(frozen=True)
class _Finding:
    phrase: str
    actionable: bool
    why: str


def _sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCES.split(text)) if s]


def _quote(text: str, start: int, words: int = 4) -> str:
    return " ".join(text[start:].split()[:words]).rstrip(",;:.")


def _findings(sentence: str) -> Iterator[_Finding]:
    """Every obligation phrase in `sentence`, and whether it counts."""
    matches = sorted(
        (m for pattern in _OBLIGATIONS for m in pattern.finditer(sentence)),
        key=lambda m: m.start(),
    )
    starts = [m.start() for m in matches] + [len(sentence)]
    seen_end = -1
    for index, match in enumerate(matches):
        if match.start() < seen_end:
            continue  # the same words matched by a longer phrase
        seen_end = match.end()
        quoted = _quote(sentence, match.start())
        after = sentence[match.end() :]
        clause = sentence[match.end() : starts[index + 1]]
        modal = match.group(0).split()[0].lower()
        condition = _CONDITION.match(sentence)
        if condition and match.start() < condition.end():
            continue
        if modal not in _MODALS and _AFTER_MODAL.search(sentence[: match.start()]):
            continue
        if modal in {"will", "shall"} and _SCOPE.match(after):
            yield _Finding(quoted, False, "scope of the protocol")
            continue
        if modal == "will" and (
            _PREDICTION.match(after) or _DESCRIPTIVE_BEFORE.search(sentence[: match.start()])
        ):
            yield _Finding(quoted, False, "prediction or description")
            continue
        if modal in {"will", "shall", "should", "must"} and _ATTITUDE.match(after):
            yield _Finding(quoted, False, "an attitude rather than an act")
            continue
        window = " ".join(clause.split()[:10])
        values = _VALUES.search(window)
        if values:
            said = " ".join(f"{match.group(0)} {window[: values.end()]}".split())
            yield _Finding(said, False, "statement of values")
            continue
        yield _Finding(quoted, True, "")


def _lead_ins(paragraph: Paragraph, has_items: bool) -> tuple[list[str], list[str]]:
    """The paragraph's sentences split into lead-ins completed by its items, and the rest."""
    sentences = _sentences(paragraph.text)
    if not has_items:
        return [], sentences
    lead = [s for s in sentences if _LEAD_IN_END.search(s)]
    return lead, [s for s in sentences if s not in lead]


def classify(document: Document) -> list[Classification]:
    """Every paragraph of `document`, actionable or not, with the reason."""
    results: list[Classification] = []
    # What a lead-in hands down to its items: an obligation phrase, or a reason they are not.
    inherited: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
    for paragraph in document.paragraphs:
        children = document.children(paragraph)
        has_items = any(child.is_item for child in children)
        handed = inherited.get((paragraph.part, paragraph.path[:-1])) if paragraph.is_item else None
        result = _classify_one(paragraph, has_items, handed)
        if has_items:
            inherited[(paragraph.part, paragraph.path)] = _hand_down(paragraph, handed)
        results.append(result)
    return results


def _hand_down(paragraph: Paragraph, handed: tuple[str, str] | None) -> tuple[str, str]:
    """("phrase", "") when the lead-in obliges; ("", reason) when its items are not duties."""
    first = _sentences(paragraph.text)[:1]
    if handed is not None and not handed[0] and handed[1]:
        return handed
    if first and _BACKGROUND.search(first[0]):
        return "", f"completes the purpose statement of {paragraph.reference}"
    if first and _DEFINITION.search(first[0]):
        return "", f"completes the definition in {paragraph.reference}"
    lead, _rest = _lead_ins(paragraph, True)
    counted = [f for sentence in lead for f in _findings(sentence) if f.actionable]
    if counted:
        return counted[-1].phrase, ""
    if any(_PRINCIPLES.search(sentence) for sentence in lead):
        return "", f"statement of principle (lead-in of {paragraph.reference})"
    return "", ""


def _classify_one(
    paragraph: Paragraph, has_items: bool, handed: tuple[str, str] | None
) -> Classification:
    def result(actionable: bool, reason: str) -> Classification:
        return Classification(paragraph, actionable, reason)

    if not paragraph.text:
        return result(False, "heading")
    if handed is not None and not handed[0] and handed[1]:
        return result(False, handed[1])
    sentences = _sentences(paragraph.text)
    background = _BACKGROUND.search(sentences[0])
    if background:
        return result(False, f"purpose or background ({background.group(0)!r})")
    definition = _DEFINITION.search(sentences[0])
    if definition and not paragraph.is_item:
        return result(False, f"definition ({definition.group(0).strip()!r})")

    lead, own = _lead_ins(paragraph, has_items)
    findings = [f for sentence in own for f in _findings(sentence)]
    counted = [f for f in findings if f.actionable]
    if counted:
        return result(True, repr(counted[0].phrase))
    if paragraph.is_item and handed is not None and handed[0]:
        values = _ITEM_VALUES.search(paragraph.text)
        if values:
            return result(False, f"statement of values: {values.group(0)!r}")
        parent = paragraph.reference.rsplit("(", 1)[0]
        return result(True, f"{handed[0]!r} in the lead-in of {parent}")
    if findings:
        return result(False, f"{findings[0].why}: {findings[0].phrase!r}")
    if lead and not own:
        return result(False, "lead-in to its items")
    return result(False, "no obligation, permission or prohibition")


# The coverage report -------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """One distinct `cite:` value of a profile, where it is used, and what it names."""

    cite: str
    paths: tuple[str, ...]
    paragraph: Paragraph | None
    problem: str = ""

    @property
    def found(self) -> bool:
        return self.paragraph is not None


@dataclass(frozen=True)
class Explanation:
    """An `uncited:` entry: an actionable paragraph the profile leaves out, and why."""

    cite: str
    reason: str
    path: str
    paragraph: Paragraph | None
    problem: str = ""

    @property
    def found(self) -> bool:
        return self.paragraph is not None


@dataclass(frozen=True)
class CoverageReport:
    document: str
    paragraphs: tuple[Paragraph, ...]
    classifications: tuple[Classification, ...]
    citations: tuple[Citation, ...]
    explanations: tuple[Explanation, ...]
    cited: tuple[Classification, ...]
    explained: tuple[Classification, ...]
    neither: tuple[Classification, ...]
    problems: tuple[str, ...]
    duplicates: tuple[str, ...] = ()

    @property
    def actionable(self) -> tuple[Classification, ...]:
        return tuple(c for c in self.classifications if c.actionable)

    @property
    def missing(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if not c.found)

    @property
    def ok(self) -> bool:
        """False if any citation or `uncited` entry names no paragraph, or a part is missing."""
        return not self.problems

    def counts(self) -> dict[str, int]:
        return {
            "paragraphs": len(self.paragraphs),
            "actionable": len(self.actionable),
            "cited": len(self.cited),
            "explained": len(self.explained),
            "neither": len(self.neither),
        }

    def as_dict(self) -> dict[str, Any]:
        def paragraph(c: Classification) -> dict[str, str]:
            return {
                "reference": c.reference,
                "text": c.paragraph.excerpt(),
                "reason": c.reason,
            }

        return {
            "document": self.document,
            "counts": self.counts(),
            "citations": [
                {
                    "cite": c.cite,
                    "paths": list(c.paths),
                    "found": c.found,
                    "paragraph": c.paragraph.reference if c.paragraph else None,
                    "problem": c.problem or None,
                }
                for c in self.citations
            ],
            "uncited": [
                {
                    "cite": e.cite,
                    "reason": e.reason,
                    "path": e.path,
                    "found": e.found,
                    "problem": e.problem or None,
                }
                for e in self.explanations
            ],
            "actionable": {
                "cited": [paragraph(c) for c in self.cited],
                "explained": [paragraph(c) for c in self.explained],
                "neither": [paragraph(c) for c in self.neither],
            },
            "problems": list(self.problems),
            "numbered_more_than_once": list(self.duplicates),
        }


def profile_document(profile: Profile, text: str) -> Document:
    """The profile's source document, read with the parts its `source.parts` declares."""
    return parse_document(text, parts={part.prefix: part.heading for part in profile.source.parts})


def _resolve(document: Document, cite: str) -> tuple[Paragraph | None, str]:
    reference = parse_reference(cite)
    if reference is None:
        return None, f'\'{cite}\' is not a paragraph reference such as "50(c)" or "SO 4.3"'
    part = document.part(reference.prefix)
    if part is None:
        known = ", ".join(p.prefix for p in document.parts if p.prefix) or "none"
        return None, (
            f"'{reference.prefix}' is not a part of the document; source.parts declares {known}"
        )
    if not part.found:
        return None, f"the heading of part '{part.prefix}' ({part.heading!r}) was not found"
    paragraph = document.find(reference)
    if paragraph is None:
        where = f"part {reference.prefix}" if reference.prefix else "the main part"
        return None, f"{where} has no paragraph {reference.number}"
    return paragraph, ""


def _covered(paragraph: Paragraph, by: Sequence[Paragraph]) -> bool:
    return any(paragraph.is_within(other) for other in by)


def coverage_report(
    profile: Profile, document_text: str, *, document_name: str = ""
) -> CoverageReport:
    """What `profile` cites of its source document, and which actionable paragraphs it omits.

    A citation covers the paragraph it names and everything numbered under it: "50" covers
    50(a) to 50(f), "SO 4" covers SO 4.1 to SO 4.3; "50(c)" covers 50(c) alone. An `uncited`
    entry explains paragraphs by the same rule. A paragraph both cited and explained counts
    as cited.
    """
    document = profile_document(profile, document_text)
    problems: list[str] = []
    for prefix, count in Counter(p.prefix for p in profile.source.parts).items():
        if count > 1:
            problems.append(f"source.parts: the prefix '{prefix}' is declared more than once.")
    for index, part in enumerate(profile.source.parts):
        found = document.part(part.prefix)
        if found is not None and not found.found:
            problems.append(
                f"source.parts[{index}].heading: no heading line of the document starts with "
                f"{part.heading!r}."
            )

    citations: list[Citation] = []
    for cite, paths in cited_paragraphs(profile).items():
        paragraph, problem = _resolve(document, cite)
        citations.append(Citation(cite, tuple(paths), paragraph, problem))
        if problem:
            problems.append(f"{cite}: {problem}; cited at {', '.join(paths)}.")
    position = {id(p): i for i, p in enumerate(document.paragraphs)}
    citations.sort(key=lambda c: position.get(id(c.paragraph), len(position)))

    explanations: list[Explanation] = []
    for index, entry in enumerate(profile.uncited):
        paragraph, problem = _resolve(document, entry.cite)
        path = f"uncited[{index}].cite"
        explanations.append(Explanation(entry.cite, entry.reason, path, paragraph, problem))
        if problem:
            problems.append(f"{entry.cite}: {problem}; at {path}.")

    classifications = tuple(classify(document))
    cited_paras = [c.paragraph for c in citations if c.paragraph is not None]
    explained_paras = [e.paragraph for e in explanations if e.paragraph is not None]
    cited: list[Classification] = []
    explained: list[Classification] = []
    neither: list[Classification] = []
    for c in classifications:
        if not c.actionable:
            continue
        if _covered(c.paragraph, cited_paras):
            cited.append(c)
        elif _covered(c.paragraph, explained_paras):
            explained.append(c)
        else:
            neither.append(c)
    return CoverageReport(
        document=document_name or profile.source.document,
        paragraphs=document.paragraphs,
        classifications=classifications,
        citations=tuple(citations),
        explanations=tuple(explanations),
        cited=tuple(cited),
        explained=tuple(explained),
        neither=tuple(neither),
        problems=tuple(problems),
        duplicates=document.duplicates,
    )
