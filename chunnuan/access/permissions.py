"""What each role may do. Role rows in the database start from these defaults; an administrator
may edit a role's permission list in the admin pages."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Perm(StrEnum):
    VIEW_HOME = "view_home"
    VIEW_REGIONS = "view_regions"
    MANAGE_REGIONS = "manage_regions"  # add development zones / industrial parks
    VIEW_WORKERS = "view_workers"
    MANAGE_WORKERS = "manage_workers"
    VIEW_EMPLOYERS = "view_employers"
    MANAGE_EMPLOYERS = "manage_employers"
    VIEW_PERSONAL_DATA = "view_personal_data"  # see ID/phone numbers whole (audited)
    MANAGE_CAMPAIGNS = "manage_campaigns"
    FILL_REPORTS = "fill_reports"
    APPROVE_REPORTS = "approve_reports"  # the level above: approve, return, unlock
    HANDLE_CASES = "handle_cases"
    MANAGE_JOBS = "manage_jobs"
    MANAGE_TRAINING = "manage_training"
    VIEW_DASHBOARDS = "view_dashboards"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_OUTBOX = "view_outbox"
    RUN_EXPORTS = "run_exports"
    USE_API = "use_api"
    SELF_SERVICE = "self_service"  # a worker's own record, jobs, complaints


PERM_LABELS: dict[str, str | Promise] = {
    Perm.VIEW_HOME: _("首页"),
    Perm.VIEW_REGIONS: _("查看行政区划"),
    Perm.MANAGE_REGIONS: _("维护开发区/园区等功能区"),
    Perm.VIEW_WORKERS: _("查看实名制台帐"),
    Perm.MANAGE_WORKERS: _("维护实名制台帐"),
    Perm.VIEW_EMPLOYERS: _("查看用人单位"),
    Perm.MANAGE_EMPLOYERS: _("维护用人单位"),
    Perm.VIEW_PERSONAL_DATA: _("查看完整身份证号和手机号（留痕）"),
    Perm.MANAGE_CAMPAIGNS: _("专项行动与目标"),
    Perm.FILL_REPORTS: _("填报报表"),
    Perm.APPROVE_REPORTS: _("审核下级报表"),
    Perm.HANDLE_CASES: _("投诉举报与监察"),
    Perm.MANAGE_JOBS: _("岗位与招聘会"),
    Perm.MANAGE_TRAINING: _("培训与补贴"),
    Perm.VIEW_DASHBOARDS: _("看板与汇总"),
    Perm.MANAGE_USERS: _("用户、角色与辖区"),
    Perm.VIEW_AUDIT: _("审计日志"),
    Perm.VIEW_OUTBOX: _("消息发件箱"),
    Perm.RUN_EXPORTS: _("导出与后台任务"),
    Perm.USE_API: _("数据交换接口"),
    Perm.SELF_SERVICE: _("个人服务"),
}

_OFFICE = {Perm.VIEW_HOME, Perm.VIEW_REGIONS, Perm.VIEW_DASHBOARDS, Perm.RUN_EXPORTS}

# role code → (Chinese name, English name, default permissions)
ROLE_DEFAULTS: dict[str, tuple[str, str, frozenset[Perm]]] = {
    "admin": ("系统管理员", "Administrator", frozenset(Perm) - {Perm.SELF_SERVICE}),
    "bureau_officer": (
        "市/县人社局干部",
        "City/county bureau officer",
        frozenset(
            _OFFICE
            | {
                Perm.VIEW_WORKERS,
                Perm.MANAGE_WORKERS,
                Perm.VIEW_EMPLOYERS,
                Perm.MANAGE_EMPLOYERS,
                Perm.VIEW_PERSONAL_DATA,
                Perm.MANAGE_CAMPAIGNS,
                Perm.FILL_REPORTS,
                Perm.APPROVE_REPORTS,
                Perm.VIEW_AUDIT,
            }
        ),
    ),
    "township_officer": (
        "乡镇（街道）劳动保障所干部",
        "Township officer",
        frozenset(
            _OFFICE
            | {
                Perm.VIEW_WORKERS,
                Perm.MANAGE_WORKERS,
                Perm.VIEW_EMPLOYERS,
                Perm.MANAGE_EMPLOYERS,
                Perm.VIEW_PERSONAL_DATA,
                Perm.FILL_REPORTS,
                Perm.APPROVE_REPORTS,
            }
        ),
    ),
    "inspector": (
        "劳动保障监察员",
        "Labour inspector",
        frozenset(
            _OFFICE
            | {
                Perm.VIEW_WORKERS,
                Perm.VIEW_EMPLOYERS,
                Perm.VIEW_PERSONAL_DATA,
                Perm.HANDLE_CASES,
            }
        ),
    ),
    "employment_service": (
        "就业服务人员",
        "Employment-service staff",
        frozenset(
            _OFFICE
            | {
                Perm.VIEW_WORKERS,
                Perm.VIEW_EMPLOYERS,
                Perm.MANAGE_JOBS,
            }
        ),
    ),
    "training_admin": (
        "培训管理员",
        "Training administrator",
        frozenset(
            _OFFICE
            | {
                Perm.VIEW_WORKERS,
                Perm.MANAGE_TRAINING,
            }
        ),
    ),
    "leader": (
        "领导（只读）",
        "Leader (read-only)",
        frozenset(
            {
                Perm.VIEW_HOME,
                Perm.VIEW_REGIONS,
                Perm.VIEW_DASHBOARDS,
                Perm.VIEW_WORKERS,
                Perm.VIEW_EMPLOYERS,
            }
        ),
    ),
    "employer_clerk": (
        "用人单位经办人",
        "Employer clerk",
        frozenset(
            {
                Perm.VIEW_HOME,
                Perm.VIEW_EMPLOYERS,
                Perm.MANAGE_EMPLOYERS,
                Perm.FILL_REPORTS,
                Perm.VIEW_PERSONAL_DATA,
                Perm.MANAGE_JOBS,
            }
        ),
    ),
    "worker": ("农民工", "Migrant worker", frozenset({Perm.VIEW_HOME, Perm.SELF_SERVICE})),
    "integration": (
        "数据交换客户端",
        "Integration client",
        frozenset(
            {
                Perm.USE_API,
                Perm.VIEW_REGIONS,
                Perm.VIEW_WORKERS,
                Perm.VIEW_EMPLOYERS,
                Perm.VIEW_DASHBOARDS,
            }
        ),
    ),
}
