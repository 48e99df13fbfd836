"""Where the timeline's event labels go: stacked rows, then count badges.

``layout_labels`` is a pure function of the events' extents, their lanes, their labels'
widths, the visible time range and the view's width in pixels, so that the rule "labels
never overlap" can be tested without drawing anything. Per lane, left to right, a label
takes the first of ``rows`` rows where the previous label ends before it, whole. When no
row has room, it takes the row whose previous label loses least by being cut short at it
(keeping at least ``min_px``); a label that fits even so nowhere is collapsed, and
collapsed labels that are close together on screen become one count badge (``+3``). So a
label runs as far as the next one in its row allows, and is cut only where it must be.
Zooming in spreads the events apart, so badges break up into labels. ``LabelRows`` says how
many rows a lane of a given height in pixels holds and where they sit.

The module also holds the rest of the view that needs no Qt: the events as arrays
(``TimelineEvents``), where in a lane the marks, label rows and badges sit, and what lies
under the pointer (``hit_at``). It imports no Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gui.camp_colors import CAMP_LABELS, CAMPS, camp_lane

#: label rows per lane before labels collapse into badges (when the lane's height is unknown)
DEFAULT_ROWS = 3
#: at most this many label rows in a tall lane
MAX_ROWS = 6
#: a label cut short by the next one keeps at least this many pixels (a few syllables)
CUT_MIN_PX = 52.0
#: empty pixels kept between two labels in a row
GAP_PX = 8.0
#: the screen width one badge stands for; collapsed labels closer than this share a badge
BADGE_SPAN_PX = 40.0
DAY = 86_400.0  # seconds; positions on the timeline are epoch seconds (UTC)
_EPOCH = dt.date(1970, 1, 1)


def date_to_seconds(date: dt.date) -> float:
    """Seconds since the epoch (UTC) at the start of ``date``."""
    return (date - _EPOCH).days * DAY


#: narrowest label we expect; used to skip the row search when a lane is hopelessly crowded
MIN_LABEL_PX = 30.0

# -- lane geometry: a lane is one unit high; heights below are from its bottom -----------

LANE_COUNT = len(CAMPS)
#: where, within a lane one unit high, the marks and the label rows sit (from its bottom)
MARK_Y = 0.27
#: overlapping bars of one lane take different tracks (the first at the markers' height)
TRACKS_Y = (0.27, 0.165, 0.06)
BAR_HALF_HEIGHT = 0.045
#: the part of a lane (from its bottom) holding marks, below the label rows
MARK_BAND = (TRACKS_Y[-1] - BAR_HALF_HEIGHT, MARK_Y + 0.07)
#: where the label rows begin, just above the marks
LABEL_BASE = MARK_BAND[1] + 0.02
MARKER_SIZE = 11.0
#: the height of a label row and of a badge, in pixels, for layouts with no font at hand
LINE_PX = 15.0
BADGE_PX = 16.0


def lane_bottom(lane: int, count: int = LANE_COUNT) -> float:
    """The y of a lane's bottom edge among ``count`` lanes; lane 0 is at the top."""
    return float(count - 1 - lane)


#: what the lanes can stand for, and their names in the View menu
GROUPINGS: dict[str, str] = {"camp": "진영", "actor": "주체", "event_type": "사건 유형"}
#: at most this many lanes of actors or types; the rest share one last lane
MAX_GROUP_LANES = 10
OTHERS_LANE = "그 밖"
NO_ACTOR_LANE = "주체 없음"


def group_lanes(
    rows: pd.DataFrame,
    group_by: str,
    names: dict[str, str] | None = None,
    type_names: dict[str, str] | None = None,
) -> tuple[np.ndarray, tuple[str, ...], tuple[str | None, ...]]:
    """Each row's lane when lanes stand for ``group_by`` (``GROUPINGS``), the lanes' names
    and their camps (None when a lane is not one camp's).

    By camp: one lane per camp, in ``CAMPS`` order, always all of them. By actor (an
    event's first actor, by its display name from ``names``) or by event type (named by
    ``type_names``): the busiest first, at most ``MAX_GROUP_LANES``, the rest together in
    a last lane ``그 밖``; events with no actor in their own lane.
    """
    if group_by == "camp":
        camps = rows["camp"] if "camp" in rows else pd.Series([""] * len(rows))
        lanes = np.array([camp_lane(c) for c in camps.tolist()], dtype=int)
        return lanes, tuple(CAMP_LABELS[c] for c in CAMPS), tuple(CAMPS)
    if group_by == "actor":
        cells = rows["actors"] if "actors" in rows else pd.Series([""] * len(rows))
        keys = [(cell.split(";")[0] if isinstance(cell, str) and cell else "") for cell in cells]
        words = names or {}
    elif group_by == "event_type":
        cells = rows["event_type"] if "event_type" in rows else pd.Series([""] * len(rows))
        keys = [str(cell) if isinstance(cell, str) else "" for cell in cells]
        words = type_names or {}
    else:
        raise ValueError(f"unknown grouping: {group_by}")
    counts = pd.Series(keys, dtype=object).value_counts(sort=False)
    ranked = sorted((k for k in counts.index if k), key=lambda k: (-counts[k], k))
    kept = ranked if len(ranked) <= MAX_GROUP_LANES else ranked[: MAX_GROUP_LANES - 1]
    lane_of = {key: lane for lane, key in enumerate(kept)}
    lane_names = [words.get(key, key) for key in kept]
    others = len(kept) < len(ranked)
    if others:
        lane_names.append(OTHERS_LANE)
    if "" in counts.index:
        lane_of[""] = len(lane_names)
        lane_names.append(NO_ACTOR_LANE if group_by == "actor" else "유형 없음")
    rest = len(kept) if others else 0
    lanes = np.array([lane_of.get(key, rest) for key in keys], dtype=int)
    if not lane_names:
        lane_names = [NO_ACTOR_LANE if group_by == "actor" else "유형 없음"]
    return lanes, tuple(lane_names), tuple(None for _ in lane_names)


@dataclass(frozen=True)
class LabelRows:
    """The label rows of a lane: how many fit, where each sits, and where badges sit.

    Heights are in lane units (a lane is one unit high), from the lane's bottom. Rows are
    one line of text apart in pixels, from just above the marks up to the badge strip at
    the lane's top, so that labels of different rows or lanes never overlap however tall
    the lane is drawn.
    """

    count: int  # rows in a lane without badges
    badge_count: int  # rows in a lane with badges: those below the badge strip (maybe 0)
    row_y: tuple[float, ...]  # each row's centre
    row_half: float  # half a row's height
    badge_y: float  # the badges' centre
    badge_half: float

    @classmethod
    def for_lane(
        cls, lane_px: float | None, line_px: float = LINE_PX, badge_px: float = BADGE_PX
    ) -> LabelRows:
        """The rows of a lane ``lane_px`` pixels high (None: a nominal lane, 3 rows)."""
        if lane_px is None or lane_px <= 0:
            lane_px = (LINE_PX * DEFAULT_ROWS + BADGE_PX + 2.0) / (1.0 - LABEL_BASE)
        room = (1.0 - LABEL_BASE) * lane_px - 2.0
        count = int(min(MAX_ROWS, max(1, room // line_px)))
        # a lane too low for a row under the badges shows only badges once it has any
        badge_count = int(min(count, max(0, (room - badge_px) // line_px)))
        line = line_px / lane_px
        # in a lane lower than one row above the marks, the row sits as high as it fits
        base = min(LABEL_BASE, max(0.0, 1.0 - line - 1.0 / lane_px))
        rows = tuple(base + (r + 0.5) * line for r in range(count))
        badge_half = badge_px / 2.0 / lane_px
        return cls(
            count, badge_count, rows, line / 2.0, 1.0 - badge_half - 1.0 / lane_px, badge_half
        )


#: how close (pixels) the pointer must be to a mark to hover or click it
HIT_PX = 7.0


def _seconds(cells: pd.Series) -> np.ndarray:
    """Epoch seconds (UTC midnight) of ISO date cells; NaN where empty or unreadable."""
    out = np.full(len(cells), np.nan)
    for k, cell in enumerate(cells.tolist()):
        if isinstance(cell, str) and cell:
            try:
                out[k] = date_to_seconds(dt.date.fromisoformat(cell[:10]))
            except ValueError:
                pass  # counted with the undated events and said so in the view
    return out


def _flags(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].fillna(False).astype(bool).to_numpy()


@dataclass
class TimelineEvents:
    """The dated events of a frame as arrays, plus the ids of those with no usable date.

    ``starts``/``ends`` are epoch seconds, ``ends`` exclusive (the day after the last
    date), so a one-day event is one day wide. ``points`` marks day-precision events, drawn
    as markers; every other precision is drawn as a bar over its interval.
    """

    frame: pd.DataFrame  # dated rows only, index 0..n-1, aligned with the arrays
    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    lanes: np.ndarray
    points: np.ndarray
    planned: np.ndarray
    approximate: np.ndarray
    undated_ids: list[str]
    #: the y (in lanes) where each event's mark sits: its lane and, for a bar, its track
    y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: each event's camp (index in ``CAMPS``): its colour, whatever the lanes stand for
    camps: np.ndarray | None = None
    #: the lanes' names, top to bottom, and each lane's camp (None: not one camp's)
    lane_names: tuple[str, ...] = tuple(CAMP_LABELS[c] for c in CAMPS)
    lane_camps: tuple[str | None, ...] = CAMPS

    def __post_init__(self) -> None:
        if self.camps is None:
            self.camps = self.lanes  # lanes by camp
        if len(self.y) != len(self.ids):
            tracks = bar_tracks(self.starts, self.ends, self.lanes, ~self.points.astype(bool))
            bottoms = (self.lane_count - 1 - self.lanes).astype(float)
            self.y = bottoms + np.asarray(TRACKS_Y)[tracks] if len(tracks) else np.zeros(0)

    @property
    def lane_count(self) -> int:
        return len(self.lane_names)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame | None,
        group_by: str = "camp",
        names: dict[str, str] | None = None,
        type_names: dict[str, str] | None = None,
    ) -> TimelineEvents:
        """Arrays for ``frame``, in lanes standing for ``group_by`` (see ``group_lanes``);
        only ``event_id`` and ``date_start`` are required (else ``ValueError`` naming
        them); unreadable dates count as undated."""
        if frame is None or len(frame) == 0:
            empty = pd.DataFrame(columns=["event_id", "date_start", "date_end", "precision"])
            # typed empties: a float array in a boolean mask fails ``shown & points``
            nothing, flags = np.array([], dtype=float), np.array([], dtype=bool)
            ids, lanes = np.array([], dtype=str), np.array([], dtype=int)
            _lanes, lane_names, lane_camps = group_lanes(empty, group_by, names, type_names)
            return cls(
                empty, ids, nothing, nothing, lanes, flags, flags, flags, [],
                camps=lanes, lane_names=lane_names, lane_camps=lane_camps,
            )  # fmt: skip
        missing = [c for c in ("event_id", "date_start") if c not in frame.columns]
        if missing:
            raise ValueError(f"events frame lacks columns: {', '.join(missing)}")
        frame = frame.reset_index(drop=True)
        start = _seconds(frame["date_start"].fillna(""))
        end_cells = frame["date_end"].fillna("") if "date_end" in frame else frame["date_start"]
        end = _seconds(end_cells)
        end = np.where(np.isnan(end), start, end)
        dated = ~np.isnan(start) & (end >= start)
        undated = frame.loc[~dated, "event_id"].astype(str).tolist()
        rows = frame.loc[dated].reset_index(drop=True)
        precision = (
            rows["precision"].fillna("").astype(str).to_numpy()
            if "precision" in rows
            else np.full(len(rows), "")  # no precision known: every event drawn as a span
        )
        starts = start[dated]
        ends = end[dated] + DAY
        camps = rows["camp"] if "camp" in rows else pd.Series([""] * len(rows))
        lanes, lane_names, lane_camps = group_lanes(rows, group_by, names, type_names)
        return cls(
            frame=rows,
            ids=rows["event_id"].astype(str).to_numpy(),
            starts=starts,
            ends=ends,
            lanes=lanes,
            camps=np.array([camp_lane(c) for c in camps.tolist()], dtype=int),
            lane_names=lane_names,
            lane_camps=lane_camps,
            points=(precision == "day") & (ends - starts <= DAY),
            planned=_flags(rows, "planned"),
            approximate=_flags(rows, "approximate"),
            undated_ids=undated,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def centers(self) -> np.ndarray:
        return (self.starts + self.ends) / 2.0

    def extent(self) -> tuple[float, float] | None:
        """The time span covering every dated event, or None when there is none."""
        if len(self.ids) == 0:
            return None
        return float(self.starts.min()), float(self.ends.max())


def bar_tracks(
    starts: np.ndarray, ends: np.ndarray, lanes: np.ndarray, bars: np.ndarray
) -> np.ndarray:
    """Track of each event: markers 0; bars, per lane and by start date, the first track
    free by then, so that bars over the same dates do not hide each other (the last
    track takes what is left)."""
    tracks = np.zeros(len(starts), dtype=int)
    order = np.lexsort((ends, starts, lanes))
    free_at: dict[int, list[float]] = {}
    for i in order[np.asarray(bars, dtype=bool)[order]].tolist():
        track_ends = free_at.setdefault(int(lanes[i]), [-np.inf] * len(TRACKS_Y))
        track = next(
            (t for t, end in enumerate(track_ends) if end <= starts[i]),
            int(np.argmin(track_ends)),
        )
        track_ends[track] = max(track_ends[track], float(ends[i]))
        tracks[i] = track
    return tracks


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
    """Labels collapsed into one ``+N`` badge; ``start``..``end`` is the events' time span.

    ``indices`` (rows, left to right) is an array: a badge over a crowded lane stands for
    tens of thousands of events, and a frame must not copy them into a tuple."""

    lane: int
    x_px: float
    indices: np.ndarray = field(compare=False)
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
        return {i for badge in self.badges for i in badge.indices.tolist()}


@dataclass
class LaneIndex:
    """The events a layout may place, per lane sorted by (start, row): built once per set
    of events and filter, so that laying out a range finds its events by bisection
    instead of sorting every visible event again on each pan or zoom step."""

    rows: list[np.ndarray]  # per lane, the rows sorted by (start, row)
    starts: list[np.ndarray]  # their starts, ascending
    ends: list[np.ndarray]  # their ends
    reach: list[float]  # per lane, the longest end - start: how far back a visible one starts

    @classmethod
    def build(
        cls,
        starts: np.ndarray,
        ends: np.ndarray,
        lanes: np.ndarray,
        only: np.ndarray | None = None,
    ) -> LaneIndex:
        """The index of events ``starts``/``ends``/``lanes``, only those ``only`` keeps."""
        starts = np.asarray(starts, dtype=float)
        ends = np.asarray(ends, dtype=float)
        lanes = np.asarray(lanes, dtype=int)
        kept = np.ones(len(starts), bool) if only is None else np.asarray(only, bool)
        order = np.lexsort((np.arange(len(starts)), starts, lanes))
        order = order[kept[order]]
        count = int(lanes.max()) + 1 if len(lanes) else 0
        cuts = np.searchsorted(lanes[order], np.arange(count + 1))
        rows = [order[cuts[k] : cuts[k + 1]] for k in range(count)]
        reach = [float((ends[r] - starts[r]).max()) if len(r) else 0.0 for r in rows]
        return cls(rows, [starts[r] for r in rows], [ends[r] for r in rows], reach)

    def visible(self, lane: int, lo: float, hi: float) -> np.ndarray:
        """Rows of ``lane`` spanning into ``lo``..``hi``, left to right as a layout takes
        them: those starting at or before ``lo`` (anchored at the view's edge) in row
        order, then by start and row."""
        starts, ends, rows = self.starts[lane], self.ends[lane], self.rows[lane]
        # widened by a hair: ``ends - starts`` may round below an event's true length
        back = self.reach[lane] + (abs(lo) + self.reach[lane]) * 1e-9
        first = int(np.searchsorted(starts, lo - back, side="left"))
        at_edge = int(np.searchsorted(starts, lo, side="right"))
        stop = int(np.searchsorted(starts, hi, side="right"))
        edge = rows[first:at_edge][ends[first:at_edge] >= lo]
        return np.concatenate([np.sort(edge), rows[at_edge:stop]])


def layout_labels(
    starts: Sequence[float] | np.ndarray,
    ends: Sequence[float] | np.ndarray,
    lanes: Sequence[int] | np.ndarray,
    widths_px: Sequence[float] | np.ndarray,
    x_range: tuple[float, float],
    pixel_width: float,
    *,
    rows: int = DEFAULT_ROWS,
    badge_rows: int | None = None,
    gap_px: float = GAP_PX,
    badge_px: float = BADGE_SPAN_PX,
    min_px: float = CUT_MIN_PX,
    only: np.ndarray | None = None,
    index: LaneIndex | None = None,
) -> LabelLayout:
    """Place the labels of the events visible in ``x_range`` on a view ``pixel_width`` wide.

    An event ``i`` spans ``starts[i]..ends[i]`` (same unit as ``x_range``) in lane
    ``lanes[i]``; its label is ``widths_px[i]`` wide when whole and starts at the event's
    left end, at the view's left edge for an event that began before it, or far enough
    left to end at the view's right edge. A placed label's ``width_px`` is what it may
    take: its whole width, or less where the next label of its row cuts it. A lane takes
    ``rows`` rows, or ``badge_rows`` (default ``rows``) when some of its labels collapse
    into badges, which need a strip of their own. Events outside the range get neither
    label nor badge, and so do those that ``only`` (a boolean mask, e.g. a filter) leaves
    out. Every visible event gets exactly one of the two. ``index`` is
    ``LaneIndex.build(starts, ends, lanes, only)`` kept from an earlier call (a view lays
    out the same events for range after range); without it, it is built here.
    """
    starts = np.asarray(starts, dtype=float)
    ends = np.asarray(ends, dtype=float)
    widths = np.asarray(widths_px, dtype=float)
    badge_rows = rows if badge_rows is None else max(0, min(badge_rows, rows))
    lo, hi = float(x_range[0]), float(x_range[1])
    layout = LabelLayout()
    if hi <= lo or pixel_width <= 0 or len(starts) == 0:
        return layout
    if index is None:
        index = LaneIndex.build(starts, ends, np.asarray(lanes, dtype=int), only)
    per_px = (hi - lo) / float(pixel_width)
    capacity = rows * pixel_width / MIN_LABEL_PX
    for lane in range(len(index.rows)):
        indices = index.visible(lane, lo, hi)
        if len(indices) == 0:
            continue
        px = (np.maximum(starts[indices], lo) - lo) / per_px
        if len(indices) > 4 * capacity:
            hidden = np.ones(len(indices), dtype=bool)  # far too many to try one by one
        else:
            # a label that would run past the right edge ends at it instead
            left = np.maximum(np.minimum(px, pixel_width - widths[indices]), 0.0)
            order = np.argsort(left, kind="stable") if (left < px).any() else None
            sorted_indices = indices if order is None else indices[order]
            sorted_left = left if order is None else left[order]
            # a lane with more events than its rows could ever show will have badges
            tries = (badge_rows,) if len(indices) > capacity else (rows, badge_rows)
            for lane_rows in dict.fromkeys(tries):
                if lane_rows == 0:  # no room beside badges: all of the lane's are badges
                    placed, hidden_sorted = [], np.ones(len(indices), dtype=bool)
                    break
                placed, hidden_sorted = _stagger(
                    sorted_indices, sorted_left, widths, lane_rows, gap_px, min_px
                )
                if not hidden_sorted.any():
                    break
            hidden = hidden_sorted.copy()
            if order is not None:
                hidden[order] = hidden_sorted
            layout.labels.extend(
                PlacedLabel(i, lane, row, x, min(width, pixel_width - x))
                for i, row, x, width in placed
            )
        layout.badges.extend(_badges(indices[hidden], px[hidden], starts, ends, lane, badge_px))
    return layout


def _stagger(
    indices: np.ndarray,
    px: np.ndarray,
    widths: np.ndarray,
    rows: int,
    gap_px: float,
    min_px: float,
) -> tuple[list[list], np.ndarray]:
    """Give each label (``px`` ascending) the first row where the previous label ends
    before it, else the row whose previous label it cuts least (leaving it ``min_px``).
    Return the placed labels as ``[index, row, x, width]`` and the mask of those that fit
    no row. A label left of every row's free point fits none, and so does every label
    before the first one past it: one bisection skips that whole run, so the loop turns
    once per placed label, not once per event."""
    row_x = [-np.inf] * rows  # left edge of each row's last label
    row_end = [-np.inf] * rows  # its right edge, whole
    # where the next label may start in each row, whole or cutting the last one short
    row_free = [-np.inf] * rows
    row_last = [-1] * rows  # its place in ``placed``
    placed: list[list] = []
    hidden = np.zeros(len(indices), dtype=bool)
    k, count = 0, len(indices)
    while k < count:
        free = min(row_free)
        if px[k] < free:
            skip = int(np.searchsorted(px, free, side="left"))
            hidden[k:skip] = True
            k = skip
            continue
        x, index = float(px[k]), int(indices[k])
        row = next((r for r in range(rows) if x >= row_end[r] + gap_px), None)
        if row is None:  # cut a previous label short: the one that loses least
            row = min(
                (r for r in range(rows) if x >= row_x[r] + min_px + gap_px),
                key=lambda r: row_end[r],
            )
            placed[row_last[row]][3] = x - gap_px - row_x[row]
        width = float(widths[index])
        row_x[row], row_end[row] = x, x + width
        row_free[row] = x + min(width, min_px) + gap_px
        row_last[row] = len(placed)
        placed.append([index, row, x, width])
        k += 1
    return placed, hidden


def _badges(
    indices: np.ndarray,
    px: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    lane: int,
    badge_px: float,
) -> list[Badge]:
    """Group collapsed labels (``px`` ascending) that lie within ``badge_px`` of a group's
    first one; one bisection per badge and one reduction for all spans, so a lane of 100k
    collapsed labels stays cheap."""
    if len(px) == 0:
        return []
    firsts = [0]
    while True:
        stop = int(np.searchsorted(px, px[firsts[-1]] + badge_px, side="right"))
        if stop >= len(px):
            break
        firsts.append(stop)
    lows = np.minimum.reduceat(starts[indices], firsts).tolist()
    highs = np.maximum.reduceat(ends[indices], firsts).tolist()
    bounds = [*firsts, len(px)]
    return [
        Badge(lane, float(px[first]), indices[first : bounds[k + 1]], lows[k], highs[k])
        for k, first in enumerate(firsts)
    ]


def hit_at(
    x: float,
    y: float,
    x_range: tuple[float, float],
    pixel_width: float,
    layout: LabelLayout,
    events: object,
    shown: np.ndarray,
    label_rows: LabelRows | None = None,
) -> tuple[str, object] | None:
    """What is at data point (``x`` seconds, ``y`` lanes) of a view showing ``x_range`` on
    ``pixel_width`` pixels: ``("badge", Badge)``, ``("event", row)`` or None.

    A badge or a label is hit inside its box; a marker within ``HIT_PX`` of its disc; a bar
    within ``HIT_PX`` of its interval, so a short bar seen from afar is still easy to hit.
    ``events`` has the arrays of ``TimelineEvents``; ``shown`` masks the filtered rows;
    ``label_rows`` is where the layout's rows were drawn (a nominal lane's when None).
    """
    geometry = label_rows or LabelRows.for_lane(None)
    count = events.lane_count
    lane = count - 1 - int(np.floor(y))
    if not 0 <= lane < count:
        return None
    within = y - lane_bottom(lane, count)
    lo, hi = x_range
    per_px = (hi - lo) / max(pixel_width, 1.0)
    x_px = (x - lo) / per_px
    for badge in layout.badges:
        near_badge = abs(within - geometry.badge_y) <= geometry.badge_half
        if badge.lane == lane and near_badge and 0 <= x_px - badge.x_px < 34:
            return ("badge", badge)
    for label in layout.labels:
        row_y = geometry.row_y[label.row]
        near_row = label.lane == lane and abs(within - row_y) <= geometry.row_half
        if near_row and label.x_px <= x_px <= label.x_px + label.width_px:
            return ("event", label.index)
    if not MARK_BAND[0] - 0.03 <= within <= MARK_BAND[1] + 0.03:
        return None
    # markers are discs around MARK_Y; bars are hit on their own track
    reach = np.where(events.points, 0.1, BAR_HALF_HEIGHT + 0.025)
    near = np.abs(events.y - y) <= reach
    candidates = np.flatnonzero(shown & near & (events.lanes == lane))
    if len(candidates) == 0:
        return None
    starts = events.starts[candidates]
    ends = events.ends[candidates]
    centres = (starts + ends) / 2.0
    gap_point = np.abs(x - centres) / per_px - MARKER_SIZE / 2
    gap_bar = np.maximum(np.maximum(starts - x, x - ends), 0.0) / per_px
    gap = np.where(events.points[candidates], gap_point, gap_bar)
    best = int(np.argmin(gap))
    return ("event", int(candidates[best])) if gap[best] <= HIT_PX else None


def label_text(title: str, chars: int = 60) -> str:
    """A title as one line for a label, at most ``chars`` characters (the tooltip has it
    whole); the layout cuts it further only where the next label needs the room."""
    title = " ".join(str(title).split())
    return title if len(title) <= chars else title[: chars - 1] + "…"
