from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "accord.registers"
    label = "registers"
    verbose_name = "Registers"
