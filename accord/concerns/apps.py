from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "accord.concerns"
    label = "concerns"
    verbose_name = "Conduct concerns"

    def ready(self) -> None:
        from accord.access.policies import CONCERN_REGISTER_READERS
        from accord.web.navigation import NavItem, allowed_by, register, with_directory_person

        register(
            NavItem(
                "Concerns",
                "concerns:concern_list",
                order=30,
                visible_to=with_directory_person,
                section_url_names=frozenset(
                    {
                        "concerns:concern_new",
                        "concerns:concern_detail",
                        "concerns:concern_act",
                        "concerns:concern_consent",
                        "concerns:concern_share",
                        "concerns:concern_report",
                    }
                ),
            )
        )
        register(
            NavItem(
                "Concerns register",
                "concerns:concern_register",
                order=31,
                visible_to=allowed_by(CONCERN_REGISTER_READERS),
                section_url_names=frozenset({"concerns:concern_register_csv"}),
            )
        )

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
