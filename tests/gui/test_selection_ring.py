"""The selection ring leaves nothing behind: what the screen shows after selection changes
equals a full repaint of the same state (issue 14). The ring is drawn in pixels, so its
bounds must be too; bounds of a day in data units left pieces of the ring behind."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication, QImage


def _screen_image(widget) -> QImage:
    """What the platform shows of ``widget``'s window: its backing store, painted
    incrementally (a grab() would repaint it all and hide stale pixels)."""
    window = widget.window()
    return QGuiApplication.primaryScreen().grabWindow(window.winId()).toImage()


def _settle(qtbot) -> None:
    qtbot.wait(60)  # let queued paints of the changed region reach the backing store


def _frame(count: int) -> pd.DataFrame:
    rows = []
    for k in range(count):
        day = f"2024-0{1 + k % 8}-{10 + k:02d}"
        rows.append(
            {
                "event_id": f"e{k}",
                "date_start": day,
                "date_end": day,
                "precision": "day",
                "camp": ["open", "closed", "neutral", "crossover"][k % 4],
                "title": f"사건 {k}",
            }
        )
    return pd.DataFrame(rows)


def test_selection_changes_leave_no_ring_fragments(show_timeline, qtbot):
    view = show_timeline(_frame(12), (1000, 420))
    view.fit()  # a year on a thousand pixels: a day is under three pixels, the ring 24
    _settle(qtbot)
    for first, second in (("e1", "e6"), ("e6", "e3"), ("e3", None)):
        view.select_event(first)
        _settle(qtbot)
        view.select_event(second)
        _settle(qtbot)
        shown = _screen_image(view)
        view.plot_widget.viewport().update()  # the whole view painted afresh
        _settle(qtbot)
        fresh = _screen_image(view)
        assert shown == fresh, f"{first} -> {second}: stale or clipped pixels on screen"


def test_the_ring_bounds_cover_its_pixels_at_any_zoom(show_timeline):
    view = show_timeline(_frame(12), (1000, 420))  # a day under three pixels
    view.fit()
    view.select_event("e1")
    index = view.index_of("e1")
    bounds = view.emphasis.mapRectToScene(view.emphasis.boundingRect())
    x, y = float(view.events.centers()[index]), float(view.events.y[index])
    centre = view.view_box.mapViewToScene(QPointF(x, y))
    # the ring: marker radius plus 5 px, and a 3 px pen
    assert bounds.left() <= centre.x() - 13 and bounds.right() >= centre.x() + 13
