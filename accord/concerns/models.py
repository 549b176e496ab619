"""A conduct concern's own content, beside the engine's case that runs it.

The engine's `Case` holds who raised it, who it is about, where it is and its history; a
`Concern` holds what the person raising it said. Everything here is confidential: read it only
through `accord.concerns.selectors`, which shows each person only what the procedure lets them
see. Deleting the case (at the end of its retention period) deletes the concern with it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accord.access.confidential import confidential
from accord.directory.models import Person
from accord.procedures.models import Case


@confidential
class Concern(models.Model):
    class Direction(models.TextChoices):
        OFFICER_ABOUT_MEMBER = "officer_about_member", "An officer's concern about a member"
        MEMBER_ABOUT_OFFICER = "member_about_officer", "A member's concern about an officer"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="concern")
    direction = models.CharField(max_length=24, choices=Direction.choices)
    # Someone the raiser spoke to, recording it for them; null when they raised it themselves.
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what_happened = models.TextField()
    happened_on = models.DateField(null=True, blank=True)
    outcome_wanted = models.TextField(blank=True)
    tried_direct = models.BooleanField(
        help_text="Whether the raiser has tried to settle it with the other person directly."
    )
    tried_direct_details = models.TextField(blank=True)
    # What the raiser agreed may be shown to people beyond those handling it (a Group Leader
    # engaged with their consent, say), and whether their name may be.
    shared_summary = models.TextField(blank=True)
    share_identity = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(what_happened=""), name="concerns_concern_says_what_happened"
            ),
        ]

    def __str__(self) -> str:
        return f"concern on {self.case_id}"
