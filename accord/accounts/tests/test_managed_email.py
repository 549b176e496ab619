"""Email addresses are the directory's; allauth's page for changing them is not offered."""

from __future__ import annotations

import pytest
from django.core import mail

from accord.directory.tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_email_management_page_does_not_exist(client):
    client.force_login(f.UserFactory.create(person=f.OfficerFactory.create().person))
    response = client.get("/accounts/email/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_password_reset_request_is_accepted_and_mailed(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = f.UserFactory.create(person=f.OfficerFactory.create().person)
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[user.email]]
