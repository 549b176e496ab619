from django.urls import path

from accord.api.main import api

urlpatterns = [path("", api.urls)]
