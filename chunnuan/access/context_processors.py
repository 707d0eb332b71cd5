"""The menu: only what the actor's role allows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from chunnuan.access.permissions import Perm

# (permission, url name, label) — the order is the menu's order.
MENU: list[tuple[Perm, str, str]] = [
    (Perm.VIEW_HOME, "dashboards:home", "首页"),
    (Perm.VIEW_REGIONS, "regions:region_list", "行政区划"),
    (Perm.VIEW_WORKERS, "workers:worker_list", "实名制台帐"),
    (Perm.VIEW_EMPLOYERS, "employers:employer_list", "用人单位"),
    (Perm.SELF_SERVICE, "workers:my_record", "我的信息"),
    (Perm.RUN_EXPORTS, "batch:run_list", "后台任务"),
    (Perm.MANAGE_USERS, "accounts:user_list", "用户管理"),
    (Perm.VIEW_AUDIT, "audit:event_list", "审计日志"),
    (Perm.VIEW_OUTBOX, "notifications:message_list", "消息发件箱"),
]


def menu_for(actor: Any) -> list[dict[str, str]]:
    items = []
    for perm, url_name, label in MENU:
        if actor.can(perm):
            items.append({"url": reverse(url_name), "label": _(label), "name": url_name})
    return items


def actor_menu(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(actor), "actor": actor}
