"""Registers people keep about themselves: declared close relationships (000 §10, 004 §5.7)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from accord.access.confidential import confidential
from accord.core.models import DatedQuerySet, TimeStampedModel
from accord.directory.models import Person


@confidential
class DeclaredRelationship(TimeStampedModel):
    """A close personal relationship or connection between two people, as declared.

    Stored once per pair with the lower person id first, so "A with B" and "B with A" are the
    same declaration; the procedure engine treats either person as conflicted in a case about,
    or raised by, the other.
    """

    class Nature(models.TextChoices):
        FAMILY = "family", "Family member"
        PARTNER = "partner", "Partner or close personal relationship"
        FRIEND = "friend", "Close friend"
        BUSINESS = "business", "Business or financial connection"
        OTHER = "other", "Other close connection"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    nature = models.CharField(max_length=16, choices=Nature.choices)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__lt=F("other")), name="registers_relationship_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="registers_relationship_dates",
            ),
            models.UniqueConstraint(
                fields=["person", "other"],
                condition=Q(ends_on__isnull=True),
                name="registers_one_open_relationship_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["other", "person"])]

    def __str__(self) -> str:
        return f"{self.get_nature_display()}: {self.person_id} and {self.other_id}"
