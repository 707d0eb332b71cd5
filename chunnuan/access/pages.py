"""Which page may this actor open — read from the rule the page's view declares.

A page view states who may open it once, with ``@page(perm, kinds=…)`` (``chunnuan.core.web``);
the decorator both enforces that rule and leaves it on the view as ``page_rule``. The menu and the
home pages ask :func:`can_open`, which resolves the URL to its view and reads the same rule, so a
link is shown exactly when the view would let the actor in. A view that declares no rule is
treated as closed (fail closed): a link to it is never offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.core.errors import PermissionDenied

# Actors that hold a jurisdiction (officers, integration clients, system actors).
REGION_ACTORS = frozenset({ActorKind.OFFICER, ActorKind.INTEGRATION, ActorKind.SYSTEM})


@dataclass(frozen=True)
class PageRule:
    """Who may open a page: signed in, holding ``perm`` (if any), of one of ``kinds`` (if any),
    and passing ``require`` (if any): a check of the actor alone that raises PermissionDenied,
    the same function the view or its selector calls (e.g. "reads reports")."""

    perm: str | None = None
    kinds: frozenset[ActorKind] | None = None
    require: Callable[[Actor], None] | None = None

    def allows(self, actor: Actor) -> bool:
        # Pages are for people: a data-exchange client signs in to the API only.
        if not actor.is_authenticated or actor.kind is ActorKind.INTEGRATION:
            return False
        if self.perm and not actor.can(self.perm):
            return False
        if self.kinds is not None and actor.kind not in self.kinds:
            return False
        if self.require is not None:
            try:
                self.require(actor)
            except PermissionDenied:
                return False
        return True


def declare(view: Callable[..., Any], rule: PageRule) -> None:
    """Leave ``rule`` on ``view`` for :func:`rule_of` (used by the page decorators)."""
    view.page_rule = rule  # type: ignore[attr-defined]


def rule_of(view: Callable[..., Any]) -> PageRule | None:
    rule = getattr(view, "page_rule", None)
    return rule if isinstance(rule, PageRule) else None


def rule_for(url_name: str, *args: Any, **kwargs: Any) -> PageRule | None:
    """The rule declared by the view behind ``url_name`` (None: no such page, or no rule)."""
    try:
        match = resolve(reverse(url_name, args=args or None, kwargs=kwargs or None))
    except (NoReverseMatch, Resolver404):
        return None
    return rule_of(match.func)


def can_open(actor: Actor, url_name: str, *args: Any, **kwargs: Any) -> bool:
    """True when ``actor`` may open the page named ``url_name`` (with these URL arguments)."""
    rule = rule_for(url_name, *args, **kwargs)
    return rule is not None and rule.allows(actor)


def link(actor: Actor, url_name: str, *args: Any, **kwargs: Any) -> str:
    """The page's URL when ``actor`` may open it, else "" (templates show nothing for "")."""
    if not can_open(actor, url_name, *args, **kwargs):
        return ""
    return reverse(url_name, args=args or None, kwargs=kwargs or None)
