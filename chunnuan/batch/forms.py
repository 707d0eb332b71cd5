"""The run list's "start an audit export" form, and the import form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.audit.models import AuditAction
from chunnuan.regions.forms import RegionPickerField


class AuditExportForm(forms.Form):
    date_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", _("全部操作")), *AuditAction.choices]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data

    def to_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date_from": data["date_from"].isoformat() if data.get("date_from") else None,
            "date_to": data["date_to"].isoformat() if data.get("date_to") else None,
            "action": data.get("action") or "",
        }


class ImportForm(forms.Form):
    """导入 — kind, region, employer (roster), mode and the file."""

    kind = forms.ChoiceField(label=_("导入内容"), choices=())
    region = RegionPickerField(label=_("所属地区"), required=False)
    employer = forms.CharField(
        label=_("用人单位统一社会信用代码"),
        max_length=40,
        required=False,
        help_text=_("导入职工名册时必填"),
    )
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=[("valid-rows", _("导入正确的行")), ("all-or-nothing", _("全部正确才导入"))],
        initial="valid-rows",
    )
    file = forms.FileField(
        label=_("表格文件"),
        help_text=_("支持 .xlsx、.xls、.csv"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv"}),
    )

    def __init__(self, *args: Any, actor: Actor, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field: Any = self.fields["kind"]
        kind_field.choices = kinds
        region_field: Any = self.fields["region"]
        region_field.restrict_to(actor)

    def to_params(self) -> dict[str, Any]:
        data = self.cleaned_data
        region = data.get("region")
        return {
            "kind": data["kind"],
            "region_code": region.code if region is not None else None,
            "employer": (data.get("employer") or "").strip() or None,
            "mode": data["mode"],
        }


class ImportConfirmForm(forms.Form):
    """The preview's 确认导入: the stored upload's id and the choices made before it."""

    upload_id = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    kind = forms.CharField(max_length=40, widget=forms.HiddenInput)
    region_code = forms.RegexField(regex=r"^[0-9]{12}$", required=False, widget=forms.HiddenInput)
    employer = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        choices=[("valid-rows", "valid-rows"), ("all-or-nothing", "all-or-nothing")], widget=forms.HiddenInput
    )
