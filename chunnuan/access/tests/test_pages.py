"""The menu offers a page only when the page's own view would let the actor in (issue 8, defect 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chunnuan.access.context_processors import MENU, menu_for
from chunnuan.access.pages import REGION_ACTORS, PageRule, can_open, rule_for

PAGE_PERSONAS = ["township_a", "county", "city", "clerk", "worker", "admin"]


def test_every_menu_page_declares_who_may_open_it():
    undeclared = [url_name for url_name, _label, _perm in MENU if rule_for(url_name) is None]
    assert not undeclared, f"menu pages whose view declares no rule (they would never show): {undeclared}"


@pytest.mark.parametrize("name", PAGE_PERSONAS)
def test_every_menu_item_opens(personas, client, name):
    client.force_login(getattr(personas, name))
    actor = personas.actor(name)
    failures = []
    for item in menu_for(actor):
        response = client.get(item["url"])
        if response.status_code not in (200, 302):
            failures.append(f"{item['label']} {item['url']} → {response.status_code}")
    assert not failures, f"{name}: {failures}"


@pytest.mark.parametrize("name", PAGE_PERSONAS)
def test_can_open_agrees_with_the_view(personas, client, name):
    client.force_login(getattr(personas, name))
    actor = personas.actor(name)
    disagreements = []
    for url_name, _label, _perm in MENU:
        opens = client.get(reverse(url_name)).status_code != 403
        if opens != can_open(actor, url_name):
            disagreements.append(f"{url_name}: view opens={opens}, can_open={not opens}")
    assert not disagreements, f"{name}: {disagreements}"


def test_employer_clerk_is_not_offered_region_statistics(personas):
    labels = [item["label"] for item in menu_for(personas.actor("clerk"))]
    assert "用工统计" not in labels
    assert "用工统计" in [item["label"] for item in menu_for(personas.actor("county"))]


def test_a_page_rule_reads_permission_and_kind(personas):
    rule = PageRule(perm="view_employers", kinds=REGION_ACTORS)
    assert rule.allows(personas.actor("county"))
    assert not rule.allows(personas.actor("clerk"))  # holds the permission, but is an employer
    assert not rule.allows(personas.actor("worker"))


def test_an_unknown_page_is_never_offered(personas):
    assert not can_open(personas.actor("admin"), "no:such_page")


def test_the_api_client_is_offered_no_pages(personas, client):
    actor = personas.actor("integration")
    assert menu_for(actor) == []
    client.force_login(personas.integration)
    for url in ("/", "/workers/", "/employers/", "/dashboards/campaigns/"):
        assert client.get(url).status_code == 403, url
