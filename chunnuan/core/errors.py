"""The DomainError family: every refusal a service or selector can give, with a Chinese message.

The API maps these to one JSON shape ``{"code", "message", "fields"}``; pages map them to form errors.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_message = "请求无法处理"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400
    default_message = "填写的内容有误，请检查后重试"


class NotFound(DomainError):
    """Also what an out-of-scope record answers: a 403 would tell that it exists."""

    code = "not_found"
    status = 404
    default_message = "未找到该记录，或您无权查看"


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = "您的角色无权进行此操作"


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = "该记录已存在或已被修改"


class Throttled(DomainError):
    code = "throttled"
    status = 429
    default_message = "操作过于频繁，请稍后再试"
