from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "accord.profiles"
    label = "profiles"

    def ready(self) -> None:
        from accord.web.navigation import NavItem, register

        register(
            NavItem(
                "Protocol rules",
                "profiles:rules",
                order=50,
                section_url_names=frozenset({"profiles:rules_version"}),
            )
        )
