"""A recurring task queues its next run once, however often it asks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from accord.core.scheduling import reschedule, tomorrow_at
from accord.notifications.tasks import sweep_notifications

pytestmark = pytest.mark.django_db


def test_a_recurring_task_is_queued_once_however_often_it_is_rescheduled():
    later = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)

    assert reschedule(sweep_notifications, run_after=later) is True
    assert reschedule(sweep_notifications, run_after=later) is False

    waiting = DBTaskResult.objects.filter(task_path=sweep_notifications.module_path, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after == later


@time_machine.travel(dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), tick=False)
def test_tomorrow_at_is_council_time_across_the_clocks_changing():
    # 23:30 UTC on 28 March is still the 28th in London; the clocks go forward on the 29th.
    assert tomorrow_at(dt.time(2, 0)).isoformat() == "2026-03-29T02:00:00+01:00"
