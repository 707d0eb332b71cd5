"""What an auditor reads: audit events put in words (审计日志的显示).

An :class:`~chunnuan.audit.models.AuditEvent` stores what the code knows: ``accounts.User`` and
``#2``, field names, codes, ``True``. :func:`present_events` turns a page of them into what a
person reads — the record's Chinese name and label, the person's name and office, the region's
name, Chinese field labels, 是/否, choice labels and form names — with a fixed number of queries
per page (never one per event). The list page, its export and the API all use it.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from chunnuan.access.actor import Actor
from chunnuan.audit.models import AuditAction, AuditEvent

EMPTY = "（空）"

# Records that are not a model (import runs write object_type "import").
_TYPE_LABELS = {"import": "数据导入"}

# Keys of ``changes`` that are not model fields (imports, region loads …).
_KEY_LABELS = {
    "id": "编号",
    "kind": "导入内容",
    "file": "文件",
    "mode": "导入方式",
    "rows": "数据行",
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "rejected": "拒绝",
    "provinces": "省份",
}
_VALUE_LABELS = {
    "mode": {"valid-rows": "导入正确的行", "all-or-nothing": "全部正确才导入"},
}

# Named system actors (``system:<name>``), as a reader knows them.
_SYSTEM_LABELS = {
    "load_demo": "系统（生成演示数据）",
    "load_regions": "系统（导入区划数据）",
    "import_ledger": "系统（命令行导入）",
    "phone-login": "系统（手机验证码登录）",
    "report_remind": "系统（报表催报）",
    "report_export": "系统（报表导出）",
    "report-refresh-tallies": "系统（刷新名册统计）",
    "roster-tallies": "系统（名册统计）",
    "outbox": "系统（消息发送）",
    "outbox-flush": "系统（消息发送）",
    "batch": "系统（后台任务）",
    "nightly": "系统（夜间任务）",
}
SYSTEM_PREFIX = "system:"


@dataclass(frozen=True)
class Change:
    """One changed field. ``old`` is None for a fact rather than a change (a new record's value,
    an import's row counts)."""

    key: str
    label: str
    old: str | None
    new: str

    @property
    def text(self) -> str:
        return f"{self.label}：{self.new}" if self.old is None else f"{self.label}：{self.old} → {self.new}"


@dataclass
class EventView:
    """One audit event in words. ``event`` keeps the stored row (codes, ids) for whoever needs them."""

    event: AuditEvent
    person: str
    action: str
    record_type: str
    record: str
    region: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changes_text(self) -> str:
        """The changes as lines of text (for the spreadsheet export)."""
        return "\n".join(change.text for change in self.changes)


def system_label(label: str) -> str:
    name = label.removeprefix(SYSTEM_PREFIX)
    return _SYSTEM_LABELS.get(name, "系统")


def _model(object_type: str) -> type[models.Model] | None:
    if "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _form_names() -> tuple[dict[str, str], dict[str, str]]:
    """Form names by code, and the forms' figure labels by field code (for a submission's values)."""
    from chunnuan.reporting.definitions import all_forms

    forms = all_forms()
    names = {form.code: form.short_name or form.name for form in forms}
    figures = {f.code: f.label for form in forms for f in form.fields}
    return names, figures


def _coded_values() -> dict[str, dict[str, str]]:
    """Labels of coded values kept in plain text fields (no ``choices`` on the field)."""
    from chunnuan.employers.choices import SizeClass
    from chunnuan.employers.selectors import section_choices
    from chunnuan.reporting.definitions import UNIT_LEVEL_LABELS

    return {
        "size_class": {str(k): str(v) for k, v in SizeClass.choices},
        "industry_section": dict(section_choices()),
        "level": {str(k): str(v) for k, v in UNIT_LEVEL_LABELS.items()},
    }


def _import_titles() -> dict[str, str]:
    from chunnuan.core.importing.spec import all_specs

    return {kind: spec.title for kind, spec in all_specs().items()}


def _field(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _is_internal(model: type[models.Model] | None, key: str) -> bool:
    """A field the code keeps for itself (not editable, no Chinese name), e.g. a lookup key."""
    found = _field(model, key)
    return found is not None and not found.editable and str(found.verbose_name) == key.replace("_", " ")


def _field_label(model: type[models.Model] | None, key: str) -> str:
    found = _field(model, key)
    if found is not None:
        verbose = str(getattr(found, "verbose_name", "") or "")
        if verbose and verbose != key.replace("_", " "):
            return verbose
        related = getattr(found, "related_model", None)
        if related is not None:
            return str(related._meta.verbose_name)
    return _KEY_LABELS.get(key, key)


class _Resolver:
    """Loads the names behind the ids and codes of a page of events, one query per kind."""

    def __init__(self, events: Sequence[AuditEvent], actor: Actor | None) -> None:
        from chunnuan.accounts.selectors import people_labels

        self.actor = actor
        self.forms, self.figures = _form_names()
        self.imports = _import_titles()
        self.coded = _coded_values()
        user_model = apps.get_model("accounts.User")
        region_codes: set[str] = set()
        user_ids: set[int] = set()
        related_ids: dict[type[models.Model], set[Any]] = {}
        for event in events:
            if event.actor_user_id:
                user_ids.add(event.actor_user_id)
            if event.region_code:
                region_codes.add(event.region_code)
            model = _model(event.object_type)
            if model is user_model and event.object_id.isdigit():
                user_ids.add(int(event.object_id))
            for key, pair in (event.changes or {}).items():
                if not isinstance(pair, list) or len(pair) != 2:
                    continue
                found = _field(model, key)
                for value in pair:
                    if value in (None, ""):
                        continue
                    if key.endswith("region_code") and isinstance(value, str):
                        region_codes.add(value)
                    elif found is not None and found.is_relation and found.many_to_one:
                        related_ids.setdefault(found.related_model, set()).add(value)
        users = related_ids.pop(user_model, set())
        self.people = people_labels(user_ids | {int(v) for v in users if str(v).isdigit()})
        self.regions = self._regions(region_codes)
        self.related = {model: self._related(model, ids) for model, ids in related_ids.items()}

    @staticmethod
    def _regions(codes: set[str]) -> dict[str, str]:
        if not codes:
            return {}
        from chunnuan.regions.models import Region

        names: dict[str, str] = {}
        for code, name, current in Region.objects.filter(code__in=codes).values_list(
            "code", "name", "valid_to"
        ):
            if code not in names or current is None:
                names[code] = name
        return names

    def _related(self, model: type[models.Model], ids: set[Any]) -> dict[str, str]:
        manager: Any = model._default_manager
        if hasattr(manager, "visible_to"):
            if self.actor is None:
                return {}
            rows = manager.visible_to(self.actor)
        else:
            rows = manager.all()
        return {str(obj.pk): str(obj) for obj in rows.filter(pk__in=list(ids))[:500]}

    def region(self, code: str) -> str:
        if not code:
            return ""
        name = self.regions.get(code)
        return f"{name}（{code}）" if name else code

    def person(self, event: AuditEvent) -> str:
        if event.actor_user_id and event.actor_user_id in self.people:
            return self.people[event.actor_user_id]
        if event.actor_label.startswith(SYSTEM_PREFIX):
            return system_label(event.actor_label)
        return event.actor_label

    def record(self, event: AuditEvent, model: type[models.Model] | None) -> str:
        if model is not None and model._meta.label == "accounts.User" and event.object_id.isdigit():
            label = self.people.get(int(event.object_id))
            if label:
                return label
        text = event.object_repr
        for code, name in self.forms.items():
            if code in text:
                text = text.replace(code, name)
        return text or (f"编号 {event.object_id}" if event.object_id else "")

    def value(self, model: type[models.Model] | None, key: str, value: Any) -> str:
        value = _literal(value)
        if value is None or value == "" or value == [] or value == {}:
            return EMPTY
        if isinstance(value, bool):
            return "是" if value else "否"
        if key in _VALUE_LABELS and isinstance(value, str):
            return _VALUE_LABELS[key].get(value, value)
        if key in self.coded and isinstance(value, str) and value in self.coded[key]:
            return self.coded[key][value]
        if key.endswith("region_code") and isinstance(value, str):
            return self.region(value)
        if isinstance(value, str) and value in self.forms:
            return self.forms[value]
        found = _field(model, key)
        if found is not None:
            if found.is_relation and found.many_to_one:
                related = found.related_model
                if related._meta.label == "accounts.User" and str(value).isdigit():
                    return self.people.get(int(value), f"编号 {value}")
                return self.related.get(related, {}).get(str(value), f"编号 {value}")
            choices = getattr(found, "flatchoices", None)
            if choices:
                for choice, text in choices:
                    if str(choice) == str(value):
                        return str(text)
            if isinstance(found, models.BooleanField) and str(value) in ("True", "False"):
                return "是" if value == "True" else "否"
        if isinstance(value, dict):
            return "，".join(
                f"{self.figures.get(k, _KEY_LABELS.get(k, k))} {EMPTY if v is None else v}"
                for k, v in value.items()
            )
        if isinstance(value, list):
            if all(isinstance(item, (str, int, float)) for item in value):
                return "、".join(str(item) for item in value)
            return json.dumps(value, ensure_ascii=False)
        return str(value)


def _literal(value: Any) -> Any:
    """A JSON field's value, which :func:`~chunnuan.audit.services.snapshot` stored as its repr."""
    if isinstance(value, str) and value[:1] in ("{", "[") and len(value) < 20_000:
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return value
    return value


def _action_label(code: str) -> str:
    try:
        return str(AuditAction(code).label)
    except ValueError:
        return code


def present_events(events: Iterable[AuditEvent], *, actor: Actor | None = None) -> list[EventView]:
    """A page of events in words. ``actor`` (the reader) limits whose names related ids resolve to."""
    rows = list(events)
    resolver = _Resolver(rows, actor)
    views = []
    for event in rows:
        model = _model(event.object_type)
        if model is not None:
            record_type = str(model._meta.verbose_name)
        else:
            record_type = _TYPE_LABELS.get(event.object_type, event.object_type)
        changes = []
        is_create = event.action == AuditAction.CREATE
        for key, pair in (event.changes or {}).items():
            is_pair = isinstance(pair, list) and len(pair) == 2
            old, new = pair if is_pair else (None, pair)
            if is_create and (key == "id" or _literal(new) in (None, "", [], {})):
                continue  # a new record's id and empty fields say nothing
            if _is_internal(model, key):
                continue
            if key == "kind" and event.object_type == "import" and isinstance(new, str):
                new = resolver.imports.get(new, new)
            changes.append(
                Change(
                    key=key,
                    label=_field_label(model, key),
                    old=None if is_create or not is_pair else resolver.value(model, key, old),
                    new=resolver.value(model, key, new),
                )
            )
        views.append(
            EventView(
                event=event,
                person=resolver.person(event),
                action=_action_label(event.action),
                record_type=record_type,
                record=resolver.record(event, model),
                region=resolver.region(event.region_code),
                changes=changes,
            )
        )
    return views
