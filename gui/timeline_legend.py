"""The legend of the timeline: camps and kinds of marks, the same in the window and the PNG.

``paint_legend`` draws it with any painter (the PNG export's header); ``TimelineLegend`` is
the strip under the window's timeline that paints it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QWidget

from gui.camp_colors import CAMPS, camp_label, camp_qcolor
from gui.fonts import bundled_font

#: the kinds of marks and what they say about an event's date
LEGEND_KINDS = (
    ("dot", "하루 (일 단위 날짜)"),
    ("bar", "기간 (주·월·분기·반기·연·범위)"),
    ("hollow", "예정 (속이 빔)"),
    ("rough", "대략적인 날짜 (마름모·점선)"),
)


def paint_legend(
    painter: QPainter, font: QFont, x: float, y: float, text_color: QColor | None = None
) -> float:
    """Camps, then the kinds of marks, left to right from ``x`` on baseline ``y``; the x
    where the legend ends."""
    ink = text_color or QColor(30, 30, 30)
    metrics = QFontMetricsF(font)
    painter.setFont(font)
    for camp in CAMPS:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(camp_qcolor(camp))
        painter.drawRect(QRectF(x, y - 10, 14, 12))
        x += 19
        painter.setPen(ink)
        painter.drawText(QPointF(x, y), camp_label(camp))
        x += metrics.horizontalAdvance(camp_label(camp)) + 18
    x += 14
    grey = QColor(70, 70, 70)
    for kind, text in LEGEND_KINDS:
        _legend_mark(painter, kind, x, y - 4, grey)
        x += 30
        painter.setPen(ink)
        painter.drawText(QPointF(x, y), text)
        x += metrics.horizontalAdvance(text) + 20
    return x


def _legend_mark(painter: QPainter, kind: str, x: float, y: float, color: QColor) -> None:
    pen = QPen(color, 1.5)
    painter.setPen(pen)
    if kind == "dot":
        painter.setBrush(color)
        painter.drawEllipse(QPointF(x + 10, y), 5.5, 5.5)
    elif kind == "bar":
        painter.setBrush(color.lighter(140))
        painter.drawRect(QRectF(x, y - 4, 24, 8))
    elif kind == "hollow":
        painter.setBrush(QColor(255, 255, 255))
        painter.drawEllipse(QPointF(x + 5, y), 5.0, 5.0)
        painter.drawRect(QRectF(x + 13, y - 4, 12, 8))
    else:
        diamond = QPolygonF(
            [QPointF(x + 5, y - 6), QPointF(x + 11, y), QPointF(x + 5, y + 6), QPointF(x - 1, y)]
        )
        painter.setBrush(color.lighter(160))
        painter.drawPolygon(diamond)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(QRectF(x + 14, y - 4, 12, 8))


class TimelineLegend(QWidget):
    """A strip naming the camps' colours and the kinds of marks, under the timeline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.legend_font = bundled_font(9.0)
        self._pixmap = QPixmap()
        self._key: tuple | None = None
        self.setToolTip(
            "진영의 색과 표시의 모양: 속이 빈 표시는 예정, 막대는 기간, 마름모는 대략적인 날짜"
        )

    def sizeHint(self) -> QSize:
        return QSize(600, round(QFontMetricsF(self.legend_font).height()) + 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        # drawn once per size, scale and palette: the strip is repainted with the timeline
        # on every pan and zoom step, and shaping its Hangul each time costs a frame
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, self.palette().text().color().rgba())
        if key != self._key:
            self._pixmap = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            self._pixmap.setDevicePixelRatio(ratio)
            self._pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(self._pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            metrics = QFontMetricsF(self.legend_font)
            baseline = (self.height() + metrics.ascent() - metrics.descent()) / 2.0
            paint_legend(painter, self.legend_font, 8.0, baseline, self.palette().text().color())
            painter.end()
            self._key = key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._pixmap)
        painter.end()
