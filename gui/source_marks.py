"""What the source viewer marks in an article: entity mentions and date expressions.

Pure computation over the model (no Qt), in the article's source offsets, so the viewer
can map the marks onto whichever text it shows (clean or source) and compute them once
per article instead of on every paint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.model import Article
from core.segment import sentence_tokens


@dataclass(frozen=True)
class Mark:
    """A span of an article's source text the viewer marks: an entity or a date."""

    start: int
    end: int
    kind: str  # entity | date
    key: str  # entity id, or the resolved interval of a date
    tip: str


def article_marks(
    article: Article,
    find_entities: Callable[..., list] | None = None,
    resolve: Callable[..., list] | None = None,
) -> list[Mark]:
    """Entity mentions and date expressions of ``article``, in source offsets and text order.

    Pure computation (no Qt): the viewer calls it once per article and keeps the result.
    """
    if find_entities is None:
        from core.entities import find_mentions as find_entities
    if resolve is None:
        from core.dates import resolve
    marks: list[Mark] = []
    for sentence in article.sentences:
        for found in find_entities(sentence, article.source_text):
            tip = f"개체: {found.entity_id}" if found.entity_id else "개체 후보"
            marks.append(Mark(found.start, found.end, "entity", found.entity_id, tip))
        tokens = sentence_tokens(article, sentence)
        for expr in resolve(sentence.text, article.published, tokens=tokens):
            if article.clean is not None:
                start, end = article.clean.to_source(
                    sentence.clean_start + expr.start, sentence.clean_start + expr.end
                )
            else:
                start, end = sentence.start + expr.start, sentence.start + expr.end
            if expr.date_start is None:
                interval = "날짜를 정할 수 없음"
            elif expr.date_start == expr.date_end:
                interval = expr.date_start.isoformat()
            else:
                interval = f"{expr.date_start.isoformat()} ~ {expr.date_end.isoformat()}"
            marks.append(Mark(start, end, "date", interval, f"날짜: {interval} ({expr.precision})"))
    marks.sort(key=lambda m: (m.start, m.end))
    return marks
