from django.db import migrations

WEB_SOURCE = "cfmp-web"


def create_web_source(apps, schema_editor):
    """The source of transactions typed or uploaded in CFMP's own pages. It may write for
    every office, each person only for their own; operators' receipt numbers are unique per
    office, not across the province."""
    source_system = apps.get_model("intake", "SourceSystem")
    source_system.objects.update_or_create(
        code=WEB_SOURCE,
        defaults={
            "name": "CFMP web forms and uploads",
            "all_offices": True,
            "references_per_office": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("registry", "0002_seed_catalogue")]

    operations = [migrations.RunPython(create_web_source, migrations.RunPython.noop)]
