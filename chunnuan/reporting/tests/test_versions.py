"""Issue 9, defect 4: no lost update on a report submission (optimistic version: service, the form page,
API ETag / If-Match)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chunnuan.core.versioning import StaleVersion
from chunnuan.reporting import services
from chunnuan.reporting.models import Submission, SubmissionEvent
from chunnuan.reporting.tests.conftest import FIGURES
from chunnuan.reporting.types import SubmissionValuesIn

pytestmark = pytest.mark.django_db

API = "/api/v1/reporting"
REASONS = dict.fromkeys(FIGURES, "核对纸质名册")


def _sub(pk: int) -> Submission:
    return Submission.objects.unscoped(reason="test").get(pk=pk)


def _events(pk: int) -> int:
    return SubmissionEvent.objects.unscoped(reason="test").filter(submission_id=pk).count()


@pytest.fixture
def base(personas, campaign) -> Submission:
    return services.submission_open(
        actor=personas.actor("clerk"), form_code="CN_CONTRACT_BASE", period_key="CN2026"
    )


def test_a_save_on_a_stale_version_is_refused_and_changes_nothing(personas, base):
    clerk = personas.actor("clerk")
    assert base.version == 1
    data = SubmissionValuesIn(values=FIGURES, reasons=REASONS, filler_name="张三")
    services.submission_save(actor=clerk, submission=base, data=data, expected_version=1)
    assert _sub(base.pk).version == 2
    events = _events(base.pk)
    changed = data.model_copy(update={"values": {**FIGURES, "on_roll": 11}})
    with pytest.raises(StaleVersion) as refused:
        services.submission_save(actor=clerk, submission=base, data=changed, expected_version=1)
    assert [(d.name, d.stored, d.typed) for d in refused.value.differences] == [("on_roll", "10", "11")]
    with pytest.raises(StaleVersion):
        services.submission_submit(actor=clerk, submission=base, data=changed, expected_version=1)
    fresh = _sub(base.pk)
    assert fresh.values["on_roll"] == 10 and fresh.status == "draft" and fresh.version == 2
    assert _events(base.pk) == events
    # The decisions of the level above move the version too.
    services.submission_submit(actor=clerk, submission=base, data=data)
    services.submission_approve(actor=personas.actor("township_a"), submission=base)
    assert _sub(base.pk).version == 4


def test_two_sessions_filling_one_form_the_second_save_is_refused_and_shows_both(personas, base):
    first, second = Client(), Client()
    first.force_login(personas.clerk)
    second.force_login(personas.clerk)
    url = reverse("reporting:submission_detail", args=[base.pk])
    for browser in (first, second):
        assert 'name="version" value="1"' in browser.get(url).content.decode()
    form = {
        **FIGURES,
        **{f"reason_{k}": "核对纸质名册" for k in FIGURES},
        "filler_name": "张三",
        "version": "1",
    }
    assert first.post(url, {**form, "action": "save"}).status_code == 302
    refused = second.post(url, {**form, "on_roll": "11", "filler_name": "李四", "action": "save"})
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "其他人已修改了这条记录" in page
    assert "<td>10</td><td>11</td>" in page and "<td>张三</td><td>李四</td>" in page  # stored now, typed
    assert 'value="11"' in page and 'value="李四"' in page  # the typed values are kept
    assert 'name="version" value="2"' in page
    assert _sub(base.pk).values["on_roll"] == 10 and _sub(base.pk).filler_name == "张三"


def test_api_etag_and_if_match(personas, base, client):
    client.force_login(personas.clerk)
    got = client.get(f"{API}/submissions/{base.pk}")
    assert got.status_code == 200 and got["ETag"] == 'W/"1"' and got.json()["version"] == 1
    body = {"values": FIGURES, "reasons": REASONS, "filler_name": "张三"}
    put = client.put(
        f"{API}/submissions/{base.pk}", body, content_type="application/json", HTTP_IF_MATCH='W/"1"'
    )
    assert put.status_code == 200 and put["ETag"] == 'W/"2"'
    stale_body = {**body, "values": {**FIGURES, "on_roll": 11}}
    stale = client.put(
        f"{API}/submissions/{base.pk}", stale_body, content_type="application/json", HTTP_IF_MATCH='W/"1"'
    )
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    submit = client.post(
        f"{API}/submissions/{base.pk}/submit",
        stale_body,
        content_type="application/json",
        HTTP_IF_MATCH='W/"1"',
    )
    assert submit.status_code == 412
    fresh = _sub(base.pk)
    assert fresh.values["on_roll"] == 10 and fresh.status == "draft"
