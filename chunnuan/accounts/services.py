"""Writes for accounts: users, roles, jurisdictions, API tokens and phone login codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from chunnuan.access.actor import Actor, ActorKind
from chunnuan.access.auth import actor_for_user
from chunnuan.access.permissions import ROLE_DEFAULTS, Perm
from chunnuan.access.scoping import get_visible
from chunnuan.accounts.models import ApiToken, FailureCounter, LoginCode, Role, User, UserKind
from chunnuan.accounts.selectors import user_get, user_login_failures
from chunnuan.accounts.types import ApiTokenIn, UserIn
from chunnuan.audit.models import AuditAction
from chunnuan.audit.services import audit_create, audit_record, snapshot
from chunnuan.core import crypto
from chunnuan.core.errors import Conflict, NotFound, PermissionDenied, Throttled, ValidationFailed
from chunnuan.core.identifiers import normalize_phone
from chunnuan.regions.models import Region

TOKEN_PREFIX = "cn_"  # noqa: S105 — a marker, not a secret

security_log = logging.getLogger("chunnuan.security")


# --- roles -----------------------------------------------------------------------------------


def roles_ensure_defaults() -> list[Role]:
    """Create the default roles that do not exist yet (idempotent; edited roles are left alone)."""
    roles = []
    for code, (name, name_en, perms) in ROLE_DEFAULTS.items():
        role, _ = Role.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "permissions": sorted(p.value for p in perms)},
        )
        roles.append(role)
    return roles


# --- users -----------------------------------------------------------------------------------


def _resolve_user_input(*, actor: Actor, data: UserIn) -> tuple[list[Role], list[Region], Any]:
    errors: dict[str, list[str]] = {}
    if data.kind not in UserKind.values:
        errors["kind"] = ["用户类别不正确"]
    roles = list(Role.objects.filter(code__in=data.role_codes))
    if len(roles) != len(set(data.role_codes)):
        errors["role_codes"] = ["角色不存在"]
    for role in roles:
        if not set(role.permissions) <= set(actor.permissions):
            errors.setdefault("role_codes", []).append(f"您不能授予比自己权限更大的角色“{role.name}”")
    regions = list(Region.objects.filter(code__in=data.region_codes, valid_to__isnull=True))
    if len(regions) != len(set(data.region_codes)):
        errors["region_codes"] = ["区划代码不存在或已停用"]
    employer = None
    if data.kind == UserKind.EMPLOYER:
        if data.employer_id is None:
            errors["employer_id"] = ["用人单位账号必须选择所属单位"]
    elif data.kind in (UserKind.OFFICER, UserKind.INTEGRATION) and not data.region_codes:
        errors["region_codes"] = ["请至少选择一个管辖区域"]
    if errors:
        raise ValidationFailed(fields=errors)
    for region in regions:
        if not actor.covers(region.code):
            raise ValidationFailed(fields={"region_codes": [f"“{region.name}”不在您的管辖范围内"]})
    if data.kind == UserKind.EMPLOYER and data.employer_id is not None:
        from chunnuan.employers.models import Employer

        try:
            employer = get_visible(actor, Employer, pk=data.employer_id)
        except NotFound:
            raise ValidationFailed(fields={"employer_id": ["用人单位不存在或不在您的管辖范围内"]}) from None
    return roles, regions, employer


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(fields={"password": list(exc.messages)}) from None


def _jurisdiction_snapshot(user: User) -> dict[str, Any]:
    values = snapshot(user)
    values["roles"] = sorted(r.code for r in user.roles.all())
    values["regions"] = sorted(r.code for r in user.regions.all())
    return values


@transaction.atomic
def user_create(*, actor: Actor, data: UserIn) -> User:
    actor.require(Perm.MANAGE_USERS)
    roles, regions, employer = _resolve_user_input(actor=actor, data=data)
    if User.objects.filter(username__iexact=data.username).exists():
        raise Conflict(fields={"username": ["该用户名已被使用"]})
    user = User(
        username=data.username,
        full_name=data.full_name,
        kind=data.kind,
        employer=employer,
        is_active=data.is_active,
    )
    if data.password:
        _check_password(data.password, user)
        user.set_password(data.password)
    else:
        user.set_unusable_password()
    user.save()
    user.roles.set(roles)
    user.regions.set(regions)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        changes={k: [None, v] for k, v in _jurisdiction_snapshot(user).items()},
        region_code=regions[0].code if regions else "",
    )
    return user


@transaction.atomic
def user_update(*, actor: Actor, user_id: int, data: UserIn) -> User:
    actor.require(Perm.MANAGE_USERS)
    user = user_get(actor=actor, pk=user_id)
    if user.pk == actor.user_id and not data.is_active:
        raise ValidationFailed(fields={"is_active": ["不能停用自己的账号"]})
    roles, regions, employer = _resolve_user_input(actor=actor, data=data)
    if User.objects.filter(username__iexact=data.username).exclude(pk=user.pk).exists():
        raise Conflict(fields={"username": ["该用户名已被使用"]})
    before = _jurisdiction_snapshot(user)
    user.username, user.full_name, user.kind = data.username, data.full_name, data.kind
    user.employer, user.is_active = employer, data.is_active
    if data.password:
        _check_password(data.password, user)
        user.set_password(data.password)
    user.save()
    user.roles.set(roles)
    user.regions.set(regions)
    changes = {k: [before.get(k), v] for k, v in _jurisdiction_snapshot(user).items() if before.get(k) != v}
    if data.password:
        changes["password"] = ["******", "****** (已重置)"]
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            changes=changes,
            region_code=regions[0].code if regions else "",
        )
    return user


def user_audit_login(*, actor: Actor, user: User, action: AuditAction, note: str = "") -> None:
    region = user.regions.first()
    audit_record(actor=actor, action=action, obj=user, note=note, region_code=region.code if region else "")


# --- API tokens ------------------------------------------------------------------------------


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, actor: Actor, user_id: int, data: ApiTokenIn) -> tuple[ApiToken, str]:
    """Issue a token to an integration client; the raw token is returned once and never stored."""
    actor.require(Perm.MANAGE_USERS)
    user = user_get(actor=actor, pk=user_id)
    if user.kind != UserKind.INTEGRATION:
        raise ValidationFailed("只能为“数据交换客户端”类别的用户签发接口令牌")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=data.expires_in_days) if data.expires_in_days else None
    token = ApiToken(
        user=user, name=data.name, prefix=raw[:10], token_hash=token_digest(raw), expires_at=expires
    )
    token.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=token,
        object_repr=f"{user.username}: {data.name}",
        changes={"name": [None, data.name], "prefix": [None, token.prefix]},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    actor.require(Perm.MANAGE_USERS)
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    user_get(actor=actor, pk=token.user_id)  # the token's owner must be within reach
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=token,
            object_repr=token.prefix,
            changes={"revoked_at": [None, str(token.revoked_at)]},
        )
    return token


def api_token_authenticate(*, raw_token: str, ip: str | None) -> Actor | None:
    """The actor of a valid, unrevoked, unexpired token whose user may use the API; else None.

    Wrong tokens are counted per source address; once an address has sent
    ``API_TOKEN_FAILURES_PER_ADDRESS`` wrong ones within the window, every token it sends (right or
    wrong) is refused with :class:`Throttled` until the window ends, so a guess that happens to be
    right cannot be told apart. Each failure is logged; the first refusal of an address is audited.
    """
    actor = _api_token_actor(raw_token=raw_token, ip=ip)
    limit = settings.API_TOKEN_FAILURES_PER_ADDRESS
    window = dt.timedelta(seconds=settings.API_TOKEN_FAILURE_WINDOW_SECONDS)
    key = f"api-token:{ip or '-'}"
    if actor is not None:
        if failure_count(key=key, window=window) >= limit:
            raise _token_throttled(window)
        return actor
    failures = failure_count_hit(key=key, window=window)
    security_log.warning(
        "api token refused: address=%s prefix=%r failures=%d/%d", ip, raw_token[:6], failures, limit
    )
    if failures > limit:
        if failures == limit + 1:
            audit_record(
                actor=Actor(kind=ActorKind.SYSTEM, label="system:api-token", ip=ip),
                action=AuditAction.LOGIN_FAILED,
                object_type="accounts.ApiToken",
                object_repr=f"来源地址 {ip or '未知'}",
                region_code="",
                note=f"接口令牌连续验证失败 {limit} 次，该地址暂停访问接口",
            )
        raise _token_throttled(window)
    return None


def _token_throttled(window: dt.timedelta) -> Throttled:
    minutes = max(1, int(window.total_seconds() // 60))
    return Throttled(f"接口令牌验证失败次数过多，请 {minutes} 分钟后再试")


def _api_token_actor(*, raw_token: str, ip: str | None) -> Actor | None:
    if not raw_token.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=token_digest(raw_token)).first()
    now = timezone.now()
    if token is None or token.revoked_at or (token.expires_at and token.expires_at <= now):
        return None
    actor = actor_for_user(token.user, ip=ip)
    if not actor.is_authenticated or not actor.can(Perm.USE_API):
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return actor


# --- failure counters ------------------------------------------------------------------------


def failure_count_hit(*, key: str, window: dt.timedelta) -> int:
    """Count one failure under ``key`` and return the count in the current fixed window.

    One conditional UPDATE with F() per hit: parallel requests are all counted, and the count
    read back inside the same transaction (under the row lock the UPDATE took) is this request's own.
    """
    now = timezone.now()
    fresh_after = now - window
    counters = FailureCounter.objects
    for _ in range(3):
        with transaction.atomic():
            if counters.filter(key=key, window_started_at__gt=fresh_after).update(count=F("count") + 1):
                return counters.filter(key=key).values_list("count", flat=True).get()
            # No counter yet, or its window is over: start a new window (conditional: one request does).
            if counters.filter(key=key, window_started_at__lte=fresh_after).update(
                count=1, window_started_at=now
            ):
                return 1
            try:
                with transaction.atomic():
                    counters.create(key=key, window_started_at=now, count=1)
            except IntegrityError:
                continue  # another request created it a moment ago: count on that one
            counters.filter(window_started_at__lt=now - dt.timedelta(days=1)).delete()
            return 1
    raise RuntimeError(f"failure counter {key!r} could not be updated")  # pragma: no cover


def failure_count(*, key: str, window: dt.timedelta) -> int:
    """The failures counted under ``key`` in its current window (0 when none or expired)."""
    count = (
        FailureCounter.objects.filter(key=key, window_started_at__gt=timezone.now() - window)
        .values_list("count", flat=True)
        .first()
    )
    return count or 0


# --- password sign-in ------------------------------------------------------------------------


@contextmanager
def password_check_serialized(username: str) -> Iterator[None]:
    """Hold the account's row lock while its password is checked and a failure is counted.

    django-axes reads the failure count before the password is checked and writes it after, so
    parallel guesses at one account would all pass the check. Under this lock they are checked one
    after another (PostgreSQL; SQLite runs one writer at a time). Usernames that match no account
    have nothing to guess and are not serialised.
    """
    with transaction.atomic():
        list(User.objects.select_for_update().filter(username=username).values_list("pk", flat=True))
        yield


def user_login_failed_audit(*, username: str, ip: str | None, locked: bool) -> None:
    """Audit a refused password sign-in (登录失败), in the region of the account when it exists."""
    user = User.objects.filter(username=username).first() if username else None
    actor = Actor(kind=ActorKind.SYSTEM, label="system:password-login", ip=ip)
    note = "密码登录失败，账号已锁定" if locked else "密码登录失败"
    if user is None:
        audit_record(
            actor=actor,
            action=AuditAction.LOGIN_FAILED,
            object_type="accounts.User",
            object_repr=f"不存在的用户名 {username[:60]}",
            region_code="",
            note=note,
        )
        return
    region = user.regions.first()
    audit_record(
        actor=actor,
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        region_code=region.code if region else "",
        note=note,
    )


@transaction.atomic
def user_login_unlock(*, actor: Actor, user_id: int) -> User:
    """Clear an account's failed sign-ins (every address), so its owner may sign in again."""
    from axes.utils import reset

    actor.require(Perm.MANAGE_USERS)
    user = user_get(actor=actor, pk=user_id)
    failures = user_login_failures(actor=actor, user=user)
    reset(username=user.username)
    region = user.regions.first()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        changes={"login_failures": [failures, 0]},
        region_code=region.code if region else "",
        note="解除登录锁定",
    )
    return user


# --- phone login (workers) -------------------------------------------------------------------


def _code_hash(phone_hash: str, code: str) -> str:
    return crypto.lookup_hash(f"login-code:{phone_hash}:{code}")


class CodeRecentlySent(Throttled):
    """A code went to this number less than a minute ago: the page asks for that code, and says
    when a new one may be requested (``retry_after`` seconds)."""

    def __init__(self, *, retry_after: int) -> None:
        super().__init__(f"验证码已发送，请输入收到的验证码；{retry_after} 秒后可重新获取")
        self.retry_after = retry_after


def login_code_request(*, phone: str, ip: str | None) -> None:
    """Send a one-time code to a registered worker's phone, through the outbox.

    The answer is the same whether or not the number is registered (no enumeration). Throttled per
    number (one a minute, five an hour) and per address (twenty an hour).
    """
    from chunnuan.notifications.services import message_enqueue
    from chunnuan.workers.models import Worker

    number = normalize_phone(phone)
    phone_hash = crypto.lookup_hash(number)
    now = timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    recent = LoginCode.objects.filter(phone_hash=phone_hash, created_at__gte=hour_ago)
    last = recent.order_by("-created_at").first()
    if last and (now - last.created_at).total_seconds() < settings.LOGIN_CODE_PER_PHONE_INTERVAL_SECONDS:
        wait = settings.LOGIN_CODE_PER_PHONE_INTERVAL_SECONDS - (now - last.created_at).total_seconds()
        raise CodeRecentlySent(retry_after=max(1, math.ceil(wait)))
    if recent.count() >= settings.LOGIN_CODE_PER_PHONE_PER_HOUR:
        raise Throttled("该号码获取验证码过于频繁，请一小时后再试")
    if (
        ip
        and LoginCode.objects.filter(ip=ip, created_at__gte=hour_ago).count()
        >= settings.LOGIN_CODE_PER_ADDRESS_PER_HOUR
    ):
        raise Throttled("本网络获取验证码过于频繁，请稍后再试")
    worker = (
        Worker.objects.unscoped(reason="phone login: find the worker by phone hash")
        .filter(phone_hash=phone_hash)
        .first()
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        LoginCode(
            phone_hash=phone_hash,
            code_hash=_code_hash(phone_hash, code),
            ip=ip,
            expires_at=now + dt.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
        ).save()
        if worker is not None:
            message_enqueue(
                actor=_login_actor(ip),
                channel="sms",
                recipient=number,
                body=f"【春暖】您的登录验证码是{code}，{settings.LOGIN_CODE_TTL_SECONDS // 60}分钟内有效。"
                "请勿告诉他人。",
                purpose="login_code",
                region_code=worker.origin_region_code,
            )


def _login_actor(ip: str | None) -> Actor:
    return Actor(kind=ActorKind.SYSTEM, label="system:phone-login", region_prefixes=("",), ip=ip)


def login_code_verify(*, phone: str, code: str, ip: str | None) -> User:
    """Check a one-time code; on success return the worker's user (created on first login)."""
    number = normalize_phone(phone)
    phone_hash = crypto.lookup_hash(number)
    code = "".join(ch for ch in code if ch.isdigit())
    now = timezone.now()
    login_code = (
        LoginCode.objects.filter(phone_hash=phone_hash, used_at__isnull=True).order_by("-created_at").first()
    )
    if login_code is None or login_code.expires_at <= now:
        raise ValidationFailed("验证码已过期或已使用，请重新获取", fields={"code": ["验证码已过期或已使用"]})
    # Count the attempt before the guess is looked at, in one conditional UPDATE: parallel
    # requests cannot all read the same stale count, so at most LOGIN_CODE_MAX_ATTEMPTS guesses
    # per code are ever evaluated (the database serialises the increments on the row).
    counted = LoginCode.objects.filter(
        pk=login_code.pk, attempts__lt=settings.LOGIN_CODE_MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not counted:
        raise Throttled("验证码输入错误次数过多，请重新获取")
    if not secrets.compare_digest(login_code.code_hash, _code_hash(phone_hash, code)):
        raise ValidationFailed("验证码不正确", fields={"code": ["验证码不正确"]})
    with transaction.atomic():
        # Single use: only one request can flip used_at from NULL.
        if not LoginCode.objects.filter(pk=login_code.pk, used_at__isnull=True).update(used_at=now):
            raise ValidationFailed(
                "验证码已过期或已使用，请重新获取", fields={"code": ["验证码已过期或已使用"]}
            )
        return _worker_user_for_login(phone_hash=phone_hash, ip=ip)


def _worker_user_for_login(*, phone_hash: str, ip: str | None) -> User:
    from chunnuan.workers.models import Worker

    worker = (
        Worker.objects.unscoped(reason="phone login: the verified number's worker")
        .filter(phone_hash=phone_hash)
        .first()
    )
    if worker is None:
        raise ValidationFailed("该手机号未在实名制台帐中登记，请联系所在乡镇（街道）劳动保障所")
    user = User.objects.filter(worker=worker).first()
    system = _login_actor(ip)
    if user is None:
        user = User(username=f"w{worker.pk}", full_name=worker.name, kind=UserKind.WORKER, worker=worker)
        user.set_unusable_password()
        user.save()
        user.roles.set(Role.objects.filter(code="worker"))
        audit_create(actor=system, obj=user, note="农民工首次手机验证码登录，自动开通账号")
    if not user.is_active:
        raise PermissionDenied("该账号已停用，请联系所在乡镇（街道）劳动保障所")
    audit_record(
        actor=system,
        action=AuditAction.LOGIN,
        obj=user,
        region_code=worker.origin_region_code,
        note="手机验证码登录",
    )
    return user
