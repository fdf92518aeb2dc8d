from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cfmp.cases"
    verbose_name = "Cases and actions"

    def ready(self) -> None:
        from cfmp.accounts.permissions import register_rule
        from cfmp.cases import checks  # noqa: F401  (registers `cfmp check`'s routing gaps)
        from cfmp.cases.selectors import can_act_on_cases, can_bulk_edit_cases
        from cfmp.cases.subscriptions import subscribe

        subscribe()
        register_rule("cases.act", can_act_on_cases)
        register_rule("cases.bulk_edit", can_bulk_edit_cases)
