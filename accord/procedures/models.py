"""The procedure engine's records: a case, the stages it has been through, and everything the
profile's rules needed along the way (consents, timers, conflicts, reminders).

A case's existence is itself confidential: read cases only through `accord.procedures.selectors`.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from accord.access.confidential import confidential
from accord.directory.models import Person
from accord.profiles.models import ProfileVersion


@confidential
class Case(models.Model):
    """One matter running through one procedure of one profile version, start to end.

    `stage` is the open stage, or after the case has ended the last stage it was in (its
    visibility rules still apply); `outcome` is set when it ends.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    profile_version = models.ForeignKey(ProfileVersion, on_delete=models.PROTECT, related_name="+")
    procedure = models.CharField(max_length=64)
    raiser = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=64)
    # Where the first stage lets the raiser choose whom to go to, the handler they chose (the
    # role expression's text); empty means every handler the stage names.
    handler_choice = models.CharField(max_length=64, blank=True)
    # Where the stage the case is at (or, once ended, its last stage) lets whoever brought the
    # case there choose one person to handle it, that person; null otherwise.
    stage_handler = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where the procedure leads to a dated event (a meeting someone is asked to attend), its
    # date: notice is counted back from it.
    event_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=64, blank=True)
    # The day the matter is made public (a meeting, a published decision), where it has one: a
    # duty due before then that is done on or after it is recorded as late.
    public_on = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every transition; a conditional update on it stops two racing transitions.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["profile_version", "procedure", "stage"]),
            models.Index(fields=["raiser"]),
            models.Index(fields=["subject"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="", closed_at__isnull=True)
                | (~Q(outcome="") & Q(closed_at__isnull=False)),
                name="procedures_case_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(subject__isnull=True) | ~Q(subject=models.F("raiser")),
                name="procedures_case_not_about_raiser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} case {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@confidential
class CaseStage(models.Model):
    """One visit to a stage. The open visit has `left_at` null; there is at most one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    stage = models.CharField(max_length=64)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    # What the profile says happens if everyone who could handle the stage is conflicted.
    arrangement_needed = models.TextField(blank=True)
    # Where the stage lets whoever brought the case here choose one person to handle it.
    chosen_handler = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["entered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(left_at__isnull=True),
                name="procedures_one_open_stage_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} ({self.case_id})"


@confidential
class CaseTransition(models.Model):
    """History: one row per move, stamped with who, when, which rule and which profile version.

    The opening of a case is the first row (`from_stage` empty).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(max_length=64, blank=True)
    to = models.CharField(max_length=64)
    actor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    cite = models.CharField(max_length=40)
    profile_version = models.ForeignKey(ProfileVersion, on_delete=models.PROTECT, related_name="+")
    records = models.JSONField(default=dict, blank=True)
    explanation = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'open'} -> {self.to}"


@confidential
class CaseConsent(models.Model):
    """A party's agreement to one gated transition: revocable until the transition uses it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    gate = models.CharField(max_length=140, help_text="The gated transition, 'from->to'.")
    giver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, help_text="What the person agreed to share, if limited.")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    cite = models.CharField(max_length=40)

    class Meta:
        ordering = ["given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "gate"],
                condition=Q(withdrawn_at__isnull=True),
                name="procedures_one_live_consent_per_gate",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(used_at__isnull=True),
                name="procedures_consent_used_or_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"consent to {self.gate}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None


@confidential
class CaseTimer(models.Model):
    """A stage's timer: due on a day worked out from the profile's duration and calendar."""

    class Action(models.TextChoices):
        REMIND = "remind", "Reminder"
        ESCALATE = "escalate", "Escalation"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timers")
    visit = models.ForeignKey(CaseStage, on_delete=models.CASCADE, related_name="timers")
    duration = models.CharField(max_length=64)
    action = models.CharField(max_length=16, choices=Action.choices)
    due_on = models.DateField()
    cite = models.CharField(max_length=40)
    fired_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(fired_at__isnull=True, cancelled_at__isnull=True),
                name="procedures_timer_pending",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["visit"], name="procedures_one_timer_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.action} due {self.due_on}"


@confidential
class CaseReminder(models.Model):
    """Something a person must attend to on a case: written when a timer fires."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    timer = models.ForeignKey(CaseTimer, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField()
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["timer", "person"], name="procedures_one_reminder_per_timer_person"
            ),
        ]

    def __str__(self) -> str:
        return f"reminder for {self.person_id}"


@confidential
class CaseEscalation(models.Model):
    """A stage escalated by its timer: the people `expression` names may now handle it too."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    visit = models.ForeignKey(CaseStage, on_delete=models.CASCADE, related_name="escalations")
    expression = models.CharField(max_length=64)
    at = models.DateTimeField()
    cite = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "expression"], name="procedures_one_escalation_per_expression"
            ),
        ]

    def __str__(self) -> str:
        return f"escalated to {self.expression}"


@confidential
class CaseInvolvement(models.Model):
    """A person recorded as materially involved in the matter (000 SO §7.3, App B §8.2)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"], name="procedures_one_involvement_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"involvement of {self.person_id}"


@confidential
class CaseExclusion(models.Model):
    """A person kept off a case because of a conflict of interest: they see nothing of it."""

    class Reason(models.TextChoices):
        RELATIONSHIP = "relationship", "Declared relationship with a party"
        INVOLVEMENT = "involvement", "Materially involved earlier"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    explanation = models.TextField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"], name="procedures_one_exclusion_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} kept off ({self.reason})"


@confidential
class CaseStandIn(models.Model):
    """Who acts on a case instead of a conflicted person, under the profile's conflict rule.

    `expression` is the role expression the stand-in takes the place of (e.g.
    monitoring_officer); `via` is the alternate that supplied them (deputy_monitoring_officer).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stand_ins")
    expression = models.CharField(max_length=64)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    replaces = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=64)
    explanation = models.TextField()
    cite = models.CharField(max_length=40)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "expression", "replaces"],
                name="procedures_one_stand_in_per_replaced_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} for {self.expression}"


@confidential
class CaseDuty(models.Model):
    """A notification duty the profile set off on this case, and what became of it: done, with
    how many people were told; done late (on or after `due_before`: the day the matter was made
    public, or the day after the last day notice of the case's event could be given); or no one
    to tell, because its recipients named nobody that day."""

    class Status(models.TextChoices):
        DONE = "done", "Done"
        LATE = "late", "Done late"
        NO_ONE = "no_one", "No one to tell"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duties")
    duty = models.CharField(max_length=64)
    trigger = models.CharField(max_length=32)
    # The stage, outcome or record that set it off.
    event = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)
    told = models.PositiveIntegerField(default=0)
    # What the people told were told, in the profile's words (never the case's content).
    says = models.TextField()
    cite = models.CharField(max_length=40)
    due_before = models.DateField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "duty"])]

    def __str__(self) -> str:
        return f"{self.duty}: {self.status}"


@confidential
class CaseNotice(models.Model):
    """What one person was told under a duty: their notice on Accord. `with_content` is false
    where they may not see the case, so the notice says what the duty says and nothing of the
    case (no parties, no link to it)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    duty = models.ForeignKey(CaseDuty, on_delete=models.CASCADE, related_name="notices")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    with_content = models.BooleanField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "person"], name="procedures_one_notice_per_duty_person"
            ),
        ]

    def __str__(self) -> str:
        return f"notice for {self.person_id}"


@confidential
class CaseEngagement(models.Model):
    """One handler of a joint stage recording that they have engaged with it (000 §50(b): the
    Chief Executive, the Director and the Monitoring Officer each discuss the concern); the
    case cannot leave the stage until every handler has."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="engagements")
    visit = models.ForeignKey(CaseStage, on_delete=models.CASCADE, related_name="engagements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # The handler expressions the person took part as (e.g. ["monitoring_officer"]): their
    # part stays done if someone else holds the role later (a deputy during an absence).
    roles = models.JSONField(default=list)
    at = models.DateTimeField()
    cite = models.CharField(max_length=40)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "person"], name="procedures_one_engagement_per_visit_person"
            ),
        ]

    def __str__(self) -> str:
        return f"engagement of {self.person_id}"


@confidential
class CaseAlert(models.Model):
    """A reminder to someone who may not see the case: it says only that a matter under a
    paragraph needs their attention (`explanation` holds nothing of the case), and gives them
    no sight of it. The case is kept only so that a timer alerts each person once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    timer = models.ForeignKey(CaseTimer, on_delete=models.CASCADE, related_name="alerts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField()
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["timer", "person"], name="procedures_one_alert_per_timer_person"
            ),
        ]

    def __str__(self) -> str:
        return f"alert for {self.person_id}"
