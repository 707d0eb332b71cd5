"""``python manage.py outbox_flush`` — run every minute (cron / systemd timer) beside ``db_worker``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.notifications.services import messages_retry_due


class Command(BaseCommand):
    help = "重新提交到期待发送（或发送中断）的消息"

    def handle(self, *args: Any, **options: Any) -> None:
        actor = system_actor("outbox-flush")
        with actor_scope(actor):
            count = messages_retry_due(actor=actor)
        self.stdout.write(f"已重新提交 {count} 条到期消息")
