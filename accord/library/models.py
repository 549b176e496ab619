"""The protocol library: documents, their versions as imported, and each version's paragraphs.

A version's text is stored exactly as imported and never edited; its paragraphs are what the
parser recovered from it (`accord.library.parsing`). A paragraph is cited everywhere in Accord
by its stable identifier, ``"{document key}@{version label}:{reference}"`` (for example
``leicestershire@2025:SO 4.3``), so a citation says which version it read.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accord.core.models import TimeStampedModel
from accord.directory.models import Person


class ProtocolDocument(TimeStampedModel):
    """One protocol a council keeps (its Member/Officer protocol, say), across its versions."""

    key = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    council = models.CharField(max_length=200)
    # The file stem council profiles name as `source.document`: the profiles whose rules cite
    # this document's paragraphs.
    profile_document = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["title", "key"]

    def __str__(self) -> str:
        return self.title


class ProtocolVersion(TimeStampedModel):
    """One version of a document, with the source text it was imported from."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        IN_FORCE = "in_force", "In force"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Format(models.TextChoices):
        TEXT = "txt", "Plain text"
        MARKDOWN = "md", "Markdown"
        WORD = "docx", "Word document"
        PDF = "pdf", "PDF"

    document = models.ForeignKey(
        ProtocolDocument, on_delete=models.PROTECT, related_name="versions"
    )
    label = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_until = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=300, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_name = models.CharField(max_length=255)
    source_format = models.CharField(max_length=4, choices=Format.choices)
    source_sha256 = models.CharField(max_length=64)
    source_text = models.TextField()
    # The parser's findings, kept with the version so the reading page can show them:
    # {prefix: heading} of the parts, [{"line": n, "message": "..."}], {mark: text}.
    parts = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    footnotes = models.JSONField(default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "-in_force_from", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "label"], name="library_one_label_per_document"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="in_force"),
                name="library_one_version_in_force",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "in_force", "superseded"])
                | Q(in_force_from__isnull=False),
                name="library_approved_has_in_force_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.key}@{self.label}"

    @property
    def is_published(self) -> bool:
        """Readable by everyone signed in: the version in force, or one that was."""
        return self.status in {self.Status.IN_FORCE, self.Status.SUPERSEDED}


class ProtocolParagraph(models.Model):
    """A numbered paragraph or a lettered/roman item of one version, as parsed."""

    class Kind(models.TextChoices):
        PARAGRAPH = "paragraph", "Paragraph"
        ITEM = "item", "Item"

    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.CASCADE, related_name="paragraphs"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    part = models.CharField(max_length=40, blank=True)
    # As written in the document ("3.3.5", "(xiv)(xv)"); `reference` is the current number as
    # profiles cite it ("3.5", "SO 4.3", "50(c)").
    number = models.CharField(max_length=40)
    reference = models.CharField(max_length=80)
    anchor = models.CharField(max_length=100)
    heading = models.CharField(max_length=300, blank=True)
    section = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    # Tracked changes as written: [["same" | "ins" | "del", text], ...].
    segments = models.JSONField(default=list)
    renumbered_from = models.CharField(max_length=40, blank=True)
    bullets = models.JSONField(default=list)
    footnotes = models.JSONField(default=list)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="library_paragraph_position"
            ),
            models.UniqueConstraint(
                fields=["version", "reference"], name="library_paragraph_reference"
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """The stable identifier used wherever Accord cites this paragraph."""
        return f"{self.version.document.key}@{self.version.label}:{self.reference}"


class ParagraphMarking(TimeStampedModel):
    """The Monitoring Officer's view of whether a paragraph is actionable, overriding the
    automatic classification in the coverage table (`accord.profiles.coverage.classify`)."""

    paragraph = models.OneToOneField(
        ProtocolParagraph, on_delete=models.CASCADE, related_name="marking"
    )
    actionable = models.BooleanField()
    note = models.TextField(blank=True)
    marked_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.paragraph_id}: {'actionable' if self.actionable else 'not actionable'}"


class ProtocolReview(TimeStampedModel):
    """A review of a document, from its opening to Full Council's decision (003, 000 §52, SO §9).

    The stages and the moves between them are in `accord.library.reviews.workflow.TRANSITIONS`.
    """

    class Reason(models.TextChoices):
        PERIODIC = "periodic", "Periodic review"
        LEGISLATION = "legislation", "Change in legislation or guidance"
        INCIDENT = "incident", "Learning from an incident or complaint"
        REQUEST = "request", "Request from the Standards Committee or Council"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PROPOSED = "proposed", "Amendments proposed"
        RECOMMENDED = "recommended", "Recommended by the Standards Committee"
        APPROVED = "approved", "Approved by Full Council"
        IN_FORCE = "in_force", "In force"
        CLOSED = "closed", "Closed without change"

    class Recommendation(models.TextChoices):
        APPROVE = "approve", "Recommend approval"
        APPROVE_AMENDED = "approve_amended", "Recommend approval with amendments"
        NOT_APPROVE = "not_approve", "Do not recommend"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(ProtocolDocument, on_delete=models.PROTECT, related_name="reviews")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    why = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    draft = models.ForeignKey(
        ProtocolVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    consultations = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    policy_implications = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True)
    equality_implications = models.TextField(blank=True)
    committee_met_on = models.DateField(null=True, blank=True)
    committee_recommendation = models.CharField(
        max_length=16, choices=Recommendation.choices, blank=True
    )
    committee_note = models.TextField(blank=True)
    council_met_on = models.DateField(null=True, blank=True)
    council_note = models.TextField(blank=True)
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.document} ({self.started_on})"


class Acknowledgement(models.Model):
    """A member's or officer's acknowledgement that they have read a version in force."""

    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"], name="library_one_acknowledgement_each"
            ),
        ]
        indexes = [models.Index(fields=["person", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.version_id}"


class PendingImport(TimeStampedModel):
    """An uploaded file on its way into the library, kept for one keeper for an hour.

    A small file is read as it is uploaded; a large one by the worker, which records its
    progress here. What reading found is kept with the file (`reading`: the source text and the
    structure recovered), so the preview shows it and confirming saves it without reading the
    file again. The upload itself changes nothing in the library: the import, once confirmed,
    is the audited write. Rows are deleted once the import is saved and an hour after upload.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the worker"
        READING = "reading", "Being read"
        READY = "ready", "Read, waiting to be confirmed"
        REFUSED = "refused", "Refused"
        SAVED = "saved", "Saved"

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document_key = models.CharField(max_length=64)
    label = models.CharField(max_length=40)
    title = models.CharField(max_length=300, blank=True)
    council = models.CharField(max_length=200, blank=True)
    source_name = models.CharField(max_length=255)
    data = models.BinaryField()
    # Save the version as soon as the file is read (an API import that is not a dry run).
    save_when_read = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent of the file read
    # {"source": SourceText.to_record(), "parsed": ParsedDocument.to_record(),
    #  "document_exists": bool}, once read.
    reading = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list)  # [{"field": ..., "message": ...}] if refused
    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.source_name} for {self.document_key}@{self.label} ({self.status})"
