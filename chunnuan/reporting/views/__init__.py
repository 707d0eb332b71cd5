"""Reporting pages: campaigns, filling and approving submissions, who is late, my reports.

Thin: parse the request, call a selector or a service, render. Every DomainError is shown on the
page in Chinese (an out-of-reach record is a 404, a refused role a 403)."""

from __future__ import annotations

from chunnuan.reporting.views.campaigns import (
    CAMPAIGN_HEADER,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_list,
    target_delete,
    target_set,
)
from chunnuan.reporting.views.common import STATUS_LABELS
from chunnuan.reporting.views.status import STATUS_HEADER, status_board
from chunnuan.reporting.views.submissions import (
    SUBMISSION_HEADER,
    home,
    submission_approve,
    submission_detail,
    submission_list,
    submission_open,
    submission_return,
    submission_unlock,
)

__all__ = [
    "CAMPAIGN_HEADER",
    "STATUS_HEADER",
    "STATUS_LABELS",
    "SUBMISSION_HEADER",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "home",
    "status_board",
    "submission_approve",
    "submission_detail",
    "submission_list",
    "submission_open",
    "submission_return",
    "submission_unlock",
    "target_delete",
    "target_set",
]
