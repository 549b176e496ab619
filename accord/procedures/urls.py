"""The procedures app's pages, under /cases/ (mounted in accord.urls)."""

from django.urls import path

from accord.procedures import views

app_name = "procedures"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.case_new, name="case_new"),
    path("notices/", views.notices, name="notices"),
    path("<uuid:public_id>/", views.case, name="case"),
]
