from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chunnuan.core"
    label = "core"
    verbose_name = "基础"
