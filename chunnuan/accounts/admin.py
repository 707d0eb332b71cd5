"""Django admin for the system administrator (superuser): roles and their permissions, users.

Day-to-day user management by region administrators is on the Chunnuan pages (/accounts/users/),
which enforce jurisdiction; this admin is for the superuser only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from chunnuan.access.permissions import PERM_LABELS
from chunnuan.accounts.forms import AdminLoginForm
from chunnuan.accounts.models import ApiToken, Role, User

admin.site.login_form = AdminLoginForm  # one guess at a time per account, audited (forms.py)


class RoleForm(forms.ModelForm):  # type: ignore[type-arg]
    permissions = forms.MultipleChoiceField(
        label="权限",
        choices=[(str(k), str(v)) for k, v in PERM_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Role
        fields = ["code", "name", "name_en", "permissions"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = RoleForm
    list_display = ["code", "name", "name_en"]


@admin.register(User)
class ChunnuanUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "full_name", "kind", "is_active"]
    list_filter = ["kind", "is_active", "roles"]
    search_fields = ["username", "full_name"]
    filter_horizontal = ["roles"]
    raw_id_fields = ["regions", "employer", "worker"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("春暖", {"fields": ("full_name", "kind", "roles", "regions", "employer", "worker")}),
    )

    def has_module_permission(self, request: Any) -> bool:
        return bool(request.user.is_superuser)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["prefix", "name", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # issue tokens on the user's page: the raw token is shown once there
