"""Help: F1 lists the shortcuts, About gives the version and licences, --version prints
the version, and the timeline's right-click menu zooms, copies and shows the source."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from gui.about import app_version


def test_version_on_the_command_line(capsys):
    from gui import cli

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"camp-timeline {app_version()}"
    assert app_version()[0].isdigit()


def test_f1_lists_the_shortcuts(open_seeds, qtbot):
    window = open_seeds()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    box = window.last_message
    assert box is not None and box.windowTitle() == "단축키"
    text = box.text()
    for words in ("다음 사건", "이전 사건", "선택한 사건으로 확대", "F1"):
        assert words in text
    # zoom to the event is on Z; Ctrl+Shift+Z, where it was, is the review's Redo
    zoom_row = next(r for r in text.split("<tr>") if "선택한 사건으로 확대" in r)
    assert "Ctrl+Shift+Z" not in zoom_row


def test_about_names_the_version_and_the_font_licence(open_seeds):
    window = open_seeds()
    box = window.show_about()
    assert app_version() in box.text()
    assert "NanumSquare" in box.text() and "Open Font License" in box.text()


def test_z_zooms_to_the_selected_event(open_seeds, qtbot):
    window = open_seeds()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_J)
    lo, hi = window.timeline_view.x_range()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z)
    new_lo, new_hi = window.timeline_view.x_range()
    assert new_hi - new_lo < (hi - lo) / 2


@pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing", "propagateSizeHints"
)
def test_the_timeline_menu_zooms_copies_shows_the_source_and_takes_extra_actions(open_seeds, qtbot):
    window = open_seeds()
    view = window.timeline_view
    added = []

    def add_review_action(menu, event_id):
        added.append(event_id)
        menu.addAction(f"검토: {event_id}")

    view.context_menu_requested.connect(add_review_action)
    index = int(view.events.points.argmax())  # a marker
    event_id = str(view.events.ids[index])
    scene = view.view_box.mapViewToScene(
        QPointF(float(view.events.centers()[index]), float(view.events.y[index]))
    )
    qtbot.mouseClick(
        view.plot_widget.viewport(),
        Qt.MouseButton.RightButton,
        pos=view.plot_widget.mapFromScene(scene),
    )
    menu = view.context_menu
    assert menu is not None and added == [event_id]
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:3] == ["이 사건으로 확대", "사건 복사 (날짜·제목·출처)", "원문에서 보기"]
    assert f"검토: {event_id}" in texts
    assert window.state.selected_event == event_id  # the menu's event is selected
    actions = {a.text(): a for a in menu.actions()}
    actions["사건 복사 (날짜·제목·출처)"].trigger()
    title = str(view.events.frame.iloc[index]["title"])
    assert title in QGuiApplication.clipboard().text()
    lo, hi = view.x_range()
    actions["이 사건으로 확대"].trigger()
    assert view.x_range()[1] - view.x_range()[0] < (hi - lo) / 2
    actions["원문에서 보기"].trigger()
    assert window.source_viewer.text_view.hasFocus() or window.state.selected_event == event_id
    menu.close()
