"""The camp timeline: marks by precision, lanes, a y axis that never moves, labels that
collapse into badges and come back on zoom, hover text, clicks and selection."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from gui.camp_colors import CAMP_COLORS, CAMP_LABELS, CAMPS, camp_lane
from gui.date_axis import DAY, date_to_seconds, format_tick
from gui.timeline_labels import layout_labels

ROOT = Path(__file__).resolve().parents[2]

COLUMNS = [
    "event_id", "date_start", "date_end", "precision", "date_text", "title", "event_type",
    "camp", "actors", "sources", "confidence", "planned", "approximate", "local_time",
]  # fmt: skip


def event(
    event_id: str,
    start: str,
    end: str,
    precision: str,
    camp: str,
    title: str,
    *,
    text: str = "",
    planned: bool = False,
    approximate: bool = False,
    sources: str = "가상일보.txt",
) -> dict:
    return {
        "event_id": event_id, "date_start": start, "date_end": end, "precision": precision,
        "date_text": text, "title": title, "event_type": "release", "camp": camp,
        "actors": "", "sources": sources, "confidence": 0.8, "planned": planned,
        "approximate": approximate, "local_time": False,
    }  # fmt: skip


@pytest.fixture()
def small_frame() -> pd.DataFrame:
    rows = [
        event("e-day", "2024-08-07", "2024-08-07", "day", "open", "연구소, 새 모델 공개",
              text="지난 7일"),
        event("e-late", "2024-07-21", "2024-07-31", "month", "open", "메타, 큰 모델 공개",
              text="지난달 말", sources="가.txt;나.txt"),
        event("e-half", "2024-01-01", "2024-06-30", "half", "neutral", "두 회사, 연구소 설립",
              text="상반기 중", planned=True),
        event("e-week", "2024-04-08", "2024-04-14", "week", "closed", "대표, 장관과 회동",
              text="이번 주", approximate=True),
        event("e-cross", "2023-12-06", "2023-12-06", "day", "crossover", "거대기업, 연합 합류",
              text="지난 6일"),
        event("e-plan", "2024-09-02", "2024-09-02", "day", "closed", "새 서비스 출시 예정",
              text="다음 달 2일", planned=True),
        event("e-undated", "", "", "unknown", "open", "날짜 없는 공개"),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.fixture()
def view(show_timeline, small_frame):
    return show_timeline(small_frame)


def test_camp_palette_is_complete_and_korean():
    assert set(CAMPS) == set(CAMP_COLORS) == set(CAMP_LABELS)
    assert [CAMP_LABELS[c] for c in CAMPS] == ["개방", "폐쇄", "중립", "교차", "미분류"]
    assert len(set(CAMP_COLORS.values())) == 5
    # "unknown" (no evidence) has a lane of its own; an unrecognised value goes to neutral's
    assert camp_lane("unknown") == len(CAMPS) - 1
    assert camp_lane("") == camp_lane("bogus") == camp_lane("neutral")


def test_day_events_are_markers_and_intervals_are_bars(view):
    assert sorted(view.marker_ids) == ["e-cross", "e-day", "e-plan"]
    assert sorted(view.bar_ids) == ["e-half", "e-late", "e-week"]
    # 지난달 말 is an eleven-day bar, not a point
    row = view.index_of("e-late")
    assert view.events.ends[row] - view.events.starts[row] == 11 * DAY
    assert view.undated_count == 1
    assert "날짜 없는 사건 1건" in view.undated_note
    assert "e-undated" not in view.drawn_ids()


def test_one_lane_per_camp_with_korean_labels(view):
    ticks = view.plot_item.getAxis("left")._tickLevels[0]
    assert [text for _y, text in sorted(ticks, reverse=True)] == [
        "개방", "폐쇄", "중립", "교차", "미분류"
    ]
    scatter = view.scatter.data
    lanes_of_markers = {
        view.events.ids[int(i)]: round(len(CAMPS) - 1 - np.floor(y))
        for i, y in zip(scatter["data"], scatter["y"])
    }
    assert lanes_of_markers == {"e-day": 0, "e-plan": 1, "e-cross": 3}


def test_planned_and_approximate_look_different_and_say_why(view):
    spots = {view.events.ids[int(s.data())]: s for s in view.scatter.points()}
    filled = spots["e-day"].brush().color()
    hollow = spots["e-plan"].brush().color()
    assert hollow.lightness() > 240 and filled.lightness() < 200
    planned_tip = view.tooltip_html(view.index_of("e-half"))
    assert "예정" in planned_tip and "상반기 중" in planned_tip
    assert "2024-01-01 ~ 2024-06-30" in planned_tip
    rough_tip = view.tooltip_html(view.index_of("e-week"))
    assert "대략" in rough_tip
    late_tip = view.tooltip_html(view.index_of("e-late"))
    assert "지난달 말" in late_tip and "2024-07-21 ~ 2024-07-31" in late_tip
    assert "가.txt" in late_tip and "나.txt" in late_tip
    assert "예정" not in late_tip and "대략" not in late_tip


def test_y_axis_does_not_zoom_or_pan(view, qtbot):
    before_y = view.view_box.viewRange()[1]
    before_x = view.x_range()
    centre = view.plot_widget.mapFromScene(view.view_box.sceneBoundingRect().center())
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    wheel = QWheelEvent(
        QPointF(centre), QPointF(view.plot_widget.mapToGlobal(centre)), QPoint(0, 0),
        QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(view.plot_widget.viewport(), wheel)
    after_x = view.x_range()
    assert after_x[1] - after_x[0] < before_x[1] - before_x[0]  # the wheel zoomed time
    assert view.view_box.viewRange()[1] == pytest.approx(before_y)
    view.view_box.scaleBy(x=1.0, y=0.5)
    view.view_box.translateBy(y=1.5)
    assert view.view_box.viewRange()[1] == pytest.approx([0.0, float(len(CAMPS))])


def test_fit_zoom_in_and_out(view):
    view.fit()
    lo, hi = view.x_range()
    assert lo < date_to_seconds(dt.date(2023, 12, 6)) and hi > date_to_seconds(dt.date(2024, 9, 3))
    view.zoom_in()
    lo2, hi2 = view.x_range()
    assert hi2 - lo2 == pytest.approx((hi - lo) / 2)
    view.zoom_out()
    view.zoom_out()
    lo3, hi3 = view.x_range()
    assert hi3 - lo3 == pytest.approx(2 * (hi - lo))


def test_select_with_zoom_centres_and_emphasises(view):
    view.select_event("e-late", zoom=True)
    lo, hi = view.x_range()
    start, end = date_to_seconds(dt.date(2024, 7, 21)), date_to_seconds(dt.date(2024, 8, 1))
    assert lo < start and end < hi and hi - lo < 90 * DAY
    selected = [shape for shape in view.emphasis._shapes if shape[4]]
    assert len(selected) == 1 and selected[0][0] == start
    view.select_event(None)
    assert view.emphasis._shapes == []


def test_filter_and_highlight(view):
    view.set_visible_ids({"e-day", "e-half"})
    assert view.marker_ids == ["e-day"] and view.bar_ids == ["e-half"]
    view.set_highlighted_ids({"e-half", "e-week"})  # e-week is filtered out: not outlined
    assert [s[1] for s in view.emphasis._shapes] == [date_to_seconds(dt.date(2024, 7, 1))]
    view.set_visible_ids(None)
    assert len(view.drawn_ids()) == 6


def _scene_pos_of(view, index: int) -> QPointF:
    x = float(view.events.centers()[index])
    return view.view_box.mapViewToScene(QPointF(x, float(view.events.y[index])))


def test_clicking_a_marker_emits_and_selects(view, qtbot):
    index = view.index_of("e-day")
    view.select_event("e-day", zoom=True)
    view.select_event(None)
    qtbot.wait(10)
    widget_pos = view.plot_widget.mapFromScene(_scene_pos_of(view, index))
    with qtbot.waitSignal(view.event_clicked, timeout=2000) as blocker:
        qtbot.mouseClick(view.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=widget_pos)
    assert blocker.args == ["e-day"]
    assert view.selected_id == "e-day"


def test_hover_finds_bars_and_misses_empty_space(view):
    view.fit()
    hit = view.hit_test(_scene_pos_of(view, view.index_of("e-half")))
    assert hit == ("event", view.index_of("e-half"))
    empty = view.view_box.mapViewToScene(
        QPointF(date_to_seconds(dt.date(2023, 12, 20)), 3.24)  # open lane, no event that day
    )
    assert view.hit_test(empty) is None


# -- the label layout as a pure function -------------------------------------------------


def crowd(n: int, day_gap: float) -> tuple[np.ndarray, np.ndarray]:
    starts = np.arange(n) * day_gap * DAY
    return starts, starts + DAY


def test_labels_stagger_then_collapse_into_badges_and_expand_on_zoom():
    starts, ends = crowd(12, 1.0)  # twelve events on twelve consecutive days
    lanes = np.zeros(12, dtype=int)
    widths = np.full(12, 120.0)
    far = layout_labels(starts, ends, lanes, widths, (0.0, 365 * DAY), 800)
    assert {label.row for label in far.labels} == {0, 1, 2}  # staggered first
    assert len(far.labels) == 3 and sum(b.count for b in far.badges) == 9
    assert [b.text for b in far.badges] == ["+9"]
    near = layout_labels(starts, ends, lanes, widths, (0.0, 13 * DAY), 2000)
    assert near.badges == [] and len(near.labels) == 12


def test_every_visible_event_gets_a_label_or_a_badge_and_no_labels_overlap():
    rng = np.random.default_rng(7)
    starts = np.sort(rng.uniform(0, 400 * DAY, 300))
    ends = starts + rng.choice([DAY, 30 * DAY], 300)
    lanes = rng.integers(0, 4, 300)
    widths = rng.uniform(40, 160, 300)
    x_range = (100 * DAY, 250 * DAY)
    result = layout_labels(starts, ends, lanes, widths, x_range, 1200)
    visible = set(np.flatnonzero((ends >= x_range[0]) & (starts <= x_range[1])).tolist())
    assert result.labelled | result.collapsed == visible
    assert not result.labelled & result.collapsed
    by_row: dict[tuple[int, int], list] = {}
    for label in result.labels:
        by_row.setdefault((label.lane, label.row), []).append(label)
    for row in by_row.values():
        row.sort(key=lambda lab: lab.x_px)
        for left, right in itertools.pairwise(row):
            assert left.x_px + left.width_px < right.x_px


def test_the_view_recomputes_labels_for_the_visible_range(show_timeline):
    rows = [
        event(f"c{k}", f"2024-03-{k + 1:02d}", f"2024-03-{k + 1:02d}", "day", "closed",
              f"폐쇄 진영 사건 {k}번")
        for k in range(20)
    ] + [event("far", "2021-01-05", "2021-01-05", "day", "open", "먼 옛날 공개")]  # fmt: skip
    widget = show_timeline(pd.DataFrame(rows, columns=COLUMNS), (900, 420))
    fitted = widget.relayout_labels()
    assert fitted.badges and sum(b.count for b in fitted.badges) >= 10
    widget.view_box.setXRange(
        date_to_seconds(dt.date(2024, 3, 1)), date_to_seconds(dt.date(2024, 3, 8)), padding=0
    )
    zoomed = widget.relayout_labels()
    shown = {widget.events.ids[label.index] for label in zoomed.labels}
    assert {f"c{k}" for k in range(7)} <= shown
    assert "far" not in shown and all("far" != widget.events.ids[i] for i in zoomed.collapsed)
    assert "폐쇄 진영 사건 0번" in widget.visible_label_texts()
    assert "먼 옛날 공개" not in widget.visible_label_texts()


def test_axis_labels_are_korean():
    when = dt.datetime(2024, 8, 1)
    assert format_tick(when, 365 * DAY) == "2024년"
    assert format_tick(when, 31 * DAY, full=True) == "2024년 8월"
    assert format_tick(when, 31 * DAY) == "8월"
    assert format_tick(dt.datetime(2024, 8, 7), DAY) == "7일"


def test_hovering_a_mark_emits_its_id_once(view, qtbot):
    index = view.index_of("e-day")
    view.select_event("e-day", zoom=True)
    qtbot.wait(10)
    where = view.plot_widget.mapFromScene(_scene_pos_of(view, index))
    with qtbot.waitSignal(view.event_hovered, timeout=2000) as blocker:
        qtbot.mouseMove(view.plot_widget.viewport(), where)
    assert blocker.args == ["e-day"]
    assert "연구소, 새 모델 공개" in view.plot_widget.toolTip()
    assert "지난 7일" in view.plot_widget.toolTip()
    # a move within the same mark: no second signal, the text stays (the waits let each
    # move past pyqtgraph's limit of one move event per 10 ms)
    again: list[str] = []
    view.event_hovered.connect(again.append)
    qtbot.wait(20)
    qtbot.mouseMove(view.plot_widget.viewport(), where + QPoint(1, 1))
    assert again == [] and "지난 7일" in view.plot_widget.toolTip()
    qtbot.wait(20)
    qtbot.mouseMove(view.plot_widget.viewport(), QPoint(3, 3))  # off every mark: delivered
    assert view.plot_widget.toolTip() == ""


def test_clicking_a_badge_zooms_onto_its_events(qtbot, show_timeline):
    from gui.timeline_labels import lane_bottom

    rows = [
        event(f"o{k}", f"2024-05-1{k}", f"2024-05-1{k}", "day", "open", f"잇단 공개 {k}")
        for k in range(6)
    ] + [event("early", "2022-01-03", "2022-01-03", "day", "open", "이른 공개")]
    widget = show_timeline(pd.DataFrame(rows, columns=COLUMNS), (900, 420))
    layout = widget.relayout_labels()
    (badge,) = layout.badges  # rows of labels, the others collapsed
    labelled = {str(widget.events.ids[p.index]) for p in layout.labels}
    assert sorted(widget.events.ids[list(badge.indices)]) == sorted(
        {f"o{k}" for k in range(6)} - labelled
    )
    assert len(badge.indices) >= 2
    lo, hi = widget.x_range()
    per_px = (hi - lo) / widget.pixel_width()
    x = lo + (badge.x_px + 8) * per_px
    badge_y = lane_bottom(badge.lane) + widget.label_rows.badge_y
    scene = widget.view_box.mapViewToScene(QPointF(x, badge_y))
    qtbot.mouseClick(
        widget.plot_widget.viewport(),
        Qt.MouseButton.LeftButton,
        pos=widget.plot_widget.mapFromScene(scene),
    )
    new_lo, new_hi = widget.x_range()
    assert new_hi - new_lo < 10 * DAY  # from three years down to days
    for k in badge.indices:  # the badge's events are all in view
        assert new_lo < widget.events.centers()[k] < new_hi
    zoomed = widget.relayout_labels()
    assert zoomed.badges == [] and set(badge.indices) <= zoomed.labelled  # labels are back


def test_labels_and_lane_names_use_a_font_with_hangul(view):
    from PySide6.QtGui import QFontMetrics

    assert QFontMetrics(view.label_font).inFontUcs4(ord("한"))
    left_font = view.plot_item.getAxis("left").style["tickFont"]
    assert QFontMetrics(left_font).inFontUcs4(ord("폐"))


def test_the_date_axis_names_years_and_months_in_korean(view):
    axis = view.plot_item.getAxis("bottom")
    view.fit()
    view.grab()  # lets the axis pick its zoom level for the range
    month = date_to_seconds(dt.date(2024, 3, 1))
    labels = axis.tickStrings([month, date_to_seconds(dt.date(2024, 4, 1))], 1.0, 30 * DAY)
    assert labels[0] in ("2024년 3월", "3월") and labels[1] == "4월"


# a popup menu asks the offscreen platform for things it cannot do (raise, keyboard grab)
@pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing", "propagateSizeHints"
)
def test_a_badge_of_one_day_lists_its_events(qtbot, show_timeline):
    from gui.timeline_labels import lane_bottom

    rows = [
        event(f"s{k}", "2024-05-10", "2024-05-10", "day", "closed", f"같은 날 발표 {k}")
        for k in range(5)
    ]
    widget = show_timeline(pd.DataFrame(rows, columns=COLUMNS), (900, 420))
    (badge,) = widget.relayout_labels().badges
    collapsed = [f"같은 날 발표 {widget.events.ids[i][1:]}" for i in badge.indices]
    assert len(collapsed) >= 2  # labels in the rows, the rest in the badge
    lo, hi = widget.x_range()
    x = lo + (badge.x_px + 8) * (hi - lo) / widget.pixel_width()
    badge_y = lane_bottom(badge.lane) + widget.label_rows.badge_y
    scene = widget.view_box.mapViewToScene(QPointF(x, badge_y))
    before = widget.x_range()
    qtbot.mouseClick(
        widget.plot_widget.viewport(),
        Qt.MouseButton.LeftButton,
        pos=widget.plot_widget.mapFromScene(scene),
    )
    assert widget.x_range() == before  # no pointless zoom
    menu = widget.badge_menu
    assert menu is not None
    assert [a.text() for a in menu.actions()] == collapsed
    with qtbot.waitSignal(widget.event_clicked, timeout=2000) as blocker:
        menu.actions()[-1].trigger()
    assert blocker.args == ["s4"] and widget.selected_id == "s4"
    menu.close()


def test_layout_and_hit_test_modules_import_no_qt():
    script = (
        "import sys, gui.timeline_labels, gui.camp_colors\n"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))]\n"
        "print(qt)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_a_frame_without_dates_is_refused_clearly_and_odd_cells_are_undated(view):
    with pytest.raises(ValueError, match="date_start"):
        view.set_events(pd.DataFrame({"event_id": ["a"], "title": ["제목"]}))
    odd = pd.DataFrame(
        {
            "event_id": ["ok", "bad", "backwards"],
            "date_start": ["2024-02-03", "2024-13-45", "2024-05-09"],
            "date_end": ["2024-02-03", "", "2024-05-01"],
            "title": ["정상", "잘못된 날짜", "거꾸로 된 기간"],
        }
    )
    view.set_events(odd)
    assert view.drawn_ids() == {"ok"}
    assert sorted(view.events.undated_ids) == ["backwards", "bad"]
    assert "날짜 없는 사건 2건" in view.undated_note


def test_bars_over_the_same_dates_take_separate_tracks(view):
    rows = [
        event("feb-a", "2024-02-01", "2024-02-29", "month", "closed", "성명 발표", text="지난 2월"),
        event("feb-b", "2024-02-01", "2024-02-29", "month", "closed", "모델 발표", text="지난 2월"),
        event("mar", "2024-03-01", "2024-03-31", "month", "closed", "다음 발표", text="3월"),
        event("day", "2024-02-10", "2024-02-10", "day", "closed", "하루 사건"),
    ]  # fmt: skip
    view.set_events(pd.DataFrame(rows, columns=COLUMNS))
    y = {view.events.ids[i]: float(view.events.y[i]) for i in range(len(view.events))}
    assert y["feb-a"] != y["feb-b"]  # never drawn on top of each other
    assert y["mar"] == y["feb-a"]  # the first track is free again in March
    assert y["day"] == y["feb-a"]  # markers stay at the marks' height
    for event_id in ("feb-a", "feb-b"):
        index = view.index_of(event_id)
        assert view.hit_test(_scene_pos_of(view, index)) == ("event", index)
