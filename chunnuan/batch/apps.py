from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "chunnuan.batch"
    label = "batch"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # Each app declares its run kinds in its own ``runs.py`` (see chunnuan.batch.registry).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("runs")
