from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "accord.library"
    label = "library"
    verbose_name = "Protocol library"

    def ready(self) -> None:
        from accord.access.policies import LIBRARY_KEEPERS
        from accord.web.navigation import NavItem, allowed_by, register

        register(
            NavItem(
                "Protocols",
                "library:protocols",
                order=60,
                section_url_names=frozenset(
                    {
                        "library:protocol_version",
                        "library:protocol_paragraph",
                        "library:protocol_coverage",
                        "library:protocol_compare",
                        "library:protocol_import",
                        "library:protocol_import_preview",
                        "library:protocol_search",
                        "library:protocol_ask",
                        "library:protocol_acknowledge",
                    }
                ),
            )
        )
        register(
            NavItem(
                "Protocol reviews",
                "library:protocol_reviews",
                order=61,
                visible_to=allowed_by(LIBRARY_KEEPERS),
                section_url_names=frozenset(
                    {
                        "library:protocol_review_new",
                        "library:protocol_review",
                        "library:protocol_review_report",
                        "library:protocol_acknowledgements",
                    }
                ),
            )
        )
