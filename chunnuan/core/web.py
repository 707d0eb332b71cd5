"""What every page view shares: login, a permission, DomainError → 404/403/form errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.pages import PageRule, declare
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied

View = Callable[..., HttpResponseBase]


def page(
    perm: str | None = None,
    *,
    kinds: frozenset[ActorKind] | None = None,
    require: Callable[[Actor], None] | None = None,
) -> Callable[[View], View]:
    """Decorate a page view: signed in, holding ``perm``, of one of ``kinds`` (any when None),
    passing ``require`` (a check of the actor that raises PermissionDenied); NotFound → 404,
    PermissionDenied → 403. The rule is also left on the view, so that
    ``chunnuan.access.pages.can_open`` (the menu, the home pages) reads the very same rule."""
    rule = PageRule(perm=str(perm) if perm else None, kinds=kinds, require=require)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                actor = request.actor  # type: ignore[attr-defined]
                if not rule.allows(actor):
                    if rule.require is not None and actor.is_authenticated:
                        rule.require(actor)  # its own refusal says why
                    raise PermissionDenied()
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except PermissionDenied as exc:  # the 403 page shows the refusal's (Chinese) message
                raise DjangoPermissionDenied(exc.message) from None

        guarded = login_required(wrapped)
        declare(guarded, rule)
        return guarded

    return decorate


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a DomainError's messages on the form (field errors where the field exists)."""
    placed = False
    for name, messages in exc.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed or not exc.fields:
        form.add_error(None, exc.message)
