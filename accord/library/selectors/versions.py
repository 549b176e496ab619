"""Documents, versions and paragraphs, as the actor may read them."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from accord.access.actor import Actor, is_signed_in
from accord.access.policies import LIBRARY_KEEPERS
from accord.core.errors import NotFound
from accord.library.models import ProtocolDocument, ProtocolParagraph, ProtocolVersion
from accord.library.redline import Redline, compare

__all__ = [
    "documents_readable",
    "keeps_library",
    "paragraph_get",
    "readable_versions",
    "redline_between",
    "version_get",
    "version_paragraphs",
]

PUBLISHED = (ProtocolVersion.Status.IN_FORCE, ProtocolVersion.Status.SUPERSEDED)


def keeps_library(actor: Actor) -> bool:
    return LIBRARY_KEEPERS.allows(actor)


def readable_versions(actor: Actor) -> QuerySet[ProtocolVersion]:
    """The versions the actor may read, with their document."""
    versions = ProtocolVersion.objects.select_related("document")
    if not is_signed_in(actor):
        return versions.none()
    if keeps_library(actor):
        return versions
    return versions.filter(status__in=PUBLISHED)


def documents_readable(actor: Actor) -> list[ProtocolDocument]:
    """Documents with at least one version the actor may read, each with `shown_versions`."""
    versions = readable_versions(actor).order_by("-in_force_from", "-created_at")
    documents = (
        ProtocolDocument.objects.filter(Q(pk__in=versions.values("document_id")))
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="shown_versions"))
        .order_by("title", "key")
    )
    return list(documents)


def version_get(*, actor: Actor, key: str, label: str) -> ProtocolVersion:
    try:
        return readable_versions(actor).get(document__key=key, label=label)
    except ProtocolVersion.DoesNotExist:
        raise NotFound("No such protocol version.") from None


def version_paragraphs(version: ProtocolVersion) -> QuerySet[ProtocolParagraph]:
    """A version's paragraphs in document order (the caller has already read the version)."""
    return version.paragraphs.order_by("position")


def paragraph_get(*, actor: Actor, key: str, label: str, anchor: str) -> ProtocolParagraph:
    version = version_get(actor=actor, key=key, label=label)
    try:
        return version.paragraphs.select_related("version__document", "marking").get(anchor=anchor)
    except ProtocolParagraph.DoesNotExist:
        raise NotFound("No such paragraph.") from None


def redline_between(old: ProtocolVersion, new: ProtocolVersion) -> Redline:
    """The redline from `old` to `new`, paragraph by paragraph (the caller has read both)."""
    return compare(list(version_paragraphs(old)), list(version_paragraphs(new)))
