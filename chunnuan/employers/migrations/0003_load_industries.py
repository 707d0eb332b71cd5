"""Load the GB/T 4754-2017 sections and divisions (idempotent: update or create by code)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.csv"


def load(apps, schema_editor):
    Industry = apps.get_model("employers", "Industry")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = {i.code: i for i in Industry.objects.all()}
    new, changed = [], []
    for row in rows:
        current = existing.get(row["code"])
        if current is None:
            new.append(Industry(code=row["code"], name=row["name"], section=row["section"]))
        elif (current.name, current.section) != (row["name"], row["section"]):
            current.name, current.section = row["name"], row["section"]
            changed.append(current)
    Industry.objects.bulk_create(new)
    Industry.objects.bulk_update(changed, ["name", "section"])


class Migration(migrations.Migration):
    dependencies = [("employers", "0002_industry_roster_contracts")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
