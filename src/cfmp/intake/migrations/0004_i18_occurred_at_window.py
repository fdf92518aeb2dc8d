"""Issue 18: a transaction stored before the doors bounded dates, dated outside the
programme's window (year 1 froze the reports; year 9999 broke every page listing it),
takes the time CFMP received it and is flagged as such for the data-quality report. The
date the source sent is not kept: it was no date."""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone

IMPOSSIBLE_DATE = 128  # intake.models.QualityFlag.IMPOSSIBLE_DATE, as of this migration


def occurred_within_the_window(apps, schema_editor):
    Transaction = apps.get_model("intake", "Transaction")
    earliest = dt.datetime.combine(settings.CFMP_EPOCH, dt.time.min, tzinfo=dt.UTC)
    latest = timezone.now() + dt.timedelta(days=1)
    outside = Transaction.objects.filter(Q(occurred_at__lt=earliest) | Q(occurred_at__gt=latest))
    for pk, flags in outside.values_list("pk", "quality_flags").iterator():
        Transaction.objects.filter(pk=pk).update(
            occurred_at=F("created_at"), quality_flags=flags | IMPOSSIBLE_DATE
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_transaction_intake_tx_occurred_idx_and_more")]

    operations = [migrations.RunPython(occurred_within_the_window, migrations.RunPython.noop)]
