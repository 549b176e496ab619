"""Shared set-up for concern tests on the demo council: accounts by demo username, the people a
concern involves, and a marker planted in every confidential field."""

from __future__ import annotations

from typing import Any

from accord.accounts.models import User
from accord.concerns.models import Concern
from accord.concerns.services import concern_raise
from accord.directory.models import Member, Person

MARKER = "ZQX-CONFIDENTIAL-7731"


def account(username: str) -> User:
    return User.objects.select_related("person").get(username=username)


def person(username: str) -> Person:
    found = account(username).person
    assert found is not None
    return found


def member_led_by(group_leader_username: str) -> Person:
    """A member of the group that `group_leader_username` leads (not the leader)."""
    leader = person(group_leader_username)
    group = Member.objects.get(person=leader).group
    other = (
        Member.objects.filter(group=group, person__is_active=True)
        .exclude(person=leader)
        .select_related("person")
        .order_by("person__family_name")
        .first()
    )
    assert other is not None
    return other.person


def user_of(someone: Person) -> User | None:
    return User.objects.filter(person=someone).first()


def raise_officer_concern(
    *, by: str = "officer", about: Person, first_contact: str = "monitoring_officer", **extra: Any
) -> Concern:
    return concern_raise(
        actor=account(by),
        direction=Concern.Direction.OFFICER_ABOUT_MEMBER,
        subject=about,
        what_happened=f"What happened {MARKER}",
        outcome_wanted=f"Outcome {MARKER}",
        tried_direct=True,
        tried_direct_details=f"Tried {MARKER}",
        first_contact=first_contact,
        **extra,
    )


def raise_member_concern(*, by: str = "member", about: Person, **extra: Any) -> Concern:
    return concern_raise(
        actor=account(by),
        direction=Concern.Direction.MEMBER_ABOUT_OFFICER,
        subject=about,
        what_happened=f"What happened {MARKER}",
        outcome_wanted=f"Outcome {MARKER}",
        tried_direct=False,
        **extra,
    )


def sees(username: str, concern: Concern) -> bool:
    """Whether the demo account can open the concern at all (hidden looks exactly missing)."""
    from accord.concerns.selectors import concern_get
    from accord.core.errors import NotFound

    try:
        concern_get(account(username), concern.case.public_id)
    except NotFound:
        return False
    return True


def who_sees(concern: Concern) -> set[str]:
    """The demo accounts that can open the concern."""
    from accord.demo.data import DEMO_USERNAMES

    return {username for username in DEMO_USERNAMES if sees(username, concern)}


def shared_reading(username: str, concern: Concern) -> Any:
    """The detail a reader told of the concern only in part gets, checked: what the raiser
    agreed to share and nothing anyone wrote (the raiser's name only if they agreed)."""
    import dataclasses

    from accord.concerns.selectors import Reading, concern_detail, concern_get

    reader = account(username)
    found = concern_get(reader, concern.case.public_id)
    detail = concern_detail(reader, found)
    assert detail.reading is Reading.SHARED, username
    others = [entry for entry in detail.timeline if entry.by != "You"]
    assert MARKER not in repr(dataclasses.replace(detail, timeline=others)), username
    assert detail.what_happened is None
    assert detail.outcome_wanted is None
    assert detail.tried_direct_details is None
    assert detail.recorded_by_name is None
    if not found.share_identity:
        assert detail.raiser_name is None, username
    return detail


def all_take_part(concern: Concern) -> None:
    """Everyone handling the concern's joint stage records taking part (000 §50(b): the Chief
    Executive, the Director and the Monitoring Officer all discuss it), so it can move on."""
    from accord.procedures.selectors import joint_parts
    from accord.procedures.services import engagement_record

    concern.case.refresh_from_db()
    for part in joint_parts(concern.case):
        if part.engaged or not part.people:
            continue
        user = User.objects.filter(person_id=part.people[0]).first()
        assert user is not None
        engagement_record(actor=user, case=concern.case)
