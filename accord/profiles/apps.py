from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "accord.profiles"
    label = "profiles"
