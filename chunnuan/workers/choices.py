"""Choices of the real-name ledger (实名制台帐)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专/技校")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科及以上")


class HukouType(models.TextChoices):
    RURAL = "rural", _("农业户口")
    URBAN = "urban", _("非农业户口")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("已就业（单位就业）")
    FLEXIBLE = "flexible", _("灵活就业")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    UNEMPLOYED = "unemployed", _("未就业")
    OTHER = "other", _("其他")


class MovementStatus(models.TextChoices):
    """Where the person is now, kept current from their timeline (动态)."""

    AT_HOME = "at_home", _("在家（未外出）")
    WORKING_AWAY = "working_away", _("外出务工")
    RETURNED = "returned", _("返乡")
    STAYING_FOR_FESTIVAL = "staying", _("就地过年")
    BACK_TO_WORK = "back_to_work", _("已返岗")


class EventKind(models.TextChoices):
    """A timeline entry (动态) of a person."""

    WENT_OUT = "went_out", _("外出务工")
    RETURNED = "returned", _("返乡")
    STAYING_FOR_FESTIVAL = "staying", _("就地过年")
    BACK_TO_WORK = "back_to_work", _("返岗")
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("登记失业")
    EMPLOYED = "employed", _("实现就业")


# What each event leaves the person as (None: unchanged).
EVENT_MOVEMENT: dict[str, str | None] = {
    EventKind.WENT_OUT: MovementStatus.WORKING_AWAY,
    EventKind.RETURNED: MovementStatus.RETURNED,
    EventKind.STAYING_FOR_FESTIVAL: MovementStatus.STAYING_FOR_FESTIVAL,
    EventKind.BACK_TO_WORK: MovementStatus.BACK_TO_WORK,
    EventKind.UNEMPLOYED_REGISTERED: None,
    EventKind.EMPLOYED: None,
}
EVENT_EMPLOYMENT: dict[str, str | None] = {
    EventKind.UNEMPLOYED_REGISTERED: EmploymentStatus.UNEMPLOYED,
    EventKind.EMPLOYED: EmploymentStatus.EMPLOYED,
}

# The help groups the seeds single out (帮扶对象), one boolean column each (filterable, indexable).
HELP_GROUPS: dict[str, str] = {
    "is_poverty_alleviated": "脱贫人口",
    "is_monitored_for_relapse": "防止返贫监测对象",
    "is_low_income": "低收入人口",
    "is_hardship_family": "困难家庭",
    "is_zero_employment_family": "零就业家庭",
    "is_disabled": "残疾人",
    "has_employment_difficulty": "就业困难人员",
}
NEEDS: dict[str, str] = {
    "needs_employment": "就业需求",
    "needs_training": "培训需求",
    "needs_entrepreneurship": "创业需求",
}
