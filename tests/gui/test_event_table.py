"""How the event table writes a date: never more precise, nor less, than the interval."""

from __future__ import annotations

import pytest

from gui.event_table import format_event_date


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        ("2024-08-07", "2024-08-07", "day", "2024-08-07"),
        ("2024-02-01", "2024-02-29", "month", "2024-02"),  # a whole (leap) month
        ("2024-07-21", "2024-07-31", "month", "2024-07-21 ~ 07-31"),  # 지난달 말: late part
        ("2024-07-01", "2024-07-10", "month", "2024-07-01 ~ 07-10"),  # early part
        ("2023-01-01", "2023-12-31", "year", "2023"),
        ("2023-09-01", "2023-12-31", "year", "2023-09-01 ~ 12-31"),  # 연말
        ("2023-11-21", "2023-12-01", "range", "2023-11-21 ~ 12-01"),
        ("2023-12-25", "2024-01-05", "range", "2023-12-25 ~ 2024-01-05"),
        ("", "", "unknown", "날짜 없음"),
    ],
)
def test_format_event_date(start: str, end: str, precision: str, shown: str) -> None:
    assert format_event_date(start, end, precision) == shown


def test_seed_event_columns_fit_as_qt_sizes_every_row(open_seeds):
    from gui.event_table import COMPACT_COLUMN_PX, EVENT_COLUMNS, TITLE_COLUMN, TITLE_MAX_PX

    table = open_seeds().event_table
    # the last column stretches over what the others leave
    columns = range(table.model().columnCount() - 1)
    fitted = [table.columnWidth(c) for c in columns]
    table.horizontalHeader().setResizeContentsPrecision(-1)
    for column in columns:
        table.resizeColumnToContents(column)
    caps = [
        TITLE_MAX_PX if c == TITLE_COLUMN else COMPACT_COLUMN_PX.get(EVENT_COLUMNS[c][0], 10**6)
        for c in columns
    ]
    assert fitted == [min(table.columnWidth(c), cap) for c, cap in zip(columns, caps, strict=True)]
