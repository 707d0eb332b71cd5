"""The run list's "start an audit export" form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.audit.models import AuditAction


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
