from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "chunnuan.batch"
    label = "batch"
    verbose_name = "后台任务"
