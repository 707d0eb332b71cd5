from collections import Counter

from django.db import migrations, models
from django.db.models import Count

LENGTHS = (2, 4, 6, 9, 12)


def count_the_ledger(apps, schema_editor):
    """The tally of the people already in the ledger (the same rule as chunnuan.workers.tallies)."""
    Worker = apps.get_model("workers", "Worker")
    WorkerTally = apps.get_model("workers", "WorkerTally")
    counts = Counter()
    pairs = (
        Worker._default_manager.values_list("origin_region_code", "work_region_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for origin, work, n in pairs:
        for prefix in {c[:k] for c in (origin or "", work or "") for k in LENGTHS if len(c) >= k}:
            counts[prefix] += n
    WorkerTally._default_manager.bulk_create(
        [WorkerTally(prefix=p, region_code=p.ljust(12, "0"), workers=n) for p, n in sorted(counts.items())],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workers", "0004_optimistic_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefix", models.CharField(max_length=12, unique=True, verbose_name="区划代码前缀")),
                ("region_code", models.CharField(max_length=12, verbose_name="区划代码")),
                ("workers", models.IntegerField(default=0, verbose_name="人数")),
            ],
            options={
                "verbose_name": "台帐人数统计",
                "verbose_name_plural": "台帐人数统计",
            },
            managers=[
                ("objects", models.Manager()),
                ("plain", models.Manager()),
            ],
        ),
        migrations.RunPython(count_the_ledger, migrations.RunPython.noop),
    ]
