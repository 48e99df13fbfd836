"""The timeline's data and the graphics items that draw it.

``TimelineEvents`` turns the events frame into flat numpy arrays (one row per dated event),
the shape the plot items, the label layout and the hit test all read. Interval bars are one
``IntervalBars`` item (``gui.timeline_bars``) drawing only the visible, pixel-merged
rectangles, day markers one ``ScatterPlotItem``, labels and badges one ``LabelsItem``, lane
bands one ``LaneBands``, so that tens of thousands of events stay responsive.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import MAX_REGULAR_TIMESTAMP, MIN_REGULAR_TIMESTAMP
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QPixmap,
    QStaticText,
)

from gui.camp_colors import CAMP_DESCRIPTIONS, CAMPS, camp_qcolor
from gui.date_axis import DAY
from gui.timeline_labels import (
    BAR_HALF_HEIGHT,
    MARKER_SIZE,
    TimelineEvents,
    lane_bottom,
)

LABEL_COLOR = QColor(30, 30, 30)


@functools.lru_cache(maxsize=64)
def marker_style(camp_lane_index: int, planned: bool, approximate: bool) -> dict:
    """Symbol, pen and brush of a day marker: filled; hollow when planned; a diamond when
    approximate (a day known only roughly).

    Cached: pyqtgraph renders one symbol image per distinct pen/brush *object*, so markers
    of one style must share the same objects.
    """
    camp = CAMPS[camp_lane_index]
    pen = pg.mkPen(camp_qcolor(camp), width=2 if planned else 1.2)
    if planned:
        brush = QBrush(QColor(255, 255, 255, 230))
    else:
        brush = QBrush(camp_qcolor(camp, 150 if approximate else 235))
    return {"symbol": "d" if approximate else "o", "pen": pen, "brush": brush}


def scatter_spots(events: TimelineEvents, shown: np.ndarray) -> dict:
    """Keyword arguments for ``ScatterPlotItem.setData`` drawing the shown day markers."""
    chosen = np.flatnonzero(shown & events.points)
    styles = [
        marker_style(int(events.camps[i]), bool(events.planned[i]), bool(events.approximate[i]))
        for i in chosen
    ]
    return {
        "x": events.centers()[chosen],
        "y": events.y[chosen],
        "symbol": [s["symbol"] for s in styles],
        "pen": [s["pen"] for s in styles],
        "brush": [s["brush"] for s in styles],
        "size": MARKER_SIZE,
        "data": chosen,
    }


class MarkerScatter(pg.ScatterPlotItem):
    """The day markers: a ``ScatterPlotItem`` that keeps its data bounds across pans and
    zooms. pyqtgraph forgets them on every view change, and finding them again scans every
    marker (twice: ``nanmin`` and ``nanmax``); with markers sized in pixels the bounds do
    not depend on the view (the pixel padding is added in ``boundingRect``)."""

    def viewTransformChanged(self) -> None:
        bounds = self.bounds
        super().viewTransformChanged()
        if self.opts["pxMode"]:
            self.bounds = bounds


class EmphasisItem(pg.GraphicsObject):
    """Outlines drawn over the selected event (thick, dark) and highlighted ones (gold)."""

    SELECTED = QColor(20, 20, 20)
    HIGHLIGHTED = QColor(240, 170, 0)
    #: the ring's radius around a marker, and how far its pen and antialiasing reach out
    RING_RADIUS = MARKER_SIZE * 0.5 + 5.0
    REACH_PX = RING_RADIUS + 3.0

    def __init__(self) -> None:
        super().__init__()
        self._shapes: list[tuple[float, float, float, bool, bool]] = []
        self._bounds = QRectF()
        self.setZValue(20)

    def set_shapes(self, events: TimelineEvents, indices: list[int], selected: int | None) -> None:
        """Emphasise events ``indices`` (highlighted) and ``selected`` (drawn last, on top)."""
        self.prepareGeometryChange()
        order = [i for i in indices if i != selected] + ([selected] if selected is not None else [])
        self._shapes = [
            (
                float(events.starts[i]),
                float(events.ends[i]),
                float(events.y[i]),
                bool(events.points[i]),
                i == selected,
            )
            for i in order
        ]
        if self._shapes:
            x0 = min(s[0] for s in self._shapes)
            x1 = max(s[1] for s in self._shapes)
            self._bounds = QRectF(x0, 0.0, x1 - x0, float(events.lane_count))
        else:
            self._bounds = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:
        # rings and pens are sized in pixels: pad the shapes' data bounds by their reach in
        # pixels at the current zoom, or the repaint of a changed selection clips the new
        # ring and leaves pieces of the old one on screen
        if self._bounds.isNull():
            return QRectF()
        pad = self.REACH_PX * (self.pixelWidth() or 0.0)
        return self._bounds.adjusted(-pad, 0.0, pad, 0.0)

    def viewTransformChanged(self) -> None:
        if self._shapes:
            self.prepareGeometryChange()  # the padding in data units follows the zoom
        super().viewTransformChanged()

    def paint(self, painter: QPainter, *args: object) -> None:
        transform = painter.transform()
        for x0, x1, y, point, selected in self._shapes:
            pen = QPen(self.SELECTED if selected else self.HIGHLIGHTED, 3.0 if selected else 2.5)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if point:
                # a ring of fixed pixel size around the marker, drawn in device coordinates
                centre = transform.map(QPointF((x0 + x1) / 2.0, y))
                painter.save()
                painter.resetTransform()
                painter.drawEllipse(centre, self.RING_RADIUS, self.RING_RADIUS)
                painter.restore()
            else:
                h = BAR_HALF_HEIGHT * 1.7
                painter.drawRect(QRectF(x0, y - h, x1 - x0, 2 * h))


class LabelsItem(pg.GraphicsObject):
    """All event labels and ``+N`` badges of the view, painted by one item.

    Labels keep their pixel size whatever the zoom, so they are drawn in device pixels at
    positions mapped from the data. One item with cached ``QStaticText`` costs far less
    per frame than a text item per label. ``render_scale`` is the ratio of device pixels to
    layout pixels when rendering into a larger image (the PNG export at 2x).
    """

    #: prepared texts beyond this many are dropped (each frame prepares few new ones)
    CACHE_LIMIT = 20_000

    def __init__(self, font: QFont, badge_font: QFont) -> None:
        super().__init__()
        self.font = font
        self.badge_font = badge_font
        self.render_scale = 1.0
        self.text_color = LABEL_COLOR
        self.labels: list[tuple[float, float, str]] = []
        self.badges: list[tuple[float, float, str, QColor]] = []
        self._label_xy = np.zeros((0, 2))
        self._badge_xy = np.zeros((0, 2))
        self._static: dict[tuple[str, bool], QStaticText] = {}
        self._badge_widths: dict[str, float] = {}
        self._boxes: dict[tuple, QPixmap] = {}  # few: box widths follow the digit count
        self._bounds = QRectF()
        self.setZValue(15)

    def set_items(
        self,
        labels: list[tuple[float, float, str]],
        badges: list[tuple[float, float, str, QColor]],
        view_rect: QRectF,
    ) -> None:
        """Labels as (x, y, text) and badges as (x, y, text, fill) in data coordinates."""
        self.prepareGeometryChange()
        self.labels, self.badges = labels, badges
        self._label_xy = np.array([(x, y) for x, y, _t in labels], dtype=float).reshape(-1, 2)
        self._badge_xy = np.array([(x, y) for x, y, *_r in badges], dtype=float).reshape(-1, 2)
        self._bounds = QRectF(view_rect)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _text(self, text: str, badge: bool) -> QStaticText:
        key = (text, badge)
        static = self._static.get(key)
        if static is None:
            if len(self._static) > self.CACHE_LIMIT:
                self._static.clear()
                self._badge_widths.clear()
                self._boxes.clear()
            static = QStaticText(text)
            static.prepare(font=self.badge_font if badge else self.font)
            self._static[key] = static
        return static

    def _badge_width(self, text: str) -> float:
        width = self._badge_widths.get(text)
        if width is None:
            width = QFontMetricsF(self.badge_font).horizontalAdvance(text) + 10.0
            self._badge_widths[text] = width
        return width

    def _badge_box(self, width: float, height: float, fill: QColor, scale: float) -> QPixmap:
        """The rounded box of a badge, rendered once per size, colour and scale: a frame
        copies it instead of rasterising an anti-aliased rounded rectangle per badge."""
        key = (width, height, fill.rgba(), scale)
        box = self._boxes.get(key)
        if box is None:
            box = QPixmap(math.ceil(width * scale), math.ceil(height * scale))
            box.setDevicePixelRatio(scale)
            box.fill(Qt.GlobalColor.transparent)
            painter = QPainter(box)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(0.0, 0.0, width, height), 4.0, 4.0)
            painter.end()
            self._boxes[key] = box
        return box

    @staticmethod
    def _to_device(transform: object, xy: np.ndarray, scale: float) -> tuple[list, list]:
        """Data points ``xy`` mapped by the (affine) ``transform``, in layout pixels: one
        array operation instead of a ``QTransform.map`` per label."""
        x, y = xy[:, 0], xy[:, 1]
        dev_x = (transform.m11() * x + transform.m21() * y + transform.dx()) / scale
        dev_y = (transform.m12() * x + transform.m22() * y + transform.dy()) / scale
        return dev_x.tolist(), dev_y.tolist()

    def paint(self, painter: QPainter, *args: object) -> None:
        transform = painter.transform()
        scale = self.render_scale
        painter.save()
        painter.resetTransform()
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setFont(self.font)
        painter.setPen(self.text_color)
        half = QFontMetricsF(self.font).height() / 2.0
        xs, ys = self._to_device(transform, self._label_xy, scale)
        for x, y, (_x, _y, text) in zip(xs, ys, self.labels, strict=True):
            painter.drawStaticText(QPointF(x + 2.0, y - half), self._text(text, False))
        painter.setFont(self.badge_font)
        height = QFontMetricsF(self.badge_font).height() + 2.0
        painter.setPen(QColor(255, 255, 255))
        xs, ys = self._to_device(transform, self._badge_xy, scale)
        for x, y, (_x, _y, text, fill) in zip(xs, ys, self.badges, strict=True):
            top = y - height / 2.0
            box = self._badge_box(self._badge_width(text), height, fill, scale)
            painter.drawPixmap(QPointF(x, top), box)
            painter.drawStaticText(QPointF(x + 5.0, top + 1.0), self._text(text, True))
        painter.restore()


def paint_canvas(
    plot_widget: pg.PlotWidget, labels: LabelsItem, base: QColor, text: QColor, axis: QColor
) -> None:
    """Colour the plot's canvas, axes, lane bands and labels: the window's palette (light
    or dark), or fixed light colours for a PNG export."""
    plot_widget.setBackground(base)
    plot = plot_widget.getPlotItem()
    for name in ("left", "bottom"):
        plot.getAxis(name).setPen(pg.mkPen(axis))
        plot.getAxis(name).setTextPen(pg.mkPen(text))
    for item in plot.items:
        if isinstance(item, LaneBands):
            item.set_base(base)
    labels.text_color = text
    labels.update()


def _over(color: QColor, alpha: int, base: QColor) -> QColor:
    """``color`` at opacity ``alpha`` (0-255) laid over ``base``, as one opaque colour."""
    a = alpha / 255.0
    return QColor(
        round(color.red() * a + base.red() * (1 - a)),
        round(color.green() * a + base.green() * (1 - a)),
        round(color.blue() * a + base.blue() * (1 - a)),
    )


class LaneBands(pg.GraphicsObject):
    """Pale camp-coloured bands behind the lanes and thin grey lines between them.

    Painted in device pixels as opaque fills: each band's colour is its camp tint already
    laid over the canvas colour (``set_base``), so a frame fills solid rows instead of
    alpha-blending the whole plot (Qt hands a large translucent fill to helper threads,
    which on a busy machine costs a frame far more than the fill itself).
    """

    #: the tint of even and odd lanes (their camp colour's opacity over the canvas)
    TINTS = (22, 12)
    LINE = QColor(200, 200, 200)

    #: the tint of a lane that is not one camp's (lanes by actor or by type)
    PLAIN = QColor(120, 120, 120)

    def __init__(self) -> None:
        super().__init__()
        self.fills: list[QColor] = []
        self.lane_camps: tuple[str | None, ...] = CAMPS
        self._base = QColor(255, 255, 255)
        self.set_base(self._base)
        self.setZValue(-20)

    def set_lanes(self, lane_camps: tuple[str | None, ...]) -> None:
        """The lanes, top to bottom, by their camp (None: a lane of mixed camps)."""
        self.prepareGeometryChange()
        self.lane_camps = tuple(lane_camps)
        self.set_base(self._base)

    def set_base(self, base: QColor) -> None:
        """The canvas colour under the bands (the palette's, or white for an export)."""
        self._base = QColor(base)
        self.fills = [
            _over(camp_qcolor(camp) if camp else self.PLAIN, self.TINTS[lane % 2], base)
            for lane, camp in enumerate(self.lane_camps)
        ]
        self.update()

    def boundingRect(self) -> QRectF:
        # every time the axis can show: the bands run across whatever range is in view
        return QRectF(
            MIN_REGULAR_TIMESTAMP,
            0.0,
            MAX_REGULAR_TIMESTAMP - MIN_REGULAR_TIMESTAMP,
            float(len(self.lane_camps)),
        )

    def paint(self, painter: QPainter, *args: object) -> None:
        view = self.getViewBox()
        if view is None:
            return
        transform = painter.transform()
        area = transform.mapRect(view.viewRect())
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        count = len(self.fills)
        for lane, fill in enumerate(self.fills):
            top = transform.map(QPointF(0.0, lane_bottom(lane, count) + 1.0)).y()
            bottom = transform.map(QPointF(0.0, lane_bottom(lane, count))).y()
            painter.fillRect(
                QRectF(area.left(), min(top, bottom), area.width(), abs(bottom - top)), fill
            )
        pen = QPen(self.LINE, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        for lane in range(1, count):
            y = transform.map(QPointF(0.0, lane_bottom(lane, count) + 1.0)).y()
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.restore()


PRECISION_WORDS = {
    "day": "하루",
    "week": "주 단위",
    "month": "월 단위",
    "quarter": "분기 단위",
    "half": "반기 단위",
    "year": "연 단위",
    "decade": "10년 단위",
    "range": "기간",
    "unknown": "날짜 미상",
}


def interval_text(start: float, end: float) -> str:
    """``2024-07-21 ~ 2024-07-31`` (or one date) for an event's span in epoch seconds."""
    first = dt.date(1970, 1, 1) + dt.timedelta(days=math.floor(start / DAY))
    last = dt.date(1970, 1, 1) + dt.timedelta(days=math.floor(end / DAY) - 1)
    return first.isoformat() if first == last else f"{first.isoformat()} ~ {last.isoformat()}"


def tooltip_html(events: TimelineEvents, index: int) -> str:
    """The hover text of dated event row ``index``: title, date as written and its interval,
    camp, why it looks planned or approximate, sources."""
    row = events.frame.iloc[index]
    esc = html.escape
    written = str(row.get("date_text", "") or "")
    precision = PRECISION_WORDS.get(str(row.get("precision", "")), str(row.get("precision")))
    span = interval_text(float(events.starts[index]), float(events.ends[index]))
    lines = [f"<b>{esc(str(row.get('title', '')))}</b>"]
    date_line = f"{esc(written)} → {span} ({precision})" if written else f"{span} ({precision})"
    lines.append(f"날짜: {date_line}")
    lines.append(f"진영: {esc(CAMP_DESCRIPTIONS[CAMPS[int(events.camps[index])]])}")
    if bool(events.planned[index]):
        lines.append("<i>예정: 기사 시점에 계획·예고된 일이라 속이 빈 모양으로 그림</i>")
    if bool(events.approximate[index]):
        lines.append("<i>대략: 날짜가 어림값(말·초·쯤 등)이라 점선/마름모로 그림</i>")
    if bool(row.get("local_time", False)):
        lines.append("현지 시간 기준 날짜")
    sources = [s for s in str(row.get("sources", "") or "").split(";") if s]
    if sources:
        lines.append("출처: " + esc(", ".join(sources)))
    return "<br>".join(lines)
