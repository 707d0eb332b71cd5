"""Issue 9, defect 4: no lost update on an employer, a roster entry or a labour contract (optimistic
version: service, edit pages, API ETag / If-Match)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from chunnuan.access.scoping import actor_scope
from chunnuan.audit.models import AuditEvent
from chunnuan.core.versioning import StaleVersion
from chunnuan.employers import services
from chunnuan.employers.models import Employer, Employment, LabourContract
from chunnuan.employers.tests import factories as f
from chunnuan.employers.types import ContractChangeIn, EmployerIn, EmploymentUpdateIn

pytestmark = pytest.mark.django_db


def _employer(pk: int) -> Employer:
    return Employer.objects.unscoped(reason="test").get(pk=pk)


def _employment(pk: int) -> Employment:
    return Employment.objects.unscoped(reason="test").get(pk=pk)


def _contract(pk: int) -> LabourContract:
    return LabourContract.objects.unscoped(reason="test").get(pk=pk)


@pytest.fixture
def row(personas):
    with actor_scope(f.SYSTEM):
        entry = f.employment(personas.employer, dt.date(2024, 1, 1), name="版本甲")
        f.contract(entry, dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    return _employment(entry.pk)


def _employer_in(employer: Employer, **extra) -> EmployerIn:
    return EmployerIn(
        credit_code=employer.credit_code, name=employer.name, region_code=employer.region_code, **extra
    )


def _employer_form(employer: Employer, version: int, **extra) -> dict[str, str]:
    return {
        "name": employer.name,
        "credit_code": employer.credit_code,
        "region": employer.region_code,
        "credit_status": employer.credit_status,
        "version": str(version),
        **extra,
    }


# --- services --------------------------------------------------------------------------------------


def test_an_employer_save_on_a_stale_version_is_refused_and_changes_nothing(personas):
    actor = personas.actor("township_a")
    employer = _employer(personas.employer.pk)
    start = employer.version
    services.employer_update(
        actor=actor,
        employer_id=employer.pk,
        data=_employer_in(employer, address="新地址一"),
        expected_version=start,
    )
    assert _employer(employer.pk).version == start + 1
    audits = AuditEvent.objects.unscoped(reason="test").count()
    with pytest.raises(StaleVersion) as refused:
        services.employer_update(
            actor=actor,
            employer_id=employer.pk,
            data=_employer_in(employer, address="新地址二"),
            expected_version=start,
        )
    assert refused.value.status == 412
    assert ("address", "新地址一", "新地址二") in [
        (d.name, d.stored, d.typed) for d in refused.value.differences
    ]
    assert _employer(employer.pk).address == "新地址一"
    assert AuditEvent.objects.unscoped(reason="test").count() == audits


def test_a_roster_entry_and_a_contract_refuse_stale_versions(personas, row):
    actor = personas.actor("township_a")
    data = EmploymentUpdateIn(employment_form="full_time", post="钢筋工", start_date=dt.date(2024, 1, 1))
    services.employment_update(actor=actor, employment_id=row.pk, data=data, expected_version=row.version)
    with pytest.raises(StaleVersion):
        services.employment_update(
            actor=actor,
            employment_id=row.pk,
            data=data.model_copy(update={"post": "木工"}),
            expected_version=row.version,
        )
    assert _employment(row.pk).post == "钢筋工"
    contract = LabourContract.objects.unscoped(reason="test").get(employment=row)
    change = ContractChangeIn(date=dt.date(2024, 6, 1), note="调岗", new_end_date=dt.date(2027, 6, 30))
    services.contract_change(
        actor=actor, contract_id=contract.pk, data=change, expected_version=contract.version
    )
    with pytest.raises(StaleVersion):
        services.contract_change(
            actor=actor, contract_id=contract.pk, data=change, expected_version=contract.version
        )
    assert _contract(contract.pk).version == contract.version + 1


# --- pages -----------------------------------------------------------------------------------------


def test_two_sessions_editing_one_employer_the_second_is_refused_and_shows_both(personas):
    employer = _employer(personas.employer.pk)
    first, second = Client(), Client()
    first.force_login(personas.township_a)
    second.force_login(personas.county)
    version = employer.version
    for browser in (first, second):
        page = browser.get(f"/employers/{employer.pk}/edit/").content.decode()
        assert f'name="version" value="{version}"' in page
    saved = first.post(f"/employers/{employer.pk}/edit/", _employer_form(employer, version, address="一号路"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    refused = second.post(
        f"/employers/{employer.pk}/edit/",
        _employer_form(employer, version, address="二号路", contact_person="王五"),
    )
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "其他人已修改了这条记录" in page and "<td>一号路</td><td>二号路</td>" in page
    assert 'value="二号路"' in page and 'value="王五"' in page  # typed values kept
    assert f'name="version" value="{version + 1}"' in page
    assert _employer(employer.pk).address == "一号路"


def test_two_sessions_editing_one_roster_entry(personas, row):
    first, second = Client(), Client()
    first.force_login(personas.township_a)
    second.force_login(personas.county)
    form = {"employment_form": "full_time", "start_date": "2024-01-01", "version": str(row.version)}
    assert first.post(f"/employers/roster/{row.pk}/edit/", {**form, "post": "钢筋工"}).status_code == 302
    refused = second.post(f"/employers/roster/{row.pk}/edit/", {**form, "post": "木工"})
    page = refused.content.decode()
    assert refused.status_code == 409 and "<td>钢筋工</td><td>木工</td>" in page and 'value="木工"' in page
    assert _employment(row.pk).post == "钢筋工"


# --- API -------------------------------------------------------------------------------------------


def test_employer_api_etag_and_if_match(personas, client):
    employer = _employer(personas.employer.pk)
    client.force_login(personas.township_a)
    got = client.get(f"/api/v1/employers/{employer.pk}")
    tag = got["ETag"]
    assert (
        got.status_code == 200
        and tag == f'W/"{employer.version}"'
        and got.json()["version"] == employer.version
    )
    body = {"credit_code": employer.credit_code, "name": employer.name, "region_code": employer.region_code}
    put = client.put(
        f"/api/v1/employers/{employer.pk}",
        {**body, "address": "一号路"},
        content_type="application/json",
        HTTP_IF_MATCH=tag,
    )
    assert put.status_code == 200 and put["ETag"] == f'W/"{employer.version + 1}"'
    stale = client.put(
        f"/api/v1/employers/{employer.pk}",
        {**body, "address": "二号路"},
        content_type="application/json",
        HTTP_IF_MATCH=tag,
    )
    assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    assert _employer(employer.pk).address == "一号路"
    size = client.put(
        f"/api/v1/employers/{employer.pk}/size",
        {"size_class": "micro", "reason": "核实"},
        content_type="application/json",
        HTTP_IF_MATCH=tag,
    )
    assert size.status_code == 412 and _employer(employer.pk).size_class_override == ""


def test_contract_api_actions_carry_the_version(personas, client, row):
    contract = LabourContract.objects.unscoped(reason="test").get(employment=row)
    client.force_login(personas.township_a)
    change = {"date": "2024-06-01", "note": "调岗"}
    stale = client.post(
        f"/api/v1/employers/contracts/{contract.pk}/change",
        change,
        content_type="application/json",
        HTTP_IF_MATCH=f'W/"{contract.version + 5}"',
    )
    assert stale.status_code == 412 and _contract(contract.pk).version == contract.version
    done = client.post(
        f"/api/v1/employers/contracts/{contract.pk}/change",
        change,
        content_type="application/json",
        HTTP_IF_MATCH=f'W/"{contract.version}"',
    )
    assert done.status_code == 200 and done["ETag"] == f'W/"{contract.version + 1}"'
    assert done.json()["version"] == contract.version + 1


def test_a_size_decision_on_a_stale_page_is_refused(personas, client):
    employer = _employer(personas.employer.pk)
    client.force_login(personas.county)
    url = f"/employers/{employer.pk}/size/"
    assert f'name="version" value="{employer.version}"' in client.get(url).content.decode()
    services.employer_update(
        actor=personas.actor("township_a"),
        employer_id=employer.pk,
        data=_employer_in(employer, address="一号路"),
    )
    typed = {"size_class": "large", "reason": "集团整体认定", "version": str(employer.version)}
    refused = client.post(url, typed)
    assert refused.status_code == 409 and "其他人已修改了这条记录" in refused.content.decode()
    assert _employer(employer.pk).size_class_override == ""
    again = client.post(url, {**typed, "version": str(employer.version + 1)})
    assert again.status_code == 302 and _employer(employer.pk).size_class_override == "large"
