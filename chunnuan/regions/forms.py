"""Region forms: the cascading region picker (省 → 市 → 县 → 乡镇) and the add-unit form.

Using the picker in any form::

    class WorkerForm(forms.Form):
        origin = RegionPickerField(label="户籍地")                     # anywhere in China
        work_region = RegionPickerField(label="务工地", min_level=RegionLevel.TOWNSHIP)

        def __init__(self, *args, actor, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["work_region"].restrict_to(actor)   # starts at, and only accepts, the actor's regions

``cleaned_data[...]`` is a current :class:`~chunnuan.regions.models.Region` (or None when not
required and left empty).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.core.errors import NotFound
from chunnuan.regions.models import UNIT_KINDS, Region, RegionKind, RegionLevel
from chunnuan.regions.selectors import jurisdiction_regions, picker_state, region_get

PICKER_TEMPLATE = "regions/partials/_region_picker.html"
PICK_SUFFIX = "__pick"  # the selects' name; the last one submitted is the deepest choice


def picker_context(
    *,
    name: str,
    value: str,
    roots: Sequence[Region],
    max_level: int,
    html_id: str = "",
    required: bool = False,
) -> dict[str, Any]:
    """The context of the picker partial; shared by the widget and the htmx endpoint."""
    state = picker_state(roots=list(roots), value=value, max_level=max_level)
    html_id = html_id or f"id_{name}"
    query: dict[str, Any] = {"name": name, "max_level": max_level, "id": html_id}
    if roots:
        query["root"] = ",".join(r.code for r in roots)
    return {
        "name": name,
        "html_id": html_id,
        "state": state,
        "typed_value": value,
        "required": required,
        "url": reverse("regions:region_picker") + "?" + urlencode(query),
        "pick_name": name + PICK_SUFFIX,
    }


class RegionPickerWidget(forms.Widget):
    """One <select> per level, refreshed by htmx; a hidden input carries the deepest chosen code.
    Without JavaScript the selects still work one level per submit: the form reads the deepest
    submitted select (``<name>__pick``), and the re-rendered form offers the next level."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.roots: list[Region] = []
        self.max_level: int = RegionLevel.TOWNSHIP
        self.required = False

    def format_value(self, value: Any) -> str:
        if isinstance(value, Region):
            return value.code
        return "" if value is None else str(value)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        context = picker_context(
            name=name,
            value=self.format_value(value),
            roots=self.roots,
            max_level=self.max_level,
            html_id=str(final.get("id") or ""),
            required=self.required,
        )
        return SafeString(render_to_string(PICKER_TEMPLATE, context))

    def value_from_datadict(self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str) -> Any:
        picks = data.getlist(name + PICK_SUFFIX) if hasattr(data, "getlist") else []
        if picks:  # the selects themselves (the deepest one last), with or without JavaScript
            return picks[-1]
        return data.get(name)

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data and name + PICK_SUFFIX not in data


class RegionPickerField(forms.Field):
    """A current region chosen with the cascading picker; cleaned value is a ``Region``.

    ``max_level`` — the deepest level offered (default township); ``min_level`` — the level the
    choice must reach (e.g. ``RegionLevel.TOWNSHIP`` to insist on a township);
    ``restrict_to(actor)`` — start at the actor's jurisdiction and accept only regions within it.
    """

    widget = RegionPickerWidget
    default_error_messages = {
        "invalid": _("请选择有效的行政区划（12位区划代码）"),
        "outside": _("所选区划不在允许的范围内"),
        "too_shallow": _("请选择到更下一级的区划"),
        "too_deep": _("所选区划级别过低"),
    }

    def __init__(
        self,
        *,
        max_level: int = RegionLevel.TOWNSHIP,
        min_level: int | None = None,
        roots: Sequence[Region] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.max_level = int(max_level)
        self.min_level = int(min_level) if min_level else None
        self.roots = list(roots)
        # Codes must start with one of these (None: anywhere); restrict_to() sets them.
        self.prefixes: tuple[str, ...] | None = tuple(r.scope_prefix for r in self.roots) or None
        self._sync_widget()

    def _sync_widget(self) -> None:
        widget: Any = self.widget
        widget.roots = self.roots
        widget.max_level = self.max_level
        widget.required = self.required

    def restrict_to(self, actor: Actor) -> None:
        """Start the picker at the actor's jurisdiction and accept only regions inside it
        (a nationwide actor keeps the whole country)."""
        nationwide = "" in actor.region_prefixes and actor.is_region_actor
        self.roots = [] if nationwide else jurisdiction_regions(actor)
        self.prefixes = None if nationwide else (actor.region_prefixes if actor.is_region_actor else ())
        self._sync_widget()

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Region) else value

    def to_python(self, value: Any) -> Region | None:
        if isinstance(value, Region):
            return value
        text = unicodedata.normalize("NFKC", str(value or "")).strip()
        if not text:
            return None
        try:
            return region_get(code=text)
        except NotFound:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.prefixes is not None and not any(value.code.startswith(p) for p in self.prefixes):
            raise forms.ValidationError(self.error_messages["outside"], code="outside")
        if value.level > self.max_level:
            raise forms.ValidationError(self.error_messages["too_deep"], code="too_deep")
        if self.min_level and value.level < self.min_level:
            raise forms.ValidationError(self.error_messages["too_shallow"], code="too_shallow")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return str(self.prepare_value(initial) or "") != str(data or "")


def unit_kind_choices(parent: Region) -> list[tuple[str, str]]:
    kinds: list[RegionKind] = list(UNIT_KINDS)
    if parent.level == RegionLevel.COUNTY and parent.kind in UNIT_KINDS:
        kinds += [RegionKind.STREET, RegionKind.TOWN, RegionKind.TOWNSHIP]
    return [(str(k.value), str(k.label)) for k in kinds]


class RegionUnitForm(forms.Form):
    """添加功能区 — the fields of ``RegionUnitIn`` except the parent (taken from the URL)."""

    code = forms.CharField(
        label=_("区划代码"), max_length=20, help_text=_("12位统计用区划代码，以上级区划代码开头")
    )
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=())
    valid_from = forms.DateField(
        label=_("启用日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, parent: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = unit_kind_choices(parent)
        self.fields["code"].widget.attrs.update(
            {"placeholder": parent.scope_prefix.ljust(12, "_"), "inputmode": "numeric"}
        )


class RegionRetireForm(forms.Form):
    valid_to = forms.DateField(label=_("停用日期"), widget=forms.DateInput(attrs={"type": "date"}))


class RegionFilterForm(forms.Form):
    """The list page's filters (GET)."""

    q = forms.CharField(label=_("名称或代码"), required=False, max_length=50)
    level = forms.TypedChoiceField(
        label=_("级别"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部级别")), *RegionLevel.choices],
    )
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *RegionKind.choices]
    )
    parent = forms.RegexField(label=_("上级代码"), required=False, regex=r"^[0-9]{12}$")


class ScopedListFilterForm(forms.Form):
    """Base of every list page's filters: a search box and the cascading region picker, which
    starts at the actor's jurisdiction. ``filters()`` gives the selector's filter dict."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    region = RegionPickerField(label=_("区域"), required=False)

    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        region: Any = self.fields["region"]
        region.restrict_to(actor)

    def filters(self) -> dict[str, Any]:
        """The valid filters (a bad field is dropped and shown as an error on the form)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        values = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if isinstance(values.get("region"), Region):
            values["region"] = values["region"].code
        return values
