"""Keys at first contact: after a load the timeline has the focus and J/K step through the
events at once; Space never hides a camp (issue 14)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _press(window, key) -> None:
    """A real key press where the focus is, as a user's keyboard sends it."""
    target = QApplication.focusWidget() or window
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(target, key)


def test_after_a_load_j_and_k_step_through_events_at_once(open_seeds, qtbot):
    window = open_seeds()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    focused = QApplication.focusWidget()
    assert window.timeline_view.isAncestorOf(focused) or focused is window.timeline_view
    order = window.state.event_order()
    _press(window, Qt.Key.Key_J)
    first = window.state.selected_event
    assert first == order[0]
    _press(window, Qt.Key.Key_J)
    assert window.state.selected_event == order[1]
    _press(window, Qt.Key.Key_K)
    assert window.state.selected_event == first


def test_space_never_toggles_a_camp(open_seeds, qtbot):
    window = open_seeds()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    before = window.state.filter
    # a click on a camp toggle hides the camp, but leaves the focus in the timeline
    qtbot.mouseClick(window.filter_bar.camp_buttons["open"], Qt.MouseButton.LeftButton)
    assert "open" not in window.state.filter.camps and window.state.filter.camps
    qtbot.mouseClick(window.filter_bar.camp_buttons["open"], Qt.MouseButton.LeftButton)
    assert window.state.filter == before
    _press(window, Qt.Key.Key_Space)
    assert window.state.filter == before
    assert all(b.isChecked() for b in window.filter_bar.camp_buttons.values())
    _press(window, Qt.Key.Key_J)
    assert window.state.selected_event == window.state.event_order()[0]
