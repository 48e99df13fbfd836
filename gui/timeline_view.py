"""``TimelineView``: the zoomable camp timeline (pyqtgraph), one lane per camp.

API for the window (everything else is internal):

- ``TimelineView(parent=None)``: a ``QWidget``; needs a ``QApplication``.
- ``set_events(frame)``: show the events frame of ``core.timeline.Timeline.events``
  (``event_id``, ``date_start``/``date_end`` ISO or empty, ``precision``, ``date_text``,
  ``title``, ``camp``, ``sources``, ``planned``, ``approximate``, ``local_time`` ...). Fits.
- ``select_event(event_id | None, zoom=False)``: draw one event emphasised (None clears);
  with ``zoom``, centre the view on it. Emits nothing (no feedback loops).
- ``set_visible_ids(ids | None)``: draw only these events (a filter); None shows all.
- ``set_highlighted_ids(ids)``: outline these events (e.g. an entity's events).
- ``fit()``, ``zoom_in()``, ``zoom_out()``.
- signals ``event_clicked(str)`` (event_id, on a click on a mark or its label; the view
  also selects it) and ``event_hovered(str)`` (when the pointer moves onto another event).

Day-precision events are markers; every other precision is a bar over its interval (so
``지난달 말`` is a bar from the 21st to the 31st). Planned events are hollow, approximate
ones dashed (bars) or diamonds (markers); tooltips say why. Undated events are not drawn;
their count is written under the axis (``날짜 없는 사건 N건``). Labels stagger in up to three
rows per lane and collapse into ``+N`` badges when crowded (``gui.timeline_labels``);
clicking a badge zooms onto its events (for events of one day: lists them in a menu).
Bars over the same dates take separate tracks. A lane too crowded for its markers draws
counts per pixel bin instead; clicking a bin zooms in (``gui.timeline_lod``). Colours, lane names: ``gui.camp_colors``.
The whole timeline as a PNG: ``gui.png_export.export_timeline_png``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication
from PySide6.QtWidgets import QMenu, QToolTip, QVBoxLayout, QWidget

from gui.camp_colors import CAMPS, camp_label, camp_qcolor
from gui.date_axis import DAY, KoreanDateAxis
from gui.fonts import bundled_font
from gui.korean import EVENT_TYPE_WORDS
from gui.timeline_bars import IntervalBars
from gui.timeline_items import (
    EmphasisItem,
    LabelsItem,
    LaneBands,
    MarkerScatter,
    interval_text,
    paint_canvas,
    scatter_spots,
    tooltip_html,
)
from gui.timeline_labels import (
    GROUPINGS,
    LANE_COUNT,
    LabelLayout,
    LabelRows,
    LaneIndex,
    PlacedLabel,
    TimelineEvents,
    hit_at,
    label_text,
    lane_bottom,
    layout_labels,
)
from gui.timeline_legend import TimelineLegend
from gui.timeline_lod import BinHit, LevelOfDetail, placed_texts

YEAR = 365.25 * DAY
#: a label's width beyond its text: the space before it and after it
LABEL_PAD_PX = 6.0
#: a label cut short is elided to a multiple of this width
ELIDE_STEP_PX = 6.0
#: a label longer than this share of the view's width may be cut at the fit view
FIT_LABEL_SHARE = 0.6
#: at the fit view, the most room (share of the events' span) left after the last event
FIT_ROOM = 0.03
#: a load of at least this many events ends with a full garbage collection (see set_events)
FULL_COLLECTION_EVENTS = 1000


class TimelineView(QWidget):
    """The camp timeline: lanes, markers, bars, labels and badges over a Korean date axis."""

    event_clicked = Signal(str)
    event_hovered = Signal(str)
    #: a right-click menu is about to show: (QMenu, event id or "" off any event); a slot
    #: may add its own actions to the menu (the review adds accept/reject)
    context_menu_requested = Signal(object, str)
    #: the lanes now stand for this grouping (``GROUPINGS``)
    group_by_changed = Signal(str)
    #: "원문에서 보기" chosen in the menu for this event (the window shows its sentence)
    source_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label_font: QFont = bundled_font(9.5)
        self._badge_font: QFont = bundled_font(9.0, bold=True)
        self.events = TimelineEvents.from_frame(None)
        self._shown = np.zeros(0, dtype=bool)
        self._visible_ids: set[str] | None = None
        self._highlighted: set[str] = set()
        self._selected: str | None = None
        self._hovered: str | None = None
        self._widths = np.zeros(0)
        self._width_list: list[float] = []
        self._label_texts: list[str] = []
        self._anchors = np.zeros(0)
        self.layout_result = LabelLayout()
        self.label_rows = LabelRows.for_lane(None)
        self._rows_cache, self._rows_key = self.label_rows, None
        self._elided: dict[tuple[int, int], str] = {}
        # the range follows fit() until the user pans or zooms: a resize then fits again
        self._fitting = False
        self._fit_active = False
        self._lane_index = LaneIndex.build(np.zeros(0), np.zeros(0), np.zeros(0, dtype=int))
        self.badge_menu: QMenu | None = None  # the last menu of a one-day badge
        self.context_menu: QMenu | None = None  # the last right-click menu
        self.group_by = "camp"
        self._frame: pd.DataFrame | None = None
        self._names: dict[str, str] = {}
        self._badge_colors = [camp_qcolor(camp, 230) for camp in CAMPS]

        self.plot_widget = pg.PlotWidget(
            background="w", axisItems={"bottom": KoreanDateAxis(orientation="bottom")}
        )
        self.plot_widget.setAntialiasing(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.legend = TimelineLegend()
        layout.addWidget(self.legend)
        # the view takes the focus (the window gives it after a load) so that J/K, Enter
        # and the zoom keys act on it at once
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot_widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.plot_widget)
        self._setup_plot()

        # a range change is applied at once, before the repaint it asked for: labels laid
        # out from a queued timer, or the view's matrix set when painting starts (as the
        # ViewBox does by itself), each made every pan or zoom step paint twice
        self.view_box.sigXRangeChanged.connect(self._range_changed)
        self.view_box.sigResized.connect(self._resized)
        scene = self.plot_widget.scene()
        scene.sigMouseMoved.connect(self._on_mouse_moved)
        scene.sigMouseClicked.connect(self._on_mouse_clicked)

    # -- construction ---------------------------------------------------------------------

    def _setup_plot(self) -> None:
        plot = self.plot_widget.getPlotItem()
        self.plot_item = plot
        self.view_box = plot.getViewBox()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=True, y=False)
        self.view_box.setYRange(0.0, float(LANE_COUNT), padding=0.0)
        self.view_box.setLimits(
            yMin=0.0,
            yMax=float(LANE_COUNT),
            minYRange=float(LANE_COUNT),
            maxYRange=float(LANE_COUNT),
            minXRange=DAY / 2,
            maxXRange=300 * YEAR,
        )
        self.view_box.disableAutoRange()
        for name in ("left", "bottom"):
            plot.getAxis(name).setStyle(tickFont=bundled_font(10.0 if name == "left" else 9.0))
        left = plot.getAxis("left")
        left.setTicks([[(lane_bottom(i) + 0.5, camp_label(c)) for i, c in enumerate(CAMPS)], []])
        left.setWidth(44)
        self.lane_bands = LaneBands()
        plot.addItem(self.lane_bands)
        self.bars = IntervalBars()
        self.scatter = MarkerScatter(pxMode=True)
        self.emphasis = EmphasisItem()
        self.labels_item = LabelsItem(self.label_font, self._badge_font)
        self.lod = LevelOfDetail(self.scatter)
        for item in (self.bars, self.scatter, self.lod.bins, self.emphasis, self.labels_item):
            plot.addItem(item)
        self.apply_palette()
        self.bars.setZValue(5)
        self.scatter.setZValue(10)
        self._set_note(0)

    def _set_note(self, undated: int) -> None:
        self.undated_note = f"날짜 없는 사건 {undated}건 (시간축에 없음)" if undated else ""
        self.set_note_visible(getattr(self, "_note_visible", True))

    def set_note_visible(self, visible: bool) -> None:
        """Show or hide the undated-events note under the date axis."""
        self._note_visible = visible
        shown = visible and bool(self.undated_note)
        style = {"font-family": self.label_font.family(), "font-size": "9pt"}
        self.plot_item.setLabel("bottom", self.undated_note if shown else "", **style)
        self.plot_item.showLabel("bottom", shown)

    # -- the API --------------------------------------------------------------------------

    def set_events(self, frame: pd.DataFrame | None, names: dict[str, str] | None = None) -> None:
        """Show ``frame`` (a timeline events frame); resets filter, highlight and selection.
        ``names`` maps entity ids to display names (lanes by actor are named with them)."""
        self._frame = frame
        self._names = dict(names or {})
        self._load_events()
        self._visible_ids = None
        self._highlighted = set()
        self._selected = None
        self._hovered = None
        self._apply_filter()
        self.fit()
        # a full collection now, while loading: the objects a big load leaves behind would
        # otherwise set off Python's next full collection (about 50 ms over the objects
        # of Qt, pyqtgraph and pandas) in the middle of the user's first pans and zooms; a
        # small load leaves too few to set one off, and need not pay for a pass
        if len(self.events) >= FULL_COLLECTION_EVENTS:
            gc.collect()

    def set_group_by(self, group_by: str) -> None:
        """Let the lanes stand for ``group_by`` (``GROUPINGS``: camp, actor, event_type);
        the filter, highlight, selection and visible range stay."""
        if group_by not in GROUPINGS:
            raise ValueError(f"unknown grouping: {group_by}")
        if group_by == self.group_by:
            return
        self.group_by = group_by
        x_range, fitted = self.x_range(), self._fit_active
        self._load_events()
        self._apply_filter()
        if fitted:
            self.fit()
        else:
            self.view_box.setXRange(*x_range, padding=0.0)
        self.group_by_changed.emit(group_by)

    def _load_events(self) -> None:
        self.events = TimelineEvents.from_frame(
            self._frame, self.group_by, self._names, EVENT_TYPE_WORDS
        )
        metrics = QFontMetricsF(self.label_font)
        titles = (
            self.events.frame["title"].fillna("").astype(str).tolist()
            if "title" in self.events.frame
            else [""] * len(self.events)
        )
        self._label_texts = [label_text(t) for t in titles]
        self._widths = np.array(
            [metrics.horizontalAdvance(t) + LABEL_PAD_PX for t in self._label_texts], dtype=float
        )
        self._width_list = self._widths.tolist()  # read per label per frame: no numpy scalars
        self._elided = {}
        self._anchors = np.where(self.events.points, self.events.centers(), self.events.starts)
        self._set_lanes()
        self._set_note(len(self.events.undated_ids))

    def _set_lanes(self) -> None:
        """The plot's lanes follow the events': count, names, bands and badge colours."""
        count = float(self.events.lane_count)
        self.view_box.setLimits(yMin=0.0, yMax=count, minYRange=count, maxYRange=count)
        self.view_box.setYRange(0.0, count, padding=0.0)
        names = self.events.lane_names
        left = self.plot_item.getAxis("left")
        left.setTicks([[(lane_bottom(i, len(names)) + 0.5, n) for i, n in enumerate(names)], []])
        width = max((QFontMetricsF(self.label_font).horizontalAdvance(n) for n in names), default=0)
        left.setWidth(int(min(max(44.0, width + 16.0), 160.0)))
        self.lane_bands.set_lanes(self.events.lane_camps)
        self._badge_colors = [
            camp_qcolor(camp, 230) if camp else QColor(110, 110, 110, 230)
            for camp in self.events.lane_camps
        ]

    @property
    def undated_count(self) -> int:
        return len(self.events.undated_ids)

    def set_visible_ids(self, ids: Iterable[str] | None) -> None:
        """Draw only the events whose id is in ``ids``; None draws them all."""
        self._visible_ids = None if ids is None else {str(i) for i in ids}
        self._apply_filter()

    def set_highlighted_ids(self, ids: Iterable[str] | None) -> None:
        """Outline the events whose id is in ``ids`` (empty or None: none)."""
        self._highlighted = {str(i) for i in ids} if ids else set()
        self._update_emphasis()

    def select_event(self, event_id: str | None, zoom: bool = False) -> None:
        """Emphasise ``event_id`` (None clears); with ``zoom``, bring it to the centre."""
        self._selected = None if event_id is None else str(event_id)
        self._update_emphasis()
        index = self.index_of(self._selected)
        if zoom and index is not None:
            start, end = float(self.events.starts[index]), float(self.events.ends[index])
            span = max(3.0 * (end - start), 60 * DAY)
            middle = (start + end) / 2.0
            self.view_box.setXRange(middle - span / 2, middle + span / 2, padding=0.0)

    @property
    def selected_id(self) -> str | None:
        return self._selected

    def fit(self) -> None:
        """Show every shown dated event (all dated events when the filter hides all), with
        room on the right for the labels of the latest ones to be read whole."""
        chosen = np.flatnonzero(self._shown) if self._shown.any() else np.arange(len(self.events))
        if len(chosen):
            lo = float(self.events.starts[chosen].min())
            hi = float(self.events.ends[chosen].max())
        else:
            now = pd.Timestamp.now(tz="UTC").timestamp()
            lo, hi = now - YEAR, now
        span = max(hi - lo, 30 * DAY)
        left = lo - 0.02 * span
        right = hi + 0.02 * span
        if len(chosen):
            # a label at ``a`` as wide as a share ``s`` of the view ends inside it when
            # right >= left + (a - left) / (1 - s); past a little room, the last labels end
            # at the right edge instead of the axis running on months past the last event
            share = np.minimum(self._widths[chosen] / self.pixel_width(), FIT_LABEL_SHARE)
            anchors = self._anchors[chosen]
            room = float(np.max(left + (anchors - left) / (1.0 - share)))
            right = max(right, min(room, hi + FIT_ROOM * span))
        self._fitting = True
        try:
            self.view_box.setXRange(left, right, padding=0.0)
        finally:
            self._fitting = False
        self._fit_active = True

    def apply_palette(self) -> None:
        """Follow the window's palette (light or dark); called again when it changes."""
        colors = self.palette()
        paint_canvas(
            self.plot_widget,
            self.labels_item,
            colors.base().color(),
            colors.text().color(),
            colors.mid().color(),
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
        super().changeEvent(event)

    def zoom_in(self) -> None:
        self._zoom_by(0.5)

    def zoom_out(self) -> None:
        self._zoom_by(2.0)

    def _zoom_by(self, factor: float, centre: QPointF | None = None) -> None:
        """Scale the time range by ``factor`` around the middle or a scene point."""
        lo, hi = self.view_box.viewRange()[0]
        x = (lo + hi) / 2.0 if centre is None else self.view_box.mapSceneToView(centre).x()
        self.view_box.scaleBy(x=factor, y=1.0, center=QPointF(x, self.events.lane_count / 2))

    def x_range(self) -> tuple[float, float]:
        lo, hi = self.view_box.viewRange()[0]
        return float(lo), float(hi)

    def index_of(self, event_id: str | None) -> int | None:
        """The row of ``event_id`` among the dated events, or None (unknown or undated)."""
        if event_id is None:
            return None
        found = np.flatnonzero(self.events.ids == event_id)
        return int(found[0]) if len(found) else None

    @property
    def bar_ids(self) -> list[str]:
        return [str(i) for i in self.events.ids[self._shown & ~self.events.points]]

    @property
    def marker_ids(self) -> list[str]:
        return [str(self.events.ids[int(i)]) for i in self.scatter.data["data"]]

    def drawn_ids(self) -> set[str]:
        """Ids of every event drawn as a marker or a bar, whatever the visible range."""
        return {str(i) for i in self.events.ids[self._shown]}

    # -- drawing --------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        ids = self.events.ids
        if self._visible_ids is None:
            self._shown = np.ones(len(ids), dtype=bool)
        else:
            self._shown = _member(ids, self._visible_ids) if len(ids) else self._shown
        self.scatter.setData(**scatter_spots(self.events, self._shown))
        self.bars.set_bars(self.events, self._shown)
        self.lod.set_events(self.events, self._shown)
        self._lane_index = LaneIndex.build(
            self._anchors, self.events.ends, self.events.lanes, self._shown
        )
        self._update_emphasis()
        self.relayout_labels()

    def _update_emphasis(self) -> None:
        wanted = _member(self.events.ids, self._highlighted) if self._highlighted else False
        highlighted = np.flatnonzero(self._shown & wanted).tolist()
        selected = self.index_of(self._selected)
        if selected is not None and not self._shown[selected]:
            selected = None  # filtered out: nothing to emphasise
        self.emphasis.set_shapes(self.events, highlighted, selected)

    def _range_changed(self, *args: object) -> None:
        if not self._fitting:
            self._fit_active = False  # the user's own range: keep it on resizes
        self._relayout_now()

    def _resized(self, *args: object) -> None:
        if self._fit_active and len(self.events):
            self.fit()  # the labels' room depends on the width
        self._relayout_now()

    def _relayout_now(self, *args: object) -> None:
        self.view_box.updateMatrix()  # no-op unless the range or size changed
        self.relayout_labels()

    def pixel_width(self) -> float:
        return max(float(self.view_box.width()), 1.0)

    def _lane_rows(self) -> LabelRows:
        """The label rows of a lane at the view's height (kept while the height is)."""
        lane_px = float(self.view_box.height()) / self.events.lane_count
        key = (lane_px, self.events.lane_count)
        if key != self._rows_key:
            line = QFontMetricsF(self.label_font).height() + 1.0
            badge = QFontMetricsF(self._badge_font).height() + 2.0
            self._rows_cache = LabelRows.for_lane(lane_px if lane_px > 1.0 else None, line, badge)
            self._rows_key = key
        return self._rows_cache

    def relayout_labels(self) -> LabelLayout:
        """Recompute bins, labels and badges for the visible range and the view's width."""
        x_range, width = self.x_range(), self.pixel_width()
        self.lod.refresh(x_range, width)
        self.label_rows = self._lane_rows()
        result = layout_labels(
            self._anchors,
            self.events.ends,
            self.events.lanes,
            self._widths,
            x_range,
            width,
            rows=self.label_rows.count,
            badge_rows=self.label_rows.badge_count,
            only=self._shown,
            index=self._lane_index,
        )
        self.layout_result = result
        self._draw_layout(result)
        return result

    def _draw_layout(self, result: LabelLayout) -> None:
        labels, badges = placed_texts(
            result,
            self.x_range(),
            self.pixel_width(),
            self._placed_text,
            self._badge_colors,
            self.label_rows,
            self.events.lane_count,
        )
        self.labels_item.set_items(labels, badges, self.view_box.viewRect())

    def _placed_text(self, label: PlacedLabel) -> str:
        """A placed label's text, elided to its width when the layout cut it short."""
        text = self._label_texts[label.index]
        if label.width_px >= self._width_list[label.index]:
            return text
        # widths in steps of a few pixels: zooming changes them a little at a time, and
        # each new width would otherwise be elided (and its text prepared) afresh
        step = int(label.width_px // ELIDE_STEP_PX)
        key = (label.index, step)
        elided = self._elided.get(key)
        if elided is None:
            if len(self._elided) > LabelsItem.CACHE_LIMIT:
                self._elided.clear()
            room = step * ELIDE_STEP_PX - LABEL_PAD_PX
            elided = QFontMetricsF(self.label_font).elidedText(
                text, Qt.TextElideMode.ElideRight, max(room, 0.0)
            )
            self._elided[key] = elided
        return elided

    def label_rects(self) -> list[tuple[str, QRectF]]:
        """The text drawn and the box it takes, in the view's pixels, of every label and
        badge laid out now (what a reader sees; tests check that none overlap)."""
        count = self.events.lane_count
        rows, lane_px = self.label_rows, float(self.view_box.height()) / count
        top = float(self.view_box.height())
        out = []
        for label in self.layout_result.labels:
            centre = (lane_bottom(label.lane, count) + rows.row_y[label.row]) * lane_px
            half = rows.row_half * lane_px
            box = QRectF(label.x_px, top - centre - half, label.width_px, 2 * half)
            out.append((self._placed_text(label), box))
        metrics = QFontMetricsF(self._badge_font)
        for badge in self.layout_result.badges:
            centre = (lane_bottom(badge.lane, count) + rows.badge_y) * lane_px
            half = rows.badge_half * lane_px
            width = metrics.horizontalAdvance(badge.text) + 10.0
            out.append((badge.text, QRectF(badge.x_px, top - centre - half, width, 2 * half)))
        return out

    def label_is_whole(self, label: PlacedLabel) -> bool:
        """Whether ``label`` is drawn with its whole text (not cut by a neighbour or the edge)."""
        return label.width_px >= self._widths[label.index]

    def binned_lanes(self) -> frozenset[int]:
        """The lanes drawn as counts per bin instead of markers (too dense in view)."""
        return self.lod.bins.binned

    def visible_label_texts(self) -> list[str]:
        """The label texts drawn now, left to right per lane (for tests and checks)."""
        return [text for _x, _y, text in self.labels_item.labels]

    # -- pointer --------------------------------------------------------------------------

    def hit_test(self, scene_pos: QPointF) -> tuple[str, object] | None:
        """What is under ``scene_pos``: ``("event", row)``, ``("badge", Badge)``,
        ``("bin", BinHit)`` or None."""
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view_box.mapSceneToView(scene_pos)
        binned = self.lod.hit(point.x(), point.y(), self.x_range(), self.pixel_width())
        if binned is not None:
            return ("bin", binned)
        return hit_at(
            point.x(),
            point.y(),
            self.x_range(),
            self.pixel_width(),
            self.layout_result,
            self.events,
            self._shown,
            self.label_rows,
        )

    def tooltip_html(self, index: int) -> str:
        """The hover text of dated event row ``index``: title, date as written, sources."""
        return tooltip_html(self.events, index)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        hit = self.hit_test(scene_pos)
        if hit is None or hit[0] != "event":
            if hit is not None and hit[0] in ("badge", "bin"):
                self.plot_widget.setToolTip(f"겹친 사건 {hit[1].count}건: 눌러서 확대")
            else:
                self.plot_widget.setToolTip("")
            self._hovered = None
            return
        index = int(hit[1])
        event_id = str(self.events.ids[index])
        if event_id == self._hovered:
            return  # still the same event: its text is already the tooltip
        self._hovered = event_id
        text = self.tooltip_html(index)
        self.plot_widget.setToolTip(text)
        if QToolTip.isVisible():  # Qt would keep showing the previous event's text
            where = self.plot_widget.mapToGlobal(self.plot_widget.mapFromScene(scene_pos))
            QToolTip.showText(where, text, self.plot_widget)
        self.event_hovered.emit(event_id)

    def _on_mouse_clicked(self, event: object) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            hit = self.hit_test(event.scenePos())
            event_id = str(self.events.ids[int(hit[1])]) if hit and hit[0] == "event" else ""
            where = self.plot_widget.mapFromScene(event.scenePos())
            self.make_context_menu(event_id).popup(self.plot_widget.mapToGlobal(where))
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.hit_test(event.scenePos())
        if hit is None:
            return
        kind, what = hit
        if isinstance(what, BinHit):
            self._zoom_by(0.125, centre=event.scenePos())
            return
        if kind == "badge" and what.end - what.start <= 1.5 * DAY:
            # events of one day never spread apart by zooming: offer them as a list
            where = self.plot_widget.mapFromScene(event.scenePos())
            self.badge_menu = self._menu_for(what.indices)
            self.badge_menu.popup(self.plot_widget.mapToGlobal(where))
            return
        if kind == "badge":
            span = max(what.end - what.start, 2 * DAY)
            # room on the right: the labels that come back start at their events
            self.view_box.setXRange(what.start - 0.25 * span, what.end + 0.5 * span, padding=0.0)
            return
        self._choose(str(self.events.ids[int(what)]))

    def _menu_for(self, rows: tuple[int, ...]) -> QMenu:
        """A menu of the events ``rows``; choosing one selects it and emits event_clicked."""
        menu = QMenu(self)
        menu.setFont(self.label_font)
        titles = self.events.frame["title"].fillna("").astype(str)
        for row in rows:
            event_id = str(self.events.ids[row])
            action = menu.addAction(titles.iloc[row] or event_id)
            action.triggered.connect(lambda _=False, e=event_id: self._choose(e))
        return menu

    def make_context_menu(self, event_id: str) -> QMenu:
        """The right-click menu for ``event_id`` ("" for none): zoom to it, copy it, show
        its source, then whatever ``context_menu_requested``'s slots add."""
        menu = QMenu(self)
        if event_id:
            self._choose(event_id)
            zoom = menu.addAction("이 사건으로 확대")
            zoom.setShortcut("Z")
            zoom.triggered.connect(lambda: self.select_event(event_id, zoom=True))
            copy = menu.addAction("사건 복사 (날짜·제목·출처)")
            copy.triggered.connect(lambda: self.copy_event(event_id))
            source = menu.addAction("원문에서 보기")
            source.triggered.connect(lambda: self.source_requested.emit(event_id))
            menu.addSeparator()
        fit = menu.addAction("전체 보기")
        fit.triggered.connect(self.fit)
        self.context_menu_requested.emit(menu, event_id)
        self.context_menu = menu
        return menu

    def event_text(self, event_id: str) -> str:
        """An event as one line of plain text: interval, title, sources."""
        index = self.index_of(event_id)
        if index is None:
            return ""
        row = self.events.frame.iloc[index]
        span = interval_text(float(self.events.starts[index]), float(self.events.ends[index]))
        sources = str(row.get("sources", "") or "").replace(";", ", ")
        text = f"{span} {row.get('title', '') or event_id}"
        return f"{text} (출처: {sources})" if sources else text

    def copy_event(self, event_id: str) -> None:
        QGuiApplication.clipboard().setText(self.event_text(event_id))

    def _choose(self, event_id: str) -> None:
        self.select_event(event_id)
        self.event_clicked.emit(event_id)


def _member(ids: np.ndarray, wanted: set[str]) -> np.ndarray:
    """``np.isin(ids, wanted)`` by set lookups: on an object array of ids ``np.isin``
    compares every id with every wanted one (seconds for 10k of each)."""
    return np.fromiter((i in wanted for i in ids.tolist()), dtype=bool, count=len(ids))
