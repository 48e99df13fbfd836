"""The per-article analysis unit (sentences, entity mentions, event mentions).

Everything after cleaning depends on one article only, so it is one unit of work that can
run in another process (``core.engines`` decides where) and be cached on disk. Cleaning
stays a whole-corpus step (it looks for fragments repeated across articles) and runs before.
The extraction of an article's mentions is here and nowhere else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from core.model import (
    Article,
    Cancelled,
    Corpus,
    EntityMention,
    EventMention,
    Problem,
    Sentence,
)
from core.progress import CancelledFn
from core.resources import tables_read_once, user_resource_dir

#: bump whenever the analysis of an unchanged text may change (code of segment, entities,
#: events, dates, merge inputs): cached analyses of another version are never used
PIPELINE_VERSION = "analysis-1"


@dataclass
class ArticleAnalysis:
    """What the per-article stage found in one article; what the cache stores."""

    sentences: list[Sentence] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class AnalysedCorpus(Corpus):
    """A corpus whose articles went through ``analyse_article``: mentions per file.

    ``build_timeline`` merges these instead of extracting them again.
    """

    event_mentions: dict[str, list[EventMention]] = field(default_factory=dict)
    entity_mentions: dict[str, list[EntityMention]] = field(default_factory=dict)
    cached: int = 0  # articles whose analysis came from the cache


def analyse_article(article: Article, lexicon: Any = None) -> ArticleAnalysis:
    """Segment ``article`` (cleaned) and find its entity and event mentions.

    Sets ``article.sentences``. A segmentation failure leaves no sentences and a problem
    naming the reason; one bad article must not stop the others.
    """
    from core.segment import segment_or_report

    return extract(article, *segment_or_report(article), lexicon)


def extract(
    article: Article, sentences: list[Sentence], problems: list[Problem], lexicon: Any = None
) -> ArticleAnalysis:
    """The entity and event mentions of ``article``, segmented into ``sentences``: the one
    extraction loop of the project (every build runs it, the timeline only merges)."""
    from core.entities import article_mentions
    from core.events import extract_events
    from core.lexicon import load_lexicon

    if lexicon is None:
        lexicon = load_lexicon()
    article.sentences = sentences
    entities = article_mentions(sentences, article.source_text, lexicon)
    # the article's discovered entities (names the tables lack) can act in its events
    events = extract_events(article, lexicon.with_discovered(entities), entity_mentions=entities)
    return ArticleAnalysis(sentences, events, entities, problems)


def analysed(corpus: Corpus, lexicon: Any = None) -> AnalysedCorpus:
    """``corpus``, whose articles are segmented already (a made-up corpus, as tests write
    them), with the mentions ``extract`` finds in their sentences; a built corpus has
    them from ``core.pipeline.build``."""
    result = AnalysedCorpus(corpus.root, corpus.articles, corpus.problems)
    for article in corpus.articles:
        found = extract(article, article.sentences, [], lexicon)
        result.event_mentions[article.file] = found.events
        result.entity_mentions[article.file] = found.entities
    return result


def analyse_stream(
    articles: Iterable[Article], lexicon: Any = None, cancelled: CancelledFn | None = None
) -> Iterator[tuple[Article, ArticleAnalysis]]:
    """(article, ``analyse_article``'s analysis) for every article, in the order given,
    with the articles' lines going through Kiwi in one stream
    (``core.segment.segment_stream``): Kiwi analyses the next articles on its threads while
    this one is being extracted. ``articles`` may be a generator, read a little ahead.

    Raises ``Cancelled`` between articles when ``cancelled()`` answers True.
    """
    from core.segment import segment_stream

    stamps: dict = {}  # the user's tables are looked at once for the whole stream
    for article, sentences, problems in segment_stream(articles, cancelled):
        if cancelled is not None and cancelled():
            raise Cancelled()
        with tables_read_once(stamps):
            analysis = extract(article, sentences, problems, lexicon)
        yield article, analysis


def resources_fingerprint() -> str:
    """A hash of every table the analysis reads, bundled and the user's own, and of the
    code of ``core``.

    A user editing a lexicon row changes it, so cached analyses made with the old table
    are not used; so does any change to the pipeline's code (``PIPELINE_VERSION`` need not
    be bumped by hand for a cache to stay honest in a working checkout).
    """
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(b"code\0" + path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    bundled = resources.files("resources")
    for entry in sorted(bundled.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".tsv"):
            digest.update(b"bundled\0" + entry.name.encode() + b"\0")
            digest.update(entry.read_bytes())
    folder = user_resource_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.tsv")):
            try:
                data = path.read_bytes()
            except OSError:
                continue  # unreadable: read_table reports it; nothing of it was used
            digest.update(b"user\0" + path.name.encode() + b"\0" + data)
    return digest.hexdigest()


def shipped(article: Article) -> Article:
    """The article without what the analysis does not read (sentences, problems), as it
    travels to another process."""
    return replace(article, sentences=[], problems=[])
