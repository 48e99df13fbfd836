"""A date axis that labels ticks the Korean way (``2024년``, ``2024년 8월``, ``8월 7일``).

Positions on the timeline are seconds since 1970-01-01 00:00 UTC; a day ``d`` spans
``[epoch(d), epoch(d) + 86400)``. The axis works in UTC (``utcOffset=0``) so that a date's
tick never slides to the previous day on a machine west of Greenwich.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems import DateAxisItem as date_axis_module

from gui.timeline_labels import DAY, date_to_seconds

__all__ = ["DAY", "KoreanDateAxis", "date_to_seconds", "format_tick", "seconds_to_datetime"]

_EPOCH = dt.datetime(1970, 1, 1)


def seconds_to_datetime(seconds: float) -> dt.datetime:
    """The naive UTC datetime at ``seconds`` since the epoch."""
    return _EPOCH + dt.timedelta(seconds=float(seconds))


class _UtcZoomLevel(date_axis_module.ZoomLevel):
    """A zoom level whose ticks stay in UTC: pyqtgraph's ``ZoomLevel`` converts every tick
    through the machine's local time zone (several ``QDateTime`` calls per tick, most of
    the axis's time per frame) only to add a fixed offset, 0 for this axis."""

    def extendTimeRangeForSpacing(self, spacing: int, minVal: float, maxVal: float) -> tuple:
        return minVal, maxVal

    def moveTicksToLocalTimeCoords(
        self, ticks: np.ndarray, spacing: int, skipFactor: int
    ) -> np.ndarray:
        return ticks


def _level(level: object, example: str) -> object:
    # the module's zoom levels are shared objects: copy them with our own example text,
    # which sets how much room a label needs (Korean labels are wider than "Sep")
    return _UtcZoomLevel(level.tickSpecs, example)


class KoreanDateAxis(pg.DateAxisItem):
    """A bottom axis for epoch seconds whose labels read ``2024년 8월`` and ``8월 7일``."""

    def __init__(self, orientation: str = "bottom", **kwargs: object) -> None:
        super().__init__(orientation, utcOffset=0, **kwargs)
        m = date_axis_module
        self.zoomLevels = OrderedDict(
            [
                (np.inf, _level(m.YEAR_MONTH_ZOOM_LEVEL, "2024년 12월")),
                (5 * DAY, _level(m.MONTH_DAY_ZOOM_LEVEL, "12월 31일")),
                (6 * 3600, _level(m.DAY_HOUR_ZOOM_LEVEL, "31일 23시")),
                (15 * 60, _level(m.HOUR_MINUTE_ZOOM_LEVEL, "31일 23:59")),
            ]
        )

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        levels = super().tickValues(minVal, maxVal, size)
        # finer ticks too near a coarser one keep their mark but lose their label
        self._unlabelled = crowded_ticks(levels, minVal, maxVal, size)
        # remember which tick levels have ticks in view: the coarsest of them spells out
        # the year (or month) on its first tick, the finer ones do not repeat it
        self._levels_in_view = [spacing for spacing, values in levels if len(values)]
        return levels

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Korean labels for tick ``values``; the format follows the tick ``spacing``."""
        in_view = getattr(self, "_levels_in_view", [])
        coarsest = max(in_view, default=spacing)
        out = []
        for i, value in enumerate(values):
            try:
                when = seconds_to_datetime(value)
            except (OverflowError, ValueError):
                out.append("")
                continue
            if value in getattr(self, "_unlabelled", ()):
                out.append("")
                continue
            out.append(format_tick(when, spacing, full=i == 0 and spacing >= coarsest))
        return out


#: a finer tick closer than this (pixels) to a coarser one loses its label's room to it
COARSE_LABEL_PX = 72.0


def crowded_ticks(levels: list, lo: float, hi: float, size: float) -> set[float]:
    """The finer ticks of ``levels`` (coarsest first, as pyqtgraph gives them) closer than
    ``COARSE_LABEL_PX`` to a coarser one: their labels would print over the coarser
    label (``2024년 2월`` on the 1st and ``3일`` on the 3rd)."""
    if hi <= lo or size <= 0:
        return set()
    px_per_unit = size / (hi - lo)
    coarser = np.zeros(0)
    crowded: set[float] = set()
    for _spacing, values in levels:
        values = np.asarray(values, dtype=float)
        if len(coarser) and len(values):
            nearest = np.min(np.abs(values[:, None] - coarser[None, :]), axis=1)
            near = nearest * px_per_unit < COARSE_LABEL_PX
            crowded.update(values[near].tolist())
            values = values[~near]
        coarser = np.concatenate([coarser, values])
    return crowded


def format_tick(when: dt.datetime, spacing: float, full: bool = False) -> str:
    """One tick label for a tick at ``when`` among ticks ``spacing`` seconds apart.

    Labels name only what changes from tick to tick, plus the larger unit where it turns
    over (a new year, a new month) or when ``full`` (the leftmost tick), so that the reader
    always sees which year and month the view is in.
    """
    if spacing >= 360 * DAY:
        return f"{when.year}년"
    if spacing >= 28 * DAY:
        if full or when.month == 1:
            return f"{when.year}년 {when.month}월"
        return f"{when.month}월"
    if spacing >= DAY:
        if full:
            return f"{when.year}년 {when.month}월 {when.day}일"
        return f"{when.month}월 {when.day}일" if when.day == 1 else f"{when.day}일"
    if spacing >= 3600:
        return f"{when.month}월 {when.day}일 {when.hour}시" if full else f"{when.hour}시"
    return f"{when.hour}:{when.minute:02d}"
