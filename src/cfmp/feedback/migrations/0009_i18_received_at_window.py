"""Issue 18: a message stored before the gateways' timestamps were bounded, dated outside
the programme's window (a signed message dated 31 December 9999 broke the admin's pages
for good), takes the time CFMP received it instead."""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone


def received_within_the_window(apps, schema_editor):
    InboundMessage = apps.get_model("feedback", "InboundMessage")
    earliest = dt.datetime.combine(settings.CFMP_EPOCH, dt.time.min, tzinfo=dt.UTC)
    latest = timezone.now() + dt.timedelta(days=1)
    InboundMessage.objects.filter(Q(received_at__lt=earliest) | Q(received_at__gt=latest)).update(
        received_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_i17_feedback_corrections")]

    operations = [migrations.RunPython(received_within_the_window, migrations.RunPython.noop)]
