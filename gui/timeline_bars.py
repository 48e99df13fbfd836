"""Interval bars of the timeline: every non-day event, drawn per style and track.

Split from ``gui.timeline_items``: the bars are the one item whose drawing cost grows with
the number of events in view, so they cull, round to pixels and merge with array
operations (``gui.timeline_lod.grouped_spans``) and hand Qt one array of rectangles per
style.
"""

from __future__ import annotations

import functools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from gui.camp_colors import CAMPS, camp_qcolor
from gui.timeline_labels import BAR_HALF_HEIGHT, TimelineEvents
from gui.timeline_lod import draw_rect_array, grouped_spans

#: more visible bars than this in one style and track are drawn as their union (overview)
MERGE_ABOVE = 400
#: ... and so are more than one per this many pixels of the view's width (too dense to
#: tell apart; the union keeps every covered pixel, only outlines between bars go)
MERGE_PX = 8.0


class IntervalBars(pg.GraphicsObject):
    """Every interval bar of the timeline, drawn per style (camp, planned, approximate).

    Solid fill: an interval known to lie in that span. Hollow (outline only): planned.
    Dashed outline and light fill: approximate. Outlines are cosmetic (a fixed pixel width),
    so a week seen from a decade away still shows as a thin bar, never vanishes.

    Each paint draws only what the view shows: bars outside the visible range are dropped,
    the rest are clipped to it (a dashed outline kilometres long off screen is slow to
    stroke) and bars that cover the same pixel columns are drawn once. When a lane holds
    thousands of them in view, overlapping bars of one style are drawn as their union.
    """

    def __init__(self) -> None:
        super().__init__()
        # every shown bar, sorted by group (style and track, in drawing order), then start
        self._starts = np.zeros(0)
        self._ends = np.zeros(0)
        self._group = np.zeros(0, dtype=np.int64)
        self._styles: list[tuple[float, QPen, QBrush]] = []  # per group: track y, pen, brush
        self._track_y = np.zeros(0)  # per group, its track's y (the styles' first column)
        self._bounds = QRectF()
        self._cache_key: tuple | None = None
        self._rects = np.zeros((0, 4))  # rows x, y, w, h, grouped like ``_styles``
        self._cuts = np.zeros(1, dtype=np.int64)  # group k's rows are _cuts[k]:_cuts[k + 1]
        self.drawn_rects = 0  # after culling and merging, in the last paint (for benchmarks)

    def set_bars(self, events: TimelineEvents, shown: np.ndarray) -> None:
        self.prepareGeometryChange()
        chosen = np.flatnonzero(shown & ~events.points)
        style = (
            events.camps[chosen] * 4
            + events.planned[chosen].astype(int) * 2
            + events.approximate[chosen].astype(int)
        )
        ys = events.y[chosen]
        # groups drawn camp by camp, then planned, approximate, track (as y) ascending;
        # by start within a group, so that a paint culls and merges with array operations
        order = np.lexsort((events.starts[chosen], ys, style))
        chosen, style, ys = chosen[order], style[order], ys[order]
        new = np.r_[True, (style[1:] != style[:-1]) | (ys[1:] != ys[:-1])] if len(chosen) else []
        firsts = np.flatnonzero(new)
        self._group = np.cumsum(new, dtype=np.int64) - 1
        self._starts = events.starts[chosen]
        self._ends = events.ends[chosen]
        self._styles = [
            (float(ys[f]), *bar_style(int(style[f]) // 4, bool(style[f] & 2), bool(style[f] & 1)))
            for f in firsts.tolist()
        ]
        self._track_y = ys[firsts].astype(float)
        if len(chosen):
            x0, x1 = float(self._starts.min()), float(self._ends.max())
            self._bounds = QRectF(x0, 0.0, x1 - x0, float(events.lane_count))
        else:
            self._bounds = QRectF()
        self._cache_key = None
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _visible_rects(self) -> tuple[np.ndarray, np.ndarray]:
        """The rectangles to draw now (rows x, y, w, h) and where each group's rows start."""
        view = self.getViewBox()
        if view is None or not self._styles:
            return np.zeros((0, 4)), np.zeros(len(self._styles) + 1, dtype=np.int64)
        lo, hi = view.viewRange()[0]
        width = max(float(view.width()), 1.0)
        key = (lo, hi, width, id(self._styles))
        if key == self._cache_key:
            return self._rects, self._cuts
        per_px = (hi - lo) / width
        margin = 4 * per_px
        seen = np.flatnonzero((self._starts <= hi + margin) & (self._ends >= lo - margin))
        groups = self._group[seen]
        # to whole pixels, clipped just outside the view (a dashed outline kilometres long
        # off screen is slow to stroke); equal pixel spans are drawn once
        px0 = np.floor((np.maximum(self._starts[seen], lo - margin) - lo) / per_px)
        px1 = np.ceil((np.minimum(self._ends[seen], hi + margin) - lo) / per_px)
        counts = np.bincount(groups, minlength=len(self._styles))
        merged = counts > min(MERGE_ABOVE, width / MERGE_PX)
        groups, px0, px1 = grouped_spans(groups, px0, px1, merged)
        rects = np.empty((len(groups), 4))
        rects[:, 0] = lo + px0 * per_px
        rects[:, 1] = self._track_y[groups] - BAR_HALF_HEIGHT
        rects[:, 2] = (px1 - px0) * per_px
        rects[:, 3] = 2 * BAR_HALF_HEIGHT
        cuts = np.searchsorted(groups, np.arange(len(self._styles) + 1))
        self._cache_key, self._rects, self._cuts = key, rects, cuts
        self.drawn_rects = len(rects)
        return rects, cuts

    def paint(self, painter: QPainter, *args: object) -> None:
        # axis-aligned rectangles gain nothing from anti-aliasing, and it is the slow path
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        rects, cuts = self._visible_rects()
        for k, (_y, pen, brush) in enumerate(self._styles):
            if cuts[k + 1] > cuts[k]:
                painter.setPen(pen)
                painter.setBrush(brush)
                draw_rect_array(painter, rects[cuts[k] : cuts[k + 1]])


@functools.lru_cache(maxsize=64)
def bar_style(camp_index: int, planned: bool, approximate: bool) -> tuple[QPen, QBrush]:
    """Pen and brush of a bar of the camp ``CAMPS[camp_index]`` (see ``IntervalBars``)."""
    camp = CAMPS[camp_index]
    pen = QPen(camp_qcolor(camp), 2.0 if planned else 1.0)
    pen.setCosmetic(True)
    if approximate:
        pen.setStyle(Qt.PenStyle.DashLine)
    if planned:
        brush = QBrush(QColor(255, 255, 255, 200))
    else:
        brush = QBrush(camp_qcolor(camp, 90 if approximate else 170))
    return pen, brush
