from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "accord.registers"
    label = "registers"
    verbose_name = "Registers"

    def ready(self) -> None:
        from accord.procedures.conflicts import register_conflict_source
        from accord.procedures.models import CaseExclusion
        from accord.registers.selectors import declared_relationships_among

        # A declared close relationship with a case's raiser or subject keeps a person off it.
        register_conflict_source(
            CaseExclusion.Reason.RELATIONSHIP,
            pairs=declared_relationships_among,
            says="has declared a close relationship with {party}",
        )
