"""The last view of a corpus: its filters, search and visible time range, kept between runs.

A ``CorpusView`` goes to the settings (``Settings.save_corpus_view``) as JSON, keyed by the
corpus folder, when the window closes or opens another corpus, and comes back when that
folder is opened again. Reading a stored view never fails: an unreadable one is no view.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from core.search import EventFilter


@dataclass(frozen=True)
class CorpusView:
    """What the analyst had shaped: the filters (entities excepted: they are checked in a
    panel that starts afresh), and the time range in view (epoch seconds), if any."""

    filter: EventFilter = field(default_factory=EventFilter)
    x_range: tuple[float, float] | None = None

    def to_json(self) -> str:
        chosen = self.filter
        return json.dumps(
            {
                "camps": sorted(chosen.camps),
                "event_types": sorted(chosen.event_types),
                "date_from": chosen.date_from.isoformat() if chosen.date_from else None,
                "date_to": chosen.date_to.isoformat() if chosen.date_to else None,
                "query": chosen.query,
                "only_matches": chosen.only_matches,
                "x_range": list(self.x_range) if self.x_range else None,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: object) -> CorpusView | None:
        """The view stored as ``text``, or None when there is none or it cannot be read."""
        if not isinstance(text, str) or not text:
            return None
        try:
            data = json.loads(text)
            chosen = EventFilter(
                camps=frozenset(str(c) for c in data.get("camps") or []),
                event_types=frozenset(str(t) for t in data.get("event_types") or []),
                date_from=_date(data.get("date_from")),
                date_to=_date(data.get("date_to")),
                query=str(data.get("query") or ""),
                only_matches=bool(data.get("only_matches")),
            )
            span = data.get("x_range")
            x_range = (float(span[0]), float(span[1])) if span else None
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            return None
        if x_range is not None and not x_range[0] < x_range[1]:
            x_range = None
        return cls(chosen, x_range)


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
