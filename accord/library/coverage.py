"""Paragraphs and the rules that implement them.

A version's matching profiles are those written against it: their `source.document` is the
document's (or the version's source file's) name and their `source.version` the version's
label. For each, `accord.profiles.coverage` says which paragraphs it cites and which actionable
ones it leaves out; the Monitoring Officer's marking of a paragraph overrides the automatic
judgement of whether it is actionable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.library.models import ProtocolParagraph, ProtocolVersion
from accord.profiles.citations import cited_paragraphs
from accord.profiles.coverage import CoverageReport, coverage_report
from accord.profiles.models import ProfileVersion
from accord.profiles.schema import Profile
from accord.profiles.selectors import profile_of

__all__ = [
    "CITED",
    "EXPLAINED",
    "NOT_ACTIONABLE",
    "UNCOVERED",
    "CoverageRow",
    "RuleCitation",
    "matching_profiles",
    "paragraph_rules",
    "profiles_written_against",
    "version_coverage",
]

CITED = "cited"
EXPLAINED = "explained"
UNCOVERED = "uncovered"
NOT_ACTIONABLE = "not_actionable"
LABELS = {
    CITED: "Cited by a rule",
    EXPLAINED: "Not cited: reason recorded",
    UNCOVERED: "Actionable, not cited",
    NOT_ACTIONABLE: "Not actionable",
}


@dataclass(frozen=True)
class RuleCitation:
    profile_id: str
    profile_version: int
    cite: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class CoverageRow:
    paragraph: ProtocolParagraph
    status: str
    reason: str
    marked: bool

    @property
    def label(self) -> str:
        return LABELS[self.status]


def profiles_written_against(
    names: Iterable[str], label: str
) -> list[tuple[ProfileVersion, Profile]]:
    """The latest stored version of each profile whose `source.document` is one of `names`
    and whose `source.version` is `label`, in profile order."""
    wanted = set(names) - {""}
    latest: dict[str, ProfileVersion] = {}
    for stored in ProfileVersion.objects.filter(source_document__in=wanted, source_version=label):
        if stored.profile_id not in latest or stored.version > latest[stored.profile_id].version:
            latest[stored.profile_id] = stored
    return [(stored, profile_of(stored)) for _, stored in sorted(latest.items())]


def matching_profiles(version: ProtocolVersion) -> list[tuple[ProfileVersion, Profile]]:
    """The latest stored version of each profile written against `version`."""
    return profiles_written_against(
        {version.document.profile_document, version.source_name.rsplit(".", 1)[0]},
        version.label,
    )


def paragraph_rules(paragraph: ProtocolParagraph) -> list[RuleCitation]:
    """The profile rules citing this paragraph, or a paragraph it is numbered under."""
    found: list[RuleCitation] = []
    reference = paragraph.reference
    for stored, profile in matching_profiles(paragraph.version):
        for cite, paths in cited_paragraphs(profile).items():
            if reference == cite or reference.startswith((cite + ".", cite + "(")):
                found.append(RuleCitation(stored.profile_id, stored.version, cite, tuple(paths)))
    return found


def version_coverage(
    version: ProtocolVersion, profile: Profile
) -> tuple[CoverageReport, list[CoverageRow]]:
    """Every paragraph of `version` with whether `profile` covers it."""
    report = coverage_report(profile, version.source_text, document_name=str(version))
    cited = {c.reference for c in report.cited}
    explained = {c.reference: c.reason for c in report.explained}
    classified = {c.reference: c for c in report.classifications}
    covered = {
        p.reference
        for p in report.paragraphs
        for c in report.citations
        if c.paragraph is not None and p.is_within(c.paragraph)
    }
    rows: list[CoverageRow] = []
    for paragraph in version.paragraphs.select_related("marking").order_by("position"):
        ref = paragraph.reference
        marking = getattr(paragraph, "marking", None)
        judged = classified.get(ref)
        actionable = judged.actionable if judged is not None else False
        reason = judged.reason if judged is not None else ""
        if marking is not None:
            actionable = marking.actionable
            reason = marking.note or "Marked by the Monitoring Officer."
        if ref in cited or (ref in covered and actionable):
            status = CITED
        elif not actionable:
            status = NOT_ACTIONABLE
        elif ref in explained:
            status, reason = EXPLAINED, explained[ref]
        else:
            status = UNCOVERED
        rows.append(CoverageRow(paragraph, status, reason, marking is not None))
    return report, rows
