"""后台任务: imports, exports and other long work, run by a task worker with progress, log and result file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.access.scoping import RegionScopedModel, ScopedManager, ScopedQuerySet
from chunnuan.batch.choices import FINISHED_STATUSES, RunStatus


class RunQuerySet(ScopedQuerySet["Run"]):
    def visible_to(self, actor: Actor) -> ScopedQuerySet[Run]:
        """The runs in the actor's reach, and always the runs the actor started."""
        scoped = super().visible_to(actor)
        if actor.user_id is None or not actor.is_authenticated:
            return scoped
        return scoped | self.filter(created_by_id=actor.user_id)


class RunManager(ScopedManager["Run"]):
    _queryset_class = RunQuerySet  # type: ignore[assignment]


def run_result_path(instance: Run, filename: str) -> str:
    """Stored under an unguessable name; the user-facing name is ``result_name``."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"runs/{instance.created_at:%Y/%m}/{instance.pk}-{uuid.uuid4().hex}.{suffix}"


class Run(RegionScopedModel):
    """后台任务 — one background run of a registered kind (see ``chunnuan.batch.registry``).

    Placed in its creator's region (``region_code``) or employer (``employer_id``); its creator
    always sees it.
    """

    scope_employer_field = "employer_id"

    kind = models.CharField(_("类型"), max_length=40, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成数"), default=0)
    log = models.TextField(_("日志"), blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to=run_result_path, max_length=255, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_label = models.CharField(_("发起人"), max_length=150, blank=True)
    employer_id = models.BigIntegerField(_("用人单位"), null=True, blank=True, db_index=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Written with progress (outside any transaction) while the run works; the sweeper fails a
    # running run whose heartbeat (this, or the live file's, see chunnuan.batch.live) is stale.
    heartbeat_at = models.DateTimeField(_("心跳时间"), null=True, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)

    objects = RunManager()  # type: ignore[misc]  # the scoped manager, with "own runs" added

    class Meta(RegionScopedModel.Meta):
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        default_manager_name = "objects"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region_code", "created_at"], name="run_region_created_idx")]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def has_result(self) -> bool:
        return self.status == RunStatus.SUCCEEDED and bool(self.result_file)

    def log_tail(self, lines: int = 200) -> str:
        return "\n".join(self.log.rstrip("\n").splitlines()[-lines:])
