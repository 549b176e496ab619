"""Where each app's pages are mounted. Each app owns its `urls.py` and URL namespace."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accord.accounts.urls")),
    path("api/v1/", include("accord.api.urls")),
    path("", include("accord.web.urls")),
    path("directory/", include("accord.directory.urls")),
    path("rules/", include("accord.profiles.urls")),
    path("protocols/", include("accord.library.urls")),
    path("cases/", include("accord.procedures.urls")),
    path("concerns/", include("accord.concerns.urls")),
    path("registers/", include("accord.registers.urls")),
    path("audit/", include("accord.audit.urls")),
    path("accounts-admin/", include("accord.accounts.admin_urls")),
]
