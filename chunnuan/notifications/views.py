"""Pages of the outbox (消息发件箱)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chunnuan.access.permissions import Perm
from chunnuan.core.errors import Conflict, NotFound, PermissionDenied
from chunnuan.core.htmx import render_page
from chunnuan.core.pagination import paginate
from chunnuan.core.web import page
from chunnuan.notifications.forms import MessageFilterForm
from chunnuan.notifications.selectors import message_list as select_messages
from chunnuan.notifications.selectors import message_purposes
from chunnuan.notifications.services import message_retry as retry_message


@page(Perm.VIEW_OUTBOX)
@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        actor.require(Perm.VIEW_OUTBOX)
        form = MessageFilterForm(request.GET or None, purposes=message_purposes(actor=actor))
        page = paginate(select_messages(actor=actor, filters=form.to_filter()), request.GET.get("page"))
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "notifications/message_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        partial="notifications/partials/_message_table.html",
    )


@login_required
@require_POST
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        retry_message(actor=actor, pk=pk)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新提交发送"))
    return redirect("notifications:message_list")
