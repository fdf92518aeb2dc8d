from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cfmp.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from cfmp.accounts import checks, signals  # noqa: F401  (registers receivers, checks)

        signals.connect_axes()
