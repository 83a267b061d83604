"""Seed data: municipalities, the national services the routing names, and the first
published version of the routing rules (zicht/wegwijzer/seed.py, data/default_rules.json).

The national numbers 112, 0900-8844 (police), 0800-7000 (Meld Misdaad Anoniem) and
0800-2000 (Veilig Thuis) are the real public ones. The other contacts are invented
(example.org) until an administrator enters the real ones through the admin or an import.
"""

from django.db import migrations

from zicht.wegwijzer.seed import load_defaults


def load(apps, schema_editor):
    load_defaults(apps)


def unload(apps, schema_editor):
    apps.get_model("wegwijzer", "RuleSet").objects.all().delete()
    apps.get_model("wegwijzer", "DirectoryEntry").objects.all().delete()
    apps.get_model("wegwijzer", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("wegwijzer", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
