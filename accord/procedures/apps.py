from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "accord.procedures"
    label = "procedures"
    verbose_name = "Procedures"
