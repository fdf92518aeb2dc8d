from django.db import migrations

from cfmp.registry.catalogue import load_catalogue


def seed(apps, schema_editor):
    load_catalogue(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
