import datetime as dt
import io

import pytest
from django.urls import reverse

from chunnuan.access.scoping import actor_scope
from chunnuan.audit.models import AuditEvent
from chunnuan.employers.models import Employment, LabourContract
from chunnuan.employers.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(personas):
    with actor_scope(f.SYSTEM):
        e = f.employment(personas.employer, dt.date(2024, 1, 1), name="名册甲")
        f.contract(e, dt.date(2024, 1, 1), dt.date(2026, 12, 31))
        f.employment(personas.employer, dt.date(2024, 1, 1), name="名册乙")
    return e


def test_pages_for_the_township_officer(client, personas, roster):
    client.force_login(personas.township_a)
    pk = personas.employer.pk
    contract = LabourContract.objects.unscoped(reason="test").get(employment=roster)
    for url in [
        reverse("employers:employer_list"),
        reverse("employers:employer_detail", args=[pk]),
        reverse("employers:roster_list", args=[pk]),
        reverse("employers:employment_detail", args=[roster.pk]),
        reverse("employers:employer_create"),
        reverse("employers:employer_edit", args=[pk]),
        reverse("employers:employment_add", args=[pk]),
        reverse("employers:contract_renew", args=[contract.pk]),
        reverse("employers:region_stats") + "?region=220702000000",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(reverse("employers:employer_detail", args=[pk])).content.decode()
    assert "名册乙" in detail and "二倍工资风险天数" in detail


def test_sibling_gets_404_and_changes_nothing(client, personas, roster):
    client.force_login(personas.township_b)
    pk = personas.employer.pk
    for url in [
        reverse("employers:employer_detail", args=[pk]),
        reverse("employers:roster_list", args=[pk]),
        reverse("employers:employment_detail", args=[roster.pk]),
        reverse("employers:employment_leave", args=[roster.pk]),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"end_date": "2025-01-01"}).status_code == 404
    assert Employment.objects.unscoped(reason="test").get(pk=roster.pk).end_date is None


def test_add_to_roster_and_sign_through_the_pages(client, personas):
    client.force_login(personas.township_a)
    pk = personas.employer.pk
    number = f.unique_id()
    response = client.post(
        reverse("employers:employment_add", args=[pk]),
        {
            "id_number": number,
            "name": "页面新职工",
            "employment_form": "full_time",
            "start_date": "2024-05-01",
            "is_migrant_worker": "on",
            "is_on_post": "on",
        },
    )
    assert response.status_code == 302
    employment = Employment.objects.unscoped(reason="test").get(worker__name="页面新职工")
    bad = client.post(
        reverse("employers:contract_sign", args=[employment.pk]),
        {"contract_type": "fixed_term", "signed_date": "2024-05-01", "start_date": "2024-05-01"},
    )
    assert bad.status_code == 400 and "固定期限劳动合同须填写终止日期" in bad.content.decode()
    ok = client.post(
        reverse("employers:contract_sign", args=[employment.pk]),
        {
            "contract_type": "fixed_term",
            "signed_date": "2024-05-01",
            "start_date": "2024-05-01",
            "end_date": "2027-04-30",
        },
    )
    assert ok.status_code == 302


def test_roster_export_is_masked_without_the_permission(client, personas, roster, django_user_model):
    from chunnuan.access.permissions import Perm
    from chunnuan.core.testing import make_officer_user

    viewer = make_officer_user("viewer", "220702", [Perm.VIEW_EMPLOYERS, Perm.RUN_EXPORTS])
    client.force_login(viewer)
    url = reverse("employers:roster_list", args=[personas.employer.pk])
    body = b"".join(client.get(url + "?export=csv&full=1").streaming_content).decode("utf-8-sig")
    assert roster.worker.id_number not in body and "名册甲" in body
    assert not AuditEvent.objects.unscoped(reason="test").filter(action="export").exists()
    client.force_login(personas.township_a)
    response = client.get(url + "?export=xlsx&full=1")  # whole numbers only when asked
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert roster.worker.id_number in values
    assert AuditEvent.objects.unscoped(reason="test").filter(action="export").count() == 1


def test_employer_list_export_neutralises_formulas(client, personas):
    with actor_scope(f.SYSTEM):
        f.employer(name='=HYPERLINK("x")有限公司')
    client.force_login(personas.county)
    body = b"".join(client.get(reverse("employers:employer_list") + "?export=csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in body


def test_clerk_sees_only_their_employer(client, personas):
    with actor_scope(f.SYSTEM):
        other = f.employer()
    client.force_login(personas.clerk)
    assert client.get(reverse("employers:employer_detail", args=[personas.employer.pk])).status_code == 200
    assert client.get(reverse("employers:employer_detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("employers:employer_list")).content.decode()
    assert personas.employer.name in listing and other.name not in listing


def test_api_list_stats_and_scoping(client, personas, roster):
    client.force_login(personas.township_a)
    pk = personas.employer.pk
    assert client.get(f"/api/v1/employers/{pk}/stats").json()["on_roll"] == 2
    items = client.get(f"/api/v1/employers/{pk}/roster").json()["items"]
    assert {i["worker_name"] for i in items} == {"名册甲", "名册乙"} and "*" in items[0]["id_number"]
    assert client.get("/api/v1/employers/stats/regions?region=220702000000").json()["total"]["on_roll"] == 2
    client.force_login(personas.township_b)
    assert client.get(f"/api/v1/employers/{pk}/stats").status_code == 404


def test_only_an_officer_overrides_a_computed_size_class(client, personas):
    """Issue 8 defect 10: the employer's clerk could rate their own employer 大型. The rule sits in
    the service: refused on the page and through the API, nothing changes; an officer may."""
    from chunnuan.employers.models import Employer

    employer = personas.employer
    url = reverse("employers:employer_size", args=[employer.pk])
    client.force_login(personas.clerk)
    detail = client.get(reverse("employers:employer_detail", args=[employer.pk])).content.decode()
    assert url not in detail  # no 保存认定 form offered
    response = client.post(url, {"size_class": "large", "reason": "我们很大"})
    assert response.status_code == 403
    response = client.put(
        f"/api/v1/employers/{employer.pk}/size",
        data={"size_class": "large", "reason": "我们很大"},
        content_type="application/json",
    )
    assert response.status_code == 403
    fresh = Employer.objects.unscoped(reason="test").get(pk=employer.pk)
    assert fresh.size_class_override == "" and fresh.size_class != "large"

    client.force_login(personas.township_a)
    assert url in client.get(reverse("employers:employer_detail", args=[employer.pk])).content.decode()
    response = client.post(url, {"size_class": "large", "reason": "集团整体认定"})
    assert response.status_code == 302
    assert Employer.objects.unscoped(reason="test").get(pk=employer.pk).size_class == "large"
