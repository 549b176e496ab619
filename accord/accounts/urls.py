from django.urls import include, path

from accord.access.policy import adopt_third_party

urlpatterns = adopt_third_party(
    [
        path("", include("allauth.urls")),
    ]
)
