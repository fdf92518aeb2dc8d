from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cfmp.core"
    label = "core"
    verbose_name = "CFMP"

    def ready(self) -> None:
        from cfmp.accounts.permissions import register_channel_doors
        from cfmp.channels.registry import channel_types
        from cfmp.core import checks  # noqa: F401  (registers the system checks)

        # Each listed channel type's callbacks are doors opened by its machine credential.
        for kind in channel_types().values():
            register_channel_doors(doors=dict(kind.doors), credentials=dict(kind.credentials))
