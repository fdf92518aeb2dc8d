from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cfmp.cases"
    verbose_name = "Cases and actions"

    def ready(self) -> None:
        from cfmp.accounts.permissions import register_rule
        from cfmp.accounts.scopes import can_act_on_cases, can_bulk_edit_cases
        from cfmp.cases import checks  # noqa: F401  (registers `cfmp check`'s routing gaps)
        from cfmp.cases.privacy import named_official_feedback
        from cfmp.cases.subscriptions import subscribe
        from cfmp.feedback.anonymity import register_named_official_lookup

        subscribe()
        register_named_official_lookup(named_official_feedback)
        register_rule("cases.act", can_act_on_cases)
        register_rule("cases.bulk_edit", can_bulk_edit_cases)
