from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chunnuan.notifications"
    label = "notifications"
    verbose_name = "消息发件箱"
