"""Guards (b), (c), (d): every model is region-owned or declared global; the thin layers never
query models directly; services and selectors stay free of the web layer; every unscoped query
gives its reason."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from chunnuan.access.scoping import RegionScopedModel

ROOT = Path(__file__).resolve().parent.parent / "chunnuan"
THIN = ("views.py", "api.py", "forms.py")
CORE = ("services.py", "selectors.py")
FORBIDDEN_IN_CORE = ("ninja", "django.http", "django.forms", "django.shortcuts")


def _modules(names: tuple[str, ...]) -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if p.name in names or p.parent.name in {n.removesuffix(".py") for n in names}
    )


def test_every_model_is_region_owned_or_declared_global():
    offenders = []
    for model in apps.get_models():
        if not model.__module__.startswith("chunnuan."):
            continue
        if issubclass(model, RegionScopedModel) or getattr(model, "chunnuan_global_reason", ""):
            continue
        offenders.append(model._meta.label)
    assert not offenders, f"neither region-owned nor declared global: {offenders}"


def test_thin_layers_never_touch_model_managers():
    offenders = []
    for path in _modules(THIN):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {
                "objects",
                "plain",
                "_default_manager",
                "_base_manager",
            }:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Name) and node.id in {"get_object_or_404", "get_list_or_404"}:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.id}")
    assert not offenders, "views/api/forms must call selectors and services:\n" + "\n".join(offenders)


def test_services_and_selectors_import_nothing_from_the_web_layer():
    offenders = []
    for path in _modules(CORE):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith(FORBIDDEN_IN_CORE) or name.endswith(
                    (".views", ".forms", ".api", ".schemas")
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_every_unscoped_query_states_a_reason():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "unscoped"
            ):
                reason = next((k.value for k in node.keywords if k.arg == "reason"), None)
                if not (isinstance(reason, ast.Constant) and str(reason.value).strip()) and not isinstance(
                    reason, (ast.JoinedStr, ast.Name)
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "unscoped() without a stated reason:\n" + "\n".join(offenders)


def test_the_guards_catch_a_violation(tmp_path):
    """The AST checks above really see a direct manager call (so they cannot pass vacuously)."""
    tree = ast.parse("from x.models import Worker\ndef v(r):\n    return Worker.objects.all()\n")
    assert any(isinstance(n, ast.Attribute) and n.attr == "objects" for n in ast.walk(tree))
