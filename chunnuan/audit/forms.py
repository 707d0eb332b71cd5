from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.audit.models import AuditAction
from chunnuan.regions.forms import ScopedListFilterForm


class AuditFilterForm(ScopedListFilterForm):
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=100)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", _("全部")), *AuditAction.choices]
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("操作人")

    def filters(self) -> dict[str, Any]:
        values = super().filters()
        if "q" in values:
            values["person"] = values.pop("q")
        for name in ("date_from", "date_to"):
            if name in values:
                values[name] = values[name].isoformat()
        return values
