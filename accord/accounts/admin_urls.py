"""The accounts app's pages, under /accounts-admin/ (mounted in accord.urls)."""

from django.urls import path

from accord.accounts.views import admin

app_name = "accounts"
urlpatterns = [
    path("", admin.account_list, name="account_admin_list"),
    path("new/", admin.account_create, name="account_admin_create"),
    path("<id:user_id>/", admin.account_detail, name="account_admin_detail"),
    path("<id:user_id>/disable/", admin.account_disable, name="account_admin_disable"),
    path("<id:user_id>/enable/", admin.account_enable, name="account_admin_enable"),
]
