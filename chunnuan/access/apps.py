from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "chunnuan.access"
    label = "access"
    verbose_name = "访问控制"
