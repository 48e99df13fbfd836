"""Plain-text reports of a built corpus, for terminals where Hangul takes two columns.

Used by ``camp-timeline build``; kept in ``core`` because it needs no window.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from core.loading import display_name
from core.model import Article, Corpus, Problem, Severity

ARTICLE_HEADERS = ("file", "publisher", "published", "characters", "sentences", "problems")
#: numeric columns are right-aligned
_RIGHT = {"characters", "sentences", "problems"}


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None
) -> list[str]:
    """Lines of an aligned table: header, a rule, then the rows (two spaces between columns)."""
    right = right or [False] * len(headers)
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [pad(c, w, r) for c, w, r in zip(cells, widths, right, strict=True)]
        return "  ".join(parts).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def published_cell(article: Article) -> str:
    """``2023-12 (month, manifest)``, or ``unknown``."""
    published = article.published
    if published is None:
        return "unknown"
    return f"{published.iso()} ({published.precision}, {published.source.value})"


def article_row(article: Article) -> list[str]:
    return [
        display_name(article.file),
        display_name(article.publisher) or "-",
        published_cell(article),
        str(len(article.source_text)),
        str(len(article.sentences)),
        str(len(article.problems)),
    ]


def article_table(corpus: Corpus) -> list[str]:
    """The per-article table of ``camp-timeline build``."""
    return format_table(
        ARTICLE_HEADERS,
        [article_row(a) for a in corpus.articles],
        [h in _RIGHT for h in ARTICLE_HEADERS],
    )


def problem_line(problem: Problem) -> str:
    """``file: reason``, with the severity when it is not an error; terminal-safe (a name's
    bytes that are not UTF-8 as U+FFFD, control characters escaped)."""
    line = display_name(str(problem))
    if problem.severity == Severity.ERROR:
        return line
    return f"{line} [{problem.severity.value}]"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def summary_line(corpus: Corpus, events: int | None = None) -> str:
    """``5 articles, 194 sentences, 0 problems, 26 events`` (events only when counted)."""
    parts = [
        _count(len(corpus.articles), "article"),
        _count(sum(len(a.sentences) for a in corpus.articles), "sentence"),
        _count(len(corpus.all_problems()), "problem"),
    ]
    if events is not None:
        # last, where scripts reading the line already look for it
        parts.append(_count(events, "event"))
    return ", ".join(parts)


def corpus_report(corpus: Corpus, events: int | None = None) -> list[str]:
    """Table, then problems (if any), then the summary line."""
    lines = article_table(corpus)
    problems = corpus.all_problems()
    if problems:
        lines += ["", "problems:", *(f"  {problem_line(p)}" for p in problems)]
    lines += ["", summary_line(corpus, events)]
    return lines
