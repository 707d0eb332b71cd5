"""报表期间 and 工作日: period keys, 旬 boundaries, working days around 春节 and 国庆, deadlines.

Holiday facts are from the State Council notice for 2026 as chinese-calendar 1.11 records them
(checked against the library before being asserted here).
"""

from __future__ import annotations

import datetime as dt

import pytest

from chunnuan.core.errors import ValidationFailed
from chunnuan.reporting.periods import (
    LOCAL_TZ,
    Period,
    PeriodKind,
    add_working_days,
    days_late,
    deadline_moment,
    dekad_period,
    is_working_day,
    parse_period,
    period_containing,
    periods_between,
    previous_period,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("key", "kind", "start", "end", "label"),
    [
        ("2026", PeriodKind.YEAR, D(2026, 1, 1), D(2026, 12, 31), "2026年"),
        ("2026Q1", PeriodKind.QUARTER, D(2026, 1, 1), D(2026, 3, 31), "2026年第1季度"),
        ("2026Q4", PeriodKind.QUARTER, D(2026, 10, 1), D(2026, 12, 31), "2026年第4季度"),
        ("2026-02", PeriodKind.MONTH, D(2026, 2, 1), D(2026, 2, 28), "2026年2月"),
        ("2026-02D1", PeriodKind.DEKAD, D(2026, 2, 1), D(2026, 2, 10), "2026年2月上旬"),
        ("2026-02D2", PeriodKind.DEKAD, D(2026, 2, 11), D(2026, 2, 20), "2026年2月中旬"),
        ("2026-02D3", PeriodKind.DEKAD, D(2026, 2, 21), D(2026, 2, 28), "2026年2月下旬"),
        ("2024-02D3", PeriodKind.DEKAD, D(2024, 2, 21), D(2024, 2, 29), "2024年2月下旬"),
        ("2026-01D3", PeriodKind.DEKAD, D(2026, 1, 21), D(2026, 1, 31), "2026年1月下旬"),
        ("2026-04D3", PeriodKind.DEKAD, D(2026, 4, 21), D(2026, 4, 30), "2026年4月下旬"),
        ("2026W07", PeriodKind.WEEK, D(2026, 2, 9), D(2026, 2, 15), "2026年第7周"),
        ("2026W53", PeriodKind.WEEK, D(2026, 12, 28), D(2027, 1, 3), "2026年第53周"),
        (" 2026-02D2 ", PeriodKind.DEKAD, D(2026, 2, 11), D(2026, 2, 20), "2026年2月中旬"),
    ],
)
def test_every_period_form_parses(key, kind, start, end, label):
    period = parse_period(key)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)
    assert period.key == key.strip()


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("2026-02D4", "格式不正确"),
        ("2026-02D0", "格式不正确"),
        ("2026-13", "月份 13 不存在"),
        ("2026-00", "月份 0 不存在"),
        ("2026Q5", "格式不正确"),
        ("2026Q0", "格式不正确"),
        ("abc", "格式不正确"),
        ("", "格式不正确"),
        ("2026W54", "2026 年没有第 54 周"),
        ("2026W00", "2026 年没有第 0 周"),
        ("2025W53", "2025 年没有第 53 周"),
        ("1900", "不在可填报范围内"),
        ("26-02", "格式不正确"),
    ],
)
def test_bad_period_keys_are_refused_in_chinese(key, message):
    with pytest.raises(ValidationFailed) as e:
        parse_period(key)
    assert message in e.value.message
    assert e.value.fields == {"period": e.value.fields["period"]}


def test_campaign_codes_need_a_lookup():
    window = Period(PeriodKind.CAMPAIGN, "CN2026", D(2026, 1, 5), D(2026, 3, 31), "2026年春暖行动")
    assert parse_period("CN2026", campaign=lambda code: window if code == "CN2026" else None) is window
    with pytest.raises(ValidationFailed) as e:
        parse_period("CN2025", campaign=lambda code: None)
    assert "没有代码为“CN2025”的专项行动" in e.value.message
    with pytest.raises(ValidationFailed):  # without a lookup a campaign code is not a period
        parse_period("CN2026")


def test_dekads_cover_each_month_exactly():
    for year, month, last in ((2026, 2, 28), (2024, 2, 29), (2026, 12, 31), (2026, 6, 30)):
        dekads = [dekad_period(year, month, n) for n in (1, 2, 3)]
        assert [d.start.day for d in dekads] == [1, 11, 21]
        assert [d.end.day for d in dekads] == [10, 20, last]
    assert period_containing(PeriodKind.DEKAD, D(2026, 2, 20)).key == "2026-02D2"
    assert period_containing(PeriodKind.DEKAD, D(2026, 2, 21)).key == "2026-02D3"
    assert period_containing(PeriodKind.DEKAD, D(2024, 2, 29)).key == "2024-02D3"
    assert [p.key for p in periods_between(PeriodKind.DEKAD, D(2026, 1, 25), D(2026, 2, 11))] == [
        "2026-01D3",
        "2026-02D1",
        "2026-02D2",
    ]
    assert previous_period(parse_period("2026-03D1")).key == "2026-02D3"
    assert previous_period(parse_period("2026Q1")).key == "2025Q4"


def test_spring_festival_2026_working_days():
    # 春节 2026: 2月15日（日）至23日（一）放假；2月14日（六）、2月28日（六）上班
    assert D(2026, 2, 14).weekday() == 5 and is_working_day(D(2026, 2, 14))
    assert D(2026, 2, 28).weekday() == 5 and is_working_day(D(2026, 2, 28))
    for day in range(15, 24):
        assert not is_working_day(D(2026, 2, day)), day
    assert is_working_day(D(2026, 2, 24))
    assert not is_working_day(D(2026, 2, 21))  # an ordinary Saturday inside the holiday
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert add_working_days(D(2026, 2, 20), 0) == D(2026, 2, 20)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # 14, 24–27, 28
    assert working_days_between(D(2026, 2, 28), D(2026, 2, 13)) == -6


def test_national_day_2026_working_days():
    # 国庆 2026: 10月1日至7日放假；9月20日（日）、10月10日（六）上班
    assert D(2026, 9, 20).weekday() == 6 and is_working_day(D(2026, 9, 20))
    assert D(2026, 10, 10).weekday() == 5 and is_working_day(D(2026, 10, 10))
    for day in range(1, 8):
        assert not is_working_day(D(2026, 10, day)), day
    assert not is_working_day(D(2026, 10, 11))
    assert add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 10, 8), 2) == D(2026, 10, 10)
    # the deadline of September's third dekad, two working days after it ends
    assert add_working_days(parse_period("2026-09D3").end, 2) == D(2026, 10, 9)


def test_a_year_the_calendar_does_not_know_is_an_explicit_error():
    with pytest.raises(ValidationFailed) as e:
        is_working_day(D(2027, 1, 4))
    assert e.value.code == "calendar_unknown" and "2027" in e.value.message
    with pytest.raises(ValidationFailed) as e:
        add_working_days(D(2026, 12, 31), 1)
    assert e.value.code == "calendar_unknown"


def test_deadline_is_inclusive_until_2359_local_time():
    deadline = D(2026, 2, 24)
    moment = deadline_moment(deadline)
    assert moment.tzinfo is LOCAL_TZ and (moment.hour, moment.minute) == (23, 59)
    at = dt.datetime(2026, 2, 24, 23, 59, 30, tzinfo=LOCAL_TZ)
    assert days_late(deadline, at) == 0
    assert days_late(deadline, dt.datetime(2026, 2, 25, 0, 0, 1, tzinfo=LOCAL_TZ)) == 1
    # 16:30 UTC is already 00:30 the next day in Beijing
    assert days_late(deadline, dt.datetime(2026, 2, 24, 16, 30, tzinfo=dt.UTC)) == 1
    assert days_late(deadline, dt.datetime(2026, 2, 24, 15, 59, tzinfo=dt.UTC)) == 0
    # not yet in: counted to now
    assert days_late(deadline, None, now=dt.datetime(2026, 3, 3, 9, 0, tzinfo=LOCAL_TZ)) == 7
    assert days_late(deadline, None, now=dt.datetime(2026, 2, 20, 9, 0, tzinfo=LOCAL_TZ)) == 0
