"""Level of detail: a lane too dense for markers draws counts per bin; zooming in brings the
markers back; hit-testing and selection still find the exact event."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPointF, Qt

from gui.camp_colors import camp_lane
from gui.date_axis import DAY
from gui.timeline_labels import lane_bottom
from gui.timeline_lod import BIN_BAND, bin_counts, dense_lanes

CROWD = 6000  # day markers of the open camp, about four a day over four years


def _rows() -> pd.DataFrame:
    first = dt.date(2021, 1, 1)
    rows = [
        {
            "event_id": f"crowd-{k:05d}",
            "date_start": (first + dt.timedelta(days=(k * 7) % 1460)).isoformat(),
            "date_end": "",
            "precision": "day",
            "title": f"가상 연구소 모델 {k} 공개",
            "camp": "open",
        }
        for k in range(CROWD)
    ]
    rows += [
        # far from the crowd in time: the nearest marker of its lane wherever you point near it
        {"event_id": "lonely", "date_start": "2026-03-15", "date_end": "", "precision": "day",
         "title": "외딴 공개", "camp": "open"},
        # another lane, sparse: it keeps its markers while the open lane is binned
        {"event_id": "closed-1", "date_start": "2023-06-01", "date_end": "", "precision": "day",
         "title": "폐쇄 진영 출시", "camp": "closed"},
    ]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture()
def crowded(show_timeline):
    widget = show_timeline(_rows())
    widget.relayout_labels()
    return widget


def _marker_scene_pos(view, index: int) -> QPointF:
    x = float(view.events.centers()[index])
    return view.view_box.mapViewToScene(QPointF(x, float(view.events.y[index])))


def _visible_spot_ids(view) -> set[str]:
    rows = np.asarray(view.scatter.data["data"], dtype=int)[view.scatter.data["visible"]]
    return {str(i) for i in view.events.ids[rows]}


def test_dense_lane_switches_to_bins_and_back_to_markers_on_zoom(crowded):
    open_lane = camp_lane("open")
    assert crowded.binned_lanes() == frozenset({open_lane})
    shown = _visible_spot_ids(crowded)
    assert "closed-1" in shown  # the sparse lane keeps its marker
    assert not any(i.startswith("crowd-") for i in shown) and "lonely" not in shown

    middle = dt.date(2023, 3, 1)
    lo = (middle - dt.date(1970, 1, 1)).days * DAY
    crowded.view_box.setXRange(lo, lo + 20 * DAY, padding=0.0)
    crowded.relayout_labels()
    assert crowded.binned_lanes() == frozenset()
    assert len(_visible_spot_ids(crowded)) == CROWD + 2  # every marker drawable again

    crowded.fit()
    crowded.relayout_labels()
    assert crowded.binned_lanes() == frozenset({open_lane})


def test_bins_count_every_visible_marker_once():
    rng = np.random.default_rng(5)
    centers = np.sort(rng.uniform(0.0, 1000.0 * DAY, 5000))
    width, counts = bin_counts(centers, (0.0, 1000.0 * DAY), 400.0)
    assert counts.sum() == 5000
    assert len(counts) == 100  # 4 px per bin
    assert width == pytest.approx(10 * DAY)
    lanes = np.zeros(5000, dtype=int)
    markers = np.ones(5000, dtype=bool)
    assert dense_lanes(centers, lanes, markers, (0.0, 1000.0 * DAY), 400.0) == {0}
    # the same markers on a view wide enough for each to show apart: not binned
    assert dense_lanes(centers, lanes, markers, (0.0, 1000.0 * DAY), 20_000.0) == frozenset()


def test_hit_on_a_bin_names_its_count_and_the_exact_nearest_event(crowded):
    lonely = crowded.index_of("lonely")
    hit = crowded.hit_test(_marker_scene_pos(crowded, lonely))
    assert hit is not None and hit[0] == "bin"
    assert hit[1].nearest == lonely and hit[1].count == 1
    assert hit[1].start <= crowded.events.centers()[lonely] < hit[1].end

    # in the middle of the crowd a bin holds several markers; the nearest is the exact one
    target = crowded.index_of("crowd-00100")
    hit = crowded.hit_test(_marker_scene_pos(crowded, target))
    assert hit[0] == "bin" and hit[1].count > 1
    nearest = hit[1].nearest
    assert crowded.events.centers()[nearest] == crowded.events.centers()[target]
    assert crowded.events.lanes[nearest] == camp_lane("open")


def test_clicking_a_bin_zooms_in_until_markers_are_hit_exactly(crowded, qtbot):
    target = crowded.index_of("lonely")
    for _ in range(12):
        if not crowded.binned_lanes():
            break
        lo, hi = crowded.x_range()
        pos = crowded.plot_widget.mapFromScene(_marker_scene_pos(crowded, target))
        qtbot.mouseClick(crowded.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        new_lo, new_hi = crowded.x_range()
        assert new_hi - new_lo < (hi - lo) / 2  # each click on a bin zooms in
        assert new_lo <= crowded.events.centers()[target] <= new_hi
        crowded.relayout_labels()
    assert crowded.binned_lanes() == frozenset()
    assert crowded.hit_test(_marker_scene_pos(crowded, target)) == ("event", target)


def test_selecting_by_id_emphasises_the_exact_event_while_binned(crowded):
    assert crowded.binned_lanes()
    crowded.select_event("crowd-01234")
    index = crowded.index_of("crowd-01234")
    ((x0, x1, y, point, selected),) = crowded.emphasis._shapes
    assert (x0, x1) == (crowded.events.starts[index], crowded.events.ends[index])
    assert y == crowded.events.y[index] and point and selected


def test_count_bars_stand_in_the_marker_row_of_their_lane(crowded):
    lane = camp_lane("open")
    low, high = lane_bottom(lane) + BIN_BAND[0], lane_bottom(lane) + BIN_BAND[1]
    marker_y = float(crowded.events.y[crowded.index_of("lonely")])
    assert low < marker_y < high
    image = crowded.plot_widget.grab().toImage()
    # something is painted in the open lane's marker row although no marker is drawn there
    left, right = crowded.x_range()
    probe_x = crowded.events.centers()[crowded.index_of("crowd-00500")]
    assert left < probe_x < right
    y_px = crowded.plot_widget.mapFromScene(
        crowded.view_box.mapViewToScene(QPointF(probe_x, (low + marker_y) / 2))
    )
    column = [image.pixelColor(y_px.x() + dx, y_px.y()).lightness() for dx in range(-2, 3)]
    assert min(column) < 200  # a coloured count bar, not the pale lane background


def test_a_rect_array_paints_each_row_as_its_rectangle(qapp):
    from PySide6.QtGui import QColor, QImage, QPainter

    from gui.timeline_lod import draw_rect_array

    image = QImage(60, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 200))
    # a column slice: not contiguous, so the function must lay the rows out as QRectF
    table = np.array([[5.0, 4.0, 10.0, 6.0, -1.0], [30.0, 20.0, 20.0, 12.0, -1.0]])
    draw_rect_array(painter, table[:, :4])
    draw_rect_array(painter, np.zeros((0, 4)))  # nothing to draw: no call
    painter.end()
    inside = [(6, 5), (14, 9), (31, 21), (49, 31)]
    outside = [(4, 5), (16, 5), (6, 11), (29, 21), (51, 25), (31, 33), (20, 15)]
    assert all(image.pixelColor(x, y).blue() == 200 for x, y in inside)
    assert all(image.pixelColor(x, y) == QColor(255, 255, 255) for x, y in outside)
