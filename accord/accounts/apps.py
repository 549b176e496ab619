from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accord.accounts"
    label = "accounts"

    def ready(self) -> None:
        from accord.access.policies import ACCOUNT_ADMINS
        from accord.web.navigation import NavItem, allowed_by, register

        register(
            NavItem(
                "Accounts",
                "accounts:account_admin_list",
                order=90,
                visible_to=allowed_by(ACCOUNT_ADMINS),
                section_url_names=frozenset(
                    {
                        "accounts:account_admin_detail",
                        "accounts:account_admin_create",
                        "accounts:account_admin_disable",
                        "accounts:account_admin_enable",
                    }
                ),
            )
        )
