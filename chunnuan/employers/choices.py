"""Choices for employers, rosters and labour contracts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeClass(models.TextChoices):
    """统计上大中小微型企业划分 (2017)."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class EconomicType(models.TextChoices):
    STATE = "state", _("国有企业")
    COLLECTIVE = "collective", _("集体企业")
    PRIVATE = "private", _("私营企业")
    FOREIGN = "foreign", _("外商投资企业")
    HMT = "hmt", _("港澳台投资企业")
    INDIVIDUAL = "individual", _("个体工商户")
    INSTITUTION = "institution", _("机关事业单位")
    OTHER = "other", _("其他")


class CreditStatus(models.TextChoices):
    GOOD = "good", _("正常")
    WARNED = "warned", _("重点关注")
    BLACKLISTED = "blacklisted", _("列入失信名单")


class EmploymentForm(models.TextChoices):
    """用工形式."""

    FULL_TIME = "full_time", _("全日制")
    PART_TIME = "part_time", _("非全日制")
    DISPATCHED = "dispatched", _("劳务派遣")
    OTHER = "other", _("其他")


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("固定期限")
    OPEN_ENDED = "open_ended", _("无固定期限")
    TASK_BASED = "task_based", _("以完成一定工作任务为期限")


class ContractStatus(models.TextChoices):
    IN_FORCE = "in_force", _("履行中")
    TERMINATED = "terminated", _("已终止")
    DISSOLVED = "dissolved", _("已解除")


class ContractEventKind(models.TextChoices):
    SIGNED = "signed", _("订立")
    RENEWED = "renewed", _("续订")
    CHANGED = "changed", _("变更")
    DISSOLVED = "dissolved", _("解除")
    TERMINATED = "terminated", _("终止")
