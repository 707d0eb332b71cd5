"""One rule for every export (issue 9 defects 8 and 9): the ``run_exports`` permission, a clear 403
otherwise, no export buttons for those who may not; ID and phone numbers masked unless asked for
(``full=1``) by a role that may see them, and then audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chunnuan.access.actor import system_actor
from chunnuan.access.scoping import actor_scope
from chunnuan.audit.models import AuditEvent
from chunnuan.core.testing import make_user

REFUSAL = "您的角色无权导出数据"


@pytest.fixture
def leader(personas):
    return make_user("leader", "leader", ["220700000000"])


@pytest.fixture
def board(personas):
    """A campaign over the city (for the dashboard, status board and summary exports)."""
    from chunnuan.reporting.services import campaign_create
    from chunnuan.reporting.tests.conftest import campaign_data

    return campaign_create(actor=personas.actor("city"), data=campaign_data())


@pytest.fixture
def entry(personas):
    """One roster entry of the persona employer, for the roster export."""
    import datetime as dt

    from chunnuan.employers.services import employment_add
    from chunnuan.employers.types import EmploymentIn

    with actor_scope(system_actor("test-setup")):
        return employment_add(
            actor=personas.actor("township_a"),
            employer_id=personas.employer.pk,
            data=EmploymentIn(
                name="名册甲",
                id_number="220702198805050012",
                phone="13900139000",
                origin_region_code="220702001000",
                start_date=dt.date(2024, 5, 1),
            ),
        )


def _export_urls(personas, board) -> list[str]:
    """Every export a page offers (each an export branch of a view)."""
    employer = personas.employer.pk
    return [
        reverse("workers:worker_list") + "?export=csv",
        reverse("workers:worker_list") + "?export=xlsx&full=1",
        reverse("workers:ledger_dynamic") + "?export=csv",
        reverse("workers:ledger_dynamic") + "?export=counts",
        reverse("employers:employer_list") + "?export=xlsx",
        reverse("employers:roster_list", args=[employer]) + "?export=csv",
        reverse("reporting:campaign_list") + "?export=csv",
        reverse("reporting:submission_list") + "?export=csv",
        reverse("reporting:status_board")
        + "?form=CN_CONTRACT_BASE&period=CN2026&region=220700000000&export=csv",
        reverse("reporting:export")
        + "?form=CN_CONTRACT_SUMMARY&region=220700000000&period=CN2026&format=xlsx",
        reverse("reporting:campaign_summary_pdf", args=[board.pk]) + "?region=220700000000",
        reverse("dashboards:campaign_dashboard", args=[board.code]) + "?export=kpi",
        reverse("regions:region_list") + "?format=csv",
    ]


def test_a_leader_may_read_but_not_export_anything(client, personas, leader, board):
    client.force_login(leader)
    assert client.get(reverse("workers:worker_list")).status_code == 200  # reads the ledger
    for url in _export_urls(personas, board):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Content-Disposition" not in response, url
        assert REFUSAL in response.content.decode(), url
    assert not AuditEvent.objects.unscoped(reason="test").filter(action="export").exists()


def test_an_officer_may_export_everything(client, personas, board):
    client.force_login(personas.city)
    for url in _export_urls(personas, board):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "attachment" in response["Content-Disposition"], url


def test_the_user_export_follows_the_same_rule(client, personas, django_user_model):
    from chunnuan.accounts.models import Role

    url = reverse("accounts:user_list") + "?export=csv"
    client.force_login(personas.admin)
    assert client.get(url).status_code == 200
    admin_role = Role.objects.get(code="admin")
    admin_role.permissions = [p for p in admin_role.permissions if p != "run_exports"]
    admin_role.save()
    response = client.get(url)
    assert response.status_code == 403 and REFUSAL in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["workers:worker_list", "workers:ledger_dynamic", "employers:employer_list", "regions:region_list"],
)
def test_no_export_button_without_the_permission(client, personas, leader, url_name):
    client.force_login(leader)
    page = client.get(reverse(url_name)).content.decode()
    assert "导出" not in page
    client.force_login(personas.county)
    assert "导出" in client.get(reverse(url_name)).content.decode()


def test_roster_and_dashboard_hide_exports_from_a_leader(client, personas, leader, board, entry):
    client.force_login(leader)
    roster = client.get(reverse("employers:roster_list", args=[personas.employer.pk])).content.decode()
    dashboard = client.get(reverse("dashboards:campaign_dashboard", args=[board.code])).content.decode()
    assert "export=" not in roster and "export=" not in dashboard
    client.force_login(personas.county)
    roster = client.get(reverse("employers:roster_list", args=[personas.employer.pk])).content.decode()
    assert "export=xlsx" in roster and "full=1" in roster


def _sheet_values(response) -> list:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_roster_export_is_masked_unless_asked_and_then_audited(client, personas, entry):
    """Defect 9: the roster wrote whole numbers for any role that may see them, unasked."""
    client.force_login(personas.township_a)
    url = reverse("employers:roster_list", args=[personas.employer.pk])
    exports = AuditEvent.objects.unscoped(reason="test").filter(action="export")
    values = _sheet_values(client.get(url + "?export=xlsx"))
    assert "名册甲" in values and "220702198805050012" not in values and "13900139000" not in values
    assert not exports.exists()
    values = _sheet_values(client.get(url + "?export=xlsx&full=1"))
    assert "220702198805050012" in values and "13900139000" in values
    (event,) = exports
    assert event.object_id == str(personas.employer.pk) and "职工名册" in event.note


def test_asking_for_whole_numbers_without_the_right_gives_masked_ones(client, personas, entry):
    from chunnuan.access.permissions import Perm
    from chunnuan.core.testing import make_officer_user

    viewer = make_officer_user("viewer", "220702", [Perm.VIEW_EMPLOYERS, Perm.VIEW_WORKERS, Perm.RUN_EXPORTS])
    client.force_login(viewer)
    roster = reverse("employers:roster_list", args=[personas.employer.pk]) + "?export=xlsx&full=1"
    assert "220702198805050012" not in _sheet_values(client.get(roster))
    ledger = reverse("workers:worker_list") + "?export=xlsx&full=1"
    values = _sheet_values(client.get(ledger))
    assert "甲镇测试工人" in values and "220702199003151238" not in values
    assert not AuditEvent.objects.unscoped(reason="test").filter(action="export").exists()


def test_ledger_export_whole_numbers_only_when_asked(client, personas):
    client.force_login(personas.township_a)
    url = reverse("workers:worker_list")
    assert "220702199003151238" not in _sheet_values(client.get(url + "?export=xlsx"))
    assert "220702199003151238" in _sheet_values(client.get(url + "?export=xlsx&full=1"))
    assert AuditEvent.objects.unscoped(reason="test").filter(action="export").count() == 1


def test_a_run_result_download_is_an_export_too(client, personas, django_capture_on_commit_callbacks):
    """A background run's result file (an audit export, an import's rejected rows) is an export: the
    officer who started the run may no longer download it once the role loses ``run_exports``."""
    from chunnuan.accounts.models import Role
    from chunnuan.batch.services import run_start

    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=personas.actor("county"), kind="audit_export", params={})
    client.force_login(personas.county)
    assert client.get(f"/runs/{run.pk}/download/").status_code == 200
    downloads = AuditEvent.objects.unscoped(reason="test").filter(action="export").count()
    role = Role.objects.get(code="bureau_officer")
    role.permissions = [p for p in role.permissions if p != "run_exports"]
    role.save()
    assert client.get(reverse("batch:run_detail", args=[run.pk])).status_code == 200  # still theirs
    page = client.get(f"/runs/{run.pk}/download/")
    assert page.status_code == 403 and REFUSAL in page.content.decode()
    api = client.get(f"/api/v1/runs/{run.pk}/download")
    assert api.status_code == 403 and REFUSAL in api.json()["message"]
    assert AuditEvent.objects.unscoped(reason="test").filter(action="export").count() == downloads
