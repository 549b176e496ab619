"""The draft report to the Standards Committee, written from a review's fields, laid out as 003
is: for the officer to finish, never copied from the protocol."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accord.core import clock
from accord.directory.models import Person
from accord.library.models import (
    ProtocolDocument,
    ProtocolParagraph,
    ProtocolReview,
    ProtocolVersion,
)
from accord.library.redline import compare

__all__ = ["CommitteeReport", "ReportSection", "draft_committee_report", "proposal_counts"]


@dataclass(frozen=True)
class ReportSection:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class CommitteeReport:
    """A draft report to the Standards Committee, laid out as 003 is."""

    report_of: str
    to: str
    date: dt.date
    subject: str
    sections: tuple[ReportSection, ...] = field(default_factory=tuple)

    def section(self, title: str) -> ReportSection:
        return next(s for s in self.sections if s.title == title)

    def to_text(self) -> str:
        lines = [
            f"REPORT OF: {self.report_of}",
            f"TO: {self.to}",
            f"ON: {self.date:%-d %B %Y}",
            "",
            f"SUBJECT: {self.subject}",
            "",
        ]
        for number, section in enumerate(self.sections, start=1):
            lines += [f"{number}. {section.title.upper()}", ""]
            for paragraph in section.paragraphs:
                lines += [paragraph, ""]
        return "\n".join(lines).rstrip() + "\n"


def _in_force(document: ProtocolDocument) -> ProtocolVersion | None:
    return document.versions.filter(status=ProtocolVersion.Status.IN_FORCE).first()


def _paragraphs(version: ProtocolVersion) -> list[ProtocolParagraph]:
    return list(version.paragraphs.order_by("position"))


def proposal_counts(old: ProtocolVersion, new: ProtocolVersion) -> dict[str, int]:
    """How the draft differs from the version in force, by the redline."""
    return dict(compare(_paragraphs(old), _paragraphs(new)).counts())


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _proposals(review: ProtocolReview) -> tuple[str, ...]:
    draft = review.draft
    if draft is None:
        return ("No draft has been proposed yet.",)
    current = _in_force(review.document)
    intro = f"The proposed protocol is the draft version {draft.label} ({draft.title})."
    if current is None or current.pk == draft.pk:
        return (intro, "There is no version in force to compare it with: it would be the first.")
    counts = proposal_counts(current, draft)
    changed = counts.get("changed", 0) + counts.get("renumbered", 0) + counts.get("moved", 0)
    summary = (
        f"Compared with version {current.label}, now in force, the draft adds "
        f"{_plural(counts.get('inserted', 0), 'paragraph', 'paragraphs')}, removes "
        f"{_plural(counts.get('deleted', 0), 'paragraph', 'paragraphs')} and changes "
        f"{_plural(changed, 'paragraph', 'paragraphs')}; "
        f"{_plural(counts.get('same', 0), 'paragraph is', 'paragraphs are')} unchanged."
    )
    detail = []
    if counts.get("renumbered") or counts.get("moved"):
        detail.append(
            f"Of the changed paragraphs, {counts.get('renumbered', 0)} are renumbered and "
            f"{counts.get('moved', 0)} moved."
        )
    detail.append("The full comparison is in the protocol library and is appended to this report.")
    return (intro, summary, *detail)


def _recommendations(review: ProtocolReview) -> tuple[str, ...]:
    label = f"version {review.draft.label}" if review.draft else "the revised protocol"
    first = (
        f"The Committee is asked to consider the review of the {review.document.title} and the "
        f"proposed {label}, to suggest any amendments, and to recommend it to Full Council for "
        "approval."
    )
    done: list[str] = [first]
    if review.committee_recommendation:
        met = f"{review.committee_met_on:%-d %B %Y}" if review.committee_met_on else ""
        done.append(
            f"On {met} the Committee's recommendation was: "
            f"{review.get_committee_recommendation_display().lower()}."
        )
        if review.committee_note:
            done.append(review.committee_note)
    return tuple(done)


def _background(review: ProtocolReview, current: ProtocolVersion | None) -> tuple[str, ...]:
    where = (
        f"The {review.document.title} of {review.document.council} is kept in the council's "
        "protocol library"
    )
    where += f"; the version in force is {current.label}." if current else "."
    duty = (
        "The protocol itself provides that it is to be kept under review so that it stays "
        "effective, up to date and consistent with legislation, codes of conduct and good "
        "practice, with any changes considered under the council's constitutional arrangements "
        "(000 §52). The statutory officers each keep it under review and bring forward proposed "
        "amendments through the relevant governance committee (Statutory Officers Protocol §9.1 "
        "and §9.2)."
    )
    opened = f"{review.started_on:%-d %B %Y}"
    reason = f"This review was opened on {opened} ({review.get_reason_display().lower()})."
    return (where, duty, reason, review.why)


def _or_none(text: str, empty: str = "None.") -> tuple[str, ...]:
    parts = [part.strip() for part in text.split("\n\n") if part.strip()]
    return tuple(parts) if parts else (empty,)


def _contact(person: Person) -> str:
    return f"{person.full_name}, {person.email}" if person.email else person.full_name


def draft_committee_report(review: ProtocolReview) -> CommitteeReport:
    """The report to the Standards Committee the review's fields give, for the officer to
    finish: written from the review, never copied from the protocol."""
    current = _in_force(review.document)
    papers = []
    if current is not None:
        papers.append(f"{review.document.title}, version {current.label} (in force).")
    if review.draft is not None:
        papers.append(f"{review.document.title}, draft version {review.draft.label}.")
    sections = (
        ReportSection(
            "Purpose of report",
            (f"To review the {review.document.title} and to consider the amendments proposed.",),
        ),
        ReportSection("Recommendations", _recommendations(review)),
        ReportSection("Background", _background(review, current)),
        ReportSection("Proposals", _proposals(review)),
        ReportSection("Consultations", _or_none(review.consultations, "None recorded yet.")),
        ReportSection(
            "Legal implications",
            (
                *_or_none(review.legal_implications, "None recorded yet."),
                "Any amendment to the protocol takes effect only once approved by Full Council.",
            ),
        ),
        ReportSection(
            "Policy implications", _or_none(review.policy_implications, "None recorded yet.")
        ),
        ReportSection(
            "Resource and financial implications", _or_none(review.financial_implications)
        ),
        ReportSection(
            "Equality and human rights implications",
            _or_none(
                review.equality_implications,
                "None recorded yet: record here any equality impact assessment made of the "
                "proposed changes.",
            ),
        ),
        ReportSection("Background papers", tuple(papers) or ("None.",)),
        ReportSection("Officer to contact", (_contact(review.started_by),)),
    )
    return CommitteeReport(
        report_of="The Monitoring Officer",
        to="Standards Committee",
        date=clock.today(),
        subject=review.document.title,
        sections=sections,
    )
