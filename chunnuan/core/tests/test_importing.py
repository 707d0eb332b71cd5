"""The import engine: reader, header detection, normalisers, errors, modes, atomicity, report."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chunnuan.access.permissions import Perm
from chunnuan.core import testing
from chunnuan.core.importing.engine import ImportResult, run_import
from chunnuan.core.importing.headers import normalize_label
from chunnuan.core.importing.normalize import (
    NUMERIC_ID_MESSAGE,
    CellValueError,
    NormalizeEnv,
    normalize_cell,
)
from chunnuan.core.importing.reader import ReadError, read_rows
from chunnuan.core.importing.regions import RegionResolver
from chunnuan.core.importing.spec import Column, ColumnKind, ContractTerm, ImportContext
from chunnuan.core.tests import _import_spec as t
from chunnuan.core.tests._import_spec import SPEC, csv_bytes, people, xlsx

HEADER = ["姓名", "身份证号码", "联系电话", "乡镇（街道）"]
ID1, ID2, ID3 = "220702199003151238", "220702198512010025", "11010519491231002X"
UNKNOWN_ADDRESS_ID = "999999199001010016"
FUTURE_ID = "220702300001010013"
COUNTY = testing.officer("220702", Perm.MANAGE_WORKERS, Perm.VIEW_PERSONAL_DATA)
TOWNSHIP_A = testing.officer("220702001", Perm.MANAGE_WORKERS, Perm.VIEW_PERSONAL_DATA)
NINGJIANG = "220702000000"


@pytest.fixture(autouse=True)
def _reset_spec() -> Any:
    t.reset()
    yield
    t.reset()


def run(
    tmp_path: Path,
    data: bytes,
    *,
    name: str = "名单.xlsx",
    actor: Any = COUNTY,
    region: str | None = NINGJIANG,
    mode: str = "valid-rows",
    dry_run: bool = False,
) -> ImportResult:
    path = tmp_path / name
    path.write_bytes(data)
    ctx = ImportContext(actor=actor, region_code=region, dry_run=dry_run)
    return run_import(spec=SPEC, source=path, filename=name, ctx=ctx, mode=mode)


def messages(result: ImportResult) -> list[str]:
    return [e["message"] for e in result.errors]


def col(kind: ColumnKind, **kw: Any) -> Column:
    return Column("v", "值", kind, **kw)


# --- normalisers ------------------------------------------------------------------------------

D = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        "20240301",
        20240301,
        45352,
        45352.0,
        "45352",
        dt.date(2024, 3, 1),
        dt.datetime(2024, 3, 1, 8, 30),
        "２０２４－０３－０１",
        "2024-03-01 00:00:00",
        " 2024 年 3 月 1 日 ",
    ],
)
def test_dates(raw: Any) -> None:
    assert normalize_cell(raw, col(ColumnKind.DATE)) == D


@pytest.mark.parametrize("raw", ["2024-13-01", "明天", "2024年3月", 0, -5])
def test_bad_dates(raw: Any) -> None:
    with pytest.raises(CellValueError):
        normalize_cell(raw, col(ColumnKind.DATE))


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("是", True),
        ("否", False),
        ("√", True),
        ("×", False),
        ("✓", True),
        ("✗", False),
        ("Y", True),
        ("n", False),
        ("有", True),
        ("无", False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("true", True),
        (True, True),
        ("是 ", True),
    ],
)
def test_bools(raw: Any, value: bool) -> None:
    assert normalize_cell(raw, col(ColumnKind.BOOL)) is value


def test_bad_bool() -> None:
    with pytest.raises(CellValueError, match="请填写“是”或“否”"):
        normalize_cell("也许", col(ColumnKind.BOOL))


@pytest.mark.parametrize(
    ("raw", "term"),
    [
        ("2024.3.1-2027.2.28", ContractTerm("fixed_term", D, dt.date(2027, 2, 28))),
        ("2024.3.1至2027.2.28", ContractTerm("fixed_term", D, dt.date(2027, 2, 28))),
        ("2024-03-01到2027-02-28", ContractTerm("fixed_term", D, dt.date(2027, 2, 28))),
        ("2024/3/1～2027/2/28", ContractTerm("fixed_term", D, dt.date(2027, 2, 28))),
        ("2024年3月1日~2027年2月28日", ContractTerm("fixed_term", D, dt.date(2027, 2, 28))),
        ("2024.3.1—2027.2.28", ContractTerm("fixed_term", D, dt.date(2027, 2, 28))),
        ("三年", ContractTerm("fixed_term", years=3)),
        ("3年", ContractTerm("fixed_term", years=3)),
        ("十二年", ContractTerm("fixed_term", years=12)),
        ("无固定期限", ContractTerm("open_ended")),
        ("以完成一定工作任务为期限", ContractTerm("task_based")),
    ],
)
def test_contract_terms(raw: str, term: ContractTerm) -> None:
    assert normalize_cell(raw, col(ColumnKind.CONTRACT_TERM)) == term


@pytest.mark.parametrize("raw", ["2027.2.28-2024.3.1", "很久", "2024.3.1-"])
def test_bad_contract_terms(raw: str) -> None:
    with pytest.raises(CellValueError, match="合同期限"):
        normalize_cell(raw, col(ColumnKind.CONTRACT_TERM))


def test_id_numbers() -> None:
    c = col(ColumnKind.ID_NUMBER)
    env = NormalizeEnv(today=dt.date(2026, 1, 1), address_known=lambda code: code == "220702")
    assert normalize_cell(" 2207 0219 9003 1512 38 ", c, env).number == ID1
    assert normalize_cell("１１０１０５１９４９１２３１００２ｘ", c, env).number == ID3
    info = normalize_cell(ID3.lower(), c, env)
    assert (info.number, info.sex, info.birth_date) == (ID3, "F", dt.date(1949, 12, 31))
    old = normalize_cell("220702900315123", c, env)
    assert len(old.number) == 18 and "15位" in old.warnings[0]
    assert normalize_cell(UNKNOWN_ADDRESS_ID, c, env).warnings[0].startswith("身份证号码前6位地址码999999")
    assert not normalize_cell(ID1, c, env).warnings
    for bad, message in [
        (ID1[:-1] + "9", "校验位不正确"),
        (FUTURE_ID, "不合理"),
        ("12345", "应为18位"),
        (2.20702e17, NUMERIC_ID_MESSAGE),
        (220702199003151000.0, NUMERIC_ID_MESSAGE),
        ("2.20702E+17", NUMERIC_ID_MESSAGE),
        (220702199003151238, NUMERIC_ID_MESSAGE),
    ]:
        with pytest.raises(CellValueError) as exc:
            normalize_cell(bad, c, env)
        assert message in exc.value.message, bad


def test_other_kinds() -> None:
    assert normalize_cell("１３８ ００１３ ８０００", col(ColumnKind.PHONE)) == "13800138000"
    assert normalize_cell(13800138000.0, col(ColumnKind.PHONE)) == "13800138000"
    assert normalize_cell("+86 138-0013-8000", col(ColumnKind.PHONE)) == "13800138000"
    # a contact number may be a landline (issue 8, defect 6): the same rule as the ledger's form
    assert normalize_cell("0438-1234567", col(ColumnKind.PHONE)) == "0438-1234567"
    assert normalize_cell("（0438）1234567", col(ColumnKind.PHONE)) == "0438-1234567"
    with pytest.raises(CellValueError, match="联系电话"):
        normalize_cell("12345", col(ColumnKind.PHONE))
    assert normalize_cell("  ｚｈａｎｇ　三 ", col(ColumnKind.TEXT)) == "zhang 三"
    assert normalize_cell("=SUM(A1)", col(ColumnKind.TEXT)) == "=SUM(A1)"  # text, not a formula
    assert normalize_cell(12.0, col(ColumnKind.TEXT)) == "12"
    with pytest.raises(CellValueError, match="内容过长"):
        normalize_cell("一二三", col(ColumnKind.TEXT, max_length=2))
    assert normalize_cell("1,200", col(ColumnKind.INT)) == 1200
    assert normalize_cell(3.0, col(ColumnKind.INT)) == 3
    for bad in ("-1", "1.5", "三"):
        with pytest.raises(CellValueError):
            normalize_cell(bad, col(ColumnKind.INT))
    assert normalize_cell("1,234.50", col(ColumnKind.DECIMAL)) == Decimal("1234.50")
    assert normalize_cell(0.1, col(ColumnKind.DECIMAL)) == Decimal("0.1")
    assert normalize_cell("91110000600037341l", col(ColumnKind.CREDIT_CODE)) == "91110000600037341L"
    with pytest.raises(CellValueError, match="统一社会信用代码"):
        normalize_cell("91110000600037341A", col(ColumnKind.CREDIT_CODE))
    assert normalize_cell("220702", col(ColumnKind.REGION_CODE)) == NINGJIANG
    assert normalize_cell(220702001000.0, col(ColumnKind.REGION_CODE)) == "220702001000"
    with pytest.raises(CellValueError, match="区划代码"):
        normalize_cell("2207", col(ColumnKind.REGION_CODE))
    choice = col(
        ColumnKind.CHOICE, choices={"全日制": "full_time", "非全日制": "part_time", "劳务派遣": "dispatched"}
    )
    assert normalize_cell("全日制", choice) == "full_time"
    assert normalize_cell(" 劳务 派遣", choice) == "dispatched"
    assert normalize_cell("part_time", choice) == "part_time"
    with pytest.raises(CellValueError, match="可选：全日制、非全日制、劳务派遣"):
        normalize_cell("兼职", choice)
    assert normalize_cell("   ", col(ColumnKind.TEXT)) is None


def test_label_normalisation() -> None:
    assert normalize_label("身份证号码\n（18位）*") == "身份证号码"
    assert normalize_label(" 姓 名（必填）") == "姓名"
    assert normalize_label("＊联系电话") == "联系电话"


# --- reading and headers -------------------------------------------------------------------------


def test_header_below_title_and_notes(tmp_path: Path, regions: Any) -> None:
    data = xlsx(
        [
            ["松原市宁江区农民工实名制台帐"],
            ["填报单位：宁江区人社局", None, None, "2025年1月"],
            [],
            ["序号", "姓名*", "身份证号码\n(18位)", "手机号码", "所在乡镇", "籍贯", "备注"],
            [1, "张三", ID1, "13800138000", "团结", "吉林", ""],
            [2, "李四", ID2, "13900139000", "文化街道", "吉林", "无"],
            ["合计", 2],
            [],
            ["填表人：王五", None, "审核人：赵六"],
            ["备注：本表由乡镇填报"],
        ],
        merges=["A1:G1"],
    )
    result = run(tmp_path, data)
    assert result.errors == []
    assert (result.rows, result.created, result.skipped) == (2, 2, 3)
    assert result.header_rows == [4]
    assert result.ignored_columns == ["序号", "籍贯", "备注"]
    assert result.columns == ["姓名*", "身份证号码 (18位)", "手机号码", "所在乡镇"]
    codes = dict(people().values_list("object_id", "region_code"))
    assert codes == {ID1: "220702001000", ID2: "220702002000"}


def test_two_row_merged_header(tmp_path: Path, regions: Any) -> None:
    # 序号 and 乡镇 merged vertically over two rows; 基本信息 merged over three columns.
    data = xlsx(
        [
            ["职工名单"],
            ["序号", "基本信息", None, None, "乡镇（街道）", "联系方式"],
            [None, "姓名", "性别", "公民身份号码", None, None],
            [1, "张三", "男", ID1, "团结街道", "13800138000"],
        ],
        merges=["A2:A3", "B2:D2", "E2:E3", "F2:F3"],
    )
    result = run(tmp_path, data)
    assert result.errors == [] and result.created == 1
    assert result.header_rows[-1] == 3  # vertical merges are filled down, so row 3 has every label
    assert result.ignored_columns == ["序号", "性别"]
    # Without merge information (CSV): the labels are split between the two rows.
    rows = [
        ["序号", "基本信息", "", "", "乡镇（街道）", "联系方式"],
        ["", "姓名", "性别", "公民身份号码", "", ""],
        ["1", "李四", "女", ID2, "文化", "13900139000"],
    ]
    result = run(tmp_path, csv_bytes(rows), name="a.csv")
    assert result.errors == [] and result.created == 1
    assert result.header_rows == [1, 2]
    assert result.ignored_columns == ["序号", "性别"]


def test_missing_required_header(tmp_path: Path, regions: Any) -> None:
    with pytest.raises(ReadError, match="表格缺少必填的列：身份证号码"):
        run(tmp_path, xlsx([["姓名", "联系电话"], ["张三", "13800138000"]]))
    with pytest.raises(ReadError, match="找不到表头"):
        run(tmp_path, xlsx([["甲", "乙"], [1, 2]]))


def test_merged_cells_in_data_rows_fill_down(tmp_path: Path, regions: Any) -> None:
    data = xlsx(
        [HEADER, ["张三", ID1, "", "团结街道"], ["李四", ID2, "", None], ["王五", ID3, "", "文化街道"]],
        merges=["D2:D3"],
    )
    result = run(tmp_path, data)
    assert result.created == 3
    assert people().get(object_id=ID2).region_code == "220702001000"


def test_row_errors(tmp_path: Path, regions: Any) -> None:
    data = xlsx(
        [
            HEADER,
            ["张三", ID1, "13800138000", "团结"],
            ["错校验", ID1[:-1] + "9", "", ""],
            ["存成数字", 2.20702e17, "", ""],
            ["未来", FUTURE_ID, "", ""],
            [None, ID2, "", ""],
            ["没号码", None, "", ""],
            ["张冒名", ID1, "", ""],
            ["张三", ID1, "", "团结"],
            ["找不到", ID3, "", "不存在镇"],
            ["远方", UNKNOWN_ADDRESS_ID, "", ""],
        ]
    )
    result = run(tmp_path, data)
    errors = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert "校验位不正确" in errors[(3, "身份证号码")]
    assert errors[(4, "身份证号码")] == NUMERIC_ID_MESSAGE
    assert "不合理" in errors[(5, "身份证号码")]
    assert errors[(6, "姓名")] == "请填写姓名"
    assert errors[(7, "身份证号码")] == "请填写身份证号码"
    assert errors[(8, "身份证号码")] == "与第2行身份证号码相同但姓名不同"
    assert errors[(10, "乡镇（街道）")] == "在“宁江区”内找不到乡镇（街道）“不存在镇”"
    assert (result.rows, result.rejected, result.created, result.unchanged) == (10, 7, 2, 1)
    warned = {(w["row"], w["message"][:11]) for w in result.warning_list}
    assert (9, "与第2行身份证号码相同") in warned  # an exact duplicate is skipped with a warning
    assert any(w["row"] == 11 and "999999" in w["message"] for w in result.warning_list)
    assert result.warnings == 2
    assert set(people().values_list("object_id", flat=True)) == {ID1, UNKNOWN_ADDRESS_ID}


def test_out_of_reach_and_region_sources(tmp_path: Path, regions: Any) -> None:
    data = xlsx(
        [
            ["姓名", "身份证号码", "区划代码", "乡镇"],
            ["甲", ID1, "", "文化"],
            ["乙", ID2, "220702001000", ""],
            ["丙", ID3, "", ""],
            ["丁", UNKNOWN_ADDRESS_ID, "220721100000", ""],
        ]
    )
    result = run(tmp_path, data, actor=TOWNSHIP_A, region="220702001000")
    errors = {e["row"]: e["message"] for e in result.errors}
    assert errors[2] == "在“团结街道”内找不到乡镇（街道）“文化”"
    assert errors[5] == "区划代码“220721100000”不在所选地区“团结街道”内"
    assert result.created == 2
    result = run(tmp_path, data, actor=TOWNSHIP_A, region=None)
    errors = {e["row"]: e["message"] for e in result.errors}
    assert errors[2] == "在您的管辖范围内找不到乡镇（街道）“文化”"
    assert errors[5] == "“220721100000”不在您的管辖范围内"


def test_region_resolver(regions: Any) -> None:
    ctx = ImportContext(actor=COUNTY, region_code=NINGJIANG)
    resolver = RegionResolver.of(ctx)
    assert RegionResolver.of(ctx) is resolver
    assert resolver.resolve(name="团结") == ("220702001000", [])
    assert resolver.resolve(name="团结街道") == ("220702001000", [])
    assert resolver.resolve() == (NINGJIANG, [])
    assert resolver.resolve(code="220702002000") == ("220702002000", [])
    code, errors = resolver.resolve(code="220702009000")
    assert code is None and "不存在或已停用" in errors[0].message


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [("gbk", ",", b""), ("gb18030", "\t", b""), ("utf-8", ",", b"\xef\xbb\xbf"), ("utf-8", ";", b"")],
)
def test_csv_encodings(tmp_path: Path, regions: Any, encoding: str, delimiter: str, bom: bytes) -> None:
    data = bom + csv_bytes(
        [HEADER, ["张三", ID1, "13800138000", "团结街道"], ["李四", ID2, "", "文化"]],
        encoding=encoding,
        delimiter=delimiter,
    )
    result = run(tmp_path, data, name="名单.csv")
    assert result.errors == [] and result.created == 2
    assert people().get(object_id=ID1).object_repr == "张三"


def test_csv_numeric_id_and_misnamed_file(tmp_path: Path, regions: Any) -> None:
    data = csv_bytes([HEADER, ["张三", "2.20702E+17", "", ""]], encoding="gbk")
    result = run(tmp_path, data, name="名单.xlsx")  # a CSV named .xlsx is read as CSV
    assert messages(result) == [NUMERIC_ID_MESSAGE]


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def _encrypted() -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    return header + entry + b"\x00" * 1024


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.xlsx", "文件是空的"),
        (b"\n\n", "a.csv", "文件是空的"),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            "a.xlsx",
            "无法识别的文件格式，请上传 .xlsx、.xls 或 .csv 文件",
        ),
        (b"%PDF-1.4 whatever", "a.csv", "无法识别的文件格式"),
        (b"PK\x03\x04" + b"garbage" * 50, "a.xlsx", "文件已损坏，无法读取"),
        (_encrypted(), "a.xlsx", "文件已加密，请去掉密码后再导入"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.xls", "文件已损坏，无法读取"),
        (b"<html><body><table><tr><td>1</td></tr></table>", "a.xls", "网页（HTML）格式"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4, "a.csv", "无法识别的文件格式"),
    ],
    ids=["empty", "blank", "png", "pdf", "corrupt-zip", "encrypted", "corrupt-ole", "html", "jpeg"],
)
def test_unreadable_files(tmp_path: Path, regions: Any, data: bytes, name: str, message: str) -> None:
    with pytest.raises(ReadError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        run(tmp_path, data, name=name)
    assert not people().exists()


def test_zip_bomb_is_refused_before_decompression(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_bomb())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(ReadError, match="文件异常（解压后过大），已拒绝"):
        read_rows(path)


def test_not_a_spreadsheet_zip(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    path = tmp_path / "a.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ReadError, match="无法识别的文件格式"):
        read_rows(path)


def test_used_range_to_the_last_row_imports_quickly(tmp_path: Path, regions: Any) -> None:
    data = xlsx([HEADER, ["张三", ID1, "", "团结"], ["李四", ID2, "", "团结"]], big_used_range=True)
    started = time.monotonic()
    result = run(tmp_path, data)
    assert time.monotonic() - started < 3
    assert (result.rows, result.created) == (2, 2)


def test_reader_reads_file_objects(tmp_path: Path) -> None:
    sheet = read_rows(io.BytesIO(xlsx([HEADER, ["张三", ID1]])))
    assert sheet.format == "xlsx"
    assert list(sheet.rows) == [(1, HEADER), (2, ["张三", ID1, "", ""])]


# --- modes, transactions, report -------------------------------------------------------------------

GOOD_AND_BAD = [
    HEADER,
    ["张三", ID1, "13800138000", "团结"],
    ["李四", ID2, "123", "团结"],
    ["王五", ID3, "", "文化"],
]


def test_all_or_nothing_writes_nothing_when_a_row_is_wrong(tmp_path: Path, regions: Any) -> None:
    result = run(tmp_path, xlsx(GOOD_AND_BAD), mode="all-or-nothing")
    assert (result.rejected, result.created, result.written) == (1, 0, False)
    assert "未导入任何数据" in result.note
    assert not people().exists()
    result = run(tmp_path, xlsx(GOOD_AND_BAD), mode="valid-rows")
    assert (result.rejected, result.created, result.written) == (1, 2, True)
    assert people().count() == 2


def test_all_or_nothing_rolls_back_rows_apply_rejects(tmp_path: Path, regions: Any) -> None:
    data = xlsx([HEADER, ["张三", ID1, "", ""], ["拒绝我", ID2, "", ""]])
    result = run(tmp_path, data, mode="all-or-nothing")
    assert (result.rejected, result.created) == (1, 0) and not people().exists()
    assert messages(result) == ["应用时拒绝"]


def test_a_crash_mid_import_leaves_nothing_written(tmp_path: Path, regions: Any) -> None:
    rows = [HEADER] + [[f"人{i}", _id(i), "", "团结"] for i in range(8)]  # batches of 3
    t.FAIL_ON_BATCH["n"] = 2
    with pytest.raises(RuntimeError, match="boom"):
        run(tmp_path, xlsx(rows))
    assert not people().exists()


def test_dry_run_counts_but_writes_nothing(tmp_path: Path, regions: Any) -> None:
    result = run(tmp_path, xlsx(GOOD_AND_BAD), dry_run=True)
    assert (result.created, result.rejected, result.written, result.dry_run) == (2, 1, False, True)
    assert not people().exists()
    assert [p["row"] for p in result.preview] == [2, 3, 4]
    # masked as the ledger masks, whoever imports (issue 9 defect 2): the preview is kept with a run
    assert result.preview[0]["values"][:2] == ["张三", ID1[:4] + "*" * 10 + ID1[-4:]]
    assert "联系电话“" in result.preview[1]["errors"]


def test_reimport_is_idempotent_and_updates_changes(tmp_path: Path, regions: Any) -> None:
    rows = [HEADER] + [[f"人{i}", _id(i), "", "团结"] for i in range(7)]
    first = run(tmp_path, xlsx(rows))
    assert (first.created, first.updated, first.unchanged) == (7, 0, 0)
    second = run(tmp_path, xlsx(rows))
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 7, 0)
    rows[3][3] = "文化"
    third = run(tmp_path, xlsx(rows))
    assert (third.updated, third.unchanged) == (1, 6)


def test_error_report_workbook(tmp_path: Path, regions: Any) -> None:
    from openpyxl import load_workbook

    data = xlsx([["标题"], [*HEADER, "备注"], ["张三", ID1, "", ""], ["李四", 2.20702e17, "12", "", "=1+1"]])
    result = run(tmp_path, data)
    assert result.error_report and Path(result.error_report).is_file()
    assert Path(result.error_report).is_relative_to(Path(tmp_path / "media" / "imports"))
    book = load_workbook(result.error_report)
    sheet = book.worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [*HEADER, "备注", "错误说明", "原行号"]
    assert rows[1][:2] == ["李四", 2.20702e17] and rows[1][4] == "=1+1" and rows[1][6] == 4
    assert sheet.cell(row=2, column=5).data_type == "s"
    assert NUMERIC_ID_MESSAGE in rows[1][5] and "联系电话“" in rows[1][5]
    assert book.worksheets[1].title == "提示"
    # The fixed file imports again: the report's own header is found, its extra columns ignored.
    sheet.cell(row=2, column=2).value = ID2
    sheet.cell(row=2, column=3).value = "13900139000"
    fixed = tmp_path / "fixed.xlsx"
    book.save(fixed)
    again = run(tmp_path, fixed.read_bytes(), name="fixed.xlsx")
    assert (again.created, again.rejected) == (1, 0)
    assert again.ignored_columns == ["备注", "错误说明", "原行号"]


def test_result_json_shape(tmp_path: Path, regions: Any) -> None:
    result = run(tmp_path, xlsx(GOOD_AND_BAD))
    assert list(result.as_json()) == [
        "kind",
        "rows",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "warnings",
        "errors",
        "error_report",
    ]
    assert result.as_json()["errors"][0] == {
        "row": 3,
        "column": "联系电话",
        "message": result.errors[0]["message"],
    }
    assert ImportResult.from_dict(result.to_dict()) == result


def _id(i: int) -> str:
    from chunnuan.core.identifiers import id_check_char

    base = f"22070219900101{i:03d}"
    return base + id_check_char(base)
