"""The camps' colours and Korean names, the same in every view of the app.

The timeline lanes, the event table, the entity panel and the PNG export all colour a camp
with ``camp_color`` and name it with ``camp_label``, so a reader learns the palette once.
Colours are hex strings so that modules without Qt can use them too; ``camp_qcolor`` turns
one into a ``QColor``. The hues are picked to stay distinct for the common forms of colour
blindness (blue / vermilion / grey / purple / bluish green, after the Okabe-Ito palette).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QColor

#: the camps in lane order, top to bottom
CAMPS: tuple[str, ...] = ("open", "closed", "neutral", "crossover", "unknown")

#: Korean lane and legend labels
CAMP_LABELS: dict[str, str] = {
    "open": "개방",
    "closed": "폐쇄",
    "neutral": "중립",
    "crossover": "교차",
    "unknown": "미분류",
}

#: longer Korean descriptions, for tooltips and legends
CAMP_DESCRIPTIONS: dict[str, str] = {
    "open": "개방 진영 (오픈소스·공개 모델)",
    "closed": "폐쇄 진영 (비공개 모델)",
    "neutral": "중립 (어느 진영으로도 판정되지 않음)",
    "crossover": "교차 (다른 진영으로 넘어간 행보)",
    "unknown": "미분류 (진영을 판단할 근거가 없음)",
}

CAMP_COLORS: dict[str, str] = {
    "open": "#0072B2",  # blue
    "closed": "#D55E00",  # vermilion
    "neutral": "#7F7F7F",  # grey
    "crossover": "#9B4F96",  # purple
    "unknown": "#009E73",  # bluish green
}

#: the camp an event with an empty or unknown camp value is drawn in (and said so)
FALLBACK_CAMP = "neutral"


def normalize_camp(camp: object) -> str:
    """The camp key for a frame cell: one of ``CAMPS``; unknown or empty gives the fallback."""
    key = str(camp).strip().lower() if isinstance(camp, str) else ""
    return key if key in CAMP_COLORS else FALLBACK_CAMP


def camp_color(camp: object) -> str:
    """The camp's colour as ``#RRGGBB``."""
    return CAMP_COLORS[normalize_camp(camp)]


def camp_label(camp: object) -> str:
    """The camp's short Korean name (``개방``, ``폐쇄``, ``중립``, ``교차``)."""
    return CAMP_LABELS[normalize_camp(camp)]


def camp_lane(camp: object) -> int:
    """The camp's lane index, 0 at the top."""
    return CAMPS.index(normalize_camp(camp))


def camp_qcolor(camp: object, alpha: int = 255) -> QColor:
    """The camp's colour as a ``QColor`` with the given alpha (0..255)."""
    from PySide6.QtGui import QColor

    color = QColor(camp_color(camp))
    color.setAlpha(alpha)
    return color
