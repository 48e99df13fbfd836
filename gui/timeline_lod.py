"""Level of detail for the timeline: a lane too crowded for markers shows counts per bin.

Zoomed out over years, a lane may hold tens of thousands of day markers in view, far more
than its width can show apart (they overlap into a smear, and drawing each costs a frame
its budget). A lane whose visible markers outnumber one per ``DENSE_PX`` pixels is *binned*:
its markers are hidden and ``BinsItem`` draws, per ``BIN_PX`` pixel column, a count bar
whose height grows with the number of markers there. Zooming in until the lane thins out
brings the markers back. Bars (non-day events) are not binned: ``IntervalBars`` already
merges them per pixel. Labels and badges are unaffected: ``layout_labels`` collapses a
crowded lane into badges anyway.

Hit-testing stays exact: the pointer over a binned lane's marker row finds its bin (span,
count) and the nearest shown marker of that lane by its real date, never by the drawing.
The selected event is emphasised at its own date whatever is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from gui.camp_colors import CAMPS, camp_qcolor
from gui.timeline_labels import (
    LANE_COUNT,
    MARK_Y,
    LabelLayout,
    LabelRows,
    PlacedLabel,
    TimelineEvents,
    lane_bottom,
)

#: a lane is binned when it has more visible markers than one per this many pixels
DENSE_PX = 3.0
#: the width of one bin, in pixels
BIN_PX = 4.0
#: the part of a lane (from its bottom) where count bars stand: the markers' row
BIN_BAND = (MARK_Y - 0.07, MARK_Y + 0.08)


@dataclass(frozen=True)
class BinHit:
    """A bin under the pointer: its lane, time span, marker count and nearest marker row."""

    lane: int
    start: float
    end: float
    count: int
    nearest: int | None


def dense_lanes(
    centers: np.ndarray,
    lanes: np.ndarray,
    markers: np.ndarray,
    x_range: tuple[float, float],
    pixel_width: float,
    dense_px: float = DENSE_PX,
) -> frozenset[int]:
    """Lanes with more markers (mask ``markers``) in ``x_range`` than one per ``dense_px``."""
    lo, hi = x_range
    seen = markers & (centers >= lo) & (centers <= hi)
    return _over_limit(np.bincount(lanes[seen]), pixel_width, dense_px)


def _over_limit(counts: np.ndarray, pixel_width: float, dense_px: float) -> frozenset[int]:
    """Lanes whose marker ``counts`` exceed one per ``dense_px`` of ``pixel_width``."""
    limit = max(pixel_width, 1.0) / dense_px
    return frozenset(int(lane) for lane in np.flatnonzero(counts > limit))


def bin_counts(
    sorted_centers: np.ndarray, x_range: tuple[float, float], pixel_width: float
) -> tuple[float, np.ndarray]:
    """(seconds per bin, markers per bin) over ``x_range`` cut into ``BIN_PX`` columns."""
    lo, hi = x_range
    bins = max(1, int(np.ceil(max(pixel_width, 1.0) / BIN_PX)))
    width = (hi - lo) / bins
    edges = lo + width * np.arange(bins + 1)
    cuts = np.searchsorted(sorted_centers, edges, side="left")
    return width, np.diff(cuts)


def union_spans(spans: np.ndarray) -> np.ndarray:
    """Overlapping pixel spans ``[[x0, x1], ...]`` (sorted by x0) merged into their union."""
    ends = np.maximum.accumulate(spans[:, 1])
    new = np.r_[True, spans[1:, 0] > ends[:-1]]
    first = np.flatnonzero(new)
    last = np.r_[first[1:] - 1, len(spans) - 1]
    return np.column_stack([spans[first, 0], ends[last]])


def distinct_spans(px0: np.ndarray, px1: np.ndarray) -> np.ndarray:
    """The distinct pixel spans ``[[x0, x1], ...]``, sorted; one int64 key per span is far
    cheaper to make unique than rows (``np.unique(axis=0)``). Spans are clipped to the
    view plus a margin, so both ends fit in 31 bits once shifted past the margin."""
    shift = 1 << 20
    keys = np.unique((px0.astype(np.int64) + shift) << 32 | (px1.astype(np.int64) + shift))
    return np.column_stack([(keys >> 32) - shift, (keys & 0xFFFFFFFF) - shift]).astype(float)


#: grouped pixel spans are packed as group * _GROUP_SPAN + shifted pixel (exact in float64)
_PX_SHIFT = 64
_GROUP_SPAN = 1 << 24


def grouped_spans(
    groups: np.ndarray, px0: np.ndarray, px1: np.ndarray, merged: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group, the spans ``union_spans`` (groups where ``merged[group]``) or
    ``distinct_spans`` (the others) would give, for all groups in one pass.

    ``groups`` must be ascending and, within a group, ``px0`` ascending (bars sorted by
    group, then start). Returns ``(group, x0, x1)`` sorted by group, each group's spans in
    the order the per-group function gives them. Pixels must lie within
    ``(-_PX_SHIFT, _GROUP_SPAN - _PX_SHIFT)`` (a view plus a margin does).
    """
    groups = np.asarray(groups, dtype=np.int64)
    px0 = np.asarray(px0, dtype=float)
    px1 = np.asarray(px1, dtype=float)
    if len(groups) == 0:
        return groups, px0, px1
    union = np.asarray(merged, dtype=bool)[groups]
    out_g, out_0, out_1 = [], [], []
    if union.any():
        # one union over all merged groups: each group is lifted above the one before, so
        # a running maximum never carries a span into the next group
        base = groups[union] * float(_GROUP_SPAN) + _PX_SHIFT
        spans = union_spans(np.column_stack([px0[union] + base, px1[union] + base]))
        g = (spans[:, 0] // _GROUP_SPAN).astype(np.int64)
        lifted = g * float(_GROUP_SPAN) + _PX_SHIFT
        out_g.append(g)
        out_0.append(spans[:, 0] - lifted)
        out_1.append(spans[:, 1] - lifted)
    rest = ~union
    if rest.any():
        # one sort of packed (group, x0, x1) keys: distinct spans of every group at once
        keys = np.unique(
            (groups[rest] << 48)
            | ((px0[rest].astype(np.int64) + _PX_SHIFT) << 24)
            | (px1[rest].astype(np.int64) + _PX_SHIFT)
        )
        out_g.append(keys >> 48)
        out_0.append((((keys >> 24) & (_GROUP_SPAN - 1)) - _PX_SHIFT).astype(float))
        out_1.append(((keys & (_GROUP_SPAN - 1)) - _PX_SHIFT).astype(float))
    g = np.concatenate(out_g)
    order = np.argsort(g, kind="stable")  # merged and distinct groups are disjoint
    return g[order], np.concatenate(out_0)[order], np.concatenate(out_1)[order]


def draw_rect_array(painter: QPainter, rects: np.ndarray) -> None:
    """Draw ``rects`` (a C-contiguous float64 array of rows ``x, y, w, h``, the memory
    layout of ``QRectF``) in one call, without making a ``QRectF`` per row."""
    if len(rects):
        rects = np.ascontiguousarray(rects, dtype=np.float64)
        painter.drawRects(shiboken6.wrapInstance(rects.ctypes.data, QRectF), len(rects))


class BinsItem(pg.GraphicsObject):
    """Count bars of the binned lanes, drawn in device pixels for the visible range."""

    def __init__(self) -> None:
        super().__init__()
        self.binned: frozenset[int] = frozenset()
        self._centers: list[np.ndarray] = [np.zeros(0)] * LANE_COUNT  # sorted, per lane
        self._bounds = QRectF()
        self._cache: dict[int, tuple[tuple, np.ndarray]] = {}  # per lane: key, rects
        self._styles: list[tuple[QPen, QBrush]] = []
        self.set_lanes(CAMPS)
        self.setZValue(9)

    def set_lanes(self, lane_camps: tuple[str | None, ...]) -> None:
        """The lanes by their camp, whose colour their counts take (None: grey)."""
        self._styles = []
        for camp in lane_camps:
            color = camp_qcolor(camp) if camp else QColor(110, 110, 110)
            pen = QPen(color, 1.0)
            pen.setCosmetic(True)
            fill = QColor(color)
            fill.setAlpha(200)
            self._styles.append((pen, QBrush(fill)))
        self._cache.clear()

    def set_markers(self, centers: np.ndarray, lanes: np.ndarray, count: int = LANE_COUNT) -> None:
        """The markers that may be binned: their centres (seconds) and lanes (of ``count``)."""
        self.prepareGeometryChange()
        self._centers = [np.sort(centers[lanes == lane]) for lane in range(count)]
        if len(centers):
            lo, hi = float(centers.min()), float(centers.max())
            self._bounds = QRectF(lo, 0.0, max(hi - lo, 1.0), float(count))
        else:
            self._bounds = QRectF()
        self.update()

    def set_binned(self, lanes: frozenset[int]) -> None:
        if lanes != self.binned:
            self.binned = lanes
            self.update()

    def lane_centers(self, lane: int) -> np.ndarray:
        return self._centers[lane]

    def boundingRect(self) -> QRectF:
        return self._bounds

    def in_range(self, lo: float, hi: float) -> np.ndarray:
        """Markers per lane with their centre in ``lo``..``hi`` (two bisections a lane)."""
        return np.array(
            [
                np.searchsorted(c, hi, side="right") - np.searchsorted(c, lo, side="left")
                for c in self._centers
            ]
        )

    def _lane_rects(
        self, lane: int, transform: object, lo: float, hi: float, width_px: float
    ) -> np.ndarray:
        """The count bars of ``lane`` in device pixels, rows x, y, w, h (cached per range,
        size and lane)."""
        key = (lane, lo, hi, width_px, transform.m11(), transform.m22(), transform.dx(),
               transform.dy(), id(self._centers))  # fmt: skip
        cached = self._cache.get(lane)
        if cached is not None and cached[0] == key:
            return cached[1]
        width, counts = bin_counts(self._centers[lane], (lo, hi), width_px)
        rects = np.zeros((0, 4))
        if counts.any():
            left = transform.map(QPointF(lo, 0.0)).x()
            right = transform.map(QPointF(hi, 0.0)).x()
            bottom = lane_bottom(lane, len(self._centers))
            base = transform.map(QPointF(lo, bottom + BIN_BAND[0])).y()
            top = transform.map(QPointF(lo, bottom + BIN_BAND[1])).y()
            full = abs(base - top)
            filled = np.flatnonzero(counts)
            # square root: one busy day must not flatten the rest of the lane
            heights = np.maximum(np.sqrt(counts[filled] / counts.max()) * full, 2.0)
            step = (right - left) * width / max(hi - lo, 1e-9)
            rects = np.empty((len(filled), 4))
            rects[:, 0] = left + filled * step
            rects[:, 1] = base - heights
            rects[:, 2] = max(step - 1.0, 1.0)
            rects[:, 3] = heights
        self._cache[lane] = (key, rects)
        return rects

    def paint(self, painter: QPainter, *args: object) -> None:
        view = self.getViewBox()
        if view is None or not self.binned:
            return
        lo, hi = view.viewRange()[0]
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for lane in sorted(self.binned):
            rects = self._lane_rects(lane, transform, lo, hi, float(view.width()))
            if len(rects):
                pen, brush = self._styles[lane]
                painter.setPen(pen)
                painter.setBrush(brush)
                draw_rect_array(painter, rects)
        painter.restore()


class LevelOfDetail:
    """Decides per lane between markers and bins, and answers hits over bins."""

    def __init__(self, scatter: pg.ScatterPlotItem) -> None:
        self.scatter = scatter
        self.bins = BinsItem()
        self._events = TimelineEvents.from_frame(None)
        self._markers = np.zeros(0, dtype=bool)
        self._spot_lanes = np.zeros(0, dtype=int)

    def set_events(self, events: TimelineEvents, shown: np.ndarray) -> None:
        """New events or filter: the scatter was just filled with the shown markers."""
        self._events = events
        self._markers = shown & events.points
        self._spot_lanes = events.lanes[np.asarray(self.scatter.data["data"], dtype=int)]
        chosen = np.flatnonzero(self._markers)
        self.bins.set_lanes(events.lane_camps)
        self.bins.set_markers(events.centers()[chosen], events.lanes[chosen], events.lane_count)
        self.bins.set_binned(frozenset())
        self.scatter.setVisible(True)  # the new spots are all visible

    def refresh(self, x_range: tuple[float, float], pixel_width: float) -> frozenset[int]:
        """Bin the lanes that are too dense in ``x_range``; show markers in the rest."""
        # the rule of ``dense_lanes``, counted on the per-lane sorted centres
        lanes = _over_limit(self.bins.in_range(*x_range), pixel_width, DENSE_PX)
        if lanes != self.bins.binned:
            visible = ~np.isin(self._spot_lanes, list(lanes))
            # written directly: setPointsVisible would re-render every symbol's atlas entry
            self.scatter.data["visible"] = visible
            # with every marker binned, the scatter would still cull all its points per frame
            self.scatter.setVisible(bool(visible.any()))
            self.scatter.update()
            self.bins.set_binned(lanes)
        return lanes

    def hit(
        self, x: float, y: float, x_range: tuple[float, float], pixel_width: float
    ) -> BinHit | None:
        """The bin at data point (``x``, ``y``) when it lies on a binned lane's marker row."""
        count = self._events.lane_count
        lane = count - 1 - int(np.floor(y))
        if lane not in self.bins.binned:
            return None
        within = y - lane_bottom(lane, count)
        if not BIN_BAND[0] - 0.03 <= within <= BIN_BAND[1] + 0.03:
            return None
        lo = x_range[0]
        width, _counts = bin_counts(np.zeros(0), x_range, pixel_width)
        k = int(np.floor((x - lo) / width))
        start, end = lo + k * width, lo + (k + 1) * width
        centers = self.bins.lane_centers(lane)
        count = int(np.searchsorted(centers, end) - np.searchsorted(centers, start))
        rows = np.flatnonzero(self._markers & (self._events.lanes == lane))
        nearest = None
        if len(rows):
            gaps = np.abs(self._events.centers()[rows] - x)
            nearest = int(rows[int(np.argmin(gaps))])
        return BinHit(lane, start, end, count, nearest)


def placed_texts(
    layout: LabelLayout,
    x_range: tuple[float, float],
    pixel_width: float,
    text_of: Callable[[PlacedLabel], str],
    badge_colors: list[QColor],
    label_rows: LabelRows,
    lane_count: int = LANE_COUNT,
) -> tuple[list[tuple[float, float, str]], list[tuple[float, float, str, QColor]]]:
    """The labels and badges of ``layout`` (only those of the visible range: the layout
    places no other) in data coordinates, as ``LabelsItem.set_items`` takes them;
    ``text_of`` gives a placed label's text, cut to its width where it was cut."""
    lo, hi = x_range
    per_px = (hi - lo) / max(pixel_width, 1.0)
    labels = [
        (
            lo + p.x_px * per_px,
            lane_bottom(p.lane, lane_count) + label_rows.row_y[p.row],
            text_of(p),
        )
        for p in layout.labels
    ]
    badges = [
        (
            lo + b.x_px * per_px,
            lane_bottom(b.lane, lane_count) + label_rows.badge_y,
            b.text,
            badge_colors[b.lane],
        )
        for b in layout.badges
    ]
    return labels, badges
