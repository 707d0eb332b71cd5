"""Reading background runs (后台任务).

A run is visible when it lies in the actor's reach *and* the actor may start runs of its kind —
or when the actor started it. So an officer without the audit permission never sees (or
downloads) a colleague's audit export.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.scoping import ScopedQuerySet
from chunnuan.batch.live import live_overlay
from chunnuan.batch.models import Run
from chunnuan.batch.registry import kinds_for
from chunnuan.batch.types import RunFilter
from chunnuan.core.errors import NotFound


def _visible_runs(actor: Actor) -> ScopedQuerySet[Run]:
    qs: ScopedQuerySet[Run] = Run.objects.visible_to(actor)
    own = Q(created_by_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
    return qs.filter(Q(kind__in=kinds_for(actor)) | own)


def run_list(*, actor: Actor, filters: RunFilter | None = None) -> ScopedQuerySet[Run]:
    filters = filters or RunFilter()
    qs = _visible_runs(actor)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.defer("log").order_by("-created_at", "-id")


def run_get(*, actor: Actor, pk: int) -> Run:
    """A run in the actor's reach, with its live progress while it runs (``batch.live``)."""
    try:
        run = _visible_runs(actor).get(pk=pk)
    except (Run.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    return live_overlay(run)


def runs_live(runs: Iterable[Run]) -> list[Run]:
    """The runs of a list page, the running ones with their live progress."""
    return [live_overlay(run) for run in runs]


def import_employer_id(*, actor: Actor, credit_code: str) -> int:
    """The employer a roster import is for: by its credit code (or id), within the actor's reach."""
    from chunnuan.access.scoping import get_visible
    from chunnuan.core.identifiers import to_halfwidth
    from chunnuan.employers.models import Employer

    text = "".join(to_halfwidth(credit_code or "").split()).upper()
    if not text:
        raise NotFound("请填写用人单位的统一社会信用代码")
    lookup = {"pk": int(text)} if text.isdigit() and len(text) < 18 else {"credit_code": text}
    try:
        employer = get_visible(actor, Employer, **lookup)
    except NotFound:
        raise NotFound(f"找不到统一社会信用代码为“{text}”的用人单位，或不在您的管辖范围内") from None
    return int(employer.pk)


# What each kind of user imports most, first: a township's officer keeps the real-name ledger, an
# employer's clerk its roster. Kinds not named here follow in title order.
_IMPORT_PREFERENCE: dict[ActorKind, tuple[str, ...]] = {
    ActorKind.EMPLOYER: ("roster",),
    ActorKind.OFFICER: ("workers", "employers", "roster"),
}


def import_kinds(*, actor: Actor) -> list[tuple[str, str]]:
    """``(kind, title)`` of the imports the actor may run, the one the actor's role uses most first
    (it is the import page's default)."""
    from chunnuan.core.importing.spec import all_specs

    preference = _IMPORT_PREFERENCE.get(actor.kind, ())
    allowed = [
        (kind, spec.title)
        for kind, spec in all_specs().items()
        if not spec.permission or actor.can(spec.permission)
    ]

    def rank(item: tuple[str, str]) -> tuple[int, str]:
        kind = item[0]
        return (preference.index(kind) if kind in preference else len(preference), kind)

    return sorted(allowed, key=rank)


def run_creators(runs: Iterable[Run]) -> list[Run]:
    """Set ``run.creator`` on each run: who started it as a person reads it (name and office,
    ``张三（松原市人社局）``), not the login name kept in ``created_by_label``. Two queries."""
    from chunnuan.accounts.selectors import people_labels
    from chunnuan.audit.labels import SYSTEM_PREFIX, system_label

    rows = list(runs)
    people = people_labels(run.created_by_id for run in rows)
    for run in rows:
        if run.created_by_id in people:
            run.creator = people[run.created_by_id]  # type: ignore[attr-defined]
        elif run.created_by_label.startswith(SYSTEM_PREFIX):
            run.creator = system_label(run.created_by_label)  # type: ignore[attr-defined]
        else:
            run.creator = run.created_by_label  # type: ignore[attr-defined]
    return rows
