from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accord.accounts.urls")),
    path("api/v1/", include("accord.api.urls")),
    path("", include("accord.web.urls")),
]
