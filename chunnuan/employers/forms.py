"""Forms of the employer pages; each turns into a ``types.py`` input of the same service the API calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.employers.choices import (
    ContractType,
    CreditStatus,
    EconomicType,
    EmploymentForm,
    SizeClass,
)
from chunnuan.regions.forms import RegionPickerField, ScopedListFilterForm
from chunnuan.regions.models import RegionLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("全部")), ("1", _("是")), ("0", _("否"))]


ALL = _("全部")


def _blank(choices: Any, label: Any = ALL) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class EmployerFilterForm(ScopedListFilterForm):
    section = forms.ChoiceField(label=_("行业门类"), required=False, choices=())
    size_class = forms.ChoiceField(label=_("企业规模"), required=False, choices=_blank(SizeClass.choices))
    above_scale = forms.ChoiceField(label=_("规模以上"), required=False, choices=YES_NO)
    flag = forms.ChoiceField(
        label=_("标记"),
        required=False,
        choices=[
            ("", _("全部")),
            ("key_contact", _("重点联系单位")),
            ("in_difficulty", _("生产经营困难")),
            ("dispatch_agency", _("劳务派遣机构")),
        ],
    )
    credit_status = forms.ChoiceField(
        label=_("信用状况"), required=False, choices=_blank(CreditStatus.choices)
    )

    def __init__(
        self, data: Any = None, *, actor: Actor, sections: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(data, actor=actor, **kwargs)
        self.fields["q"].label = _("单位名称或统一社会信用代码")
        self.fields["section"].choices = _blank(sections)  # type: ignore[attr-defined]


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或完整身份证号码"), required=False, max_length=30)
    employment_form = forms.ChoiceField(
        label=_("用工形式"), required=False, choices=_blank(EmploymentForm.choices)
    )
    contract = forms.ChoiceField(
        label=_("合同"),
        required=False,
        choices=[
            ("", _("全部")),
            ("signed", _("已签订")),
            ("unsigned", _("未签订")),
            ("overdue", _("超一个月未签")),
        ],
    )
    migrant = forms.ChoiceField(label=_("农民工"), required=False, choices=YES_NO)
    on_post = forms.ChoiceField(label=_("在岗"), required=False, choices=YES_NO)
    status = forms.ChoiceField(
        label=_("在册"),
        required=False,
        choices=[("active", _("在册")), ("left", _("已离职")), ("all", _("全部"))],
    )
    start_from = forms.DateField(label=_("入职日期从"), required=False, widget=DATE)
    start_to = forms.DateField(label=_("至"), required=False, widget=DATE)

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    region = RegionPickerField(label=_("所在地"), min_level=RegionLevel.TOWNSHIP)
    industry_code = forms.ChoiceField(label=_("行业（大类）"), required=False, choices=())
    economic_type = forms.ChoiceField(
        label=_("经济类型"), required=False, choices=_blank(EconomicType.choices, "—")
    )
    address = forms.CharField(label=_("单位地址"), max_length=200, required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=60, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    staff_count = forms.IntegerField(label=_("从业人员（人）"), min_value=0, required=False)
    revenue = forms.DecimalField(
        label=_("营业收入（万元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    assets = forms.DecimalField(
        label=_("资产总额（万元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    is_above_scale = forms.BooleanField(label=_("规模以上（限额以上）"), required=False)
    is_key_contact = forms.BooleanField(label=_("重点联系单位"), required=False)
    is_in_difficulty = forms.BooleanField(label=_("生产经营困难"), required=False)
    is_dispatch_agency = forms.BooleanField(label=_("劳务派遣机构"), required=False)
    credit_status = forms.ChoiceField(
        label=_("信用状况"), choices=CreditStatus.choices, initial=CreditStatus.GOOD
    )

    def __init__(
        self, *args: Any, actor: Actor, industries: Any = (), lock_region: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry_code"].choices = [("", "—"), *industries]  # type: ignore[attr-defined]
        region: Any = self.fields["region"]
        if lock_region:  # an employer's clerk: the region is kept as it is
            region.disabled = True
        else:
            region.restrict_to(actor)


class SizeOverrideForm(forms.Form):
    size_class = forms.ChoiceField(
        label=_("人工认定规模"), required=False, choices=_blank(SizeClass.choices, _("（取消人工认定）"))
    )
    reason = forms.CharField(label=_("认定理由"), max_length=200, required=False)


class EmploymentAddForm(forms.Form):
    """录用 — add a person to the roster."""

    id_number = forms.CharField(label=_("身份证号码"), max_length=30)
    name = forms.CharField(label=_("姓名"), max_length=60, required=False, help_text=_("新登记的职工须填写"))
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    employment_form = forms.ChoiceField(label=_("用工形式"), choices=EmploymentForm.choices)
    post = forms.CharField(label=_("岗位"), max_length=100, required=False)
    start_date = forms.DateField(label=_("入职日期"), widget=DATE)
    is_migrant_worker = forms.BooleanField(label=_("农民工"), required=False, initial=True)
    is_on_post = forms.BooleanField(label=_("在岗"), required=False, initial=True)
    is_insured = forms.BooleanField(label=_("参加社会保险"), required=False)


class EmploymentEditForm(forms.Form):
    employment_form = forms.ChoiceField(label=_("用工形式"), choices=EmploymentForm.choices)
    post = forms.CharField(label=_("岗位"), max_length=100, required=False)
    start_date = forms.DateField(label=_("入职日期"), widget=DATE)
    is_migrant_worker = forms.BooleanField(label=_("农民工"), required=False)
    is_on_post = forms.BooleanField(label=_("在岗"), required=False)
    is_insured = forms.BooleanField(label=_("参加社会保险"), required=False)


class LeaveForm(forms.Form):
    end_date = forms.DateField(label=_("离职日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ContractSignForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("合同类型"), choices=ContractType.choices)
    signed_date = forms.DateField(label=_("签订日期"), widget=DATE)
    start_date = forms.DateField(label=_("合同起始日期"), widget=DATE)
    end_date = forms.DateField(label=_("合同终止日期"), required=False, widget=DATE)
    probation_months = forms.IntegerField(label=_("试用期（月）"), min_value=0, max_value=6, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ContractRenewForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("续订后合同类型"), choices=ContractType.choices)
    signed_date = forms.DateField(label=_("续订日期"), widget=DATE)
    end_date = forms.DateField(label=_("新的终止日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ContractChangeForm(forms.Form):
    date = forms.DateField(label=_("变更日期"), widget=DATE)
    new_end_date = forms.DateField(label=_("新的终止日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("变更内容"), max_length=300)


class ContractEndForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("原因"), max_length=300, required=False)
    leave_employment = forms.BooleanField(label=_("同时办理离职"), required=False, initial=True)


class RegionStatsForm(forms.Form):
    region = RegionPickerField(label=_("区域"), required=False)

    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        region: Any = self.fields["region"]
        region.restrict_to(actor)
