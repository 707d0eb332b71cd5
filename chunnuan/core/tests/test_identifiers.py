from __future__ import annotations

import datetime as dt

import pytest

from chunnuan.core.errors import ValidationFailed
from chunnuan.core.identifiers import normalize_phone, parse_id_number


def test_valid_id_gives_birth_date_and_sex():
    info = parse_id_number("220702199003151238", address_known=lambda code: code == "220702")
    assert info.birth_date == dt.date(1990, 3, 15)
    assert info.sex == "M"  # 17th digit 3 is odd
    assert info.warnings == []


def test_normalises_full_width_spaces_and_lower_x():
    # 11010519491231002X is the standard's own example
    assert parse_id_number(" １１０１０５ 19491231002x ").number == "11010519491231002X"


def test_wrong_check_digit_is_an_error_in_chinese():
    with pytest.raises(ValidationFailed, match="校验位"):
        parse_id_number("220702199003151239")


def test_future_or_ancient_birth_dates_are_errors():
    from chunnuan.core.identifiers import id_check_char

    future = "22070220990101123"
    with pytest.raises(ValidationFailed, match="出生日期"):
        parse_id_number(future + id_check_char(future))
    old = "22070218890101123"
    with pytest.raises(ValidationFailed, match="出生日期"):
        parse_id_number(old + id_check_char(old))


def test_unknown_address_code_is_only_a_warning():
    from chunnuan.core.identifiers import id_check_char

    first17 = "99999919900101123"
    info = parse_id_number(first17 + id_check_char(first17))
    assert info.warnings and "地址码" in info.warnings[0]


def test_fifteen_digit_ids_are_converted_and_flagged():
    info = parse_id_number("220702900315123")
    assert len(info.number) == 18 and info.number.startswith("22070219900315")
    assert "15位" in info.warnings[0]


@pytest.mark.parametrize("bad", ["", "12345", "2207021990031512", "22070219900315123Y", "2.20702E+17"])
def test_malformed_ids_are_rejected(bad):
    with pytest.raises(ValidationFailed):
        parse_id_number(bad)


def test_phone_numbers():
    assert normalize_phone("+86 138-0013-8000") == "13800138000"
    assert normalize_phone("１３８００１３８０００") == "13800138000"
    with pytest.raises(ValidationFailed, match="手机号码"):
        normalize_phone("12345")
