"""Pages of background runs (后台任务): list + start an export, detail with live progress, download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from chunnuan.batch.forms import AuditExportForm
from chunnuan.batch.models import Run
from chunnuan.batch.registry import kinds_for
from chunnuan.batch.selectors import run_get
from chunnuan.batch.selectors import run_list as select_runs
from chunnuan.batch.services import run_download as open_run_result
from chunnuan.batch.services import run_start
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied
from chunnuan.core.htmx import render_page
from chunnuan.core.pagination import paginate

AUDIT_EXPORT = "audit_export"


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    can_export_audit = AUDIT_EXPORT in kinds_for(actor)
    form = AuditExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_export_audit:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                run = run_start(actor=actor, kind=AUDIT_EXPORT, params=form.to_params())
            except PermissionDenied:
                raise DjangoPermissionDenied from None
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("batch:run_detail", pk=run.pk)
    page = paginate(select_runs(actor=actor), request.GET.get("page"))
    status = 400 if form.errors else 200
    return render_page(
        request,
        "batch/run_list.html",
        {"page": page, "form": form, "can_export_audit": can_export_audit},
        status=status,
    )


def _get_run(request: HttpRequest, pk: int) -> Run:
    try:
        return run_get(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    return render_page(
        request, "batch/run_detail.html", {"run": run}, partial="batch/partials/_run_progress.html"
    )


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "batch/partials/_run_progress.html", {"run": _get_run(request, pk)})


@login_required
@require_GET
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        run = open_run_result(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    except NotFound:
        raise Http404 from None
    return FileResponse(run.result_file.open("rb"), as_attachment=True, filename=run.result_name)
