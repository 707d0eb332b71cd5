"""Reads of campaigns, targets and submissions — scoped to the actor — and the two computations
every page and export share: the roll-up of a summary form and the late list (催报).

See docs/decisions/0009-reporting.md for the chain and the roll-up rule.
"""

from __future__ import annotations

from chunnuan.reporting.selectors.campaigns import (
    EffectiveTarget,
    RegionTargets,
    TargetCell,
    campaign_forms,
    campaign_get,
    campaign_list,
    campaign_or_404,
    campaign_period,
    campaign_search,
    campaign_stages,
    campaign_target_table,
    deadline_for,
    effective_targets,
    form_periods,
    resolve_period,
    target_get,
    target_list,
    targets_start_region,
)
from chunnuan.reporting.selectors.reach import (
    expected_units,
    region_unit_level,
    unit_for_employer,
    unit_of_actor,
)
from chunnuan.reporting.selectors.rollup import (
    DIMS,
    SEGMENT_FILTERS,
    Rollup,
    SummaryRow,
    child_level_of,
    park_region_codes,
    rollup,
    values_for_segment,
)
from chunnuan.reporting.selectors.status import RegionCompleteness, StatusBoard, StatusRow, status_board
from chunnuan.reporting.selectors.submissions import (
    ExpectedReport,
    SubmissionActions,
    awaiting_approval,
    expected_reports,
    require_report_reader,
    submission_actions,
    submission_events,
    submission_for,
    submission_get,
    submission_list,
)

__all__ = [
    "DIMS",
    "SEGMENT_FILTERS",
    "EffectiveTarget",
    "ExpectedReport",
    "RegionCompleteness",
    "RegionTargets",
    "Rollup",
    "StatusBoard",
    "StatusRow",
    "SubmissionActions",
    "SummaryRow",
    "TargetCell",
    "awaiting_approval",
    "campaign_forms",
    "campaign_get",
    "campaign_list",
    "campaign_or_404",
    "campaign_period",
    "campaign_search",
    "campaign_stages",
    "campaign_target_table",
    "child_level_of",
    "deadline_for",
    "effective_targets",
    "expected_reports",
    "expected_units",
    "form_periods",
    "park_region_codes",
    "region_unit_level",
    "require_report_reader",
    "resolve_period",
    "rollup",
    "status_board",
    "submission_actions",
    "submission_events",
    "submission_for",
    "submission_get",
    "submission_list",
    "target_get",
    "target_list",
    "targets_start_region",
    "unit_for_employer",
    "unit_of_actor",
    "values_for_segment",
]
