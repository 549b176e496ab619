"""The concerns app's pages, under /concerns/ (mounted in accord.urls)."""

from django.urls import path

from accord.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.concerns, name="concern_list"),
    path("new/", views.concern_new, name="concern_new"),
    path("register/", views.concern_register, name="concern_register"),
    path("register.csv", views.concern_register_csv, name="concern_register_csv"),
    path("<uuid:public_id>/", views.concern, name="concern_detail"),
    path("<uuid:public_id>/act/", views.concern_act, name="concern_act"),
    path("<uuid:public_id>/consent/", views.concern_consent, name="concern_consent"),
    path("<uuid:public_id>/share/", views.concern_share, name="concern_share"),
    path("<uuid:public_id>/report/", views.concern_report, name="concern_report"),
]
