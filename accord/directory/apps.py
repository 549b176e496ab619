from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "accord.directory"
    label = "directory"
