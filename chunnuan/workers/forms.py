from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.core.errors import ValidationFailed
from chunnuan.core.identifiers import normalize_contact_phone, parse_id_number
from chunnuan.regions.forms import RegionPickerField, ScopedListFilterForm
from chunnuan.regions.lookups import address_code_known
from chunnuan.regions.models import Region
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
from chunnuan.workers.types import (
    BOOL_FIELDS,
    DynamicLedgerFilters,
    WorkerEventIn,
    WorkerFilters,
    WorkerIn,
    WorkerSelfIn,
)

_DATE = forms.DateInput(attrs={"type": "date"})
GROUP_CHOICES = [(k, _(v)) for k, v in HELP_GROUPS.items()]
NEED_CHOICES = [(k, _(v)) for k, v in NEEDS.items()]


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


def _contact_phone(value: str) -> str:
    """A typed 联系电话, checked by the service's own rule; blank stays blank (never "erase")."""
    if not value.strip():
        return ""
    try:
        return normalize_contact_phone(value)
    except ValidationFailed as exc:
        raise forms.ValidationError(exc.message) from None


class WorkerFilterForm(ScopedListFilterForm):
    region_side = forms.ChoiceField(
        label=_("区域口径"),
        required=False,
        choices=[
            ("", _("户籍地或务工地")),
            ("origin", _("仅户籍地（输出地）")),
            ("work", _("仅务工地（输入地）")),
        ],
    )
    groups = forms.MultipleChoiceField(
        label=_("帮扶对象"), required=False, choices=GROUP_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.MultipleChoiceField(
        label=_("需求"), required=False, choices=NEED_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    employment_status = forms.ChoiceField(
        label=_("就业状态"), required=False, choices=_any(EmploymentStatus.choices)
    )
    movement_status = forms.ChoiceField(
        label=_("流动状态"), required=False, choices=_any(MovementStatus.choices)
    )
    education = forms.ChoiceField(label=_("文化程度"), required=False, choices=_any(Education.choices))
    sex = forms.ChoiceField(label=_("性别"), required=False, choices=_any(Sex.choices))
    age_min = forms.IntegerField(label=_("年龄自"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("年龄至"), required=False, min_value=0, max_value=120)
    registered_from = forms.DateField(label=_("登记日期自"), required=False, widget=_DATE)
    registered_to = forms.DateField(label=_("登记日期至"), required=False, widget=_DATE)
    moved_from = forms.DateField(label=_("流动日期自"), required=False, widget=_DATE)
    moved_to = forms.DateField(label=_("流动日期至"), required=False, widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("姓名、完整身份证号或手机号")

    def worker_filters(self) -> WorkerFilters:
        return WorkerFilters(**self.filters())


class DynamicLedgerForm(ScopedListFilterForm):
    date_from = forms.DateField(label=_("返乡日期自"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("返乡日期至"), required=False, widget=_DATE)
    needs = forms.MultipleChoiceField(
        label=_("需求（不选为任一需求）"),
        required=False,
        choices=NEED_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["q"]

    def ledger_filters(self) -> DynamicLedgerFilters:
        return DynamicLedgerFilters(**self.filters())


class WorkerForm(forms.Form):
    """登记/修改 — the fields of WorkerIn; the regions are picked, groups and needs ticked."""

    name = forms.CharField(label=_("姓名"), max_length=60)
    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        help_text=_("18位，性别和出生日期由号码自动读取"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("手机号 11 位，或固定电话“区号-号码”（如 0438-1234567，可加分机号 -123）"),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    origin_region = RegionPickerField(label=_("户籍地（输出地）"))
    work_region = RegionPickerField(label=_("务工地（输入地）"), required=False)
    hukou_type = forms.ChoiceField(
        label=_("户口性质"), required=False, choices=[("", "—"), *HukouType.choices]
    )
    origin_address = forms.CharField(label=_("户籍地址"), max_length=200, required=False)
    current_address = forms.CharField(label=_("现住址"), max_length=200, required=False)
    work_place = forms.CharField(label=_("务工地点"), max_length=200, required=False)
    education = forms.ChoiceField(
        label=_("文化程度"), required=False, choices=[("", "—"), *Education.choices]
    )
    skills = forms.CharField(label=_("技能特长"), max_length=200, required=False)
    trade = forms.CharField(label=_("从事工种/行业"), max_length=100, required=False)
    job_intention = forms.CharField(label=_("就业意向"), max_length=200, required=False)
    employment_status = forms.ChoiceField(
        label=_("就业状态"), required=False, choices=[("", "—"), *EmploymentStatus.choices]
    )
    groups = forms.MultipleChoiceField(
        label=_("帮扶对象"), required=False, choices=GROUP_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.MultipleChoiceField(
        label=_("需求"), required=False, choices=NEED_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    insurance = forms.MultipleChoiceField(
        label=_("社会保险"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("has_pension_insurance", _("参加养老保险")),
            ("has_medical_insurance", _("参加医疗保险")),
            ("has_injury_insurance", _("参加工伤保险")),
        ],
    )
    note = forms.CharField(
        label=_("备注"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The edit form only: the version the officer opened (a save on an older one is refused).
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, actor: Actor, editing: Any = None, **kwargs: Any) -> None:
        """``editing``: the stored record (the edit form). Its ID number and phone are never put in
        the page: both fields start empty (empty = keep), the current values are shown masked, and
        the ID number can be changed only by a role that may see it whole (the change is audited)."""
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.editing = editing
        if editing is None:
            del self.fields["version"]
            return
        id_field, phone = self.fields["id_number"], self.fields["phone"]
        id_field.required = False
        id_field.label = _("新的身份证号码")
        id_field.help_text = _("不修改请留空。修改身份证号码会记入审计日志")
        phone.label = _("新的联系电话")
        phone.help_text = _("不修改请留空；手机号 11 位，或固定电话“区号-号码”（如 0438-1234567）")
        self.fields["clear_phone"] = forms.BooleanField(label=_("删除已登记的联系电话"), required=False)
        if not actor.can(Perm.VIEW_PERSONAL_DATA):
            del self.fields["id_number"]

    def personal_fields(self) -> list[Any]:
        """The edit form's ID number and phone fields (shown apart, behind their own action)."""
        names = ("id_number", "phone", "clear_phone") if self.editing is not None else ()
        return [self[name] for name in names if name in self.fields]

    def plain_fields(self) -> list[Any]:
        hidden = {"id_number", "phone", "clear_phone"} if self.editing is not None else set()
        return [f for f in self.visible_fields() if f.name not in hidden]

    # The ID number and the phone are checked here too (by the same functions the service uses), so
    # that their errors come in the same round as the required-field ones, not after the next submit.
    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"]
        if self.editing is not None and not value.strip():
            return ""  # keep the stored number
        try:
            return parse_id_number(value, address_known=address_code_known).number
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_phone(self) -> str:
        return _contact_phone(self.cleaned_data.get("phone") or "")

    @staticmethod
    def initial_of(worker: Any) -> dict[str, Any]:
        """The edit form's starting values: the record, without its ID number and phone."""
        initial = {
            name: getattr(worker, name)
            for name in WorkerIn.model_fields
            if hasattr(worker, name) and name not in ("id_number", "phone")
        }
        initial["version"] = worker.version
        initial["origin_region"] = worker.origin_region_code
        initial["work_region"] = worker.work_region_code or None
        initial["groups"] = [k for k in HELP_GROUPS if getattr(worker, k)]
        initial["needs"] = [k for k in NEEDS if getattr(worker, k)]
        initial["insurance"] = [
            k
            for k in ("has_pension_insurance", "has_medical_insurance", "has_injury_insurance")
            if getattr(worker, k)
        ]
        return initial

    def worker_in(self, *, whole_record: bool = False) -> WorkerIn:
        """The typed values as a WorkerIn. Registering (``whole_record`` False) sets only the fields
        filled in and the boxes ticked, so a blank never reads as "erase"; the edit form shows the
        whole record, so every field is set and a field emptied there is cleared."""
        data = self.cleaned_data
        origin: Region = data["origin_region"]
        work: Region | None = data.get("work_region")
        ticked = {*data["groups"], *data["needs"], *data["insurance"]}
        plain = {k: data[k] for k in WorkerIn.model_fields if k in data and k not in ("origin_region_code",)}
        values: dict[str, Any] = {
            **plain,
            "origin_region_code": origin.code,
            "work_region_code": work.code if work else "",
            **{k: k in ticked for k in BOOL_FIELDS},
        }
        if self.editing is not None:
            # Empty = keep: the stored ID number stands in (in memory only); an untouched phone is not
            # sent, so it is kept; 删除 clears it.
            values["id_number"] = values.get("id_number") or self.editing.id_number
            if data.get("clear_phone"):
                values["phone"] = ""
            elif not values.get("phone"):
                values.pop("phone", None)
        if not whole_record:
            values = {k: v for k, v in values.items() if v not in ("", None, False) or k in _REQUIRED}
        return WorkerIn(**values)

    def typed_version(self) -> int | None:
        return self.cleaned_data.get("version")


_REQUIRED = ("name", "id_number", "origin_region_code")


class WorkerEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("动态类型"), choices=EventKind.choices)
    date = forms.DateField(label=_("日期"), widget=_DATE)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def event_in(self) -> WorkerEventIn:
        return WorkerEventIn(**self.cleaned_data)


class WorkerSelfForm(forms.Form):
    """我的信息：修改 — the worker's own contact phone, job intention and needs."""

    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("手机号 11 位，或固定电话“区号-号码”（如 0438-1234567）；不填则保留原号码"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    job_intention = forms.CharField(
        label=_("想找什么工作"), max_length=200, required=False, help_text=_("例如：本地建筑工地、电焊工")
    )
    needs = forms.MultipleChoiceField(
        label=_("我需要"), required=False, choices=NEED_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def clean_phone(self) -> str:
        return _contact_phone(self.cleaned_data.get("phone") or "")

    @staticmethod
    def initial_of(worker: Any) -> dict[str, Any]:
        return {"job_intention": worker.job_intention, "needs": [k for k in NEEDS if getattr(worker, k)]}

    def self_in(self) -> WorkerSelfIn:
        data = self.cleaned_data
        needs = {k: k in data["needs"] for k in NEEDS}
        return WorkerSelfIn(phone=data["phone"], job_intention=data["job_intention"], **needs)
