from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cfmp.accounts"
    label = "accounts"
    verbose_name = "Accounts"
