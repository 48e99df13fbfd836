"""The timeline's per-frame shortcuts (kept indexes, one-pass array work, cached ticks)
give exactly what the plain computation gives: same spans, same labels and badges, same
bins, same ticks, same label positions."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from pyqtgraph.graphicsItems import DateAxisItem as stock
from PySide6.QtCore import QEvent, QObject, QPointF
from PySide6.QtGui import QColor, QFontMetrics, QPalette, QTransform

from gui.date_axis import DAY, KoreanDateAxis, date_to_seconds
from gui.fonts import bundled_font
from gui.timeline_bars import MERGE_ABOVE, MERGE_PX, bar_style
from gui.timeline_items import LabelsItem
from gui.timeline_labels import (
    BAR_HALF_HEIGHT,
    DEFAULT_ROWS,
    LaneIndex,
    layout_labels,
)
from gui.timeline_lod import dense_lanes, distinct_spans, grouped_spans, union_spans

# -- bars: spans of every style group in one pass ------------------------------------------


def test_grouped_spans_equal_the_union_or_distinct_spans_of_each_group():
    rng = np.random.default_rng(11)
    for _ in range(60):
        n = int(rng.integers(1, 400))
        groups = np.sort(rng.integers(0, 9, n))
        px0 = np.floor(rng.uniform(-5, 1400, n))
        px1 = px0 + np.ceil(rng.uniform(0, 300, n))
        order = np.lexsort((px0, groups))  # as the bars keep them: by group, then start
        groups, px0, px1 = groups[order], px0[order], px1[order]
        merged = rng.random(9) < 0.5
        g, x0, x1 = grouped_spans(groups, px0, px1, merged)
        for k in range(9):
            mine = groups == k
            if not mine.any():
                assert not (g == k).any()
                continue
            if merged[k]:
                expected = union_spans(np.column_stack([px0[mine], px1[mine]]))
            else:
                expected = distinct_spans(px0[mine], px1[mine])
            got = np.column_stack([x0[g == k], x1[g == k]])
            assert np.array_equal(got, expected)
        assert np.all(np.diff(g) >= 0)  # grouped in drawing order


def _bar_frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first = np.datetime64("2019-01-01")
    starts = first + rng.integers(0, 5 * 365, n).astype("timedelta64[D]")
    lengths = rng.choice([6, 30, 90, 364, 3], n).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "event_id": [f"b{k}" for k in range(n)],
            "date_start": starts.astype(str),
            "date_end": (starts + lengths).astype(str),
            "precision": rng.choice(["week", "month", "quarter", "range"], n),
            "title": [f"가상 기간 사건 {k}" for k in range(n)],
            "camp": rng.choice(["open", "closed", "neutral", "crossover"], n),
            "planned": rng.random(n) < 0.2,
            "approximate": rng.random(n) < 0.2,
        }
    )


def _bars_the_plain_way(view) -> list[tuple[float, int, int, list[tuple[float, float]]]]:
    """Per style and track (in drawing order), the drawn spans, computed bar by bar."""
    events = view.events
    lo, hi = view.x_range()
    width = max(float(view.view_box.width()), 1.0)
    per_px = (hi - lo) / width
    margin = 4 * per_px
    out = []
    for lane in range(4):
        for planned in (False, True):
            for approximate in (False, True):
                members = np.flatnonzero(
                    ~events.points
                    & (events.lanes == lane)
                    & (events.planned == planned)
                    & (events.approximate == approximate)
                )
                for y in sorted(set(events.y[members].tolist())):
                    on_track = members[events.y[members] == y]
                    on_track = on_track[np.argsort(events.starts[on_track], kind="stable")]
                    starts, ends = events.starts[on_track], events.ends[on_track]
                    seen = (starts <= hi + margin) & (ends >= lo - margin)
                    if not seen.any():
                        continue
                    px0 = np.floor((np.maximum(starts[seen], lo - margin) - lo) / per_px)
                    px1 = np.ceil((np.minimum(ends[seen], hi + margin) - lo) / per_px)
                    if len(px0) > min(MERGE_ABOVE, width / MERGE_PX):
                        spans = union_spans(np.column_stack([px0, px1]))
                    else:
                        spans = distinct_spans(px0, px1)
                    pen, brush = bar_style(lane, planned, approximate)
                    out.append((y, id(pen), id(brush), spans.tolist()))
    return out


@pytest.mark.parametrize("zoom", [1.0, 0.2, 0.02])
def test_drawn_bars_equal_the_spans_computed_bar_by_bar(show_timeline, zoom):
    view = show_timeline(_bar_frame(3000, seed=4), (1200, 480))
    lo, hi = view.x_range()
    middle = (lo + hi) / 2
    view.view_box.setXRange(middle - (hi - lo) * zoom / 2, middle + (hi - lo) * zoom / 2, padding=0)
    rects, cuts = view.bars._visible_rects()
    lo, hi = view.x_range()
    per_px = (hi - lo) / max(float(view.view_box.width()), 1.0)
    drawn = []
    for k, (y, pen, brush) in enumerate(view.bars._styles):
        mine = rects[cuts[k] : cuts[k + 1]]
        if len(mine) == 0:
            continue
        assert np.allclose(mine[:, 1], y - BAR_HALF_HEIGHT)
        x0 = np.round((mine[:, 0] - lo) / per_px)
        x1 = np.round((mine[:, 0] + mine[:, 2] - lo) / per_px)
        drawn.append((y, id(pen), id(brush), np.column_stack([x0, x1]).tolist()))
    assert drawn == _bars_the_plain_way(view)
    assert view.bars.drawn_rects == len(rects) > 0


# -- labels: a kept index lays out like sorting every visible event ----------------------


def _layout_the_plain_way(starts, ends, lanes, widths, x_range, pixel_width, only):
    """Labels and badges by sorting all visible events of each lane (no index), trying
    every row for every label (no skipping)."""
    lo, hi = x_range
    per_px = (hi - lo) / pixel_width
    visible = np.flatnonzero((ends >= lo) & (starts <= hi) & only)
    labels, badges = [], []
    for lane in sorted(set(lanes[visible].tolist())):
        rows = visible[lanes[visible] == lane]
        px = (np.maximum(starts[rows], lo) - lo) / per_px
        order = np.lexsort((rows, px))
        rows, px = rows[order], px[order]
        hidden = []
        if len(rows) > 4 * DEFAULT_ROWS * pixel_width / 30.0:
            hidden = list(zip(rows.tolist(), px.tolist(), strict=True))
        else:
            left = np.maximum(np.minimum(px, pixel_width - widths[rows]), 0.0)
            by_left = sorted(
                zip(left.tolist(), range(len(rows)), rows.tolist(), px.tolist(), strict=True)
            )
            row_x = [-np.inf] * DEFAULT_ROWS
            row_end = [-np.inf] * DEFAULT_ROWS
            row_last = [None] * DEFAULT_ROWS
            placed = []
            for x, _k, row_index, x0 in by_left:
                whole = [r for r in range(DEFAULT_ROWS) if x >= row_end[r] + 8.0]
                cuttable = [r for r in range(DEFAULT_ROWS) if x >= row_x[r] + 52.0 + 8.0]
                if whole:
                    row = whole[0]
                elif cuttable:
                    row = min(cuttable, key=lambda r: row_end[r])
                    placed[row_last[row]][4] = x - 8.0 - row_x[row]
                else:
                    hidden.append((row_index, x0))
                    continue
                row_x[row], row_end[row] = x, x + widths[row_index]
                row_last[row] = len(placed)
                placed.append([row_index, lane, row, x, widths[row_index]])
            labels.extend((i, la, r, x, min(w, pixel_width - x)) for i, la, r, x, w in placed)
            hidden.sort(key=lambda h: (h[1], h[0]))
        while hidden:
            first_x = hidden[0][1]
            group = [h for h in hidden if h[1] <= first_x + 40.0]
            hidden = hidden[len(group) :]
            members = [h[0] for h in group]
            span = (starts[members].min(), ends[members].max())
            badges.append((lane, first_x, members, *span))
    return labels, badges


def test_a_kept_lane_index_lays_out_like_sorting_every_visible_event():
    rng = np.random.default_rng(8)
    for trial in range(80):
        n = int(rng.integers(1, 2500))
        starts = np.floor(rng.uniform(0, 2000, n)) * DAY
        # some long events begin long before the view and still reach into it
        ends = starts + rng.choice([1, 1, 1, 7, 30, 365, 900], n) * DAY
        lanes = rng.integers(0, 4, n)
        widths = rng.uniform(30, 160, n)
        only = rng.random(n) < (0.8 if trial % 2 else 1.0)
        index = LaneIndex.build(starts, ends, lanes, only)
        for _ in range(4):
            # on a day's start half the time: events starting right at the edge tie there
            lo = float(rng.integers(-50, 2000) if trial % 4 < 2 else rng.uniform(-50, 2000))
            lo *= DAY
            x_range = (lo, lo + float(rng.choice([2, 20, 200, 2000])) * DAY)
            width = float(rng.choice([300, 900, 1400]))
            result = layout_labels(
                starts, ends, lanes, widths, x_range, width, only=only, index=index
            )
            labels, badges = _layout_the_plain_way(
                starts, ends, lanes, widths, x_range, width, only
            )
            got = [(p.index, p.lane, p.row, p.x_px, p.width_px) for p in result.labels]
            assert got == labels
            assert [
                (b.lane, b.x_px, b.indices.tolist(), b.start, b.end) for b in result.badges
            ] == badges


def test_an_event_begun_long_before_the_view_still_gets_its_label():
    starts = np.array([0.0, 500 * DAY, 990 * DAY])
    ends = np.array([2000 * DAY, 501 * DAY, 991 * DAY])  # the first spans the whole view
    lanes = np.zeros(3, dtype=int)
    index = LaneIndex.build(starts, ends, lanes)
    result = layout_labels(
        starts, ends, lanes, np.full(3, 60.0), (980 * DAY, 1000 * DAY), 800, index=index
    )
    assert [(p.index, p.x_px) for p in result.labels] == [(0, 0.0), (2, 400.0)]


def test_label_positions_are_mapped_like_qtransform():
    # seconds -> pixels, with shear terms so that mixing up m12 and m21 would show
    transform = QTransform(2.5e-5, 3e-8, 7.0, -90.0, -41_000.0, 400.0)
    points = np.array([[1.7e9, 3.47], [1.71e9, 0.91], [1.65e9, 2.62]])
    xs, ys = LabelsItem._to_device(transform, points, 2.0)
    for (x, y), dev_x, dev_y in zip(points.tolist(), xs, ys, strict=True):
        expected = transform.map(QPointF(x, y)) / 2.0
        assert dev_x == pytest.approx(expected.x()) and dev_y == pytest.approx(expected.y())


# -- date axis: UTC ticks without the local time zone round trip ----------------------------


@pytest.mark.parametrize(
    ("first", "days", "pixels"),
    [("2014-01-01", 4400, 1300), ("2023-11-20", 200, 1300), ("2024-02-25", 9, 1300)],
)
def test_axis_ticks_are_those_of_pyqtgraph_at_utc_offset_zero(qapp, first, days, pixels):
    axis = KoreanDateAxis()
    axis.fontMetrics = QFontMetrics(bundled_font(9.0))  # what the axis's first paint sets
    lo = date_to_seconds(dt.date.fromisoformat(first))
    hi = lo + days * DAY
    ours = axis.tickValues(lo, hi, pixels)
    level = axis.zoomLevel
    theirs = stock.ZoomLevel(level.tickSpecs, level.exampleText)
    theirs.utcOffset = 0
    assert ours == theirs.tickValues(lo, hi, axis.minSpacing)
    coarse = [dt.datetime(1970, 1, 1) + dt.timedelta(seconds=v) for v in ours[0][1]]
    assert coarse and all(w.hour == 0 and w.minute == 0 for w in coarse)  # UTC midnights


# -- level of detail: counts by bisection, scatter off while all binned --------------------


def _crowd(n: int, camps: list[str]) -> pd.DataFrame:
    first = dt.date(2021, 1, 1)
    return pd.DataFrame(
        {
            "event_id": [f"c{k}" for k in range(n)],
            "date_start": [
                (first + dt.timedelta(days=(k * 7) % 1460)).isoformat() for k in range(n)
            ],
            "date_end": "",
            "precision": "day",
            "title": [f"가상 모델 {k} 공개" for k in range(n)],
            "camp": [camps[k % len(camps)] for k in range(n)],
        }
    )


def test_binned_lanes_equal_the_count_over_all_markers(show_timeline):
    view = show_timeline(_crowd(9000, ["open", "open", "closed", "neutral"]), (1000, 480))
    rng = np.random.default_rng(2)
    lo0, hi0 = view.x_range()
    events = view.events
    for _ in range(25):
        span = (hi0 - lo0) * float(rng.choice([1.0, 0.5, 0.2, 0.05]))
        lo = lo0 + float(rng.uniform(0, hi0 - lo0 - span))
        view.view_box.setXRange(lo, lo + span, padding=0.0)  # re-bins by itself
        expected = dense_lanes(
            events.centers(), events.lanes, events.points, view.x_range(), view.pixel_width()
        )
        assert view.binned_lanes() == expected


def test_markers_are_not_drawn_while_every_marker_lane_is_binned(show_timeline):
    view = show_timeline(_crowd(6000, ["open"]), (1000, 480))
    view.relayout_labels()
    assert view.binned_lanes() and not view.scatter.isVisible()
    target = view.index_of("c100")
    middle = float(view.events.centers()[target])
    view.view_box.setXRange(middle - 3 * DAY, middle + 3 * DAY, padding=0.0)
    assert view.binned_lanes() == frozenset() and view.scatter.isVisible()
    scene = view.view_box.mapViewToScene(QPointF(middle, float(view.events.y[target])))
    kind, row = view.hit_test(scene)
    assert kind == "event" and view.events.centers()[row] == middle
    view.set_events(_crowd(5, ["open"]))  # a new, sparse frame draws its markers
    assert view.scatter.isVisible()


# -- lane bands: opaque tints that look like the translucent ones over the canvas ----------


def _blend(color: QColor, alpha: int, base: QColor) -> tuple[int, int, int]:
    a = alpha / 255.0
    return tuple(
        round(c * a + b * (1 - a))
        for c, b in zip(color.getRgb()[:3], base.getRgb()[:3], strict=True)
    )


@pytest.mark.parametrize("base", [QColor(255, 255, 255), QColor(25, 25, 28)])
def test_lane_bands_tint_each_lane_over_the_canvas_and_lines_part_them(show_timeline, base):
    from gui.camp_colors import CAMPS, camp_qcolor
    from gui.timeline_items import LaneBands
    from gui.timeline_labels import lane_bottom

    view = show_timeline(_crowd(3, ["open"]), (900, 420))
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, base)
    view.setPalette(palette)  # the bands follow the canvas colour (dark mode too)
    image = view.plot_widget.grab().toImage()
    lo, hi = view.x_range()
    x = lo + 0.9 * (hi - lo)  # right of every event: nothing but the band
    for lane, camp in enumerate(CAMPS):
        for height in (0.5, 0.97):  # in the marks' row and just under the lane's top
            scene = view.view_box.mapViewToScene(QPointF(x, lane_bottom(lane) + height))
            point = view.plot_widget.mapFromScene(scene)
            got = image.pixelColor(point.x(), point.y()).getRgb()[:3]
            wanted = _blend(camp_qcolor(camp), LaneBands.TINTS[lane % 2], base)
            assert max(abs(g - w) for g, w in zip(got, wanted, strict=True)) <= 1, camp
    # a grey line between two lanes, one pixel row, across the view
    scene = view.view_box.mapViewToScene(QPointF(x, lane_bottom(1) + 1.0))
    point = view.plot_widget.mapFromScene(scene)
    rows = [image.pixelColor(point.x(), point.y() + dy).getRgb()[:3] for dy in (-1, 0, 1)]
    assert (200, 200, 200) in rows


def test_loading_events_leaves_no_full_collection_pending(show_timeline):
    import gc

    view = show_timeline(_crowd(50, ["open"]))
    view.set_events(_bar_frame(2000, seed=1))
    # the load ended with a full collection: no younger collections counted since, so
    # the first pans do not pay for a pass over every object of the process
    assert gc.get_count()[2] == 0


def test_a_small_load_pays_no_full_collection(show_timeline, monkeypatch):
    from gui import timeline_view

    view = show_timeline(_crowd(50, ["open"]))
    passes = []
    monkeypatch.setattr(timeline_view.gc, "collect", lambda *a: passes.append(a) or 0)
    view.set_events(_bar_frame(timeline_view.FULL_COLLECTION_EVENTS - 1, seed=1))
    assert passes == []
    view.set_events(_bar_frame(timeline_view.FULL_COLLECTION_EVENTS, seed=1))
    assert len(passes) == 1


def test_a_badge_box_is_rendered_once_per_size_and_colour(show_timeline):
    view = show_timeline(_crowd(6000, ["open", "closed"]), (1000, 480))
    view.relayout_labels()
    view.grab()
    badges = view.labels_item.badges
    assert len(badges) > 10
    kinds = {(view.labels_item._badge_width(text), fill.rgba()) for _x, _y, text, fill in badges}
    assert len(view.labels_item._boxes) == len(kinds) < len(badges)
    view.labels_item.render_scale = 2.0  # an export renders its own, sharper boxes
    view.grab()
    sizes = {box.size().width() for box in view.labels_item._boxes.values()}
    assert len(view.labels_item._boxes) == 2 * len(kinds) and len(sizes) > 1


class _PaintCounter(QObject):
    """Counts the paint events of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_a_pan_or_zoom_step_paints_once_with_its_own_labels(show_timeline, qtbot):
    view = show_timeline(_bar_frame(3000, seed=6), (1000, 480))
    qtbot.wait(100)
    counter = _PaintCounter()
    view.plot_widget.viewport().installEventFilter(counter)
    steps = (
        view.zoom_in,
        lambda: view.view_box.translateBy(x=(view.x_range()[1] - view.x_range()[0]) * 0.3),
        view.zoom_out,
    )
    for step in steps:
        counter.count = 0
        step()
        # laid out for the new range before anything painted
        lo, hi = view.x_range()
        assert view.labels_item.boundingRect().left() == pytest.approx(lo)
        assert view.labels_item.boundingRect().right() == pytest.approx(hi)
        qtbot.wait(100)
        assert counter.count == 1


def test_the_markers_keep_their_bounds_across_pans_and_zooms(show_timeline):
    view = show_timeline(_crowd(500, ["open", "closed"]), (1000, 480))
    xs = np.asarray(view.scatter.data["x"])
    view.scatter.boundingRect()
    assert view.scatter.bounds[0] == (xs.min(), xs.max())
    for step in (view.zoom_in, view.zoom_in, view.zoom_out):
        step()
        # not forgotten on a view change (finding them again scans every marker) ...
        assert view.scatter.bounds[0] == (xs.min(), xs.max())
        # ... and still enclosing every marker, with room for its pixel size
        rect = view.scatter.boundingRect()
        assert rect.left() < xs.min() and rect.right() > xs.max()
    view.set_events(_crowd(20, ["neutral"]))  # new markers: new bounds
    xs = np.asarray(view.scatter.data["x"])
    view.scatter.boundingRect()
    assert view.scatter.bounds[0] == (xs.min(), xs.max())
