from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chunnuan.access.actor import Actor
from chunnuan.access.auth import actor_for_user, client_ip
from chunnuan.access.exports import export_require
from chunnuan.access.permissions import Perm
from chunnuan.accounts import selectors, services
from chunnuan.accounts.forms import ApiTokenForm, CodeForm, LoginForm, PhoneForm, UserFilterForm, UserForm
from chunnuan.accounts.types import ApiTokenIn, UserIn
from chunnuan.audit.models import AuditAction
from chunnuan.core.errors import DomainError
from chunnuan.core.pagination import paginate
from chunnuan.core.spreadsheets import csv_response
from chunnuan.core.web import add_domain_error, page


class PasswordLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        services.user_audit_login(
            actor=actor_for_user(user, ip=client_ip(self.request)),
            user=user,
            action=AuditAction.LOGIN,
            note="密码登录",
        )
        return response


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes: too many failed logins."""
    return render(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(request),
            "locked": _("连续登录失败次数过多，账号已被暂时锁定，请30分钟后再试或联系管理员。"),
        },
        status=429,
    )


def phone_login(request: HttpRequest) -> HttpResponse:
    """Workers: phone number → one-time code (step 1)."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            services.login_code_request(phone=phone, ip=client_ip(request))
        except services.CodeRecentlySent as exc:
            # A code went out less than a minute ago: ask for that one instead of a dead end.
            return render(
                request,
                "accounts/phone_code.html",
                {"form": CodeForm(initial={"phone": phone}), "phone": phone, "retry_after": exc.retry_after},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            code_form = CodeForm(initial={"phone": phone})
            return render(request, "accounts/phone_code.html", {"form": code_form, "phone": phone})
    return render(request, "accounts/phone_login.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def phone_verify(request: HttpRequest) -> HttpResponse:
    """Workers: check the one-time code (step 2)."""
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            user = services.login_code_verify(
                phone=form.cleaned_data["phone"], code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("dashboards:home")
    return render(
        request,
        "accounts/phone_code.html",
        {"form": form, "phone": request.POST.get("phone", "")},
        status=400,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        actor: Actor = request.actor  # type: ignore[attr-defined]
        services.user_audit_login(actor=actor, user=request.user, action=AuditAction.LOGOUT)
    logout(request)
    return redirect("accounts:login")


def _role_choices() -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in selectors.role_list()]


@page(Perm.MANAGE_USERS)
def user_list(request: HttpRequest) -> HttpResponseBase:
    actor = request.actor  # type: ignore[attr-defined]
    form = UserFilterForm(request.GET or None, actor=actor, roles=_role_choices())
    users = selectors.user_list(actor=actor, filters=form.filters())
    if request.GET.get("export") == "csv":
        export_require(actor)
        rows = (
            [
                u.username,
                u.full_name,
                u.get_kind_display(),
                "、".join(r.name for r in u.roles.all()),
                "、".join(r.name for r in u.regions.all()),
                "是" if u.is_active else "否",
            ]
            for u in users
        )
        return csv_response("users.csv", ["用户名", "姓名", "类别", "角色", "管辖区域", "启用"], rows)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(users, request.GET.get("page")),
            "form": form,
        },
    )


def _user_in(data: dict[str, Any]) -> UserIn:
    return UserIn(
        username=data["username"],
        full_name=data["full_name"],
        kind=data["kind"],
        role_codes=data["role_codes"],
        region_codes=data["region_codes"],
        employer_id=data["employer_id"],
        password=data["password"] or None,
        is_active=data["is_active"],
    )


@page(Perm.MANAGE_USERS)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, actor=request.actor, roles=_role_choices())  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.actor, data=_user_in(form.cleaned_data))  # type: ignore[attr-defined]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已创建用户 %(name)s") % {"name": user.username})
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form}, status=400 if form.errors else 200)


@page(Perm.MANAGE_USERS)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    user = selectors.user_get(actor=actor, pk=pk)
    regions = list(user.regions.all())
    initial = {
        "username": user.username,
        "full_name": user.full_name,
        "kind": user.kind,
        "role_codes": [r.code for r in user.roles.all()],
        "region": regions[0].code if regions else None,
        "region_codes": ",".join(r.code for r in regions[1:]),
        "employer_id": user.employer_id,
        "is_active": user.is_active,
    }
    form = UserForm(request.POST or None, initial=initial, actor=actor, roles=_role_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=actor, user_id=user.pk, data=_user_in(form.cleaned_data))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("accounts:user_edit", pk=user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": user,
            "tokens": selectors.api_token_list(actor=actor, user=user),
            "token_form": ApiTokenForm(),
            "is_integration": user.kind == "integration",
            "login_failures": selectors.user_login_failures(actor=actor, user=user),
            "login_failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=400 if form.errors else 200,
    )


@page(Perm.MANAGE_USERS)
@require_POST
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    user = selectors.user_get(actor=actor, pk=pk)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.api_token_issue(
                actor=actor, user_id=user.pk, data=ApiTokenIn(**form.cleaned_data)
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return render(request, "accounts/token_issued.html", {"target": user, "token": token, "raw": raw})
    else:
        messages.error(request, _("请填写令牌用途和有效天数"))
    return redirect("accounts:user_edit", pk=user.pk)


@page(Perm.MANAGE_USERS)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Clear the account's failed sign-ins (django-axes lock-out); audited by the service."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    services.user_login_unlock(actor=actor, user_id=pk)
    messages.success(request, _("已解除登录锁定"))
    return redirect("accounts:user_edit", pk=pk)


@page(Perm.MANAGE_USERS)
@require_POST
def token_revoke(request: HttpRequest, pk: int, token_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    selectors.user_get(actor=actor, pk=pk)
    services.api_token_revoke(actor=actor, token_id=token_id)
    messages.success(request, _("令牌已吊销"))
    return redirect("accounts:user_edit", pk=pk)
