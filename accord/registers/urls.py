"""The registers app's pages, under /registers/ (mounted in accord.urls)."""

from django.urls import path

from accord.registers import views

app_name = "registers"
urlpatterns = [
    path("relationships/", views.relationships, name="relationships"),
    path("relationships/new/", views.relationship_new, name="relationship_new"),
    path("relationships/all/", views.relationships_all, name="relationships_all"),
    path(
        "relationships/<id:relationship_id>/end/",
        views.relationship_end_page,
        name="relationship_end",
    ),
]
