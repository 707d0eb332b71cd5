from __future__ import annotations

import pytest


def test_officer_home_shows_region_children_and_abilities(personas, client):
    client.force_login(personas.county)
    page = client.get("/").content.decode()
    assert "宁江区" in page and "团结街道" in page and "文化街道" in page
    assert "吉林省" in page and "松原市" in page  # the path above
    assert "登记农民工" in page and 'href="/workers/new/"' in page  # what the role does, one click away
    assert "用户管理" not in page


def test_worker_home(personas, client):
    client.force_login(personas.worker)
    page = client.get("/").content.decode()
    assert "甲镇测试工人" in page and "2207**********1238" in page


def test_employer_home(personas, client):
    client.force_login(personas.clerk)
    assert "团结测试建筑有限公司" in client.get("/").content.decode()


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_working_where_they_come_from_counts_once(personas):
    from chunnuan.dashboards.selectors import home_overview

    (summary,) = home_overview(actor=personas.actor("county"))
    township = next(c for c in summary.children if c["region"].code == "220702001000")
    assert township["workers"] == 1 and summary.workers == 1  # origin and work both in 团结街道


def _links(page: str) -> set[str]:
    import re

    return set(re.findall(r'href="(/[^"#?]*)', page))


@pytest.mark.parametrize("name", ["township_a", "county", "city", "clerk", "worker", "admin"])
def test_every_link_on_a_home_page_opens(personas, client, name):
    client.force_login(getattr(personas, name))
    page = client.get("/").content.decode()
    failures = []
    for url in sorted(_links(page)):
        if url.startswith("/static/"):
            continue
        status = client.get(url).status_code
        if status not in (200, 302):
            failures.append(f"{url} → {status}")
    assert not failures, f"{name}: {failures}"


def test_homes_promise_no_page_that_does_not_exist(personas, client):
    from chunnuan.accounts.models import Role

    for name in ("county", "township_a", "clerk", "worker"):
        client.force_login(getattr(personas, name))
        page = client.get("/").content.decode()
        for promise in ("投诉举报与监察", "岗位与招聘会", "培训与补贴", "您可以在这里"):
            assert promise not in page, (name, promise)
    assert Role.objects.filter(code="inspector").exists()


def test_inspector_home_shows_only_what_exists(personas, client):
    from chunnuan.core.testing import make_user

    inspector = make_user("inspector_a", "inspector", ["220702000000"])
    client.force_login(inspector)
    page = client.get("/").content.decode()
    assert "投诉举报与监察" not in page and "实名制台帐" in page
    assert "登记农民工" not in page  # the inspector cannot register people


def test_employer_home_says_what_is_due_not_permissions(personas, client):
    client.force_login(personas.clerk)
    page = client.get("/").content.decode()
    assert "待报报表" in page and "劳动合同即将到期" in page and "超过一个月未签劳动合同" in page
    assert "填报报表" not in page and "维护用人单位" not in page  # no list of permissions
    assert "用工统计" not in page


def test_worker_home_has_large_actions_and_tap_to_call(personas, client):
    client.force_login(personas.worker)
    page = client.get("/").content.decode()
    assert 'href="tel:12333"' in page and 'class="big-action' in page
    assert 'href="/workers/me/"' in page
