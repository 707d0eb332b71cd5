"""Access scoping, in one place.

Every region-owned model inherits :class:`RegionScopedModel`. Its default manager is fail-closed:

* ``Model.objects.visible_to(actor)`` — the rows the actor may see (selectors start here);
* ``Model.objects.unscoped(reason="...")`` — everything; greppable, allowed only in roll-ups,
  batch, commands and migrations;
* anything else (``Model.objects.filter(...)``, related managers, the admin) is filtered to the
  actor active in the current context (set per request, task and command by :func:`actor_scope`),
  and raises :class:`ScopeError` when no actor is active.

A division code is a path: county ``220702`` owns every code that starts with ``220702``. So
"this region and everything below it" is a ``startswith`` on an indexed column, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.db.models import Q

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.core.errors import NotFound

_current_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("chunnuan_actor", default=None)

M = TypeVar("M", bound=models.Model)


class ScopeError(RuntimeError):
    """A region-owned table was queried with no actor and no ``unscoped(reason=...)``."""


def current_actor() -> Actor | None:
    return _current_actor.get()


@contextmanager
def actor_scope(actor: Actor) -> Iterator[Actor]:
    token = _current_actor.set(actor)
    try:
        yield actor
    finally:
        _current_actor.reset(token)


def set_request_actor(actor: Actor) -> None:
    """For the API auth classes: the actor for the rest of this request (the middleware resets it)."""
    _current_actor.set(actor)


PREFIX_LENGTHS = (2, 4, 6, 9)  # province, city, county, township (regions.models.PREFIX_LENGTH)


def code_prefix(code: str) -> str:
    """The prefix that means "this region and everything below it" for a 12-digit code:
    220702000000 → 220702, 220710000000 → 220710 (``rstrip("0")`` would wrongly give 22071)."""
    for n in PREFIX_LENGTHS:
        if code[n:].strip("0") == "":
            return code[:n]
    return code


def ancestor_codes(prefix: str) -> list[str]:
    """The 12-digit codes of the regions above a jurisdiction prefix ("220702" → 220000…, 220700…)."""
    return [prefix[:n].ljust(12, "0") for n in PREFIX_LENGTHS if n < len(prefix)]


def region_filter(actor: Actor, fields: tuple[str, ...], shared_downward: bool = False) -> Q | None:
    """Q for "any of ``fields`` starts with any of the actor's prefixes"; None means "everything".

    ``shared_downward``: the row is also visible below its region (a campaign or a target the city
    set is read by its counties and townships), i.e. when its first field is an ancestor's code.
    """
    if "" in actor.region_prefixes:
        return None
    q = Q(pk__in=[])
    for prefix in actor.region_prefixes:
        for name in fields:
            q |= Q(**{f"{name}__startswith": prefix})
        if shared_downward and (above := ancestor_codes(prefix)):
            q |= Q(**{f"{fields[0]}__in": above})
    return q


class ScopedQuerySet(models.QuerySet[M]):
    def visible_to(self, actor: Actor) -> ScopedQuerySet[M]:
        model: Any = self.model
        if actor.is_region_actor:
            q = region_filter(actor, model.scope_region_fields, model.scope_shared_downward)
            return self if q is None else self.filter(q)
        if actor.kind is ActorKind.EMPLOYER and model.scope_employer_field and actor.employer_id:
            return self.filter(**{model.scope_employer_field: actor.employer_id})
        if actor.kind is ActorKind.WORKER and model.scope_worker_field and actor.worker_id:
            return self.filter(**{model.scope_worker_field: actor.worker_id})
        return self.none()


class ScopedManager(models.Manager[M]):
    _queryset_class = ScopedQuerySet

    def _raw(self) -> ScopedQuerySet[M]:
        return self._queryset_class(model=self.model, using=self._db, hints=self._hints)  # type: ignore[attr-defined]

    def get_queryset(self) -> ScopedQuerySet[M]:
        actor = current_actor()
        if actor is None:
            raise ScopeError(
                f"{self.model.__name__}: no active actor. Use .visible_to(actor) or .unscoped(reason=...)"
            )
        return self._raw().visible_to(actor)

    def visible_to(self, actor: Actor) -> ScopedQuerySet[M]:
        return self._raw().visible_to(actor)

    def unscoped(self, *, reason: str) -> ScopedQuerySet[M]:
        if not reason.strip():
            raise ScopeError("unscoped() needs a reason")
        return self._raw()


class RegionScopedModel(models.Model):
    """Base of every region-owned model (see module docstring).

    Subclasses name the columns that place a row: ``scope_region_fields`` (12-digit codes; a row is
    visible to an officer when any of them lies under the officer's jurisdiction), and optionally
    ``scope_employer_field`` / ``scope_worker_field`` for what an employer's clerk and a worker see;
    ``scope_shared_downward`` for rows a higher level issues to everyone below it (campaigns, targets).
    """

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region_code",)
    scope_employer_field: ClassVar[str | None] = None
    scope_worker_field: ClassVar[str | None] = None
    scope_shared_downward: ClassVar[bool] = False  # also visible to officers below the row's region

    objects = ScopedManager()
    plain = models.Manager()  # noqa: DJ012 — saves and forward relations only; never for reads in app code

    class Meta:
        abstract = True
        base_manager_name = "plain"


def declare_global(reason: str) -> Any:
    """Mark a model as deliberately not region-owned (reference data, auth plumbing)."""

    def mark(model: type[M]) -> type[M]:
        model.chunnuan_global_reason = reason  # type: ignore[attr-defined]
        return model

    return mark


def is_visible(actor: Actor, obj: models.Model) -> bool:
    model: Any = type(obj)
    return bool(model.objects.visible_to(actor).filter(pk=obj.pk).exists())


def ensure_in_scope(actor: Actor, target: models.Model | str | None) -> None:
    """For writes: the row (or the region code it is being placed in) must be within reach.

    Raises NotFound — an out-of-reach record is answered as if it did not exist.
    """
    if isinstance(target, models.Model):
        if not is_visible(actor, target):
            raise NotFound()
        return
    if not actor.covers(target):
        raise NotFound("该地区不在您的管辖范围内")


def get_visible(actor: Actor, model: type[M], **lookup: Any) -> M:
    """One row the actor may see, or NotFound."""
    manager: Any = model.objects  # type: ignore[attr-defined]
    try:
        return manager.visible_to(actor).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise NotFound() from None
