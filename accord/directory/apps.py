from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "accord.directory"
    label = "directory"

    def ready(self) -> None:
        from accord.access.policies import DIRECTORY_MANAGERS
        from accord.web.navigation import NavItem, allowed_by, register

        register(
            NavItem(
                "Directory",
                "directory:people",
                order=10,
                section_url_names=frozenset(
                    {
                        "directory:person",
                        "directory:groups",
                        "directory:group",
                        "directory:divisions",
                        "directory:division",
                        "directory:committees",
                        "directory:committee",
                        "directory:statutory",
                    }
                ),
            )
        )
        register(
            NavItem(
                "Manage directory",
                "directory:directory_admin",
                order=70,
                visible_to=allowed_by(DIRECTORY_MANAGERS),
                section_url_names=frozenset(
                    {
                        "directory:directory_admin_import",
                        "directory:directory_admin_import_preview",
                        "directory:directory_admin_person",
                        "directory:directory_admin_absence",
                        "directory:directory_admin_role_appoint",
                        "directory:directory_admin_role_end",
                        "directory:directory_admin_designate",
                        "directory:directory_admin_designation_end",
                        "directory:directory_admin_committee_member",
                        "directory:directory_admin_administration",
                    }
                ),
            )
        )
