"""审计日志: who did what, when, from where, to which record, and what changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import RegionScopedModel


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    REVEAL = "reveal", _("查看完整个人信息")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    EXPORT = "export", _("导出")
    OTHER = "other", _("其他")


class AuditEvent(RegionScopedModel):
    """审计记录 — written by services, never edited. ``region_code`` is the region of the record
    acted on (or the actor's, when the record has none), so auditors see their region's events."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region_code", "created_at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_action_display()} {self.object_repr}"
