"""The profiles app's pages, under /rules/ (mounted in accord.urls)."""

from django.urls import path

from accord.profiles import views

app_name = "profiles"
urlpatterns = [
    path("", views.rules, name="rules"),
    path("<slug:profile_id>/v<id:version>/", views.rules_version, name="rules_version"),
]
