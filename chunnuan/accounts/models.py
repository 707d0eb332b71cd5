"""用户/角色: users, their roles and jurisdiction regions; API tokens; one-time login codes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from chunnuan.access.scoping import declare_global


class UserKind(models.TextChoices):
    OFFICER = "officer", _("机关工作人员")
    EMPLOYER = "employer", _("用人单位")
    WORKER = "worker", _("农民工")
    INTEGRATION = "integration", _("数据交换客户端")


@declare_global("role definitions are shared by every region")
class Role(models.Model):
    """角色 — a named set of permissions (codes from chunnuan.access.permissions.Perm)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=60, blank=True)
    permissions = models.JSONField(_("权限"), default=list, blank=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


@declare_global(
    "the login backends must find users before any actor exists; user management "
    "reads go through accounts.selectors, which filter by jurisdiction"
)
class User(AbstractUser):
    """用户 — an officer (with jurisdiction regions), an employer's clerk, a worker, or an API client."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    kind = models.CharField(_("用户类别"), max_length=20, choices=UserKind.choices, default=UserKind.OFFICER)
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="users")
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("管辖区域"), blank=True, related_name="officers"
    )
    employer = models.ForeignKey(
        "employers.Employer",
        verbose_name=_("所属用人单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    worker = models.OneToOneField(
        "workers.Worker",
        verbose_name=_("对应农民工"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username


@declare_global("belongs to a user; managed through accounts.services")
class ApiToken(models.Model):
    """接口令牌 — issued to an integration client; only its hash is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


@declare_global("login plumbing: looked up by phone hash before anyone is signed in")
class LoginCode(models.Model):
    """短信验证码 — a one-time code for phone login. Only hashes are stored."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        indexes = [models.Index(fields=["ip", "created_at"])]

    def __str__(self) -> str:
        return f"login code {self.pk}"


@declare_global("sign-in plumbing: counted before anyone is signed in, keyed by address")
class FailureCounter(models.Model):
    """失败计数 — failures per key (e.g. wrong API tokens from one address) in a fixed window.

    Incremented with a conditional UPDATE so that parallel requests are all counted
    (see ``accounts.services.failure_count_hit``)."""

    key = models.CharField(max_length=120, unique=True)
    window_started_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("失败计数")
        verbose_name_plural = _("失败计数")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
