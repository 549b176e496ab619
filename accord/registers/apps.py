from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "accord.registers"
    label = "registers"
    verbose_name = "Registers"

    def ready(self) -> None:
        from accord.web.navigation import NavItem, register, with_directory_person

        register(
            NavItem(
                "Relationships",
                "registers:relationships",
                order=40,
                visible_to=with_directory_person,
                section_url_names=frozenset(
                    {
                        "registers:relationship_new",
                        "registers:relationship_end",
                        "registers:relationships_all",
                    }
                ),
            )
        )

        from accord.procedures.conflicts import register_conflict_source
        from accord.procedures.models import CaseExclusion
        from accord.registers.selectors import declared_relationships_among

        # A declared close relationship with a case's raiser or subject keeps a person off it.
        register_conflict_source(
            CaseExclusion.Reason.RELATIONSHIP,
            pairs=declared_relationships_among,
            says="has declared a close relationship with {party}",
        )
