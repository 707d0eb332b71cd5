"""Roles created before the reporting chain existed get the new 审核下级报表 permission."""

from django.db import migrations

ROLES = ("admin", "bureau_officer", "township_officer")


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=ROLES):
        if "approve_reports" not in role.permissions:
            role.permissions = sorted([*role.permissions, "approve_reports"])
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_campaigns_and_submissions"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
