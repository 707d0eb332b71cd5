"""The menu: only pages the actor can open.

Whether an item shows is decided by :func:`chunnuan.access.pages.can_open`, which reads the rule
the page's own view declares — so the menu never offers a page that answers 403. ``for_perm``
only narrows further: a page that any signed-in person may open (e.g. 后台任务) is listed for the
people it is meant for. Nothing here touches the database, so error pages render without it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chunnuan.access.exports import may_export
from chunnuan.access.pages import can_open
from chunnuan.access.permissions import Perm

# (url name, label, meant for holders of this permission or None) — the order is the menu's order.
MENU: list[tuple[str, str, Perm | None]] = [
    ("dashboards:home", gettext_noop("首页"), None),
    ("dashboards:campaign_index", gettext_noop("指标看板"), None),
    ("regions:region_list", gettext_noop("行政区划"), None),
    ("workers:worker_list", gettext_noop("实名制台帐"), None),
    ("workers:ledger_dynamic", gettext_noop("动态就业服务台帐"), None),
    ("employers:employer_list", gettext_noop("用人单位"), None),
    ("employers:region_stats", gettext_noop("用工统计"), None),
    ("reporting:campaign_list", gettext_noop("专项行动"), Perm.FILL_REPORTS),
    ("reporting:home", gettext_noop("报表填报"), Perm.FILL_REPORTS),
    ("reporting:status_board", gettext_noop("报送进度"), None),
    ("batch:import_new", gettext_noop("导入台帐"), Perm.MANAGE_WORKERS),
    ("workers:my_record", gettext_noop("我的信息"), None),
    ("batch:run_list", gettext_noop("后台任务"), Perm.RUN_EXPORTS),
    ("accounts:user_list", gettext_noop("用户管理"), None),
    ("audit:event_list", gettext_noop("审计日志"), None),
    ("notifications:message_list", gettext_noop("消息发件箱"), None),
]


def menu_for(actor: Any) -> list[dict[str, str]]:
    items = []
    for url_name, label, for_perm in MENU:
        if for_perm is not None and not actor.can(for_perm):
            continue
        if can_open(actor, url_name):
            items.append({"url": reverse(url_name), "label": _(label), "name": url_name})
    return items


def actor_menu(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(actor), "actor": actor, "may_export": may_export(actor)}
