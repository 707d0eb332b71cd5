"""Forms of the reporting pages; each turns into a ``types.py`` input of the same service the API calls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.regions.forms import RegionPickerField, ScopedListFilterForm
from chunnuan.regions.models import RegionLevel
from chunnuan.reporting.choices import Indicator, Segment, StageKind, SubmissionStatus
from chunnuan.reporting.definitions import FieldKind, FormDef
from chunnuan.reporting.types import CampaignFormIn, CampaignIn, StageIn, SubmissionValuesIn, TargetIn

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = _("全部")


def _blank(choices: Any, label: Any = ALL) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class CampaignEditForm(forms.Form):
    """专项行动: window, the four stages, focus sections and the forms it uses (with deadlines)."""

    code = forms.CharField(label=_("行动代码"), max_length=40, help_text=_("字母开头，如 CN2026"))
    name = forms.CharField(label=_("行动名称"), max_length=100)
    region = RegionPickerField(label=_("发起地区"), max_level=RegionLevel.COUNTY)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), widget=DATE)
    description = forms.CharField(
        label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    focus_sections = forms.MultipleChoiceField(
        label=_("重点行业门类"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        actor: Actor,
        sections: Sequence[tuple[str, str]] = (),
        report_forms: Sequence[FormDef] = (),
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.report_forms = list(report_forms)
        focus: Any = self.fields["focus_sections"]
        focus.choices = list(sections)
        region: Any = self.fields["region"]
        region.restrict_to(actor)
        if editing:  # code and issuing region are fixed once created
            self.fields["code"].disabled = True
            region.disabled = True
        for kind in StageKind:
            self.fields[f"stage_{kind.value}_start"] = forms.DateField(
                label=_("开始"), required=False, widget=DATE
            )
            self.fields[f"stage_{kind.value}_end"] = forms.DateField(
                label=_("结束"), required=False, widget=DATE
            )
            self.fields[f"stage_{kind.value}_note"] = forms.CharField(
                label=_("工作内容"), required=False, max_length=300
            )
        for f in self.report_forms:
            self.fields[f"form_{f.code}"] = forms.BooleanField(label=f.name, required=False)
            self.fields[f"form_{f.code}_deadline"] = forms.DateField(
                label=_("截止日期"), required=False, widget=DATE
            )
            self.fields[f"form_{f.code}_days"] = forms.IntegerField(
                label=_("期末后工作日"), required=False, min_value=0, max_value=60
            )

    # -- for the template ----------------------------------------------------------------------
    def main_fields(self) -> list[Any]:
        names = ("code", "name", "region", "start_date", "end_date", "description", "focus_sections")
        return [self[n] for n in names]

    def stage_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "label": kind.label,
                "start": self[f"stage_{kind.value}_start"],
                "end": self[f"stage_{kind.value}_end"],
                "note": self[f"stage_{kind.value}_note"],
            }
            for kind in StageKind
        ]

    def form_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "form": f,
                "use": self[f"form_{f.code}"],
                "deadline": self[f"form_{f.code}_deadline"],
                "days": self[f"form_{f.code}_days"],
            }
            for f in self.report_forms
        ]

    @staticmethod
    def initial_for(campaign: Any, stages: Sequence[Any], campaign_forms: Sequence[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "code": campaign.code,
            "name": campaign.name,
            "region": campaign.region_code,
            "start_date": campaign.start_date,
            "end_date": campaign.end_date,
            "description": campaign.description,
            "focus_sections": list(campaign.focus_sections or []),
        }
        for s in stages:
            initial[f"stage_{s.kind}_start"] = s.start_date
            initial[f"stage_{s.kind}_end"] = s.end_date
            initial[f"stage_{s.kind}_note"] = s.note
        for cf in campaign_forms:
            initial[f"form_{cf.form_code}"] = True
            initial[f"form_{cf.form_code}_deadline"] = cf.deadline
            initial[f"form_{cf.form_code}_days"] = cf.deadline_working_days
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in StageKind:
            start, end = data.get(f"stage_{kind.value}_start"), data.get(f"stage_{kind.value}_end")
            if bool(start) != bool(end):
                self.add_error(f"stage_{kind.value}_end", _("阶段的开始和结束日期须同时填写"))
        return data

    def to_input(self, *, region_code: str, code: str = "") -> CampaignIn:
        d = self.cleaned_data
        stages = [
            StageIn(
                kind=kind.value,
                start_date=d[f"stage_{kind.value}_start"],
                end_date=d[f"stage_{kind.value}_end"],
                note=d.get(f"stage_{kind.value}_note") or "",
            )
            for kind in StageKind
            if d.get(f"stage_{kind.value}_start") and d.get(f"stage_{kind.value}_end")
        ]
        used = [
            CampaignFormIn(
                form_code=f.code,
                deadline=d.get(f"form_{f.code}_deadline"),
                deadline_working_days=d.get(f"form_{f.code}_days"),
            )
            for f in self.report_forms
            if d.get(f"form_{f.code}")
        ]
        return CampaignIn(
            code=code or d["code"],
            name=d["name"],
            region_code=region_code,
            start_date=d["start_date"],
            end_date=d["end_date"],
            focus_sections=list(d.get("focus_sections") or []),
            description=d.get("description") or "",
            stages=stages,
            forms=used,
        )


class CampaignFilterForm(ScopedListFilterForm):
    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, actor=actor, **kwargs)
        self.fields["q"].label = _("行动名称或代码")


class TargetForm(forms.Form):
    """Set or override a target for a region in reach (分解目标)."""

    region = RegionPickerField(label=_("地区"), max_level=RegionLevel.TOWNSHIP)
    indicator = forms.ChoiceField(label=_("指标"), choices=Indicator.choices)
    segment = forms.ChoiceField(label=_("企业范围"), choices=Segment.choices, initial=Segment.ALL)
    value = forms.DecimalField(label=_("目标值（%）"), max_digits=6, decimal_places=2)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.restrict_to(actor)

    def to_input(self) -> TargetIn:
        d = self.cleaned_data
        return TargetIn(
            region_code=d["region"].code,
            indicator=d["indicator"],
            segment=d["segment"],
            value=d["value"],
            note=d.get("note") or "",
        )


class SubmissionFilterForm(ScopedListFilterForm):
    form = forms.ChoiceField(label=_("报表"), required=False, choices=())
    period = forms.CharField(label=_("报表期间"), required=False, max_length=40)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_blank(SubmissionStatus.choices))

    def __init__(
        self, data: Any = None, *, actor: Actor, report_forms: Sequence[FormDef] = (), **kwargs: Any
    ) -> None:
        super().__init__(data, actor=actor, **kwargs)
        self.fields["q"].label = _("填报单位")
        form: Any = self.fields["form"]
        form.choices = _blank([(f.code, f.short_name) for f in report_forms])


class StatusBoardForm(ScopedListFilterForm):
    form = forms.ChoiceField(label=_("报表"), choices=())
    period = forms.ChoiceField(label=_("报表期间"), required=False, choices=())
    only_late = forms.BooleanField(label=_("只看逾期"), required=False)

    field_order = ["form", "period", "region", "q", "only_late"]

    def __init__(
        self,
        data: Any = None,
        *,
        actor: Actor,
        report_forms: Sequence[FormDef] = (),
        periods: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(data, actor=actor, **kwargs)
        self.fields["q"].label = _("单位名称")
        form: Any = self.fields["form"]
        form.choices = [(f.code, f.short_name) for f in report_forms]
        period: Any = self.fields["period"]
        period.choices = list(periods)


class SubmissionValuesForm(forms.Form):
    """The figures of one submission: one input per entered/prefilled field (named by the field's
    code, so the service's field errors land on it), a correction reason per prefilled field."""

    filler_name = forms.CharField(label=_("填表人"), max_length=60, required=False)
    filler_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    missing_note = forms.CharField(label=_("缺报说明"), max_length=500, required=False)
    confirm = forms.BooleanField(
        label=_("我已核对以上数据，确认上报（上报后如需修改，须由上级退回或解锁）"), required=False
    )

    def __init__(self, *args: Any, report_form: FormDef, editable_values: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report_form = report_form
        if editable_values:
            for f in report_form.input_fields:
                self.fields[f.code] = forms.IntegerField(label=f.label, required=False)
                if f.kind is FieldKind.PREFILLED:
                    self.fields[f"reason_{f.code}"] = forms.CharField(
                        label=_("更正原因"), required=False, max_length=200
                    )

    def to_input(self) -> SubmissionValuesIn:
        d = self.cleaned_data
        values: dict[str, int | None] = {}
        reasons: dict[str, str] = {}
        for f in self.report_form.input_fields:
            if f.code in self.fields:
                values[f.code] = d.get(f.code)
                if reason := (d.get(f"reason_{f.code}") or "").strip():
                    reasons[f.code] = reason
        return SubmissionValuesIn(
            values=values,
            reasons=reasons,
            filler_name=d.get("filler_name") or "",
            filler_phone=d.get("filler_phone") or "",
            missing_note=d.get("missing_note") or "",
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, required=False)
