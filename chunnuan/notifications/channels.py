"""Channel adapters: how an outbox message leaves the system.

``settings.NOTIFICATION_CHANNELS`` maps a channel name ("sms", "wechat") to the dotted path of a
class with a no-argument constructor and ``send(message)``; :func:`get_channel` loads it. The
console channel is the demo's phone: it prints each message and appends it to
``settings.NOTIFICATION_LOG_FILE``. A real gateway adapter is another class with the same
``send``, named in the environment (see docs/decisions/0003-outbox-and-runs.md).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from chunnuan.notifications.models import OutboxMessage


class ChannelError(Exception):
    """Sending failed; the outbox retries with back-off. The message is stored in ``last_error``."""


class Channel(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Deliver the message or raise :class:`ChannelError`."""


_LABELS = {"sms": "短信", "wechat": "微信"}


class ConsoleChannel:
    """Prints the message (recipient in full: the console *is* the demo phone) and logs it to a file."""

    def send(self, message: OutboxMessage) -> None:
        label = _LABELS.get(message.channel, message.channel)
        text = f"{message.subject}：{message.body}" if message.subject else message.body
        line = f"[{label}] {message.recipient} ← {text}"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        log_file = getattr(settings, "NOTIFICATION_LOG_FILE", None)
        if not log_file:
            return
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        try:
            path = Path(log_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"{stamp} #{message.pk} {line}\n")
        except OSError as exc:
            raise ChannelError(f"无法写入消息日志文件：{exc}") from exc


def get_channel(name: str) -> Channel:
    """The adapter configured for a channel name; ChannelError when none is configured."""
    path = settings.NOTIFICATION_CHANNELS.get(name)
    if not path:
        raise ChannelError(f"未配置消息渠道“{name}”")
    channel: Channel = import_string(path)()
    return channel
