"""The menu: only what the actor's role allows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chunnuan.access.permissions import Perm

# (permission, url name, label) — the order is the menu's order.
MENU: list[tuple[Perm, str, str]] = [
    (Perm.VIEW_HOME, "dashboards:home", gettext_noop("首页")),
    (Perm.VIEW_REGIONS, "regions:region_list", gettext_noop("行政区划")),
    (Perm.VIEW_WORKERS, "workers:worker_list", gettext_noop("实名制台帐")),
    (Perm.VIEW_WORKERS, "workers:ledger_dynamic", gettext_noop("动态就业服务台帐")),
    (Perm.VIEW_EMPLOYERS, "employers:employer_list", gettext_noop("用人单位")),
    (Perm.VIEW_EMPLOYERS, "employers:region_stats", gettext_noop("用工统计")),
    (Perm.FILL_REPORTS, "reporting:campaign_list", gettext_noop("专项行动")),
    (Perm.FILL_REPORTS, "reporting:home", gettext_noop("报表填报")),
    (Perm.FILL_REPORTS, "reporting:status_board", gettext_noop("报送进度")),
    (Perm.MANAGE_WORKERS, "batch:import_new", gettext_noop("导入台帐")),
    (Perm.SELF_SERVICE, "workers:my_record", gettext_noop("我的信息")),
    (Perm.RUN_EXPORTS, "batch:run_list", gettext_noop("后台任务")),
    (Perm.MANAGE_USERS, "accounts:user_list", gettext_noop("用户管理")),
    (Perm.VIEW_AUDIT, "audit:event_list", gettext_noop("审计日志")),
    (Perm.VIEW_OUTBOX, "notifications:message_list", gettext_noop("消息发件箱")),
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
