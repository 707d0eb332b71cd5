from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chunnuan.regions.forms import ScopedListFilterForm


class WorkerFilterForm(ScopedListFilterForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["q"].label = _("姓名或完整身份证号")
