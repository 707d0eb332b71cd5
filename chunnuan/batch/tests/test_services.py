from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from chunnuan.access.actor import system_actor
from chunnuan.access.auth import actor_for_user
from chunnuan.access.permissions import Perm
from chunnuan.accounts.models import User
from chunnuan.audit.models import AuditAction, AuditEvent
from chunnuan.batch.choices import RunStatus
from chunnuan.batch.models import Run
from chunnuan.batch.registry import Progress
from chunnuan.batch.selectors import run_get, run_list
from chunnuan.batch.services import run_execute, run_result_bytes, run_start
from chunnuan.batch.tests.conftest import HOME, OTHER, officer
from chunnuan.core.errors import NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def _row(pk: int) -> Run:
    return Run.objects.unscoped(reason="test").get(pk=pk)


def test_lifecycle(home_user: User, django_capture_on_commit_callbacks: Any) -> None:
    actor = actor_for_user(home_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = run_start(actor=actor, kind="test_count", params={"n": 5})
        assert _row(run.pk).status == RunStatus.QUEUED
    assert len(callbacks) == 1
    row = _row(run.pk)
    assert row.status == RunStatus.SUCCEEDED
    assert (row.progress, row.done, row.total) == (100, 5, 5)
    assert row.region_code == "220702000000" and row.created_by_id == home_user.pk
    assert row.task_id and row.started_at and row.finished_at
    assert "actor=home" in row.log and "已完成" in row.log and row.log.startswith("[20")
    assert row.has_result and row.result_name == "计数.txt"
    assert row.result_file.name.startswith("runs/") and "计数" not in row.result_file.name
    assert (
        AuditEvent.objects.unscoped(reason="test")
        .filter(object_type="batch.Run", object_id=str(run.pk), action=AuditAction.CREATE)
        .exists()
    )


def test_failing_handler_ends_failed_with_chinese_message(
    home_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor_for_user(home_user), kind="test_crash", params={})
    row = _row(run.pk)
    assert row.status == RunStatus.FAILED and row.finished_at
    assert row.error == "任务运行出错（RuntimeError）：boom"
    assert "处理第一批" in row.log and "失败：任务运行出错" in row.log
    assert not row.has_result


def test_domain_error_message_is_kept(home_user: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor_for_user(home_user), kind="test_refuse", params={})
    assert _row(run.pk).error == "第3行身份证号码不正确"


def test_execute_is_idempotent(home_user: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor_for_user(home_user), kind="test_count", params={"n": 1})
    log = _row(run.pk).log
    assert run_execute(run_id=run.pk) is None
    assert _row(run.pk).log == log


def test_rechecks_the_creator_at_execution(home_user: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        run = run_start(actor=actor_for_user(home_user), kind="test_count", params={})
    home_user.roles.all().delete()  # permission withdrawn while the run waited
    run_execute(run_id=run.pk)
    row = _row(run.pk)
    assert row.status == RunStatus.FAILED and row.error == "您的角色无权进行此操作"


def test_system_run(django_capture_on_commit_callbacks: Any) -> None:
    actor = system_actor("nightly")
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor, kind="test_count", params={"n": 2})
    row = _row(run.pk)
    assert row.status == RunStatus.SUCCEEDED and "actor=system:nightly" in row.log


def test_start_checks_permission_kind_params_and_region() -> None:
    with pytest.raises(PermissionDenied):
        run_start(actor=officer(HOME, Perm.VIEW_AUDIT), kind="test_count", params={})
    with pytest.raises(PermissionDenied):
        run_start(actor=officer(HOME, Perm.RUN_EXPORTS), kind="audit_export", params={})
    with pytest.raises(ValidationFailed) as unknown:
        run_start(actor=officer(), kind="nope", params={})
    assert unknown.value.fields == {"kind": ["未知的任务类型"]}
    with pytest.raises(ValidationFailed):
        run_start(
            actor=officer(), kind="audit_export", params={"date_from": "2025-02-01", "date_to": "2025-01-01"}
        )
    with pytest.raises(NotFound):
        run_start(actor=officer(), kind="test_count", params={}, region_code="220721000000")
    assert not Run.objects.unscoped(reason="test").exists()


def test_scoping(home_user: User, colleague: User, other_user: User) -> None:
    run = run_start(actor=actor_for_user(home_user), kind="audit_export", params={})
    other = actor_for_user(other_user)
    with pytest.raises(NotFound):
        run_get(actor=other, pk=run.pk)
    assert list(run_list(actor=other)) == []
    assert run_get(actor=officer(HOME), pk=run.pk) == run  # same region, may export audit
    assert run_get(actor=officer("2207"), pk=run.pk) == run  # the city above
    with pytest.raises(NotFound):  # same region, but may not read the audit log
        run_get(actor=actor_for_user(colleague), pk=run.pk)
    # the creator always sees it, even after moving to another region
    moved = officer(OTHER, user_id=home_user.pk)
    assert [r.pk for r in run_list(actor=moved)] == [run.pk]


def test_progress_writes_are_throttled(home_user: User, django_assert_max_num_queries: Any) -> None:
    run = Run(kind="test_count", title="t", region_code="220702000000")
    run.save()
    progress = Progress(run, interval=60)
    with django_assert_max_num_queries(1):
        for i in range(1000):
            progress.step(i, 1000)
    progress.flush()
    assert _row(run.pk).done == 999 and _row(run.pk).progress == 99


def test_audit_export(home_user: User, django_capture_on_commit_callbacks: Any) -> None:
    events = [
        AuditEvent(
            actor_label="甲",
            action=AuditAction.UPDATE,
            object_type="workers.Worker",
            object_repr='=HYPERLINK("http://x")',
            region_code="220702001000",
            changes={"name": ["张三", "张四"]},
            ip="10.0.0.1",
        ),
        AuditEvent(actor_label="乙", action=AuditAction.LOGIN, object_repr="+1", region_code="220702000000"),
        AuditEvent(
            actor_label="丙", action=AuditAction.LOGIN, object_repr="other", region_code="220721000000"
        ),
    ]
    AuditEvent.objects.unscoped(reason="test").bulk_create(events)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor_for_user(home_user), kind="audit_export", params={})
    row = _row(run.pk)
    assert row.status == RunStatus.SUCCEEDED, row.log
    assert row.result_name.startswith("审计日志_") and row.result_name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(run_result_bytes(row))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "来源地址", "操作", "对象类型", "对象", "地区", "变更内容")
    by_actor = {r[1]: r for r in rows[1:]}
    # the county's events (and the audit row of starting this export), nothing from the sibling county
    assert set(by_actor) == {
        "甲",
        "乙",
        "home（区220702人社局）",
    }  # the person and office, not the login name
    assert by_actor["甲"][5] == '\'=HYPERLINK("http://x")'
    assert by_actor["甲"][3] == "修改" and by_actor["甲"][2] == "10.0.0.1"
    assert "张四" in by_actor["甲"][7]
    assert by_actor["乙"][5] == "'+1"


def test_audit_export_filters_by_action(home_user: User, django_capture_on_commit_callbacks: Any) -> None:
    AuditEvent.objects.unscoped(reason="test").bulk_create(
        [
            AuditEvent(actor_label="甲", action=AuditAction.UPDATE, region_code="220702000000"),
            AuditEvent(actor_label="乙", action=AuditAction.LOGIN, region_code="220702000000"),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = run_start(actor=actor_for_user(home_user), kind="audit_export", params={"action": "login"})
    rows = list(load_workbook(io.BytesIO(run_result_bytes(_row(run.pk)))).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["乙"]
