"""用人单位: employers, their roster (职工名册 / 劳动用工备案) and labour contracts (劳动合同)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import RegionScopedModel, declare_global
from chunnuan.core.fields import EncryptedCharField, PersonalDataModel
from chunnuan.core.versioning import VersionedModel
from chunnuan.employers.choices import (
    ContractEventKind,
    ContractStatus,
    ContractType,
    CreditStatus,
    EconomicType,
    EmploymentForm,
    SizeClass,
)


@declare_global("reference data: GB/T 4754-2017 industry classification")
class Industry(models.Model):
    """国民经济行业分类 (GB/T 4754-2017): 20 sections (门类 A–T) and 97 divisions (大类 01–97)."""

    code = models.CharField(_("代码"), max_length=4, unique=True)  # "C" or "13"
    name = models.CharField(_("名称"), max_length=100)
    section = models.CharField(
        _("门类"), max_length=1, db_index=True
    )  # the section letter, also for divisions

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_section(self) -> bool:
        return self.code.isalpha()


class Employer(RegionScopedModel, PersonalDataModel, VersionedModel):
    """用人单位 — keyed by the unified social credit code (统一社会信用代码, GB 32100)."""

    scope_employer_field = "id"

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    region_code = models.CharField(_("所在地区划代码"), max_length=12, db_index=True)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业（大类）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry_section = models.CharField(_("行业门类"), max_length=1, blank=True, db_index=True)
    economic_type = models.CharField(_("经济类型"), max_length=16, choices=EconomicType.choices, blank=True)
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=60, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), kind="phone", hash_field="contact_phone_hash")
    contact_phone_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    # Size class (统计上大中小微) from staff, revenue, assets by sector; a manual override is recorded.
    staff_count = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    revenue = models.DecimalField(
        _("营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets = models.DecimalField(
        _("资产总额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    size_class_computed = models.CharField(
        _("规模（按标准计算）"), max_length=8, choices=SizeClass.choices, blank=True
    )
    size_class_override = models.CharField(
        _("规模（人工认定）"), max_length=8, choices=SizeClass.choices, blank=True
    )
    size_override_reason = models.CharField(_("人工认定理由"), max_length=200, blank=True)
    size_class = models.CharField(
        _("企业规模"), max_length=8, choices=SizeClass.choices, blank=True, db_index=True
    )
    is_above_scale = models.BooleanField(_("规模以上（限额以上）"), default=False)
    is_key_contact = models.BooleanField(_("重点联系单位"), default=False)
    is_in_difficulty = models.BooleanField(_("生产经营困难"), default=False)
    is_dispatch_agency = models.BooleanField(_("劳务派遣机构"), default=False)
    credit_status = models.CharField(
        _("信用状况"), max_length=12, choices=CreditStatus.choices, default=CreditStatus.GOOD
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class Employment(RegionScopedModel, VersionedModel):
    """职工名册条目 / 劳动用工备案 — one person on one employer's roster.

    Visible in the employer's region and in the worker's origin region (a copy of the worker's
    origin code is kept here so the roster is scoped without a join)."""

    scope_region_fields = ("region_code", "worker_origin_region_code")
    scope_employer_field = "employer_id"
    scope_worker_field = "worker_id"

    employer = models.ForeignKey(
        Employer, verbose_name=_("用人单位"), on_delete=models.PROTECT, related_name="employments"
    )
    worker = models.ForeignKey(
        "workers.Worker", verbose_name=_("职工"), on_delete=models.PROTECT, related_name="employments"
    )
    region_code = models.CharField(_("单位所在地区划代码"), max_length=12, db_index=True)
    worker_origin_region_code = models.CharField(_("职工户籍地区划代码"), max_length=12, db_index=True)
    employment_form = models.CharField(
        _("用工形式"), max_length=12, choices=EmploymentForm.choices, default=EmploymentForm.FULL_TIME
    )
    post = models.CharField(_("岗位"), max_length=100, blank=True)
    start_date = models.DateField(_("入职日期"))
    end_date = models.DateField(_("离职日期"), null=True, blank=True)
    is_migrant_worker = models.BooleanField(_("农民工"), default=True)
    is_on_post = models.BooleanField(_("在岗"), default=True)
    is_insured = models.BooleanField(_("参加社会保险"), default=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("职工名册条目")
        verbose_name_plural = _("职工名册")
        ordering = ["employer", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "worker", "start_date"], name="employment_unique_spell"
            ),
        ]
        indexes = [models.Index(fields=["region_code", "employer"], name="employment_region_employer")]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.employer}"


class LabourContract(RegionScopedModel, VersionedModel):
    """劳动合同 — a written contract of one roster entry, with its life in ContractEvent."""

    scope_region_fields = ("employment__region_code", "employment__worker_origin_region_code")
    scope_employer_field = "employment__employer_id"
    scope_worker_field = "employment__worker_id"

    employment = models.ForeignKey(
        Employment, verbose_name=_("用工"), on_delete=models.CASCADE, related_name="contracts"
    )
    contract_type = models.CharField(_("合同类型"), max_length=12, choices=ContractType.choices)
    signed_date = models.DateField(_("签订日期"))
    start_date = models.DateField(_("合同起始日期"))
    end_date = models.DateField(_("合同终止日期"), null=True, blank=True)
    probation_months = models.PositiveSmallIntegerField(_("试用期（月）"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.IN_FORCE
    )
    ended_date = models.DateField(_("解除/终止日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("劳动合同")
        verbose_name_plural = _("劳动合同")
        ordering = ["employment", "-start_date"]

    def __str__(self) -> str:
        return f"{self.get_contract_type_display()} {self.start_date}"


class ContractEvent(RegionScopedModel):
    """合同变动 — signed, renewed, changed, dissolved, terminated."""

    scope_region_fields = (
        "contract__employment__region_code",
        "contract__employment__worker_origin_region_code",
    )
    scope_employer_field = "contract__employment__employer_id"
    scope_worker_field = "contract__employment__worker_id"

    contract = models.ForeignKey(
        LabourContract, verbose_name=_("劳动合同"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=ContractEventKind.choices)
    date = models.DateField(_("日期"))
    new_end_date = models.DateField(_("新的终止日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合同变动")
        verbose_name_plural = _("合同变动")
        ordering = ["contract", "date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"
