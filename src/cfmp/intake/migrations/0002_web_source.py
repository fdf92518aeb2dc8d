from django.db import migrations

WEB_SOURCE = "cfmp-web"


def create_web_source(apps, schema_editor):
    """The source of transactions typed or uploaded in CFMP's own pages. It covers every
    department; each operator is further limited to their own offices."""
    source_system = apps.get_model("intake", "SourceSystem")
    department = apps.get_model("registry", "Department")
    source, _ = source_system.objects.get_or_create(
        code=WEB_SOURCE, defaults={"name": "CFMP web forms and uploads"}
    )
    source.departments.set(department.objects.all())


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("registry", "0002_seed_catalogue")]

    operations = [migrations.RunPython(create_web_source, migrations.RunPython.noop)]
