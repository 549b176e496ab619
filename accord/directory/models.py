"""The council's directory: who is who, and who holds which role on which day.

Data and constraints only. Every write goes through `accord.directory.services`; every read that
depends on a date ("who acts as Monitoring Officer on D") through `accord.directory.selectors`.
Roles change over time, so they are dated rows, never flags on a person.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from accord.core.models import DatedQuerySet, TimeStampedModel


class Council(TimeStampedModel):
    """The council this database serves (one per database: see docs/architecture.md)."""

    class Governance(models.TextChoices):
        LEADER_AND_CABINET = "leader_and_cabinet", "Leader and Cabinet"
        COMMITTEE_SYSTEM = "committee_system", "Committee system"

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    governance = models.CharField(max_length=32, choices=Governance.choices)
    profile_name = models.CharField(max_length=60, blank=True)
    singleton = models.BooleanField(default=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="directory_one_council"),
        ]

    def __str__(self) -> str:
        return self.name


class PoliticalGroup(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    short_name = models.CharField(max_length=20, unique=True)
    is_independent = models.BooleanField(
        default=False, help_text="Members who sit as independents, not a formal group."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(TimeStampedModel):
    """An electoral division (ward). Adjacency matters: 000 §32 tells adjoining members too."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120, unique=True)
    adjacent = models.ManyToManyField("self", symmetrical=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Directorate(TimeStampedModel):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """Anyone the protocol speaks of. Exactly one of `member`/`officer` detail rows exists."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member"
        OFFICER = "officer", "Officer"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    honorific = models.CharField(max_length=40, blank=True, help_text="e.g. County Councillor")
    email = models.EmailField(unique=True)
    phone = models.CharField(max_length=40, blank=True)
    external_ref = models.CharField(
        max_length=60, unique=True, null=True, blank=True, help_text="HR or member record id."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["kind", "family_name", "given_name"])]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="directory_person_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Member(TimeStampedModel):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="member")
    group = models.ForeignKey(
        PoliticalGroup, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    divisions = models.ManyToManyField(Division, related_name="members", blank=True)
    term_starts_on = models.DateField()
    term_ends_on = models.DateField(null=True, blank=True)
    is_co_opted = models.BooleanField(
        default=False, help_text="Co-opted members are bound by the protocol too (004 §1.8)."
    )

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(term_ends_on__gte=models.F("term_starts_on")),
                name="directory_member_term_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Officer(TimeStampedModel):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="officer")
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="officers")
    job_title = models.CharField(max_length=160)
    line_manager = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    is_cmt = models.BooleanField(default=False, verbose_name="Corporate Management Team member")

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("id")), name="directory_officer_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)


class Committee(TimeStampedModel):
    class Kind(models.TextChoices):
        CABINET = "cabinet", "Cabinet"
        OVERVIEW_SCRUTINY = "overview_scrutiny", "Overview and Scrutiny"
        REGULATORY = "regulatory", "Regulatory"
        STANDARDS = "standards", "Standards"
        CORPORATE_GOVERNANCE = "corporate_governance", "Corporate Governance"
        EMPLOYMENT = "employment", "Employment"
        POLICY = "policy", "Policy (committee system)"
        FULL_COUNCIL = "full_council", "Full Council"

    name = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMembership(TimeStampedModel):
    class Position(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"
        MEMBER = "member", "Member"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="committee_memberships"
    )
    position = models.CharField(max_length=16, choices=Position.choices, default=Position.MEMBER)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["committee__name", "position", "member__person__family_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="directory_committee_membership_dates",
            ),
        ]


class RoleAppointment(TimeStampedModel):
    """A role someone holds for a period: Leader, Lead Member for an area, Director, and so on.

    Member roles need a member, officer roles an officer; services check which. Scope columns say
    *of what*: the group a Group Leader leads, the directorate a Director runs.
    """

    class Role(models.TextChoices):
        LEADER = "leader", "Leader of the Council"
        DEPUTY_LEADER = "deputy_leader", "Deputy Leader"
        GROUP_LEADER = "group_leader", "Group Leader"
        LEAD_MEMBER = "lead_member", "Lead Member"
        DIRECTOR = "director", "Director"
        HEAD_OF_SERVICE = "head_of_service", "Head of Service"
        DEMOCRATIC_SERVICES = "democratic_services", "Democratic Services"
        DIRECTORY_ADMIN = "directory_admin", "Directory administrator"

    MEMBER_ROLES = frozenset({"leader", "deputy_leader", "group_leader", "lead_member"})
    OFFICER_ROLES = frozenset(
        {"director", "head_of_service", "democratic_services", "directory_admin"}
    )

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    role = models.CharField(max_length=32, choices=Role.choices)
    group = models.ForeignKey(
        PoliticalGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    areas = models.JSONField(
        default=list, blank=True, help_text="Portfolio or service areas, e.g. ['Highways']."
    )
    is_statutory_childrens_lead = models.BooleanField(
        default=False, help_text="The statutory Lead Member for Children's Services."
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "starts_on"]
        indexes = [models.Index(fields=["role", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="directory_role_dates",
            ),
            models.CheckConstraint(
                condition=~Q(role="group_leader") | Q(group__isnull=False),
                name="directory_group_leader_has_group",
            ),
            models.CheckConstraint(
                condition=~Q(role="director") | Q(directorate__isnull=False),
                name="directory_director_has_directorate",
            ),
            # Backstops for the services' overlap checks when two writers race.
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(role="leader", ends_on__isnull=True),
                name="directory_one_open_leader",
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(role="group_leader", ends_on__isnull=True),
                name="directory_one_open_group_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person}"


class StatutoryDesignation(TimeStampedModel):
    """Who holds, or deputises for, a statutory office over a period (000 SO §2.1, §4.3)."""

    class Office(models.TextChoices):
        HEAD_OF_PAID_SERVICE = "head_of_paid_service", "Head of Paid Service"
        MONITORING_OFFICER = "monitoring_officer", "Monitoring Officer"
        CHIEF_FINANCE_OFFICER = "chief_finance_officer", "Chief Finance Officer (s151)"
        SCRUTINY_OFFICER = "scrutiny_officer", "Statutory Scrutiny Officer"

    office = models.CharField(max_length=32, choices=Office.choices)
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="designations")
    is_deputy = models.BooleanField(default=False)
    deputy_rank = models.PositiveSmallIntegerField(
        default=0, help_text="Order in which deputies act; 0 for the holder."
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["office", "is_deputy", "deputy_rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="directory_designation_dates",
            ),
            models.CheckConstraint(
                condition=Q(is_deputy=False, deputy_rank=0) | Q(is_deputy=True, deputy_rank__gte=1),
                name="directory_designation_rank",
            ),
            models.UniqueConstraint(
                fields=["office"],
                condition=Q(is_deputy=False, ends_on__isnull=True),
                name="directory_one_open_holder_per_office",
            ),
        ]

    def __str__(self) -> str:
        suffix = " (deputy)" if self.is_deputy else ""
        return f"{self.get_office_display()}{suffix}: {self.officer}"


class Absence(TimeStampedModel):
    """An officer unavailable for a period; their deputy acts (000 SO §4.3)."""

    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="directory_absence_dates"
            ),
        ]


class Administration(TimeStampedModel):
    """The political administration in office over a period (000 §21 on a change of control)."""

    groups = models.ManyToManyField(PoliticalGroup, related_name="administrations")
    leader = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["ends_on"],
                condition=Q(ends_on__isnull=True),
                name="directory_one_current_administration",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="directory_administration_dates",
            ),
        ]
