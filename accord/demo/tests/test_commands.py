from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.accounts.models import User
from accord.core.errors import ValidationFailed
from accord.demo import data
from accord.demo.services import demo_seed
from accord.directory.models import Council, Member, Person
from accord.directory.services import council_configure

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("fast_passwords")
def test_demo_no_serve_migrates_seeds_and_exits():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert f"Seeded {data.COUNCIL_NAME}" in text
    assert data.DEMO_PASSWORD in text
    assert Council.objects.get().short_name == data.COUNCIL_SHORT_NAME
    assert Member.objects.filter(is_co_opted=False).count() == 55
    assert set(User.objects.values_list("username", flat=True)) == set(data.DEMO_USERNAMES)


def test_demo_users_refuses_when_the_demo_council_is_not_seeded():
    with pytest.raises(CommandError, match="not seeded"):
        call_command("demo_users", "--json", stdout=StringIO())


def test_seeding_refuses_a_database_that_holds_another_council():
    council_configure(
        actor=None, name="Another Council", short_name="Another", governance="committee_system"
    )
    with pytest.raises(ValidationFailed) as caught:
        demo_seed()
    assert [error.field for error in caught.value.errors] == ["council"]
    assert not Person.objects.exists()
    assert Council.objects.get().name == "Another Council"


def test_seed_demo_command_reports_a_refusal_as_a_command_error():
    council_configure(
        actor=None, name="Another Council", short_name="Another", governance="committee_system"
    )
    with pytest.raises(CommandError, match="already holds Another Council"):
        call_command("seed_demo", stdout=StringIO())
