"""The Celery application: `celery -A cfmp worker` runs CFMP's background work."""

import os
import sys

from celery import Celery, bootsteps
from kombu.transport.sqlalchemy import Transport as SqlaTransport

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cfmp.settings")

# The embedded (SQLite) broker is polled, once a second by default: too slow for the demo's
# flow of short tasks. Its transport passes every transport option to SQLAlchemy, so the
# interval is set on the class.
SqlaTransport.polling_interval = 0.1

app = Celery("cfmp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RefuseSimulatedCitizens(bootsteps.Step):
    """A worker outside the demo does not start while a survey plan would send to the
    built-in simulator: its simulated citizens' answers would be taken for real feedback
    (`cfmp check --deploy` says the same, with the fix)."""

    def __init__(self, parent: object, **kwargs: object) -> None:
        import django

        django.setup()
        from cfmp.outreach.checks import simulated_citizen_problems

        problems = simulated_citizen_problems()
        if problems:
            message = "CFMP's worker refuses to start:\n" + "\n".join(f"- {p}" for p in problems)
            print(message, file=sys.stderr, flush=True)
            raise SystemExit(1)
        super().__init__(parent, **kwargs)


app.steps["worker"].add(RefuseSimulatedCitizens)
