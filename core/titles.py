"""Finding an article's headline in its text when the manifest gives none.

The rule: the title is the first non-empty line, before the body starts, that is short
(at most ``MAX_TITLE_CHARS``), has a letter, and does not end the way a body sentence does
(``...했다.``, ``...입니다.``). Datelines and bylines (``홍길동 기자 a@b.kr``) on the way are
skipped. The first line that reads like body text ends the search with no title: a
sentence from the body is not a headline.

Articles that open with several short kicker lines and no headline (seed 000) get the
first kicker line. That is a choice: the kicker is what a reader sees first and it names
the story, and no rule that looks only at the text can tell a kicker from a headline.

Call it after cleaning (``article.clean`` set) so that boilerplate lines above the
headline (an advertising line, a site menu) are already gone; before cleaning it reads the
source text.
"""

from __future__ import annotations

import re

from core.dateline import DatelineFinder, default_finder, ends_like_sentence
from core.model import Article

MAX_TITLE_CHARS = 80
#: how many non-empty lines from the top may hold the title
MAX_TITLE_SCAN = 8
#: an e-mail address is looked for from the start of its run of address characters only:
#: trying every position inside a long run would make a long line quadratic
_BYLINE = re.compile(r"(?:기자|특파원|기고|논설위원)\s*$|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def detect_title(article: Article, finder: DatelineFinder | None = None) -> tuple[str, str]:
    """(title, source) for ``article``: source is ``text``, or ``unknown`` with ``""``.

    Reads ``article.clean.text`` when the cleaner has run, else ``article.source_text``.
    ``finder`` defaults to the dateline label table's (``default_finder()``).
    """
    text = article.clean.text if article.clean is not None else article.source_text
    title = title_from_text(text, finder)
    return (title, "text") if title else ("", "unknown")


def title_from_text(text: str, finder: DatelineFinder | None = None) -> str:
    """The headline of a text by the rule in the module docstring, or ``""``."""
    finder = finder or default_finder()
    seen = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > MAX_TITLE_SCAN:
            break
        if not any(ch.isalpha() for ch in line):
            continue  # a rule, a lone bullet, a number
        if finder.in_line(line) or _BYLINE.search(line):
            continue
        if len(line) > MAX_TITLE_CHARS or ends_like_sentence(line):
            break  # the body has started
        return re.sub(r"\s+", " ", line)
    return ""
