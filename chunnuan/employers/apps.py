from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "chunnuan.employers"
    label = "employers"
    verbose_name = "用人单位"
