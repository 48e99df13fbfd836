"""The whole timeline as a PNG: title, legend and camp lanes, at 2x resolution, offscreen.

``export_timeline_png`` draws a private, never-shown ``TimelineView`` fitted to every event
(so the picture never depends on where the user has panned), paints a header with the
title and a legend above it into a ``QImage`` at ``scale`` device pixels per layout pixel,
and writes the PNG atomically (``core.atomic``): a failed export raises ``ExportError`` and
leaves an existing file untouched. Works without a display (``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication

from core.atomic import ExportError, write_bytes_atomic
from gui.camp_colors import CAMPS
from gui.fonts import bundled_font, register_bundled_fonts
from gui.timeline_items import interval_text, paint_canvas
from gui.timeline_labels import LANE_COUNT, MARKER_SIZE, lane_bottom
from gui.timeline_legend import paint_legend

#: height of the plot (lanes and axis) in layout pixels; the header comes on top
PLOT_HEIGHT = 620
HEADER_HEIGHT = 92
MARGIN = 16.0


@dataclass
class PngExport:
    """What an export wrote: size in pixels, the events drawn, and where each lane is.

    ``lane_rects`` maps a camp to its lane's rectangle ``(x, y, w, h)`` in image pixels, so
    a caller (or a test) can look for each camp's marks in the picture.
    """

    path: Path
    width: int
    height: int
    drawn_ids: set[str] = field(default_factory=set)
    undated: int = 0
    lane_rects: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    font_family: str = ""
    #: the time span (epoch seconds) across the lanes' width
    x_range: tuple[float, float] = (0.0, 0.0)


def timeline_title(corpus: Path | str | None) -> str:
    """The heading of a PNG export, the same from the window and from ``build --png``."""
    name = Path(str(corpus)).resolve().name if corpus else ""
    return f"{name}: AI 진영 타임라인" if name else "AI 진영 타임라인"


def ensure_offscreen_app() -> QApplication:
    """The running ``QApplication``, or a new one, offscreen when there is no display."""
    app = QApplication.instance()
    if app is not None:
        return app  # type: ignore[return-value]
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_display and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication(sys.argv[:1])


def export_timeline_png(
    frame: pd.DataFrame,
    path: Path | str,
    *,
    title: str,
    scale: float = 2.0,
    width: int = 1600,
) -> PngExport:
    """Render every dated event of ``frame`` with ``title`` and a legend to a PNG at ``path``.

    The layout is ``width`` pixels wide and the image ``width * scale`` (3200 by default).
    Needs a ``QApplication`` (see ``ensure_offscreen_app``). Raises ``ExportError`` naming
    the file when it cannot be written; an existing file is then left as it was.
    """
    from gui.timeline_view import TimelineView

    if QApplication.instance() is None:
        raise RuntimeError("export_timeline_png() needs a QApplication")
    if scale <= 0 or width < 200:
        raise ValueError(f"unusable PNG size: width {width}, scale {scale}")
    register_bundled_fonts()
    target = Path(path)
    view = TimelineView()
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.legend.hide()  # the header has the legend
    # a picture for reports: light whatever the window's palette
    paint_canvas(
        view.plot_widget,
        view.labels_item,
        QColor(255, 255, 255),
        QColor(40, 40, 40),
        QColor(90, 90, 90),
    )
    try:
        view.resize(width, PLOT_HEIGHT)
        view.show()  # never on screen; lets the layout settle at the requested size
        QApplication.processEvents()
        view.set_events(frame)
        view.fit()
        view.set_note_visible(False)  # the header says how many events are undated
        view.relayout_labels()
        # markers and labels are sized in device pixels: grow them with the image
        view.scatter.setSize(MARKER_SIZE * scale)
        view.labels_item.render_scale = scale
        image = QImage(
            round(width * scale),
            round((HEADER_HEIGHT + PLOT_HEIGHT) * scale),
            QImage.Format.Format_ARGB32,
        )
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            painter.scale(scale, scale)
            painter.save()
            _paint_header(painter, view, title, width)
            # some scene items paint with whatever brush the painter holds: start clean
            painter.restore()
            painter.setBrush(Qt.BrushStyle.NoBrush)
            source = view.plot_widget.mapToScene(view.plot_widget.viewport().rect()).boundingRect()
            target_rect = QRectF(0.0, HEADER_HEIGHT, float(width), float(PLOT_HEIGHT))
            view.plot_widget.scene().render(painter, target_rect, source)
        finally:
            painter.end()
        result = PngExport(
            path=target,
            width=image.width(),
            height=image.height(),
            drawn_ids=view.drawn_ids(),
            undated=view.undated_count,
            lane_rects=_lane_rects(view, source, target_rect, scale),
            font_family=view.label_font.family(),
            x_range=view.x_range(),
        )
    finally:
        view.close()
        view.deleteLater()
    write_bytes_atomic(target, _png_bytes(image, target))
    return result


def _png_bytes(image: QImage, target: Path) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError(target, "the image could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def _lane_rects(
    view: object, source: QRectF, target: QRectF, scale: float
) -> dict[str, tuple[int, int, int, int]]:
    """Each lane's plot area in image pixels (scene -> header-offset layout -> scaled)."""
    lo, hi = view.x_range()
    sx = target.width() / source.width()
    sy = target.height() / source.height()
    rects = {}
    for lane, camp in enumerate(CAMPS):
        scene = view.view_box.mapViewToScene(
            QRectF(lo, lane_bottom(lane), hi - lo, 1.0)
        ).boundingRect()
        x = target.x() + (scene.x() - source.x()) * sx
        y = target.y() + (scene.y() - source.y()) * sy
        rects[camp] = (
            round(x * scale),
            round(y * scale),
            round(scene.width() * sx * scale),
            round(scene.height() * sy * scale),
        )
    return rects


def _paint_header(painter: QPainter, view: object, title: str, width: int) -> None:
    """Title, a line of figures, and the legend: camps, then the kinds of marks."""
    title_font = bundled_font(17.0, bold=True)
    small = bundled_font(10.0)
    painter.setPen(QColor(20, 20, 20))
    painter.setFont(title_font)
    baseline = MARGIN + QFontMetricsF(title_font).ascent()
    painter.drawText(QPointF(MARGIN, baseline), title)
    events = view.events
    extent = events.extent()
    figures = f"날짜 있는 사건 {len(events)}건"
    if extent is not None:
        figures += f" · {interval_text(*extent)}"
    if view.undated_count:
        figures += f" · 날짜 없는 사건 {view.undated_count}건은 그리지 않음"
    painter.setFont(small)
    painter.setPen(QColor(90, 90, 90))
    painter.drawText(QPointF(MARGIN, baseline + 24), figures)
    paint_legend(painter, small, MARGIN, baseline + 54)


assert LANE_COUNT == len(CAMPS)
