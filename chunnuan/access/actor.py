"""The Actor: who is acting, over which regions, with which permissions.

Built once per request (``ActorMiddleware`` / the API auth), per task and per command. Services
and selectors take it as their first keyword argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chunnuan.access.permissions import Perm
from chunnuan.core.errors import PermissionDenied


class ActorKind(StrEnum):
    OFFICER = "officer"
    EMPLOYER = "employer"
    WORKER = "worker"
    INTEGRATION = "integration"
    SYSTEM = "system"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    label: str
    region_prefixes: tuple[str, ...] = ()
    permissions: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    employer_id: int | None = None
    worker_id: int | None = None
    ip: str | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not ActorKind.ANONYMOUS

    @property
    def is_region_actor(self) -> bool:
        return self.kind in (ActorKind.OFFICER, ActorKind.INTEGRATION, ActorKind.SYSTEM)

    def can(self, perm: Perm | str) -> bool:
        return str(perm) in self.permissions

    def require(self, perm: Perm | str) -> None:
        if not self.can(perm):
            raise PermissionDenied()

    @property
    def home_region_code(self) -> str:
        """The actor's first jurisdiction as a 12-digit code ("" for a nationwide actor)."""
        prefix = next((p for p in self.region_prefixes if p), "")
        return prefix.ljust(12, "0") if prefix else ""

    def covers(self, region_code: str | None) -> bool:
        """True when the region code lies in (or is) one of the actor's jurisdiction regions."""
        if not region_code or not self.is_region_actor:
            return False
        return any(region_code.startswith(prefix) for prefix in self.region_prefixes)


ANONYMOUS = Actor(kind=ActorKind.ANONYMOUS, label="anonymous")


def system_actor(name: str, *, region_prefixes: tuple[str, ...] = ("",)) -> Actor:
    """A named system actor for commands and tasks; all of China unless limited to prefixes."""
    return Actor(
        kind=ActorKind.SYSTEM,
        label=f"system:{name}",
        region_prefixes=region_prefixes,
        permissions=frozenset(p.value for p in Perm),
    )
