from django.db import migrations

LISTED_STATES = ("decided", "in_force")


def drop_unlisted(apps, schema_editor):
    """The candidate index holds listed entries only (screening.name_key_for): drop the rows of the others."""
    NameGram = apps.get_model("credit", "NameGram")
    NameGram.objects.exclude(entry__state__in=LISTED_STATES).delete()


def add_listed(apps, schema_editor):
    """Backwards: the old index held every entry — rebuild it with `steelwatch screening-index-rebuild`."""


class Migration(migrations.Migration):
    dependencies = [("credit", "0002_seed_measures")]
    operations = [migrations.RunPython(drop_unlisted, add_listed)]
