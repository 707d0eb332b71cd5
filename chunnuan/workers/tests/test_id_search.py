"""Searching the ledger page by ID number or phone keeps the number out of every URL (issue 9 defect 11)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

ID_NUMBER = "220702199003151238"  # the persona worker's (chunnuan.core.testing)
PHONE = "13800138000"


@pytest.fixture
def officer(client, personas):
    client.force_login(personas.township_a)
    return client


def test_the_filter_form_posts(officer):
    page = officer.get(reverse("workers:worker_list")).content.decode()
    assert '<form method="post" class="filters card filter-fold" id="worker-filters">' in page


@pytest.mark.parametrize("number", [ID_NUMBER, PHONE, "２２０７０２１９９００３１５１２３８"])
def test_a_number_search_redirects_to_a_token(officer, number):
    response = officer.post(reverse("workers:worker_list"), {"q": number, "sex": ""})
    assert response.status_code == 302
    location = response["Location"]
    assert number not in location and ID_NUMBER not in location and PHONE not in location
    query = urlsplit(location).query
    assert query.startswith("s=") and "q=" not in query
    page = officer.get(location)
    assert page.status_code == 200
    assert "甲镇测试工人" in page.content.decode()  # the stored search was applied


def test_the_token_belongs_to_the_session(officer, personas):
    location = officer.post(reverse("workers:worker_list"), {"q": ID_NUMBER})["Location"]
    assert ID_NUMBER in officer.get(location).content.decode()  # the search box keeps what was typed
    other = Client()
    other.force_login(personas.county)
    assert ID_NUMBER not in other.get(location).content.decode()  # another session's token is no search


def test_an_export_of_a_number_search_keeps_it_out_of_the_url(officer, personas):
    response = officer.post(reverse("workers:worker_list"), {"q": ID_NUMBER, "export": "csv"})
    location = response["Location"]
    assert ID_NUMBER not in location and "export=csv" in location


def test_a_name_search_stays_a_plain_get(officer):
    response = officer.post(reverse("workers:worker_list"), {"q": "甲镇", "sex": ""})
    assert response.status_code == 302
    assert "q=" in response["Location"]
    assert "甲镇测试工人" in officer.get(response["Location"]).content.decode()
    assert "甲镇测试工人" in officer.get(reverse("workers:worker_list") + "?q=甲镇").content.decode()
