"""The shell's own pages: the home page and the health check."""

from django.urls import path

from accord.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
