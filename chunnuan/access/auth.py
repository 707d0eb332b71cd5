"""Building the Actor for a user (pages, API, tasks) and the region prefix of a jurisdiction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chunnuan.access.actor import ANONYMOUS, Actor, ActorKind

if TYPE_CHECKING:
    from chunnuan.accounts.models import User


def client_ip(request: Any) -> str | None:
    ip: str | None = request.META.get("REMOTE_ADDR")
    return ip


def actor_for_user(user: User | Any, *, ip: str | None = None) -> Actor:
    """The Actor a signed-in user acts as. Inactive or anonymous users get the anonymous actor."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    permissions: set[str] = set()
    for role in user.roles.all():
        permissions.update(role.permissions)
    prefixes = tuple(sorted({region.scope_prefix for region in user.regions.all()}))
    kind = ActorKind(user.kind)
    if user.is_superuser:
        from chunnuan.access.permissions import Perm

        permissions.update(p.value for p in Perm)
        prefixes = ("",)
        kind = ActorKind.OFFICER
    return Actor(
        kind=kind,
        label=user.get_username(),
        region_prefixes=prefixes if kind in (ActorKind.OFFICER, ActorKind.INTEGRATION) else (),
        permissions=frozenset(permissions),
        user_id=user.pk,
        employer_id=user.employer_id,
        worker_id=user.worker_id,
        ip=ip,
    )
