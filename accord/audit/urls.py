"""The audit app's pages, under /audit/ (mounted in accord.urls)."""

from django.urls import path

from accord.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="audit_events"),
    path("events/<id:seq>/", views.event, name="audit_event"),
    path("verify/", views.verify, name="audit_verify"),
    path("checkpoint/", views.checkpoint, name="audit_checkpoint"),
]
