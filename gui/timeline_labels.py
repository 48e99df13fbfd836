"""Where the timeline's event labels go: staggered rows, then count badges.

``layout_labels`` is a pure function of the events' extents, their lanes, their labels'
widths, the visible time range and the view's width in pixels, so that the rule "labels
never pile up" can be tested without drawing anything. Per lane, left to right, a label
takes the first of ``rows`` rows where it does not touch the previous label; a label that
fits no row is collapsed, and collapsed labels that are close together on screen become one
count badge (``+3``). Zooming in spreads the events apart, so badges break up into labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

#: label rows per lane before labels collapse into badges
DEFAULT_ROWS = 3
#: empty pixels kept between two labels in a row
GAP_PX = 8.0
#: the screen width one badge stands for; collapsed labels closer than this share a badge
BADGE_PX = 40.0
#: narrowest label we expect; used to skip the row search when a lane is hopelessly crowded
MIN_LABEL_PX = 30.0


@dataclass(frozen=True)
class PlacedLabel:
    """One event's label: its row in the lane (0 nearest the marks) and its left edge."""

    index: int
    lane: int
    row: int
    x_px: float
    width_px: float


@dataclass(frozen=True)
class Badge:
    """Labels collapsed into one ``+N`` badge; ``start``..``end`` is the events' time span."""

    lane: int
    x_px: float
    indices: tuple[int, ...]
    start: float
    end: float

    @property
    def count(self) -> int:
        return len(self.indices)

    @property
    def text(self) -> str:
        return f"+{self.count}"


@dataclass
class LabelLayout:
    """The labels and badges of one lane layout; indices refer to the input arrays."""

    labels: list[PlacedLabel] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)

    @property
    def labelled(self) -> set[int]:
        return {label.index for label in self.labels}

    @property
    def collapsed(self) -> set[int]:
        return {i for badge in self.badges for i in badge.indices}


def layout_labels(
    starts: Sequence[float] | np.ndarray,
    ends: Sequence[float] | np.ndarray,
    lanes: Sequence[int] | np.ndarray,
    widths_px: Sequence[float] | np.ndarray,
    x_range: tuple[float, float],
    pixel_width: float,
    *,
    rows: int = DEFAULT_ROWS,
    gap_px: float = GAP_PX,
    badge_px: float = BADGE_PX,
) -> LabelLayout:
    """Place the labels of the events visible in ``x_range`` on a view ``pixel_width`` wide.

    An event ``i`` spans ``starts[i]..ends[i]`` (same unit as ``x_range``) in lane
    ``lanes[i]``; its label is ``widths_px[i]`` wide and starts at the event's left end, or
    at the view's left edge for an event that began before it. Events outside the range get
    neither label nor badge. Every visible event gets exactly one of the two.
    """
    starts = np.asarray(starts, dtype=float)
    ends = np.asarray(ends, dtype=float)
    lanes = np.asarray(lanes, dtype=int)
    widths = np.asarray(widths_px, dtype=float)
    lo, hi = float(x_range[0]), float(x_range[1])
    layout = LabelLayout()
    if hi <= lo or pixel_width <= 0 or len(starts) == 0:
        return layout
    per_px = (hi - lo) / float(pixel_width)
    visible = np.flatnonzero((ends >= lo) & (starts <= hi))
    anchors_px = (np.maximum(starts[visible], lo) - lo) / per_px
    capacity = rows * pixel_width / MIN_LABEL_PX
    for lane in np.unique(lanes[visible]):
        in_lane = lanes[visible] == lane
        indices = visible[in_lane]
        px = anchors_px[in_lane]
        order = np.lexsort((indices, px))  # left to right; ties in input order (stable)
        indices, px = indices[order], px[order]
        if len(indices) > 4 * capacity:
            hidden = np.ones(len(indices), dtype=bool)  # far too many to try one by one
        else:
            hidden = _stagger(indices, px, widths, int(lane), rows, gap_px, layout)
        layout.badges.extend(
            _badges(indices[hidden], px[hidden], starts, ends, int(lane), badge_px)
        )
    return layout


def _stagger(
    indices: np.ndarray,
    px: np.ndarray,
    widths: np.ndarray,
    lane: int,
    rows: int,
    gap_px: float,
    layout: LabelLayout,
) -> np.ndarray:
    """Give each label the first row where it fits; return the mask of those that fit none."""
    row_end = [-np.inf] * rows
    hidden = np.zeros(len(indices), dtype=bool)
    for k, (index, x) in enumerate(zip(indices.tolist(), px.tolist(), strict=True)):
        width = float(widths[index])
        for row in range(rows):
            if x >= row_end[row] + gap_px:
                row_end[row] = x + width
                layout.labels.append(PlacedLabel(index, lane, row, x, width))
                break
        else:
            hidden[k] = True
    return hidden


def _badges(
    indices: np.ndarray,
    px: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    lane: int,
    badge_px: float,
) -> list[Badge]:
    """Group collapsed labels that lie within ``badge_px`` of a group's first one."""
    badges: list[Badge] = []
    group: list[int] = []
    group_x = 0.0
    for index, x in zip(indices.tolist(), px.tolist(), strict=True):
        if group and x - group_x > badge_px:
            badges.append(_badge(group, group_x, starts, ends, lane))
            group = []
        if not group:
            group_x = x
        group.append(index)
    if group:
        badges.append(_badge(group, group_x, starts, ends, lane))
    return badges


def _badge(group: list[int], x: float, starts: np.ndarray, ends: np.ndarray, lane: int) -> Badge:
    members = np.asarray(group)
    return Badge(lane, x, tuple(group), float(starts[members].min()), float(ends[members].max()))
