"""消息发件箱: every SMS / WeChat message the system sends, written before it is sent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import RegionScopedModel
from chunnuan.core.fields import EncryptedCharField, PersonalDataModel
from chunnuan.notifications.choices import MessageChannel, MessageStatus


class OutboxMessage(RegionScopedModel, PersonalDataModel):
    """发件箱消息 — one message to one recipient over one channel (短信 or 微信).

    Services write the row and enqueue its delivery after commit; the delivery task sends it
    through the channel adapter and retries with back-off (see docs/decisions/0003). The
    recipient is personal data: stored encrypted, found by its keyed hash, shown masked.
    """

    channel = models.CharField(_("渠道"), max_length=16, choices=MessageChannel.choices)
    recipient = EncryptedCharField(_("接收人"), kind="phone", hash_field="recipient_hash")
    recipient_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    purpose = models.CharField(_("用途"), max_length=40, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)

    class Meta(RegionScopedModel.Meta):
        verbose_name = _("发件箱消息")
        verbose_name_plural = _("发件箱消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due_idx"),
            models.Index(fields=["region_code", "created_at"], name="outbox_region_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient_masked} {self.subject or self.purpose}".strip()

    @property
    def recipient_masked(self) -> str:
        field = self._meta.get_field("recipient")
        assert isinstance(field, EncryptedCharField)
        return field.mask(self.recipient or "")

    @property
    def is_retryable(self) -> bool:
        return self.status == MessageStatus.FAILED
