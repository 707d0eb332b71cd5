"""The campaign dashboard's choices (GET): the region (cascading picker, within the officer's
jurisdiction), the indicator and the employer segment the ranking is about."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.regions.forms import RegionPickerField
from chunnuan.regions.models import RegionLevel
from chunnuan.reporting.choices import Indicator, Segment


class CampaignDashboardForm(forms.Form):
    region = RegionPickerField(label=_("地区"), required=False, max_level=RegionLevel.TOWNSHIP)
    indicator = forms.ChoiceField(label=_("排名指标"), required=False, choices=Indicator.choices)
    segment = forms.ChoiceField(label=_("企业范围"), required=False, choices=Segment.choices)

    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        region: Any = self.fields["region"]
        region.restrict_to(actor)
