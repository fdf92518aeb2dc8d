from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as WhiteNoiseRunserver,
)

from cfmp.core.checks import refuse_insecure_deployment


class Command(WhiteNoiseRunserver):
    def handle(self, *args, **options):
        refuse_insecure_deployment()
        return super().handle(*args, **options)
