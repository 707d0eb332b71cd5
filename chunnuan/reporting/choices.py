"""Choices of campaigns, targets and submissions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKind(models.TextChoices):
    MOBILISE = "mobilise", _("宣传发动")
    SURVEY = "survey", _("摸底调查/自查自纠")
    INSPECT = "inspect", _("检查整改")
    CONCLUDE = "conclude", _("总结验收")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上报")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")
    LOCKED = "locked", _("已锁定")


EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
IN_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, SubmissionStatus.LOCKED)
ACCEPTED_STATUSES = (SubmissionStatus.APPROVED, SubmissionStatus.LOCKED)


class SubmissionEventKind(models.TextChoices):
    SAVED = "saved", _("保存")
    SUBMITTED = "submitted", _("上报")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("退回")
    LOCKED = "locked", _("锁定")
    UNLOCKED = "unlocked", _("解锁更正")
    REMINDED = "reminded", _("催报")


class Segment(models.TextChoices):
    """Which employers a target is about (seeds 000 篇5, 篇10)."""

    ALL = "all", _("全部企业")
    ABOVE_SCALE = "above_scale", _("规模以上企业")
    SMALL_MICRO = "small_micro", _("小微企业（相对稳定就业）")
    INDUSTRIAL_PARK = "industrial_park", _("工业园区企业")
    OTHER_URBAN = "other_urban", _("其他城镇企业")


class Indicator(models.TextChoices):
    """Indicators a target can be set on; each is computed from a form's figures (reporting.indicators)."""

    CONTRACT_SIGNING_RATE = "contract_signing_rate", _("劳动合同签订率（%）")
    INSURED_RATE = "insured_rate", _("参加社会保险比例（%）")
    FILING_RATE = "filing_rate", _("劳动用工备案率（%）")
    RETURNEE_EMPLOYMENT_RATE = "returnee_employment_rate", _("返乡农民工就业率（%）")
    REPORT_COMPLETENESS = "report_completeness", _("报表按时上报率（%）")
