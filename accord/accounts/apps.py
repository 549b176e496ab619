from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accord.accounts"
    label = "accounts"

    def ready(self) -> None:
        from accord.accounts.selectors import ACCOUNT_ADMIN_ROLES
        from accord.web.navigation import NavItem, holding, register

        register(
            NavItem(
                "Accounts",
                "accounts:account_admin_list",
                order=90,
                visible_to=holding(*ACCOUNT_ADMIN_ROLES),
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
