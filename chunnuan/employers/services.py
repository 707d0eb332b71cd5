"""Writes to employers. (The employers issue grows this: industry, size, roster, contracts.)"""

from __future__ import annotations

from django.db import transaction
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from chunnuan.access.actor import Actor
from chunnuan.access.permissions import Perm
from chunnuan.access.scoping import ensure_in_scope
from chunnuan.audit.services import audit_create, audit_update, snapshot
from chunnuan.core.errors import ValidationFailed
from chunnuan.core.identifiers import to_halfwidth
from chunnuan.employers.models import Employer
from chunnuan.employers.types import EmployerIn


def normalize_credit_code(value: str) -> str:
    code = to_halfwidth(value).replace(" ", "").upper()
    try:
        return str(uscc.validate(code))
    except StdnumError:
        raise ValidationFailed(
            f"统一社会信用代码“{value}”不正确（长度、字符或校验位有误）",
            fields={"credit_code": ["统一社会信用代码不正确"]},
        ) from None


@transaction.atomic
def employer_register(*, actor: Actor, data: EmployerIn) -> Employer:
    """Register an employer, or update it when the credit code is known (upsert)."""
    actor.require(Perm.MANAGE_EMPLOYERS)
    code = normalize_credit_code(data.credit_code)
    ensure_in_scope(actor, data.region_code)
    existing = (
        Employer.objects.unscoped(reason="upsert by credit code; scope checked below")
        .filter(credit_code=code)
        .first()
    )
    if existing is None:
        employer = Employer(credit_code=code, name=data.name, region_code=data.region_code)
        employer.save()
        audit_create(actor=actor, obj=employer)
        return employer
    ensure_in_scope(actor, existing)
    before = snapshot(existing)
    existing.name, existing.region_code = data.name, data.region_code
    existing.save()
    audit_update(actor=actor, obj=existing, before=before)
    return existing
