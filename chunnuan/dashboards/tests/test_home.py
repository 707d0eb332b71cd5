from __future__ import annotations


def test_officer_home_shows_region_children_and_abilities(personas, client):
    client.force_login(personas.county)
    page = client.get("/").content.decode()
    assert "宁江区" in page and "团结街道" in page and "文化街道" in page
    assert "吉林省" in page and "松原市" in page  # the path above
    assert "维护实名制台帐" in page  # what the role may do
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
