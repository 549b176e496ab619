from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from accord.demo.plan import build_plan
from accord.demo.services import demo_seed

# Deliberately weak hashing so the twelve demo passwords do not dominate the test run.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def demo_council(django_db_setup, django_db_blocker):
    """Seed once for the whole module, inside a transaction rolled back when the module ends.

    Each test's own transaction nests inside it as a savepoint, so tests still cannot see each
    other's writes while sharing the one seed.
    """
    plan = build_plan()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            outcome = demo_seed(plan=plan)
        assert outcome.created
        try:
            yield plan
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
