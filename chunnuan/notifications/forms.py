"""The outbox page's filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.notifications.choices import MessageChannel, MessageStatus
from chunnuan.notifications.types import MessageFilter


class MessageFilterForm(forms.Form):
    q = forms.CharField(label=_("接收人手机号"), required=False, max_length=40)
    channel = forms.ChoiceField(
        label=_("渠道"), required=False, choices=[("", _("全部渠道")), *MessageChannel.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *MessageStatus.choices]
    )
    purpose = forms.ChoiceField(label=_("用途"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, purposes: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        purpose_field = self.fields["purpose"]
        assert isinstance(purpose_field, forms.ChoiceField)
        purpose_field.choices = [("", _("全部用途")), *((p, p) for p in purposes or [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data

    def to_filter(self) -> MessageFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return MessageFilter(
            q=data.get("q") or "",
            channel=data.get("channel") or "",
            status=data.get("status") or "",
            purpose=data.get("purpose") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
