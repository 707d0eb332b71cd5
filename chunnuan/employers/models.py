"""用人单位: employers. This issue ships the identity record; the employers issue grows it
(industry, size class, flags, roster, contracts)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import RegionScopedModel


class Employer(RegionScopedModel):
    """用人单位 — keyed by the unified social credit code (统一社会信用代码, GB 32100)."""

    scope_employer_field = "id"

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    region_code = models.CharField(_("所在地区划代码"), max_length=12, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name
