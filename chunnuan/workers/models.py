"""农民工实名制台帐: the real-name ledger — one record per person, and their timeline (动态)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import RegionScopedModel
from chunnuan.core.fields import EncryptedCharField, PersonalDataModel
from chunnuan.core.versioning import VersionedModel
from chunnuan.workers.choices import (
    HELP_GROUPS,
    NEEDS,
    Education,
    EmploymentStatus,
    EventKind,
    HukouType,
    MovementStatus,
    Sex,
)

__all__ = ["Sex", "Worker", "WorkerEvent", "WorkerTally"]

FLAG_FIELDS = [*HELP_GROUPS, *NEEDS]


class Worker(RegionScopedModel, PersonalDataModel, VersionedModel):
    """农民工 — one person, keyed by the resident ID number (encrypted; found by its keyed hash).

    Visible to the officers of the origin (户籍地, 输出地) and of the place of work (务工地, 输入地).
    """

    scope_region_fields = ("origin_region_code", "work_region_code")
    scope_worker_field = "id"

    name = models.CharField(_("姓名"), max_length=60)
    id_number = EncryptedCharField(_("身份证号码"), kind="id_number", hash_field="id_number_hash")
    id_number_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    phone = EncryptedCharField(_("联系电话"), kind="phone", hash_field="phone_hash")
    phone_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)
    origin_region_code = models.CharField(_("户籍地区划代码"), max_length=12)  # indexed below
    work_region_code = models.CharField(_("务工地区划代码"), max_length=12, blank=True)  # indexed below
    hukou_type = models.CharField(_("户口性质"), max_length=10, choices=HukouType.choices, blank=True)
    origin_address = models.CharField(_("户籍地址"), max_length=200, blank=True)
    current_address = models.CharField(_("现住址"), max_length=200, blank=True)
    work_place = models.CharField(
        _("务工地点"), max_length=200, blank=True, help_text=_("务工单位所在地的详细地址，省外务工可只填省市")
    )
    education = models.CharField(_("文化程度"), max_length=12, choices=Education.choices, blank=True)
    skills = models.CharField(_("技能特长"), max_length=200, blank=True)
    trade = models.CharField(_("从事工种/行业"), max_length=100, blank=True)
    job_intention = models.CharField(_("就业意向"), max_length=200, blank=True)
    # 帮扶对象 (help groups) — see choices.HELP_GROUPS
    is_poverty_alleviated = models.BooleanField(_("脱贫人口"), default=False)
    is_monitored_for_relapse = models.BooleanField(_("防止返贫监测对象"), default=False)
    is_low_income = models.BooleanField(_("低收入人口"), default=False)
    is_hardship_family = models.BooleanField(_("困难家庭"), default=False)
    is_zero_employment_family = models.BooleanField(_("零就业家庭"), default=False)
    is_disabled = models.BooleanField(_("残疾人"), default=False)
    has_employment_difficulty = models.BooleanField(_("就业困难人员"), default=False)
    # 需求 (needs) — see choices.NEEDS
    needs_employment = models.BooleanField(_("就业需求"), default=False)
    needs_training = models.BooleanField(_("培训需求"), default=False)
    needs_entrepreneurship = models.BooleanField(_("创业需求"), default=False)
    employment_status = models.CharField(
        _("就业状态"), max_length=16, choices=EmploymentStatus.choices, blank=True
    )
    movement_status = models.CharField(
        _("流动状态"), max_length=16, choices=MovementStatus.choices, blank=True
    )
    movement_date = models.DateField(_("流动状态日期"), null=True, blank=True)
    has_pension_insurance = models.BooleanField(_("参加养老保险"), default=False)
    has_medical_insurance = models.BooleanField(_("参加医疗保险"), default=False)
    has_injury_insurance = models.BooleanField(_("参加工伤保险"), default=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("农民工")
        verbose_name_plural = _("农民工")
        ordering = ["origin_region_code", "id"]
        # The ledger list filters by a township (a code range on origin or work) and a help group or
        # need: these covering indexes answer the visibility test, the range and the flags without
        # reading the table. No single-column indexes on the codes: SQLite would prefer them and read
        # every row of the township (measured on 10^6 rows: ~65 → ~15 ms; docs/decisions/0007-ledger.md).
        indexes = [
            models.Index(
                fields=["origin_region_code", "work_region_code", *FLAG_FIELDS], name="worker_origin_groups"
            ),
            models.Index(
                fields=["work_region_code", "origin_region_code", *FLAG_FIELDS], name="worker_work_groups"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkerEvent(RegionScopedModel):
    """动态 — one entry of a person's timeline: went out, returned, stayed for the festival …

    Visible where the person is visible (their origin and place of work)."""

    scope_region_fields = ("worker__origin_region_code", "worker__work_region_code")
    scope_worker_field = "worker_id"

    worker = models.ForeignKey(
        Worker, verbose_name=_("农民工"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=EventKind.choices)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    region_code = models.CharField(_("地点区划代码"), max_length=12, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("动态")
        verbose_name_plural = _("动态")
        ordering = ["worker", "-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="worker_event_kind_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class WorkerTally(RegionScopedModel):
    """台帐人数统计 — how many people of the ledger belong to one region: their 户籍地 or 务工地 lies
    in it (a person counts once). One row per code prefix of every level (2, 4, 6, 9 and 12 digits),
    kept by every ledger write (:mod:`chunnuan.workers.tallies`), so a region's figure is one indexed
    row, never a count of the ledger."""

    prefix = models.CharField(_("区划代码前缀"), max_length=12, unique=True)
    region_code = models.CharField(_("区划代码"), max_length=12)  # the prefix padded to 12 digits
    workers = models.IntegerField(_("人数"), default=0)

    class Meta:
        verbose_name = _("台帐人数统计")
        verbose_name_plural = _("台帐人数统计")

    def __str__(self) -> str:
        return f"{self.prefix}: {self.workers}"
