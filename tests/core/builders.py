"""Hand-built event mentions for the merge and export tests and the export benchmark.

Only the fields that matter to merging and exporting are parameters; the rest are the
model's defaults, so a new field in ``EventMention`` needs no change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.model import EventMention, TimeExpr


def event_mention(
    file: str,
    sentence_index: int,
    sentence: str,
    char_start: int,
    trigger: tuple[int, int],
    event_type: str,
    actors: Sequence[str],
    objects: Sequence[str],
    date: TimeExpr | None,
    **fields: Any,
) -> EventMention:
    """A mention of ``sentence`` starting at ``char_start`` in ``file``, its predicate at
    source offsets ``trigger`` (start, end); its entities are its actors then its objects.
    ``fields`` sets any other ``EventMention`` field (predicate, camp, title ...)."""
    return EventMention(
        file=file,
        sentence_index=sentence_index,
        sentence=sentence,
        char_start=char_start,
        char_end=char_start + len(sentence),
        event_type=event_type,
        predicate=fields.pop("predicate", "공개하다"),
        trigger_start=trigger[0],
        trigger_end=trigger[1],
        actors=list(actors),
        objects=list(objects),
        entities=list(actors) + list(objects),
        date=date,
        **fields,
    )
