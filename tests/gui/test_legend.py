"""The window has a legend of camps and marks, and camp toggles read as shown or hidden."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_the_window_shows_a_legend_of_camps_and_marks(open_seeds):
    window = open_seeds()
    legend = window.timeline_view.legend
    assert legend.isVisible() and legend.height() >= 14
    image = legend.grab().toImage()
    # something is painted: more than one colour across the strip
    colours = {image.pixel(x, image.height() // 2) for x in range(0, image.width(), 3)}
    assert len(colours) > 5


def test_camp_toggles_read_checked_as_shown(open_seeds, qtbot):
    window = open_seeds()
    button = window.filter_bar.camp_buttons["closed"]
    shown = button.grab().toImage()
    assert button.isChecked() and not button.font().strikeOut()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isChecked() and "closed" not in window.state.filter.camps
    assert button.font().strikeOut() and "숨김" in button.toolTip()
    assert button.grab().toImage() != shown
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.font().strikeOut() and "보이는 중" in button.toolTip()
