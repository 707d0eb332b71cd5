"""专项行动与报表: campaigns (春暖行动 …), their stages and targets, and periodic form submissions
(基层表 / 汇总表 / 旬报调度表) moving up the chain draft → submitted → approved → locked.

Form *definitions* are declared in code (:mod:`chunnuan.reporting.catalog`); a submission names
its form by code. See docs/decisions/0009-reporting.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import RegionScopedModel
from chunnuan.core.fields import EncryptedCharField, PersonalDataModel
from chunnuan.core.versioning import VersionedModel
from chunnuan.reporting.choices import (
    Indicator,
    Segment,
    StageKind,
    SubmissionEventKind,
    SubmissionStatus,
)


class Campaign(RegionScopedModel):
    """专项行动 — e.g. 2026年春暖行动: its window, stages, focus sectors, forms and targets.

    Issued by a region (usually a city) and read by every officer below it."""

    scope_shared_downward = True

    code = models.CharField(_("行动代码"), max_length=40, unique=True)
    name = models.CharField(_("行动名称"), max_length=100)
    region_code = models.CharField(_("发起地区"), max_length=12, db_index=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    focus_sections = models.JSONField(_("重点行业门类"), default=list, blank=True)
    description = models.TextField(_("工作要求"), blank=True)
    summary_text = models.TextField(_("总结正文"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-start_date", "code"]

    def __str__(self) -> str:
        return self.name


class CampaignStage(RegionScopedModel):
    """行动阶段 — 宣传发动, 摸底调查/自查自纠, 检查整改, 总结验收."""

    scope_region_fields = ("campaign__region_code",)
    scope_shared_downward = True

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("阶段"), max_length=12, choices=StageKind.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    note = models.CharField(_("工作内容"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("行动阶段")
        verbose_name_plural = _("行动阶段")
        ordering = ["campaign", "start_date", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class CampaignForm(RegionScopedModel):
    """A form a campaign uses, with its deadline (a fixed date, or N working days after the window)."""

    scope_region_fields = ("campaign__region_code",)
    scope_shared_downward = True

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forms")
    form_code = models.CharField(_("报表"), max_length=40)
    deadline = models.DateField(_("报送截止日期"), null=True, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(_("期末后工作日内报送"), null=True, blank=True)

    class Meta:
        verbose_name = _("行动报表")
        verbose_name_plural = _("行动报表")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "form_code"], name="campaign_form_once")]

    def __str__(self) -> str:
        return self.form_code


class Target(RegionScopedModel):
    """目标 — an indicator's target for a region (and employer segment) in a campaign.

    A region without its own target inherits the nearest one above it; a county officer breaks
    the city's target down by setting (overriding) it for a township."""

    scope_shared_downward = True

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    region_code = models.CharField(_("地区"), max_length=12, db_index=True)
    indicator = models.CharField(_("指标"), max_length=40, choices=Indicator.choices)
    segment = models.CharField(_("企业范围"), max_length=20, choices=Segment.choices, default=Segment.ALL)
    value = models.DecimalField(_("目标值"), max_digits=6, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["campaign", "region_code", "indicator", "segment"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "region_code", "indicator", "segment"], name="target_once_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.value}"


class Submission(RegionScopedModel, PersonalDataModel, VersionedModel):
    """报表填报 — one unit's form for one period: an employer's 基层表, a township's 调度表, a
    county's 汇总表 … Values are the confirmed figures; ``proposed`` what the ledger and roster
    said; ``corrections`` every figure the filler changed, with both numbers and the reason."""

    scope_employer_field = "employer_id"

    form_code = models.CharField(_("报表"), max_length=40)
    period_key = models.CharField(_("报表期间"), max_length=40)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    level = models.CharField(_("填报层级"), max_length=12)
    region_code = models.CharField(_("填报单位地区"), max_length=12)
    employer = models.ForeignKey(
        "employers.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="submissions"
    )
    unit_key = models.CharField(max_length=40, editable=False)  # "E<employer id>" or the region code
    unit_name = models.CharField(_("填报单位"), max_length=200)
    industry_section = models.CharField(_("行业门类"), max_length=1, blank=True)
    size_class = models.CharField(_("企业规模"), max_length=8, blank=True)
    is_above_scale = models.BooleanField(_("规模以上"), default=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    values = models.JSONField(_("数据"), default=dict)
    proposed = models.JSONField(_("系统预填数"), default=dict, blank=True)
    corrections = models.JSONField(_("更正说明"), default=dict, blank=True)
    rows = models.JSONField(_("分组明细"), default=list, blank=True)
    missing = models.JSONField(_("未报下级"), default=list, blank=True)
    missing_note = models.CharField(_("缺报说明"), max_length=500, blank=True)
    filler_name = models.CharField(_("填表人"), max_length=60, blank=True)
    filler_phone = EncryptedCharField(_("联系电话"), kind="phone", hash_field="filler_phone_hash")
    filler_phone_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    deadline = models.DateField(_("报送截止日期"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("报表填报")
        verbose_name_plural = _("报表填报")
        ordering = ["form_code", "period_key", "region_code", "unit_key"]
        constraints = [
            models.UniqueConstraint(fields=["form_code", "period_key", "unit_key"], name="submission_once"),
        ]
        indexes = [
            models.Index(fields=["form_code", "period_key", "region_code"], name="submission_form_region"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.form_code} {self.period_key}"


class SubmissionEvent(RegionScopedModel):
    """填报记录 — saved, submitted, approved, returned, locked, unlocked, reminded; with who and why."""

    scope_region_fields = ("submission__region_code",)
    scope_employer_field = "submission__employer_id"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("操作"), max_length=12, choices=SubmissionEventKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=100, blank=True)
    reason = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("填报记录")
        verbose_name_plural = _("填报记录")
        ordering = ["submission", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class RosterTally(RegionScopedModel):
    """名册统计 — one employer's roster figures, kept current as the roster changes (and re-counted
    daily for what the calendar changes), so regional live figures never scan the roster."""

    scope_employer_field = "employer_id"

    employer = models.OneToOneField(
        "employers.Employer", on_delete=models.CASCADE, related_name="roster_tally"
    )
    region_code = models.CharField(max_length=12)
    industry_section = models.CharField(max_length=1, blank=True)
    size_class = models.CharField(max_length=8, blank=True)
    is_above_scale = models.BooleanField(default=False)
    on_roll = models.IntegerField(default=0)
    on_post = models.IntegerField(default=0)
    migrant = models.IntegerField(default=0)
    due = models.IntegerField(default=0)
    signed = models.IntegerField(default=0)
    signed_fixed = models.IntegerField(default=0)
    signed_open = models.IntegerField(default=0)
    signed_task = models.IntegerField(default=0)
    filed = models.IntegerField(default=0)
    insured = models.IntegerField(default=0)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("名册统计")
        verbose_name_plural = _("名册统计")
        indexes = [models.Index(fields=["region_code", "industry_section", "size_class"], name="tally_cube")]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.as_of}"


__all__ = [
    "Campaign",
    "CampaignForm",
    "CampaignStage",
    "Indicator",
    "RosterTally",
    "Segment",
    "Submission",
    "SubmissionEvent",
    "SubmissionEventKind",
    "SubmissionStatus",
    "Target",
]
