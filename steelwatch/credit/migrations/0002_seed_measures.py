from django.db import migrations


def seed(apps, schema_editor):
    from steelwatch.credit.catalogue import SEED

    Measure = apps.get_model("credit", "Measure")
    for row in SEED:
        Measure.objects.get_or_create(code=row["code"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_entries_measures_screening")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
