"""The timeline follows the window's light or dark palette; its PNG export stays light."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPalette

from gui.png_export import export_timeline_png
from gui.timeline_view import TimelineView


def _dark_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(25, 25, 28))
    palette.setColor(QPalette.ColorRole.Window, QColor(35, 35, 38))
    palette.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(230, 230, 230))
    return palette


def test_the_view_follows_a_palette_change(qtbot, seeds_timeline) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.set_events(seeds_timeline.events)
    light_text = view.labels_item.text_color
    view.setPalette(_dark_palette())  # what a system switch to dark mode delivers
    assert view.plot_widget.backgroundBrush().color() == QColor(25, 25, 28)
    assert view.labels_item.text_color == QColor(230, 230, 230)
    assert view.labels_item.text_color != light_text
    left = view.plot_widget.getPlotItem().getAxis("left")
    assert left.textPen().color() == QColor(230, 230, 230)


def test_the_png_stays_light_under_a_dark_palette(qapp, seeds_timeline, tmp_path) -> None:
    before = qapp.palette()
    qapp.setPalette(_dark_palette())
    try:
        out = tmp_path / "dark.png"
        export_timeline_png(seeds_timeline.events, out, title="어두운 화면에서")
    finally:
        qapp.setPalette(before)
    image = QImage(str(out))
    assert not image.isNull()
    # the canvas below the header, left of any event: the light report background
    corner = image.pixelColor(image.width() // 2, image.height() - 4)
    assert corner.lightness() > 200, corner.name()
