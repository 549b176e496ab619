from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "accord.concerns"
    label = "concerns"
    verbose_name = "Conduct concerns"
