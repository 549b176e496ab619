from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "accord.concerns"
    label = "concerns"
    verbose_name = "Conduct concerns"

    def ready(self) -> None:
        from accord.concerns.selectors import case_has_concern
        from accord.procedures.pages import register_case_page
        from accord.profiles.schema import Purpose

        # A reminder about a concern links to the concern's page, where its handlers read it.
        for purpose in (Purpose.OFFICER_CONCERN, Purpose.MEMBER_CONCERN):
            register_case_page(
                purpose,
                url_name="concerns:concern_detail",
                api_prefix="/api/v1/concerns",
                has_page=case_has_concern,
            )
