from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from chunnuan.access.actor import Actor
from chunnuan.access.auth import client_ip
from chunnuan.accounts.models import UserKind
from chunnuan.regions.forms import RegionPickerField, ScopedListFilterForm
from chunnuan.regions.models import RegionLevel


class SerializedPasswordCheck(AuthenticationForm):
    """Checks a password one guess at a time per account and audits a refusal (issue 9 defect 10).

    django-axes reads an account's failure count before the password is checked and writes it after;
    under :func:`~chunnuan.accounts.services.password_check_serialized` parallel guesses cannot all
    pass that read. The refusal leaves the lock's transaction normally, so the failure axes counted
    is kept. Used by the staff login page and the Django admin's login."""

    def clean(self) -> dict[str, Any]:
        from chunnuan.accounts.services import password_check_serialized, user_login_failed_audit

        username = self.cleaned_data.get("username") or ""
        refusal: forms.ValidationError | None = None
        with password_check_serialized(username):
            try:
                cleaned: dict[str, Any] = super().clean()
            except forms.ValidationError as exc:
                refusal = exc
        if refusal is None:
            return cleaned
        if username and self.request is not None:
            user_login_failed_audit(
                username=username,
                ip=client_ip(self.request),
                locked=bool(getattr(self.request, "axes_locked_out", False)),
            )
        raise refusal


class LoginForm(SerializedPasswordCheck):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续输错多次后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")


class AdminLoginForm(SerializedPasswordCheck, AdminAuthenticationForm):
    """The Django admin's login, with the same serialised check and audit as the staff login."""


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel", "placeholder": "13800138000"}
        ),
    )


class CodeForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(
        label=_("验证码"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _split_codes(value: str) -> list[str]:
    return [c.strip() for c in value.replace("，", ",").replace(" ", ",").split(",") if c.strip()]


class UserForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("用户类别"), choices=UserKind.choices)
    role_codes = forms.MultipleChoiceField(
        label=_("角色"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    region = RegionPickerField(label=_("管辖区域"), required=False, max_level=RegionLevel.TOWNSHIP)
    region_codes = forms.CharField(
        label=_("其他管辖区域（区划代码，多个用逗号分隔）"),
        required=False,
        help_text=_("例如 220702000000；管委会可管辖多个乡镇"),
    )
    employer_id = forms.IntegerField(label=_("所属用人单位编号"), required=False, min_value=1)
    password = forms.CharField(
        label=_("密码（留空则不修改）"), required=False, widget=forms.PasswordInput, strip=False
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, actor: Actor, roles: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["role_codes"].choices = roles  # type: ignore[attr-defined]
        region: Any = self.fields["region"]
        region.restrict_to(actor)

    def clean_region_codes(self) -> list[str]:
        codes = _split_codes(self.cleaned_data.get("region_codes") or "")
        bad = [c for c in codes if not (c.isdigit() and len(c) == 12)]
        if bad:
            raise forms.ValidationError(_("区划代码应为12位数字：%(codes)s") % {"codes": "、".join(bad)})
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        primary = data.get("region")
        codes = [primary.code] if primary is not None else []
        data["region_codes"] = codes + [c for c in data.get("region_codes") or [] if c not in codes]
        return data


class UserFilterForm(ScopedListFilterForm):
    role = forms.ChoiceField(label=_("角色"), required=False)
    is_active = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("1", _("启用")), ("0", _("停用"))]
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["q"].label = _("用户名或姓名")
        role: Any = self.fields["role"]
        role.choices = [("", _("全部")), *roles]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100)
    expires_in_days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=3650, initial=365)
