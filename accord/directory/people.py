"""How pages name people: the signed-in person, and a label that tells two people apart."""

from __future__ import annotations

from django.http import HttpRequest

from accord.directory.models import Person

__all__ = ["person_label", "signed_in_person"]


def signed_in_person(request: HttpRequest) -> Person | None:
    """The active directory person behind the signed-in account, if any."""
    person = getattr(request.user, "person", None)
    return person if isinstance(person, Person) and person.is_active else None


def person_label(person: Person) -> str:
    """A name with what tells two people of that name apart: a job title or a group."""
    officer = getattr(person, "officer", None) if person.kind == Person.Kind.OFFICER else None
    if officer is not None:
        return f"{person.full_name}, {officer.job_title}"
    member = getattr(person, "member", None) if person.kind == Person.Kind.MEMBER else None
    if member is not None and member.group is not None:
        return f"{person.full_name}, {member.group.name}"
    return str(person.full_name)
