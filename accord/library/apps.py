from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "accord.library"
    label = "library"
    verbose_name = "Protocol library"
