from django.apps import AppConfig
from django.core import checks

from accord.notifications.checks import gateway_is_configured


class NotificationsConfig(AppConfig):
    name = "accord.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        checks.register(gateway_is_configured, deploy=True)
