import datetime as dt
import random
from decimal import Decimal

import pytest

from chunnuan.access.scoping import actor_scope
from chunnuan.audit.models import AuditEvent
from chunnuan.core import synthetic
from chunnuan.core.identifiers import parse_id_number
from chunnuan.core.importing.spec import CleanRow, ContractTerm, ImportContext, Outcome, get_spec
from chunnuan.employers.models import ContractEvent, Employer, Employment, LabourContract
from chunnuan.employers.tests import factories as f
from chunnuan.workers.models import Worker

D = dt.date
pytestmark = pytest.mark.django_db
U = "测试"


def _row(n, **values):
    return CleanRow(row=n + 2, values=values, raw=[])


def _employer_rows(count, rng):
    return [
        _row(
            i,
            name=f"导入单位{i}",
            credit_code=synthetic.credit_code(rng, "220702"),
            industry="C13",
            economic_type="private",
            staff_count=25,
            revenue=Decimal(400),
            assets=None,
            township="团结街道",
            region_code=None,
            is_key_contact=True,
            contact_phone="13800138000",
        )
        for i in range(count)
    ]


def _run(spec, ctx, rows):
    errors = {r.row: spec.check_row(ctx, r) for r in rows}
    assert not any(errors.values()), errors
    return [o.outcome for o in spec.apply(ctx, rows)]


def test_employers_import_creates_updates_and_is_idempotent(personas, django_assert_max_num_queries):
    spec = get_spec("employers")
    actor = personas.actor("county")
    rows = _employer_rows(30, random.Random(1))
    ctx = ImportContext(actor=actor, region_code="220702000000")
    with actor_scope(actor), django_assert_max_num_queries(8):
        assert set(_run(spec, ctx, rows)) == {Outcome.CREATED}
    employer = Employer.objects.unscoped(reason="test").get(credit_code=rows[0].values["credit_code"])
    assert (employer.region_code, employer.industry.code, employer.size_class) == (
        "220702001000",
        "13",
        "small",
    )
    assert employer.is_key_contact and employer.contact_phone == "13800138000"
    ctx = ImportContext(actor=actor, region_code="220702000000")
    rows = _employer_rows(30, random.Random(1))
    rows[0].values["staff_count"] = 10
    with actor_scope(actor), django_assert_max_num_queries(8):
        outcomes = _run(spec, ctx, rows)
    assert outcomes[0] == Outcome.UPDATED and set(outcomes[1:]) == {Outcome.UNCHANGED}
    employer.refresh_from_db()
    assert employer.size_class == "micro"
    change = (
        AuditEvent.objects.unscoped(reason="test").filter(object_id=str(employer.pk), action="update").get()
    )
    assert change.changes["staff_count"] == [25, 10]


def test_employers_import_rejects_an_employer_out_of_reach(personas):
    spec = get_spec("employers")
    actor = personas.actor("township_b")
    row = _row(
        1,
        name="团结测试建筑有限公司",
        credit_code=personas.employer.credit_code,
        township=None,
        region_code=None,
    )
    ctx = ImportContext(actor=actor, region_code="220702002000")
    assert not spec.check_row(ctx, row)
    assert spec.apply(ctx, [row])[0].outcome == Outcome.REJECTED
    assert Employer.objects.unscoped(reason="test").get(pk=personas.employer.pk).region_code == "220702001000"


def _roster_rows(count, *, period=True):
    rows = []
    for i in range(count):
        number = f.unique_id("220702" if i % 2 else "500103")
        values = {
            "name": f"名册{number[-6:]}",
            "id_number": parse_id_number(number),
            "start_date": D(2024, 3, 1),
            "employment_form": "full_time",
            "post": "钢筋工",
            "is_insured": True,
            "is_migrant_worker": True,
        }
        if period:
            values["contract_period"] = ContractTerm("fixed_term", D(2024, 3, 1), D(2027, 2, 28))
        rows.append(_row(i, **values))
    return rows


def test_roster_import_creates_workers_employments_and_contracts(personas, django_assert_max_num_queries):
    spec = get_spec("roster")
    actor = personas.actor("township_a")
    ctx = ImportContext(actor=actor, employer_id=personas.employer.pk)
    rows = _roster_rows(40)
    with actor_scope(actor):
        spec.check_row(ctx, rows[0])  # warm the per-import cache (the employer)
        with django_assert_max_num_queries(14):
            assert set(_run(spec, ctx, rows)) == {Outcome.CREATED}
    employments = Employment.objects.unscoped(reason="test").filter(employer=personas.employer)
    assert employments.count() == 40
    contract = LabourContract.objects.unscoped(reason="test").filter(employment__in=employments).first()
    assert (contract.start_date, contract.end_date, contract.status) == (
        D(2024, 3, 1),
        D(2027, 2, 28),
        "in_force",
    )
    assert ContractEvent.objects.unscoped(reason="test").filter(kind="signed").count() == 40
    far = Worker.objects.unscoped(reason="test").get(
        id_number_hash__isnull=False, name=rows[0].values["name"]
    )
    assert far.origin_region_code == "500103000000" and far.work_region_code == "220702001000"


def test_roster_import_is_idempotent_and_updates(personas, django_assert_max_num_queries):
    spec = get_spec("roster")
    actor = personas.actor("township_a")
    rows = _roster_rows(20)
    with actor_scope(actor):
        ctx = ImportContext(actor=actor, employer_id=personas.employer.pk)
        _run(spec, ctx, rows)
        ctx = ImportContext(actor=actor, employer_id=personas.employer.pk)
        spec.check_row(ctx, rows[0])
        with django_assert_max_num_queries(6):
            assert set(_run(spec, ctx, rows)) == {Outcome.UNCHANGED}
        rows[3].values["post"] = "木工"
        rows[4].values["contract_period"] = ContractTerm("fixed_term", D(2024, 3, 1), D(2026, 2, 28))
        with django_assert_max_num_queries(12):
            outcomes = _run(spec, ctx, rows)
    assert outcomes[3] == outcomes[4] == Outcome.UPDATED and outcomes.count(Outcome.UNCHANGED) == 18
    assert LabourContract.objects.unscoped(reason="test").filter(end_date=D(2026, 2, 28)).count() == 1


def test_roster_row_checks(personas):
    spec = get_spec("roster")
    ctx = ImportContext(actor=personas.actor("township_a"), employer_id=personas.employer.pk)
    info = parse_id_number(f.unique_id())
    row = _row(
        1,
        name="甲",
        id_number=info,
        start_date=D(2024, 3, 1),
        birth_date=D(1999, 1, 1),
        sex="F" if info.sex == "M" else "M",
        contract_type="无固定期限",
        contract_end=D(2030, 1, 1),
    )
    columns = {e.column for e in spec.check_row(ctx, row)}
    assert {"出生日期", "性别", "合同期限"} <= columns
    ok = _row(
        2,
        name="乙",
        id_number=info,
        start_date=D(2024, 3, 1),
        contract_type="固定期限",
        contract_term=ContractTerm("fixed_term", years=3),
    )
    assert not spec.check_row(ctx, ok)
    assert ok.values["contract"].end == D(2027, 2, 28)


def test_roster_import_never_blanks_a_registered_person(personas):
    """Issue 8, defect 1 (roster import): empty cells leave the ledger's values alone."""
    spec = get_spec("roster")
    actor = personas.actor("township_a")
    record = personas.worker_record
    Worker.objects.unscoped(reason="test").filter(pk=record.pk).update(origin_address="和平村3组")
    row = _row(
        1,
        name=record.name,
        id_number=parse_id_number(record.id_number),
        phone=None,
        origin_address=None,
        hukou_type=None,
        start_date=D(2024, 3, 1),
        post="钢筋工",
    )
    with actor_scope(actor):
        ctx = ImportContext(actor=actor, employer_id=personas.employer.pk)
        assert _run(spec, ctx, [row]) == [Outcome.CREATED]
    stored = Worker.objects.unscoped(reason="test").get(pk=record.pk)
    assert (stored.phone, stored.origin_address) == ("13800138000", "和平村3组")
    assert Employment.objects.unscoped(reason="test").get(worker=stored).post == "钢筋工"
