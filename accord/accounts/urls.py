"""Sign-in URLs: Accord's own, then allauth's.

allauth's URL names are not namespaced (its views reverse "account_login" and so on), so Accord's
own names here carry an "accounts_" prefix instead.

allauth's views cannot carry `accord.access.policy` decorators, so their policy is declared here
from allauth's own marking: a view allauth marks `login_not_required` (sign-in, password reset,
the single sign-on callbacks) is public; every other one needs a signed-in account.
"""

from __future__ import annotations

from allauth import urls as allauth_urls
from django.urls import include, path

from accord.access.policy import adopt_third_party
from accord.accounts.views import signin as views

adopt_third_party(allauth_urls.urlpatterns)

urlpatterns = [
    path("two-factor-required/", views.mfa_required, name="accounts_mfa_required"),
    path("email/", views.managed_in_directory),
    path("", include(allauth_urls)),
]
