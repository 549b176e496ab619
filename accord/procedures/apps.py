from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "accord.procedures"
    label = "procedures"
    verbose_name = "Procedures"

    def ready(self) -> None:
        from accord.web.navigation import NavItem, register, with_directory_person

        register(
            NavItem(
                "Cases",
                "procedures:cases",
                order=20,
                visible_to=with_directory_person,
                section_url_names=frozenset({"procedures:case", "procedures:case_new"}),
            )
        )
