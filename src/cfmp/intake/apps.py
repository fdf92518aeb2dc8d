from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "cfmp.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from cfmp.accounts.permissions import register_rule
        from cfmp.accounts.scopes import can_submit_transactions

        register_rule("transactions.submit", can_submit_transactions)
