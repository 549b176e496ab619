"""Members and officers acknowledge a version in force; the keepers see who has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.audit.models import AuditEvent
from accord.core.errors import NotFound, PermissionDenied, ValidationFailed
from accord.directory.models import Person
from accord.directory.tests.factories import PersonFactory
from accord.library.models import Acknowledgement, ProtocolVersion
from accord.library.selectors import (
    acknowledgement_register,
    acknowledgement_totals,
    not_yet_asked,
    pending_for,
)
from accord.library.services import (
    acknowledge,
    acknowledgements_request,
    acknowledgements_request_newcomers,
)
from accord.library.testing import make_version
from accord.notifications.models import Notification
from accord.notifications.tests.helpers import person
from accord.procedures.tests.example_council import ExampleCouncil, example_council

pytestmark = pytest.mark.django_db

MARKER = "MARKER-ack-protocol-wording"


@pytest.fixture
def example() -> ExampleCouncil:
    return example_council()


@pytest.fixture
def version() -> ProtocolVersion:
    return make_version(key="protocol", label="2026", paragraphs=[("1", f"Text {MARKER}.")])


def _active() -> set[int]:
    return set(
        Person.objects.filter(is_active=True, kind__in=["member", "officer"]).values_list(
            "pk", flat=True
        )
    )


def test_request_asks_every_active_person_once_and_is_idempotent(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    leaver = example.person("councillor")
    Person.objects.filter(pk=leaver.pk).update(is_active=False)
    asked = acknowledgements_request(version=version, actor=example.user("mo"))
    people = set(
        Acknowledgement.objects.filter(version=version).values_list("person_id", flat=True)
    )
    assert people == _active()
    assert leaver.pk not in people
    assert asked == len(people)
    assert acknowledgements_request(version=version, actor=None) == 0
    assert Acknowledgement.objects.filter(version=version).count() == len(people)
    assert Notification.objects.filter(template="protocol_acknowledgement").count() == len(
        [p for p in Person.objects.filter(pk__in=people) if p.email]
    )
    # The second request wrote nothing, so it left no event.
    assert AuditEvent.objects.filter(verb="library.acknowledgements_requested").count() == 1


def test_asking_a_larger_council_makes_no_more_queries(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    with CaptureQueriesContext(connection) as small:
        acknowledgements_request(version=version, actor=None)
    later = make_version(key="other-protocol", label="2027", paragraphs=[("1", "Text.")])
    for n in range(40):
        PersonFactory(kind=Person.Kind.OFFICER, email=f"officer{n}@example.gov.uk")

    with CaptureQueriesContext(connection) as large:
        acknowledgements_request(version=later, actor=None)

    assert Acknowledgement.objects.filter(version=later).count() == len(_active())
    assert len(large) == len(small)


def test_the_email_links_to_the_acknowledge_page_and_carries_no_protocol_text(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    from accord.notifications.templates import render

    acknowledgements_request(version=version, actor=None)
    notification = Notification.objects.filter(recipient=example.person("officer")).get()
    message = render(notification.template, notification.personalisation, base_url="https://a.test")
    assert notification.personalisation["link"] == "/protocols/acknowledge/"
    for text in (message.subject, message.body):
        assert MARKER not in text
        assert "Member/Officer Protocol" not in text


def test_request_refuses_a_draft_and_a_non_keeper(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    draft = make_version(key="protocol", label="draft", status="draft")
    with pytest.raises(ValidationFailed) as failed:
        acknowledgements_request(version=draft, actor=None)
    assert [e.field for e in failed.value.errors] == ["version"]
    with pytest.raises(PermissionDenied):
        acknowledgements_request(version=version, actor=example.user("officer"))
    assert not Acknowledgement.objects.exists()


def test_acknowledge_records_only_ones_own_once(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    acknowledgements_request(version=version, actor=None)
    officer = example.user("officer")
    assert list(pending_for(officer)) == [version]
    first = acknowledge(actor=officer, version=version)
    again = acknowledge(actor=officer, version=version)
    assert first.pk == again.pk
    assert first.person_id == example.person("officer").pk
    assert first.acknowledged_at == again.acknowledged_at is not None
    assert AuditEvent.objects.filter(verb="library.acknowledged").count() == 1
    assert list(pending_for(officer)) == []
    assert list(pending_for(example.user("councillor"))) == [version]
    others = Acknowledgement.objects.exclude(person=example.person("officer"))
    assert not others.filter(acknowledged_at__isnull=False).exists()


def test_a_superseded_version_is_no_longer_pending_or_acknowledgeable(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    acknowledgements_request(version=version, actor=None)
    ProtocolVersion.objects.filter(pk=version.pk).update(status="superseded")
    version.refresh_from_db()
    officer = example.user("officer")
    assert list(pending_for(officer)) == []
    with pytest.raises(ValidationFailed):
        acknowledge(actor=officer, version=version)


def test_the_register_counts_for_keepers_and_is_not_found_for_others(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    acknowledgements_request(version=version, actor=None)
    acknowledge(actor=example.user("officer"), version=version)
    register = acknowledgement_register(example.user("mo"), version, per_page=5)
    assert register.asked == len(_active())
    assert register.acknowledged == 1
    assert register.outstanding == register.asked - 1
    assert len(register.page.object_list) == min(5, register.asked)
    for who in ("officer", "councillor"):
        with pytest.raises(NotFound):
            acknowledgement_register(example.user(who), version)


def test_people_who_join_later_are_asked_by_the_daily_run_and_reference_documents_are_not(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    acknowledgements_request(version=version, actor=None)
    reference = make_version(key="another-councils-protocol", label="2024")
    newcomer = person(kind=Person.Kind.OFFICER, email="new.starter@example.gov.uk")
    assert not_yet_asked(version) == 1
    assert list(pending_for(example.user("officer"))) == [version]

    assert acknowledgements_request_newcomers() == 1

    asked = Acknowledgement.objects.get(version=version, person=newcomer)
    assert asked.acknowledged_at is None
    assert Notification.objects.filter(recipient=newcomer).count() == 1
    assert not Acknowledgement.objects.filter(version=reference).exists()
    assert not_yet_asked(version) == 0
    events = AuditEvent.objects.filter(verb="library.acknowledgements_requested").count()
    assert acknowledgements_request_newcomers() == 0
    assert AuditEvent.objects.filter(verb="library.acknowledgements_requested").count() == events


def test_the_daily_task_asks_newcomers_after_putting_due_versions_in_force(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    from accord.library.tasks import activate_due_versions

    acknowledgements_request(version=version, actor=None)
    newcomer = person(kind=Person.Kind.MEMBER, email="new.member@example.gov.uk")

    activate_due_versions.call()

    assert Acknowledgement.objects.filter(version=version, person=newcomer).exists()


def test_the_totals_count_who_has_not_been_asked_for_keepers_only(
    example: ExampleCouncil, version: ProtocolVersion
) -> None:
    acknowledgements_request(version=version, actor=None)
    PersonFactory(kind=Person.Kind.OFFICER)
    PersonFactory(kind=Person.Kind.OFFICER, is_active=False)  # a leaver is never asked

    totals = acknowledgement_totals(example.user("mo"), version)

    assert totals.not_asked == 1
    assert totals.asked == len(_active()) - 1
    with pytest.raises(NotFound):
        acknowledgement_totals(example.user("officer"), version)
