"""Form declarations (报表定义): fields, cross-field rules, period type, filling level, deadline.

A form is declared once as a :class:`FormDef` in :mod:`chunnuan.reporting.catalog` and registered;
the pages, the API, validation, roll-up, the late list and the exports all read the declaration.
Nothing about a particular form is written anywhere else.

* An *entered* field is typed by the filler. A *prefilled* field is proposed from the ledger or the
  roster (its ``source`` says from where); the filler confirms it or corrects it with a reason,
  and both numbers are kept. A *computed* field (a rate, a difference) is never typed.
* Rules check a whole set of values and name the fields they blame, in Chinese.
* A summary form (汇总表) declares ``summary_of``: the form whose approved submissions it rolls up,
  and ``breakdown``: the dimensions its rows keep (region, industry section, size class …).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chunnuan.core.errors import ValidationFailed
from chunnuan.employers.rules import whole_percent
from chunnuan.reporting.periods import PeriodKind

Values = Mapping[str, int | None]


class UnitLevel(StrEnum):
    """Who fills: an employer (基层表), or a region at a level (乡镇/县/市)."""

    EMPLOYER = "employer"
    TOWNSHIP = "township"
    COUNTY = "county"
    CITY = "city"


UNIT_LEVEL_LABELS = {
    UnitLevel.EMPLOYER: "用人单位",
    UnitLevel.TOWNSHIP: "乡镇（街道）",
    UnitLevel.COUNTY: "县（市、区）",
    UnitLevel.CITY: "市（州）",
}
LEVEL_ORDER = [UnitLevel.EMPLOYER, UnitLevel.TOWNSHIP, UnitLevel.COUNTY, UnitLevel.CITY]


class FieldKind(StrEnum):
    ENTERED = "entered"
    PREFILLED = "prefilled"
    COMPUTED = "computed"


@dataclass(frozen=True)
class FieldDef:
    code: str
    label: str
    kind: FieldKind = FieldKind.ENTERED
    unit: str = "人"
    group: str = ""  # upper header cell shared by neighbouring fields (two-row merged headers)
    source: str = ""  # for prefilled fields: where the proposed figure comes from
    formula: Callable[[Values], int | None] | None = None  # computed fields
    is_rate: bool = False  # a whole percentage 0–100

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "kind": self.kind.value,
            "unit": "%" if self.is_rate else self.unit,
            "group": self.group,
            "source": self.source,
        }


class Rule:
    """A cross-field rule; ``problems`` returns (field, message) pairs, empty when it holds."""

    description = ""

    def problems(self, values: Values, labels: Mapping[str, str]) -> list[tuple[str, str]]:
        raise NotImplementedError


@dataclass(frozen=True)
class AtLeast(Rule):
    """values[left] ≥ values[right] (e.g. on roll ≥ at post)."""

    left: str
    right: str

    def problems(self, values: Values, labels: Mapping[str, str]) -> list[tuple[str, str]]:
        a, b = values.get(self.left), values.get(self.right)
        if a is None or b is None or a >= b:
            return []
        return [(self.right, f"“{labels[self.right]}”（{b}）不能大于“{labels[self.left]}”（{a}）")]

    @property
    def text(self) -> str:
        return f"{self.left} ≥ {self.right}"


@dataclass(frozen=True)
class EqualsSum(Rule):
    """values[total] = Σ values[parts] (e.g. signed = the sum of its term buckets)."""

    total: str
    parts: tuple[str, ...]

    def problems(self, values: Values, labels: Mapping[str, str]) -> list[tuple[str, str]]:
        total = values.get(self.total)
        parts = [values.get(p) for p in self.parts]
        if total is None or any(p is None for p in parts):
            return []
        s = sum(p for p in parts if p is not None)
        if s == total:
            return []
        names = "、".join(f"“{labels[p]}”" for p in self.parts)
        return [(self.total, f"“{labels[self.total]}”（{total}）应等于{names}之和（{s}）")]

    @property
    def text(self) -> str:
        return f"{self.total} = {' + '.join(self.parts)}"


@dataclass(frozen=True)
class FormDef:
    code: str
    name: str  # the official title, e.g. 开展农民工劳动合同签订春暖行动情况表（基层表）
    short_name: str
    period_kind: PeriodKind
    levels: tuple[UnitLevel, ...]
    fields: tuple[FieldDef, ...]
    rules: tuple[Rule, ...] = ()
    deadline_working_days: int = 5  # after the period ends (a campaign may set a fixed date instead)
    level_lag_working_days: int = 3  # each level above the first files this many working days later
    summary_of: str | None = None
    breakdown: tuple[str, ...] = ()  # dims of summary rows: "region", "section", "size", "above_scale"
    prefill: Callable[..., dict[str, int]] | None = None
    description: str = ""
    dims: tuple[str, ...] = field(default=())  # dims a base submission records about its unit

    # -- fields --------------------------------------------------------------------------------
    @property
    def field_codes(self) -> list[str]:
        return [f.code for f in self.fields]

    @property
    def labels(self) -> dict[str, str]:
        return {f.code: f.label for f in self.fields}

    def field(self, code: str) -> FieldDef:
        for f in self.fields:
            if f.code == code:
                return f
        raise KeyError(code)

    @property
    def input_fields(self) -> list[FieldDef]:
        return [f for f in self.fields if f.kind is not FieldKind.COMPUTED]

    @property
    def is_summary(self) -> bool:
        return self.summary_of is not None

    @property
    def first_level(self) -> UnitLevel:
        return self.levels[0]

    def level_index(self, level: UnitLevel) -> int:
        return self.levels.index(level)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "period_type": self.period_kind.value,
            "levels": [lv.value for lv in self.levels],
            "summary_of": self.summary_of,
            "breakdown": list(self.breakdown),
            "deadline_working_days": self.deadline_working_days,
            "fields": [f.as_dict() for f in self.fields],
            "rules": [getattr(r, "text", type(r).__name__) for r in self.rules],
        }

    # -- values --------------------------------------------------------------------------------
    def complete(self, values: Values) -> dict[str, int | None]:
        """The input values with every computed field (re)computed."""
        result: dict[str, int | None] = {f.code: values.get(f.code) for f in self.input_fields}
        for f in self.fields:
            if f.kind is FieldKind.COMPUTED and f.formula is not None:
                result[f.code] = f.formula(result)
        return {f.code: result.get(f.code) for f in self.fields}

    def problems(self, values: Values) -> dict[str, list[str]]:
        """Every problem of a set of input values: missing, negative, over 100 %, cross-field rules."""
        errors: dict[str, list[str]] = {}
        for f in self.input_fields:
            value = values.get(f.code)
            if value is None:
                errors.setdefault(f.code, []).append(f"请填写“{f.label}”")
            elif not isinstance(value, int) or isinstance(value, bool):
                errors.setdefault(f.code, []).append(f"“{f.label}”应为整数")
            elif value < 0:
                errors.setdefault(f.code, []).append(f"“{f.label}”不能为负数")
            elif f.is_rate and value > 100:
                errors.setdefault(f.code, []).append(f"“{f.label}”不能超过100%")
        # the cross-field rules run too, over the figures that are themselves fine (a rule with a
        # missing side holds), so that every problem shows in one round
        completed = self.complete({k: (None if k in errors else v) for k, v in values.items()})
        for f in self.fields:
            value = completed.get(f.code)
            if f.is_rate and value is not None and not 0 <= value <= 100:
                errors.setdefault(f.code, []).append(f"“{f.label}”为{value}%，超出0–100%，请检查相关数字")
        for rule in self.rules:
            for code, message in rule.problems(completed, self.labels):
                errors.setdefault(code, []).append(message)
        return errors

    def validate(self, values: Values) -> dict[str, int | None]:
        errors = self.problems(values)
        if errors:
            first = next(iter(errors.values()))[0]
            raise ValidationFailed(f"报表数据未通过校验：{first}", fields=errors)
        return self.complete(values)


def difference(a: str, b: str) -> Callable[[Values], int | None]:
    def compute(values: Values) -> int | None:
        x, y = values.get(a), values.get(b)
        return None if x is None or y is None else x - y

    compute.spec = ("difference", a, b)  # type: ignore[attr-defined]  # for the page's live recompute
    return compute


def rate(part: str, whole: str) -> Callable[[Values], int | None]:
    def compute(values: Values) -> int | None:
        x, y = values.get(part), values.get(whole)
        return None if x is None or y is None else whole_percent(x, y)

    compute.spec = ("rate", part, whole)  # type: ignore[attr-defined]  # for the page's live recompute
    return compute


def summary_form(
    base: FormDef,
    *,
    code: str,
    name: str,
    short_name: str,
    levels: tuple[UnitLevel, ...],
    breakdown: tuple[str, ...],
    deadline_working_days: int,
    level_lag_working_days: int = 3,
    description: str = "",
) -> FormDef:
    """The summary (汇总表) of ``base``: the same fields, rules and period, filled by the levels
    above it as the roll-up of their children's approved submissions."""
    return FormDef(
        code=code,
        name=name,
        short_name=short_name,
        period_kind=base.period_kind,
        levels=levels,
        fields=base.fields,
        rules=base.rules,
        deadline_working_days=deadline_working_days,
        level_lag_working_days=level_lag_working_days,
        summary_of=base.code,
        breakdown=breakdown,
        description=description,
    )


_REGISTRY: dict[str, FormDef] = {}


def register_form(form: FormDef) -> FormDef:
    if form.code in _REGISTRY:
        raise ValueError(f"form {form.code} registered twice")
    if form.summary_of and form.summary_of not in _REGISTRY:
        raise ValueError(f"{form.code}: declare {form.summary_of} first")
    _REGISTRY[form.code] = form
    return form


def get_form(code: str) -> FormDef:
    from chunnuan.reporting import catalog  # noqa: F401 — the declarations register themselves

    try:
        return _REGISTRY[code]
    except KeyError:
        raise ValidationFailed(f"没有代码为“{code}”的报表", fields={"form": ["报表代码不存在"]}) from None


def all_forms() -> list[FormDef]:
    from chunnuan.reporting import catalog  # noqa: F401

    return list(_REGISTRY.values())


def summary_form_for(base_code: str) -> FormDef | None:
    return next((f for f in all_forms() if f.summary_of == base_code), None)
