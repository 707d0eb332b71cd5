from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "chunnuan.workers"
    label = "workers"
    verbose_name = "农民工实名制台帐"
