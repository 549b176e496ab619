from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "accord.web"
    label = "web"

    def ready(self) -> None:
        from django.urls import register_converter

        from accord.web.converters import IdConverter, TextConverter

        # Before any app's URLconf is read: every app's addresses use them.
        register_converter(IdConverter, "id")
        register_converter(TextConverter, "text")
