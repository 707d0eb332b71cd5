import datetime as dt
from decimal import Decimal

import pytest

from chunnuan.access.scoping import actor_scope
from chunnuan.audit.models import AuditEvent
from chunnuan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from chunnuan.employers import services
from chunnuan.employers.choices import ContractEventKind, ContractStatus
from chunnuan.employers.models import ContractEvent, Employer, Employment, LabourContract
from chunnuan.employers.tests import factories as f
from chunnuan.employers.types import (
    ContractChangeIn,
    ContractEndIn,
    ContractIn,
    ContractRenewIn,
    EmployerIn,
    EmploymentIn,
    EmploymentLeaveIn,
    SizeOverrideIn,
)

D = dt.date
pytestmark = pytest.mark.django_db


def _audits(obj):
    return AuditEvent.objects.unscoped(reason="test").filter(
        object_type=obj._meta.label, object_id=str(obj.pk)
    )


def test_credit_code_normalisation_and_check_digit():
    code = "91220702MA0Y6T1R0X"
    from stdnum.cn import uscc

    body = code[:17]
    valid = body + uscc.calc_check_digit(body)
    assert services.normalize_credit_code(valid.lower()) == valid
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in valid)
    assert services.normalize_credit_code(f" {full_width[:6]} {full_width[6:]} ") == valid
    wrong = body + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(ValidationFailed, match="校验位"):
        services.normalize_credit_code(wrong)


def test_register_computes_size_and_upserts_by_credit_code(personas):
    officer = personas.actor("township_a")
    data = EmployerIn(
        credit_code=personas.employer.credit_code.lower(),
        name="团结测试建筑有限公司",
        region_code="220702001000",
        industry_code="E47",
        staff_count=50,
        revenue=Decimal(6000),
        assets=Decimal(5000),
        contact_phone="0438-1234567",
    )
    employer = services.employer_register(actor=officer, data=data)
    assert employer.pk == personas.employer.pk
    assert employer.industry.code == "47" and employer.industry_section == "E"
    assert employer.size_class_computed == employer.size_class == "medium"
    assert employer.contact_phone == "0438-1234567"


def test_override_is_recorded_and_audited(personas):
    officer = personas.actor("township_a")
    employer = personas.employer
    with pytest.raises(ValidationFailed, match="理由"):
        services.employer_set_size_override(
            actor=officer, employer_id=employer.pk, data=SizeOverrideIn(size_class="large")
        )
    services.employer_set_size_override(
        actor=officer,
        employer_id=employer.pk,
        data=SizeOverrideIn(size_class="large", reason="集团下属，合并计算"),
    )
    employer.refresh_from_db()
    assert (employer.size_class_override, employer.size_class) == ("large", "large")
    assert employer.size_override_reason == "集团下属，合并计算"
    event = _audits(employer).filter(note__contains="人工认定").get()
    assert event.changes["size_class_override"] == ["", "large"]
    services.employer_set_size_override(actor=officer, employer_id=employer.pk, data=SizeOverrideIn())
    employer.refresh_from_db()
    assert employer.size_class == employer.size_class_computed and not employer.size_override_reason


def test_sibling_cannot_update_and_nothing_changes(personas):
    sibling = personas.actor("township_b")
    data = EmployerIn(credit_code=personas.employer.credit_code, name="改名", region_code="220702002000")
    with pytest.raises(NotFound):
        services.employer_register(actor=sibling, data=data)
    assert (
        Employer.objects.unscoped(reason="test").get(pk=personas.employer.pk).name == "团结测试建筑有限公司"
    )


def test_clerk_manages_only_their_own_employer(personas):
    clerk = personas.actor("clerk")
    own = personas.employer
    data = EmployerIn(credit_code=own.credit_code, name="新名称", region_code=own.region_code)
    assert services.employer_update(actor=clerk, employer_id=own.pk, data=data).name == "新名称"
    moved = EmployerIn(credit_code=own.credit_code, name="新名称", region_code="220702002000")
    with pytest.raises(PermissionDenied):
        services.employer_update(actor=clerk, employer_id=own.pk, data=moved)
    with actor_scope(f.SYSTEM):
        other = f.employer()
    with pytest.raises(NotFound):
        services.employer_update(actor=clerk, employer_id=other.pk, data=data)
    # a clerk files their own employee: the person is registered in the ledger
    employment = services.employment_add(
        actor=clerk,
        employer_id=own.pk,
        data=EmploymentIn(id_number="220702199105051238", name="新职工", start_date=D(2024, 3, 1)),
    )
    assert employment.worker.origin_region_code == "220702000000"  # from the ID's address code
    assert employment.worker.work_region_code == own.region_code


def test_employment_add_finds_the_person_by_id_and_refuses_duplicates(personas):
    officer = personas.actor("township_a")
    data = EmploymentIn(id_number=personas.worker_record.id_number.lower(), start_date=D(2024, 3, 1))
    employment = services.employment_add(actor=officer, employer_id=personas.employer.pk, data=data)
    assert employment.worker_id == personas.worker_record.pk
    assert employment.worker_origin_region_code == personas.worker_record.origin_region_code
    with pytest.raises(Conflict):
        services.employment_add(actor=officer, employer_id=personas.employer.pk, data=data)
    wrong_name = EmploymentIn(
        id_number=personas.worker_record.id_number, name="别人", start_date=D(2025, 1, 1)
    )
    with pytest.raises(ValidationFailed, match="姓名"):
        services.employment_add(actor=officer, employer_id=personas.employer.pk, data=wrong_name)
    assert _audits(employment).filter(action="create").exists()


@pytest.fixture
def spell(personas):
    officer = personas.actor("township_a")
    employment = services.employment_add(
        actor=officer,
        employer_id=personas.employer.pk,
        data=EmploymentIn(id_number=personas.worker_record.id_number, start_date=D(2024, 3, 1)),
    )
    return officer, employment


def test_contract_rules_on_sign(spell):
    officer, employment = spell
    bad = [
        ContractIn(contract_type="fixed_term", signed_date=D(2024, 3, 1), start_date=D(2024, 3, 1)),
        ContractIn(
            contract_type="fixed_term",
            signed_date=D(2024, 3, 1),
            start_date=D(2024, 3, 1),
            end_date=D(2024, 2, 1),
        ),
        ContractIn(
            contract_type="open_ended",
            signed_date=D(2024, 3, 1),
            start_date=D(2024, 3, 1),
            end_date=D(2025, 3, 1),
        ),
        ContractIn(
            contract_type="fixed_term",
            signed_date=D(2024, 3, 1),
            start_date=D(2024, 3, 1),
            end_date=D(2025, 2, 28),
            probation_months=3,
        ),
        ContractIn(
            contract_type="task_based",
            signed_date=D(2024, 3, 1),
            start_date=D(2024, 3, 1),
            probation_months=1,
        ),
        ContractIn(
            contract_type="open_ended",
            signed_date=dt.date.today() + dt.timedelta(days=1),
            start_date=D(2024, 3, 1),
        ),
    ]
    for data in bad:
        with pytest.raises(ValidationFailed):
            services.contract_sign(actor=officer, employment_id=employment.pk, data=data)
    assert not LabourContract.objects.unscoped(reason="test").filter(employment=employment).exists()
    ok = ContractIn(
        contract_type="fixed_term",
        signed_date=D(2024, 3, 1),
        start_date=D(2024, 3, 1),
        end_date=D(2027, 2, 28),
        probation_months=6,
    )
    contract = services.contract_sign(actor=officer, employment_id=employment.pk, data=ok)
    with pytest.raises(Conflict):
        services.contract_sign(actor=officer, employment_id=employment.pk, data=ok)
    assert list(
        ContractEvent.objects.unscoped(reason="test").filter(contract=contract).values_list("kind", flat=True)
    ) == [ContractEventKind.SIGNED]


def test_contract_lifecycle(spell):
    officer, employment = spell
    contract = services.contract_sign(
        actor=officer,
        employment_id=employment.pk,
        data=ContractIn(
            contract_type="fixed_term",
            signed_date=D(2024, 3, 1),
            start_date=D(2024, 3, 1),
            end_date=D(2025, 2, 28),
        ),
    )
    with pytest.raises(ValidationFailed):
        services.contract_renew(
            actor=officer,
            contract_id=contract.pk,
            data=ContractRenewIn(signed_date=D(2025, 2, 1), end_date=D(2025, 1, 1)),
        )
    services.contract_renew(
        actor=officer,
        contract_id=contract.pk,
        data=ContractRenewIn(signed_date=D(2025, 2, 1), end_date=D(2028, 2, 29)),
    )
    services.contract_change(
        actor=officer,
        contract_id=contract.pk,
        data=ContractChangeIn(date=D(2025, 6, 1), new_end_date=D(2028, 6, 30), note="岗位调整"),
    )
    with pytest.raises(ValidationFailed, match="早于"):
        services.contract_dissolve(
            actor=officer, contract_id=contract.pk, data=ContractEndIn(date=D(2024, 2, 1))
        )
    with pytest.raises(ValidationFailed, match="先办理"):
        services.employment_leave(
            actor=officer, employment_id=employment.pk, data=EmploymentLeaveIn(end_date=D(2025, 7, 1))
        )
    services.contract_dissolve(
        actor=officer, contract_id=contract.pk, data=ContractEndIn(date=D(2025, 7, 1), note="协商一致")
    )
    contract.refresh_from_db()
    assert (contract.status, contract.ended_date, contract.end_date) == (
        ContractStatus.DISSOLVED,
        D(2025, 7, 1),
        D(2028, 6, 30),
    )
    with pytest.raises(Conflict):
        services.contract_renew(
            actor=officer,
            contract_id=contract.pk,
            data=ContractRenewIn(signed_date=D(2025, 8, 1), end_date=D(2030, 1, 1)),
        )
    with pytest.raises(Conflict):
        services.contract_terminate(
            actor=officer, contract_id=contract.pk, data=ContractEndIn(date=D(2025, 8, 1))
        )
    kinds = list(
        ContractEvent.objects.unscoped(reason="test")
        .filter(contract=contract)
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["signed", "renewed", "changed", "dissolved"]
    employment.refresh_from_db()
    assert employment.end_date == D(2025, 7, 1) and not employment.is_on_post
    assert _audits(contract).count() == 4


def test_terminate_and_open_ended_cannot_renew(spell):
    officer, employment = spell
    contract = services.contract_sign(
        actor=officer,
        employment_id=employment.pk,
        data=ContractIn(contract_type="open_ended", signed_date=D(2024, 3, 1), start_date=D(2024, 3, 1)),
    )
    with pytest.raises(Conflict, match="无需续订"):
        services.contract_renew(
            actor=officer, contract_id=contract.pk, data=ContractRenewIn(signed_date=D(2025, 1, 1))
        )
    services.contract_terminate(
        actor=officer, contract_id=contract.pk, data=ContractEndIn(date=D(2025, 1, 1), leave_employment=False)
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert Employment.objects.unscoped(reason="test").get(pk=employment.pk).end_date is None


def test_sibling_and_origin_officers_cannot_manage_the_roster(spell, personas):
    _, employment = spell
    for name in ("township_b", "elsewhere"):
        with pytest.raises(NotFound):
            services.contract_sign(
                actor=personas.actor(name),
                employment_id=employment.pk,
                data=ContractIn(
                    contract_type="open_ended", signed_date=D(2024, 3, 1), start_date=D(2024, 3, 1)
                ),
            )
    assert not LabourContract.objects.unscoped(reason="test").filter(employment=employment).exists()
