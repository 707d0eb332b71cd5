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


def test_the_roster_search_by_id_number_keeps_it_out_of_the_url(officer, personas):
    """The roster page (职工名册) follows the same rule as the ledger (core.searches)."""
    import datetime as dt

    from chunnuan.access.actor import system_actor
    from chunnuan.access.scoping import actor_scope
    from chunnuan.employers.services import employment_add
    from chunnuan.employers.types import EmploymentIn

    with actor_scope(system_actor("test")):
        employment_add(
            actor=personas.actor("township_a"),
            employer_id=personas.employer.pk,
            data=EmploymentIn(
                worker_id=personas.worker_record.pk, start_date=dt.date(2025, 3, 1), post="钢筋工"
            ),
        )
    url = reverse("employers:roster_list", args=[personas.employer.pk])
    assert 'method="post" class="filters card"' in officer.get(url).content.decode()
    response = officer.post(url, {"q": ID_NUMBER})
    assert response.status_code == 302 and ID_NUMBER not in response["Location"]
    listed = officer.get(response["Location"]).content.decode()
    assert "甲镇测试工人" in listed
    assert "甲镇测试工人" not in Client().get(response["Location"]).content.decode()
    named = officer.post(url, {"q": "甲镇"})
    assert "q=" in named["Location"]  # a name search stays a plain GET
