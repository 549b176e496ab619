"""Assertions shared by the directory's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models

from accord.audit.models import AuditEvent
from accord.core.errors import ValidationFailed


def fields_of(error: ValidationFailed) -> set[str]:
    return {item.field for item in error.errors}


def assert_rejected(call: Callable[[], Any], field: str) -> ValidationFailed:
    """The call fails naming `field`, and writes no audit event (so nothing at all)."""
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        call()
    assert field in fields_of(caught.value), caught.value.errors
    assert AuditEvent.objects.count() == events_before
    return caught.value


def audited(verb: str, target: models.Model) -> AuditEvent:
    """The single audit event with this verb about this target."""
    events = AuditEvent.objects.filter(
        verb=verb, target_type=target._meta.label_lower, target_id=str(target.pk)
    )
    assert events.count() == 1, list(AuditEvent.objects.values_list("verb", "target_id"))
    return events.get()
