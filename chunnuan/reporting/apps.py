from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "chunnuan.reporting"
    label = "reporting"
    verbose_name = "专项行动与报表"
    default_auto_field = "django.db.models.BigAutoField"
