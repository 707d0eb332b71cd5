"""Pages of background runs (后台任务): list + start an export, detail with live progress, download."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chunnuan.access.actor import Actor
from chunnuan.batch.forms import AuditExportForm, ImportConfirmForm, ImportForm
from chunnuan.batch.models import Run
from chunnuan.batch.registry import kinds_for
from chunnuan.batch.selectors import import_kinds, run_creators, run_get, runs_live
from chunnuan.batch.selectors import run_list as select_runs
from chunnuan.batch.services import (
    import_start,
    import_sync_max_bytes,
    import_upload_delete,
    import_upload_get,
    import_upload_save,
    run_restart,
    run_restartable,
    run_start,
    run_sweep_now_and_then,
)
from chunnuan.batch.services import run_download as open_run_result
from chunnuan.core.errors import DomainError, NotFound, PermissionDenied
from chunnuan.core.htmx import render_page
from chunnuan.core.pagination import paginate
from chunnuan.core.web import add_domain_error, page

AUDIT_EXPORT = "audit_export"


@page()
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
    run_sweep_now_and_then()  # runs whose worker died show as failed, not "running" forever
    page = paginate(select_runs(actor=actor), request.GET.get("page"))
    run_creators(runs_live(page.object_list))
    status = 400 if form.errors else 200
    return render_page(
        request,
        "batch/run_list.html",
        {"page": page, "form": form, "can_export_audit": can_export_audit},
        status=status,
    )


def _get_run(request: HttpRequest, pk: int) -> Run:
    try:
        run = run_get(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    except NotFound:
        raise Http404 from None
    run_creators([run])
    return run


def _run_context(request: HttpRequest, pk: int) -> dict[str, object]:
    run = _get_run(request, pk)
    return {"run": run, "restartable": run_restartable(actor=request.actor, run=run)}  # type: ignore[attr-defined]


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_page(
        request,
        "batch/run_detail.html",
        _run_context(request, pk),
        partial="batch/partials/_run_progress.html",
    )


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "batch/partials/_run_progress.html", _run_context(request, pk))


@login_required
@require_POST
def run_restart_view(request: HttpRequest, pk: int) -> HttpResponse:
    """重新开始: a failed run again, as a new run (an import: with the same uploaded file)."""
    try:
        run = run_restart(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    except DomainError as exc:
        context = _run_context(request, pk)
        context["restart_error"] = exc.message
        return render_page(
            request,
            "batch/run_detail.html",
            context,
            partial="batch/partials/_run_progress.html",
            status=409,
        )
    return redirect("batch:run_detail", pk=run.pk)


@login_required
@require_GET
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        result = open_run_result(actor=request.actor, pk=pk)  # type: ignore[attr-defined]
    except NotFound:
        raise Http404 from None
    except PermissionDenied as exc:  # no run_exports: the 403 page says why
        raise DjangoPermissionDenied(exc.message) from None
    return FileResponse(io.BytesIO(result.data), as_attachment=True, filename=result.name)


# --- imports (导入) ------------------------------------------------------------------------------


def _require_importer(actor: Actor) -> None:
    """Someone with no import to run has no import page (the menu reads this through ``page``)."""
    if not import_kinds(actor=actor):
        raise PermissionDenied()


def _render_import_form(request: HttpRequest, form: ImportForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "batch/import_new.html",
        {"form": form, "sync_limit_mb": import_sync_max_bytes() / (1024 * 1024)},
        status=status,
    )


@page(require=_require_importer)
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet: a small one is checked and previewed, a big one runs in the background."""
    actor = request.actor  # type: ignore[attr-defined]
    kinds = import_kinds(actor=actor)
    if not kinds:
        raise PermissionDenied()
    if request.method != "POST":
        initial = {"kind": request.GET.get("kind") or kinds[0][0], "mode": "valid-rows"}
        return _render_import_form(request, ImportForm(actor=actor, kinds=kinds, initial=initial))
    form = ImportForm(request.POST, request.FILES, actor=actor, kinds=kinds)
    if not form.is_valid():
        return _render_import_form(request, form, status=400)
    params = form.to_params()
    file = form.cleaned_data["file"]
    upload = None
    try:
        upload = import_upload_save(actor=actor, chunks=file.chunks(), filename=file.name, size=file.size)
        background = upload.size > import_sync_max_bytes()
        outcome = import_start(
            actor=actor, upload=upload, dry_run=not background, background=background, **params
        )
    except PermissionDenied:
        raise
    except DomainError as exc:
        if upload is not None:
            import_upload_delete(upload_id=upload.id)
        if exc.fields:
            add_domain_error(form, exc)
        else:
            form.add_error("file", exc.message)
        return _render_import_form(request, form, status=400)
    if isinstance(outcome, Run):
        return redirect("batch:run_detail", pk=outcome.pk)
    confirm = ImportConfirmForm(
        initial={
            "upload_id": upload.id,
            "kind": params["kind"],
            "region_code": params["region_code"] or "",
            "employer": params["employer"] or "",
            "mode": params["mode"],
        }
    )
    return render(
        request,
        "batch/import_preview.html",
        {"result": outcome, "confirm": confirm, "title": dict(kinds).get(params["kind"], params["kind"])},
    )


@page()
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """确认导入: import the previewed upload for real, as a run (its page shows the outcome)."""
    actor = request.actor  # type: ignore[attr-defined]
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        raise DjangoPermissionDenied
    data = form.cleaned_data
    try:
        upload = import_upload_get(actor=actor, upload_id=data["upload_id"])
        run = import_start(
            actor=actor,
            kind=data["kind"],
            upload=upload,
            region_code=data["region_code"] or None,
            employer=data["employer"] or None,
            mode=data["mode"],
            background=True,
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        kinds = import_kinds(actor=actor)
        form_again = ImportForm(actor=actor, kinds=kinds, initial={"kind": data["kind"]})
        form_again.add_error(None, exc.message)
        return _render_import_form(request, form_again, status=400)
    if not isinstance(run, Run):  # background=True always gives a run
        raise Http404
    return redirect("batch:run_detail", pk=run.pk)
