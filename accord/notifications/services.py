"""Writing and sending notifications.

`notify()` is called inside the caller's transaction, so the message is written (or not) with
the action that caused it; the send task is queued only once that commits. `notification_send`
claims a row with a conditional UPDATE before it calls the gateway, so however many workers,
tasks and sweeps ask, one of them sends it. A failed send waits longer each time and, after
`MAX_ATTEMPTS`, is marked failed for a person to look at (`accord notifications retry ID`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from accord.access.actor import Actor
from accord.audit.services import record
from accord.core import clock
from accord.core.errors import NotFound, ValidationFailed
from accord.directory.models import Person
from accord.notifications.gateway import GatewayError, get_gateway
from accord.notifications.models import Notification
from accord.notifications.templates import TEMPLATES, render

logger = logging.getLogger(__name__)

# The wait after each failed attempt; the attempt after the last of these is the final one.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claim older than this belongs to a worker that died mid-send: the row is due again. Longer
# than any gateway's timeout, so a slow send is never taken over while it is still running.
STUCK_AFTER = dt.timedelta(minutes=15)

Status = Notification.Status


def notify(
    *,
    person: Person,
    template: str,
    key: str,
    personalisation: Mapping[str, str],
    link: str,
) -> Notification | None:
    """Write one message to `person` in the caller's transaction; send it once that commits.

    `key` makes it idempotent: a second call with the same key returns the first row. A person
    who is inactive or has no email is skipped (None). `personalisation` gives the template's
    fields; it is what the email says, so it must never hold a case's content. Raises
    ValueError only for a caller's mistake (unknown template or field, a link that is not a
    path on this site).
    """
    _check_message(template, personalisation, link)
    if not person.is_active or not person.email:
        return None
    now = clock.now()
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            key=key,
            defaults={
                "recipient": person,
                "email": person.email,
                "template": template,
                "personalisation": {**personalisation, "name": person.full_name, "link": link},
                "next_attempt_at": now,
                "created_at": now,
            },
        )
        if created:
            record(
                actor=None,
                verb="notifications.queued",
                target=notification,
                data={"template": template, "key": key},
            )
            _queue_on_commit(notification.pk)
    return notification


# Rows written and tasks queued per batch by `notify_many`: few enough for any database's limit
# on query parameters, many enough that a whole council is a handful of queries.
BATCH_SIZE = 500


def notify_many(
    *,
    recipients: Sequence[tuple[Person, str]],
    template: str,
    personalisation: Mapping[str, str],
    link: str,
) -> list[Notification]:
    """`notify` for many people at once: one message to each (person, key) with the same
    template, fields and link, written in the caller's transaction in a few queries.

    The rules are `notify`'s: a key already written is not written again, an inactive person
    or one without an email is skipped. One audit event records the batch (its template, how
    many and the notifications' ids); the sends are queued, a batch to a task, once the caller
    commits. Returns the notifications written now.
    """
    _check_message(template, personalisation, link)
    wanted: dict[str, Person] = {}
    for person, key in recipients:
        if person.is_active and person.email:
            wanted.setdefault(key, person)
    if not wanted:
        return []
    now = clock.now()
    with transaction.atomic():
        keys = list(wanted)
        taken: set[str] = set()
        for start in range(0, len(keys), BATCH_SIZE):
            taken.update(
                Notification.objects.filter(key__in=keys[start : start + BATCH_SIZE]).values_list(
                    "key", flat=True
                )
            )
        written = Notification.objects.bulk_create(
            [
                Notification(
                    key=key,
                    recipient=person,
                    email=person.email,
                    template=template,
                    personalisation={**personalisation, "name": person.full_name, "link": link},
                    next_attempt_at=now,
                    created_at=now,
                )
                for key, person in wanted.items()
                if key not in taken
            ],
            batch_size=BATCH_SIZE,
        )
        if not written:
            return []
        # PostgreSQL and SQLite (3.35 and later) give bulk-created rows their ids.
        ids = [n.pk for n in written]
        record(
            actor=None,
            verb="notifications.queued_batch",
            data={"template": template, "count": len(ids), "notifications": ids},
        )
        for start in range(0, len(ids), BATCH_SIZE):
            _queue_batch_on_commit(ids[start : start + BATCH_SIZE])
    return written


def _check_message(template: str, personalisation: Mapping[str, str], link: str) -> None:
    if template not in TEMPLATES:
        raise ValueError(f"Unknown notification template {template!r}.")
    fields = set(TEMPLATES[template].fields)
    if set(personalisation) != fields:
        raise ValueError(
            f"{template} takes exactly {sorted(fields)}, not {sorted(personalisation)}."
        )
    if not link.startswith("/") or link.startswith("//"):
        raise ValueError("A notification links to a path on Accord, such as /cases/<id>/.")


def _queue_batch_on_commit(notification_ids: list[int]) -> None:
    def queue() -> None:
        from accord.notifications.tasks import schedule_send_batch

        schedule_send_batch(notification_ids)

    transaction.on_commit(queue, robust=True)


def _queue_on_commit(notification_id: int, *, at: dt.datetime | None = None) -> None:
    def queue() -> None:
        from accord.notifications.tasks import schedule_send

        schedule_send(notification_id, at=at)

    # A queue that cannot be reached must not undo the committed action: the sweep sends it.
    transaction.on_commit(queue, robust=True)


def _due(now: dt.datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    )


def notification_send(*, notification_id: int) -> bool:
    """Send one due notification, if this call wins the claim. True if it was sent now.

    Runs outside any transaction: the claim commits before the gateway is called, so no lock
    is held while the provider answers.
    """
    now = clock.now()
    claimed = Notification.objects.filter(
        _due(now), pk=notification_id, attempts__lt=MAX_ATTEMPTS
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if claimed != 1:
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        message = render(
            notification.template, notification.personalisation, base_url=settings.ACCORD_BASE_URL
        )
        reference = get_gateway().send(
            email=notification.email,
            subject=message.subject,
            body=message.body,
            reference=notification.key,
            template=notification.template,
            personalisation=message.values,
        )
    except Exception as error:  # any failure, even an unknown template, counts as an attempt
        _attempt_failed(notification, _describe(error))
        return False
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.SENT, sent_at=clock.now(), provider_ref=reference[:100], last_error=""
        )
        record(
            actor=None,
            verb="notifications.sent",
            target=notification,
            data={"template": notification.template, "key": notification.key},
        )
    return True


def _describe(error: Exception) -> str:
    # Only our own gateway errors are known to be free of addresses and message text.
    if isinstance(error, GatewayError):
        return str(error)[:200]
    return type(error).__name__


def _attempt_failed(notification: Notification, error: str) -> None:
    now = clock.now()
    logger.warning(
        "Notification %s attempt %s failed: %s", notification.pk, notification.attempts, error
    )
    with transaction.atomic():
        if notification.attempts >= MAX_ATTEMPTS:
            _mark_failed(notification, error)
            return
        retry_at = now + BACKOFF[notification.attempts - 1]
        Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(
            status=Status.PENDING, next_attempt_at=retry_at, claimed_at=None, last_error=error
        )
        _queue_on_commit(notification.pk, at=retry_at)


def _mark_failed(notification: Notification, error: str) -> None:
    updated = Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(
        status=Status.FAILED, claimed_at=None, last_error=error
    )
    if updated:
        record(
            actor=None,
            verb="notifications.failed",
            target=notification,
            data={
                "template": notification.template,
                "key": notification.key,
                "attempts": notification.attempts,
                "error": error,
            },
        )


def notifications_sweep() -> int:
    """Send everything due, including claims a dead worker left behind: the backstop for a
    lost task. Returns how many were sent."""
    now = clock.now()
    for abandoned in Notification.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER, attempts__gte=MAX_ATTEMPTS
    ):
        with transaction.atomic():
            _mark_failed(abandoned, abandoned.last_error or "worker stopped during the last try")
    due = Notification.objects.filter(_due(now), attempts__lt=MAX_ATTEMPTS).order_by(
        "next_attempt_at", "pk"
    )
    return sum(
        1 for pk in list(due.values_list("pk", flat=True)) if notification_send(notification_id=pk)
    )


def notification_retry(*, actor: Actor, notification_id: int) -> Notification:
    """Put a failed notification back in the queue with a fresh set of attempts."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None:
        raise NotFound()
    if notification.status != Status.FAILED:
        raise ValidationFailed.for_field(
            "notification",
            f"Only a failed notification can be retried; this one is {notification.status}.",
        )
    now = clock.now()
    with transaction.atomic():
        if not Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, claimed_at=None
        ):
            raise ValidationFailed.for_field("notification", "It changed meanwhile; look again.")
        record(
            actor=actor,
            verb="notifications.retried",
            target=notification,
            data={"template": notification.template, "key": notification.key},
        )
        _queue_on_commit(notification.pk)
    notification.refresh_from_db()
    return notification
