from django.db import migrations


def load(apps, schema_editor):
    from steelwatch.geo.divisions import load_divisions

    load_divisions(apps.get_model("geo", "Division"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
