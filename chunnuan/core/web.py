"""What every page view shares: login, a permission, DomainError → 404/403/form errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from chunnuan.core.errors import DomainError, NotFound, PermissionDenied

View = Callable[..., HttpResponseBase]


def page(perm: str | None = None) -> Callable[[View], View]:
    """Decorate a page view: signed in, holding ``perm``; NotFound → 404, PermissionDenied → 403."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                if perm:
                    request.actor.require(perm)  # type: ignore[attr-defined]
                return view(request, *args, **kwargs)
            except NotFound:
                raise Http404 from None
            except PermissionDenied:
                raise DjangoPermissionDenied from None

        return login_required(wrapped)

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
