"""Reads for accounts. Users are a global table (the login backends need it); these selectors
limit what a user manager sees to users whose jurisdiction, employer or worker lies in reach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import code_prefix
from chunnuan.accounts.models import ApiToken, Role, User, UserKind
from chunnuan.core.errors import NotFound


def _users_in_reach(actor: Actor) -> QuerySet[User]:
    users = User.objects.all()
    if not actor.is_region_actor:
        return users.none()
    if "" in actor.region_prefixes:
        return users
    q = Q(pk__in=[])
    for prefix in actor.region_prefixes:
        q |= (
            Q(regions__code__startswith=prefix)
            | Q(employer__region_code__startswith=prefix)
            | Q(worker__origin_region_code__startswith=prefix)
            | Q(worker__work_region_code__startswith=prefix)
        )
    # A user whose jurisdiction spans beyond the actor's is out of reach (cannot be edited by them).
    outside = Q(pk__in=[])
    for_outside = User.objects.filter(regions__isnull=False)
    for prefix in actor.region_prefixes:
        for_outside = for_outside.exclude(regions__code__startswith=prefix)
    outside |= Q(pk__in=for_outside.values("pk"))
    return users.filter(q).exclude(outside).exclude(is_superuser=True).distinct()


def user_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[User]:
    actor.require(Perm.MANAGE_USERS)
    filters = filters or {}
    users = _users_in_reach(actor)
    if q := (filters.get("q") or "").strip():
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role := filters.get("role"):
        users = users.filter(roles__code=role)
    if kind := filters.get("kind"):
        users = users.filter(kind=kind)
    if region := (filters.get("region") or "").strip():
        users = users.filter(regions__code__startswith=code_prefix(region))
    if filters.get("is_active") in ("1", "0"):
        users = users.filter(is_active=filters["is_active"] == "1")
    return (
        users.prefetch_related("roles", "regions").select_related("employer").order_by("username").distinct()
    )


def user_get(*, actor: Actor, pk: Any) -> User:
    actor.require(Perm.MANAGE_USERS)
    try:
        return _users_in_reach(actor).prefetch_related("roles", "regions").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def user_login_failures(*, actor: Actor, user: User) -> int:
    """Failed password sign-ins django-axes counts against ``user`` (every address) within its
    cool-off; the account is locked when this reaches ``AXES_FAILURE_LIMIT``. ``user`` comes from
    :func:`user_get`, which checked that it is within the actor's reach."""
    from axes.models import AccessAttempt

    cutoff = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(username=user.username, attempt_time__gte=cutoff).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def role_list() -> QuerySet[Role]:
    return Role.objects.order_by("id")


def api_token_list(*, actor: Actor, user: User) -> QuerySet[ApiToken]:
    user_get(actor=actor, pk=user.pk)
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def _office(user: User) -> str:
    """Where a user works, as a reader names it: 松原市人社局, 团结街道劳动保障所, the employer's name."""
    from chunnuan.regions.models import RegionLevel

    if user.kind == UserKind.EMPLOYER:
        return user.employer.name if user.employer is not None else ""
    if user.kind == UserKind.WORKER:
        return str(UserKind.WORKER.label)
    regions = sorted(user.regions.all(), key=lambda r: (r.level, r.code))
    if not regions:
        return "全国" if user.is_superuser else ""
    region = regions[0]
    if user.kind == UserKind.INTEGRATION:
        return f"{region.name}数据交换客户端"
    if region.level <= RegionLevel.PROVINCE:
        return f"{region.name}人力资源和社会保障厅"
    if region.level <= RegionLevel.COUNTY:
        return f"{region.name}人社局"
    return f"{region.name}劳动保障所"


def person_label(user: User) -> str:
    """``张三（松原市人社局）``: the person's name and office, for logs and lists (not the login name)."""
    name = user.full_name or user.username
    office = _office(user)
    if not office or office in name:
        return name
    return f"{name}（{office}）"


def people_labels(user_ids: Iterable[int | None]) -> dict[int, str]:
    """:func:`person_label` of each user id, in two queries, whatever the number of ids."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    users = User.objects.filter(pk__in=ids).select_related("employer").prefetch_related("regions")
    return {user.pk: person_label(user) for user in users}
