"""The explorer window: one load job for corpus and timeline, panels, filters, keys, settings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication

from core.model import Cancelled
from gui import settings as keys
from gui.entity_panel import UNLINKED_GROUP
from gui.main_window import BUILD_SHARE, PROGRESS_SCALE, MainWindow
from gui.source_viewer import document_positions
from gui.state import empty_timeline


def test_one_job_builds_then_analyses_with_one_progress_bar(
    make_window, fixed_build, small_corpus, qtbot
):
    calls = []

    def analyse(corpus, progress, cancelled):
        calls.append(corpus.root)
        for done in range(1, 5):
            progress(done, 4, f"사건 {done}")
        return empty_timeline()

    window = make_window(fixed_build)
    window._analyse = analyse
    reports = []
    window.state.load_progressed.connect(lambda d, t, m: reports.append((d, t, m)))
    with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000):
        window.load_corpus(small_corpus.root)

    assert calls == [small_corpus.root]
    assert {t for _d, t, _m in reports} == {PROGRESS_SCALE}
    done = [d for d, _t, _m in reports]
    assert done == sorted(done) and done[-1] == PROGRESS_SCALE
    assert [d for d, _t, m in reports if m == "끝"] == [BUILD_SHARE * PROGRESS_SCALE]
    assert all(d >= BUILD_SHARE * PROGRESS_SCALE for d, _t, m in reports if m.startswith("사건"))


def test_a_slow_analysis_can_be_cancelled_and_the_old_timeline_stays(
    open_seeds, qtbot, gate, seeds_timeline
):
    window = open_seeds()
    started = threading.Event()

    def slow(corpus, progress, cancelled):
        started.set()
        for step in range(10_000):
            if cancelled():
                raise Cancelled()
            progress(step, 10_000, "느린 분석")
            gate.wait(0.01)
        return empty_timeline()

    window._analyse = slow
    window.load_corpus(window.state.corpus_root.parent / "seeds")
    qtbot.waitUntil(
        lambda: window.progress_bar.value() > BUILD_SHARE * PROGRESS_SCALE, timeout=10_000
    )
    with qtbot.waitSignal(window.state.load_cancelled, timeout=10_000):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)

    assert started.is_set()
    assert window.state.timeline is seeds_timeline
    assert window.event_table.event_model.rowCount() == len(seeds_timeline.events)
    assert not window.is_loading()


def test_event_table_shows_date_precision_type_camp_actors_and_sources(open_seeds, seeds_timeline):
    window = open_seeds()
    model = window.event_table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["날짜", "정밀도", "제목", "유형", "진영", "주체", "출처", "검토"]
    rows = {
        model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1): [
            model.index(r, c).data() for c in range(model.columnCount())
        ]
        for r in range(model.rowCount())
    }
    assert len(rows) == len(seeds_timeline.events)
    entities = seeds_timeline.entities
    names = dict(zip(entities["entity_id"], entities["name"], strict=True))
    for event in seeds_timeline.events.to_dict("records"):
        date, precision, title, kind, camp, actors, sources, review = rows[event["event_id"]]
        assert review == ""  # no review yet
        # actors by their Korean display names, not the ids the exports keep
        ids = [a for a in event["actors"].split(";") if a]
        assert title == event["title"] and actors == ", ".join(names[a] for a in ids)
        assert not any(a in actors for a in ids if not names[a].isascii() and a.isascii())
        assert sources == event["sources"]
        assert camp in {"개방", "폐쇄", "중립", "교차"}
        if event["precision"] == "month":
            # a whole month reads 2023-12; a part of one (지난달 말) keeps its days
            assert precision == "월" and date.startswith(event["date_start"][:7])
        if event["precision"] == "day":
            assert precision == "일" and date == event["date_start"]
        assert kind and not kind.isascii()
    # sortable: by title, then back to date order
    window.event_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    titles = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert titles == sorted(titles)
    window.event_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    starts = [e for e in window.event_table.shown_ids()]
    frame = seeds_timeline.events.set_index("event_id")
    dated = [frame.at[e, "date_start"] for e in starts if frame.at[e, "date_start"]]
    assert dated == sorted(dated)


def test_entity_panel_groups_by_type_with_counts_and_unlinked_last(open_seeds, seeds_timeline):
    window = open_seeds()
    frame = window.entity_panel.model.frame
    groups = [label for label, g in zip(frame["label"], frame["is_group"]) if g]
    assert groups[0].startswith("기업·단체")
    entities = seeds_timeline.entities
    if (~entities["linked"]).any():
        assert groups[-1].startswith(UNLINKED_GROUP)
    keys_shown = window.entity_panel.keys()
    assert len(keys_shown) == len(entities)
    google = window.entity_panel.row_of("Google")
    model = window.entity_panel.model
    assert model.index(google, 2).data() == str(
        int(entities.set_index("entity_id").at["Google", "mentions"])
    )
    assert model.index(google, 1).data() == "폐쇄"
    assert model.index(google, 1).data(Qt.ItemDataRole.DecorationRole) is not None
    # group rows cannot be checked
    first_group = list(frame["is_group"]).index(True)
    assert not model.flags(model.index(first_group, 0)) & Qt.ItemFlag.ItemIsUserCheckable


def test_camp_toggle_and_type_filter_hide_events_in_table_and_timeline(open_seeds, seeds_timeline):
    window = open_seeds()
    events = seeds_timeline.events.set_index("event_id")
    window.filter_bar.camp_buttons["closed"].click()

    shown = set(window.event_table.shown_ids())
    assert shown == set(events.index[events["camp"] != "closed"])
    assert window.timeline_view.drawn_ids() <= shown
    assert "closed" not in window.state.filter.camps and window.state.filter.camps

    box = window.filter_bar.type_box
    box.setCurrentIndex(box.findData("release"))
    shown = set(window.event_table.shown_ids())
    expected = events.index[(events["camp"] != "closed") & (events["event_type"] == "release")]
    assert shown == set(expected)
    assert f"사건 {len(shown)}/{len(events)}" in window.filter_bar.count_label.text()


def test_date_range_keeps_overlapping_events(open_seeds, seeds_timeline):
    window = open_seeds()
    bar = window.filter_bar
    bar.range_check.setChecked(True)
    from PySide6.QtCore import QDate

    bar.date_from.setDate(QDate(2024, 1, 1))
    bar.date_to.setDate(QDate(2024, 12, 31))

    events = seeds_timeline.events
    expected = {
        e
        for e, s, t in zip(events["event_id"], events["date_start"], events["date_end"])
        if s and s <= "2024-12-31" and (t or s) >= "2024-01-01"
    }
    assert set(window.event_table.shown_ids()) == expected
    assert 0 < len(expected) < len(events)


def test_ctrl_f_focuses_the_search_box(open_seeds, qtbot):
    window = open_seeds()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    window.event_table.setFocus()

    qtbot.keyClick(window.event_table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    assert QApplication.focusWidget() is window.filter_bar.search_box
    # letters typed there are text, not J/K navigation
    selected = window.state.selected_event
    qtbot.keyClicks(window.filter_bar.search_box, "jk")
    assert window.filter_bar.search_box.text() == "jk"
    assert window.state.selected_event == selected


def test_zoom_keys_and_fit_change_the_time_range(open_seeds, qtbot):
    window = open_seeds()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    view = window.timeline_view
    view.setFocus()
    lo, hi = view.x_range()

    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    zoomed = view.x_range()
    assert zoomed[1] - zoomed[0] == pytest.approx((hi - lo) / 2, rel=0.05)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    wider = view.x_range()
    assert wider[1] - wider[0] == pytest.approx(2 * (hi - lo), rel=0.05)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.x_range() == pytest.approx((lo, hi), rel=1e-6)


def test_enter_opens_the_selected_events_source(open_seeds, qtbot, seeds_timeline):
    window = open_seeds()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    event = seeds_timeline.events.iloc[5]
    window.state.select_event(event["event_id"])
    window.timeline_view.setFocus()

    qtbot.keyClick(window.timeline_view, Qt.Key.Key_Return)

    assert QApplication.focusWidget() is window.source_viewer.text_view
    assert window.source_viewer.selected_span() is not None
    assert window.state.selected_article.file in event["sources"].split(";")


def test_layout_and_last_corpus_persist(open_seeds, settings, seeds_corpus, qtbot):
    window = open_seeds()
    window.resize(1200, 800)
    window.main_splitter.setSizes([123, 500])
    sizes = window.main_splitter.sizes()
    window.close()
    assert settings.get(keys.LAST_CORPUS) == str(Path(seeds_corpus.root).resolve())

    again = MainWindow(settings=settings, build=lambda *a: seeds_corpus)
    qtbot.addWidget(again)
    again.show()
    # the restored window may differ by its frame; the split keeps its proportion
    top, bottom = again.main_splitter.sizes()
    assert top / (top + bottom) == pytest.approx(sizes[0] / sum(sizes), abs=0.02)
    assert again.settings.recent_corpora()[0] == Path(seeds_corpus.root).resolve()


def _format_at(viewer, position: int):
    cursor = QTextCursor(viewer.text_view.document())
    cursor.setPosition(position + 1)  # the format of the character before the cursor
    return cursor.charFormat()


def test_viewer_marks_entities_and_dates_computed_once_per_article(
    open_seeds, monkeypatch, seeds_corpus
):
    from gui import source_viewer

    calls = []
    real = source_viewer.article_marks
    monkeypatch.setattr(
        source_viewer, "article_marks", lambda article: calls.append(article.file) or real(article)
    )
    window = open_seeds()
    viewer = window.source_viewer
    article = seeds_corpus.articles[4]  # 메타, 구글, 오픈AI and dates like 지난해 7월
    window.state.select_article(article.file)
    window.state.select_article(seeds_corpus.articles[0].file)
    window.state.select_article(article.file)
    viewer.set_source_mode(True)

    assert calls.count(article.file) == 1
    marks = viewer.marks(article)
    entities = [m for m in marks if m.kind == "entity"]
    dates = [m for m in marks if m.kind == "date"]
    assert entities and dates
    positions = document_positions(article.source_text)
    for mark in entities[:5]:
        assert article.source_text[mark.start : mark.end]
        fmt = _format_at(viewer, positions[mark.start])
        assert fmt.fontWeight() == 700 and fmt.fontUnderline()
        assert fmt.toolTip().startswith("개체")
    for mark in dates[:5]:
        fmt = _format_at(viewer, positions[mark.start])
        assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
        assert fmt.toolTip().startswith("날짜")
    # a word outside every mark carries neither
    plain = article.source_text.index("\n") - 1
    covered = any(m.start <= plain < m.end for m in marks)
    if not covered:
        assert _format_at(viewer, positions[plain]).fontWeight() != 700


def test_viewer_colours_follow_a_dark_palette(open_seeds, seeds_timeline):
    from PySide6.QtGui import QColor, QPalette

    window = open_seeds()
    event = seeds_timeline.events.iloc[4]
    window.state.select_event(event["event_id"])
    viewer = window.source_viewer
    dark = QPalette(viewer.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    dark.setColor(QPalette.ColorRole.Highlight, QColor(40, 90, 160))
    dark.setColor(QPalette.ColorRole.HighlightedText, QColor(255, 255, 255))

    viewer.setPalette(dark)

    (selection,) = viewer.text_view.extraSelections()
    assert selection.format.background().color() == QColor(40, 90, 160)
    assert selection.format.foreground().color() == QColor(255, 255, 255)
    # the event-sentence wash is the palette's highlight, faint, not a fixed light colour
    start, _end = viewer.selected_span()
    wash = _format_at(viewer, start).background().color()
    assert (wash.red(), wash.green(), wash.blue()) == (40, 90, 160) and wash.alpha() < 100


def test_double_click_in_the_table_opens_the_source(open_seeds, qtbot, seeds_timeline):
    window = open_seeds()
    event_id = seeds_timeline.events.iloc[2]["event_id"]
    table = window.event_table
    row = table.view_row_of(event_id)
    table.select_row(row)
    table.doubleClicked.emit(table.model().index(row, 2))

    assert window.state.selected_event == event_id
    assert window.source_viewer.text_view.hasFocus() or not window.isActiveWindow()
    assert window.source_viewer.selected_span() is not None


def test_a_new_timeline_resets_filters_selection_and_panels(open_seeds, qtbot, seeds_timeline):
    window = open_seeds()
    window.state.select_event(seeds_timeline.events.iloc[3]["event_id"])
    window.entity_panel.set_checked("Meta", True)
    window.entity_panel.select("Google")
    window.filter_bar.set_query("구글")
    window.filter_bar.camp_buttons["open"].setChecked(False)

    smaller = empty_timeline()
    smaller.events = seeds_timeline.events.iloc[:5].copy()
    smaller.entities = seeds_timeline.entities.iloc[:3].copy()
    window._analyse = lambda corpus, progress, cancelled: smaller
    with qtbot.waitSignal(window.state.corpus_loaded, timeout=10_000):
        window.load_corpus(window.state.corpus_root)

    state = window.state
    assert state.selected_event is None and state.selected_entity is None
    assert state.filter.is_empty() and state.filter.query == ""
    assert window.filter_bar.search_box.text() == ""
    assert all(b.isChecked() for b in window.filter_bar.camp_buttons.values())
    assert window.event_table.shown_ids() == list(smaller.events["event_id"])
    assert window.timeline_view.selected_id is None
    assert len(window.entity_panel.keys()) == 3 and not window.entity_panel.model.checked()
    assert window.source_viewer.selected_span() is None
    assert "사건 5건" in window.counts_label.text()


def test_entity_panel_columns_fit_as_qt_sizes_every_row(open_seeds):
    view = open_seeds().entity_panel.view
    columns = range(1, view.model().columnCount())
    fitted = [view.columnWidth(c) for c in columns]
    view.horizontalHeader().setResizeContentsPrecision(-1)
    for column in columns:
        view.resizeColumnToContents(column)
    assert fitted == [view.columnWidth(c) for c in columns]
