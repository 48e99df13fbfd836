"""The first window: most of the screen, a title column that reads, a usable search box."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from gui.event_table import COMPACT_COLUMN_PX, EVENT_COLUMNS, TITLE_COLUMN, TITLE_MAX_PX
from gui.main_window import MainWindow


def test_the_first_window_takes_most_of_the_screen(qtbot, settings):
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert abs(window.width() - 0.85 * area.width()) <= 2
    assert abs(window.height() - 0.85 * area.height()) <= 2


def test_a_saved_size_wins_over_the_default(qtbot, settings):
    first = MainWindow(settings=settings)
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.close()
    again = MainWindow(settings=settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 500)


def test_titles_get_the_room_they_need_and_the_rest_stays_compact(open_seeds, seeds_timeline):
    window = open_seeds()
    table = window.event_table
    metrics = table.fontMetrics()
    title_width = table.columnWidth(TITLE_COLUMN)
    needed = max(metrics.horizontalAdvance(t) for t in seeds_timeline.events["title"])
    assert title_width >= min(needed, TITLE_MAX_PX)
    for column, (name, _header) in enumerate(EVENT_COLUMNS[:-1]):
        if name in COMPACT_COLUMN_PX:
            assert table.columnWidth(column) <= COMPACT_COLUMN_PX[name]


def test_the_search_box_holds_a_typical_query(open_seeds):
    window = open_seeds()
    box = window.filter_bar.search_box
    assert box.width() >= box.fontMetrics().horizontalAdvance("메타, 오픈소스") + 30
