"""What entity and event extraction cost per sentence, apart from Kiwi.

Run on demand (pytest does not collect this folder): ``python
tests/benchmarks/bench_extraction.py [CORPUS] [--repeats N]`` (default: the seeds; the
generated corpora of ``corpus_gen.py`` are the interesting case). Prints figures; asserts
nothing. The corpus is loaded, cleaned and segmented once (Kiwi), then the per-article
extraction of the analysed build (``find_mentions`` with unlinked candidates on every
sentence, then ``extract_events`` reusing those mentions) runs ``N`` times over fresh copies
of the articles. Times are CPU seconds of this thread (the shared machine's load inflates
wall time, not these), best of the repeats, split into linked mentions, candidates and
events.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.entities import find_candidates, find_mentions
from core.events import extract_events
from core.kiwi import get_kiwi
from core.lexicon import load_lexicon
from core.model import Article, EntityMention
from core.pipeline import build
from core.resources import tables_read_once


def extract_once(articles: list[Article], lexicon: object) -> dict[str, float]:
    """One pass of the analysed build's extraction; CPU seconds per part."""
    spent = {"mentions": 0.0, "candidates": 0.0, "events": 0.0}
    clock = time.thread_time
    with tables_read_once():  # as the build does: the user's tables are stat-ed once
        for article in articles:
            found: list[EntityMention] = []
            for sentence in article.sentences:
                began = clock()
                linked = find_mentions(sentence, article.source_text, lexicon)
                middle = clock()
                found += linked
                found += find_candidates(sentence, article.source_text, lexicon, linked)
                spent["mentions"] += middle - began
                spent["candidates"] += clock() - middle
            began = clock()
            extract_events(article, lexicon, entity_mentions=found)
            spent["events"] += clock() - began
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT / "seeds")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    get_kiwi()
    began = time.perf_counter()
    corpus = build(args.corpus)
    for article in corpus.articles:
        for sentence in article.sentences:
            sentence.tokens = list(sentence.tokens)  # as the analysed build extracts them
    sentences = sum(len(a.sentences) for a in corpus.articles)
    tokens = sum(len(s.tokens) for a in corpus.articles for s in a.sentences)
    print(
        f"{args.corpus}: {len(corpus.articles)} articles, {sentences} sentences, "
        f"{tokens} tokens (load+clean+segment {time.perf_counter() - began:.1f} s)"
    )
    lexicon = load_lexicon()
    extract_once(copy.deepcopy(corpus.articles), lexicon)  # tables loaded, caches warm
    runs = [extract_once(copy.deepcopy(corpus.articles), lexicon) for _ in range(args.repeats)]
    best = min(runs, key=lambda r: sum(r.values()))
    total = sum(best.values())
    print(f"extraction CPU (best of {args.repeats}): {total:.2f} s, "
          f"{1e6 * total / max(sentences, 1):.0f} us per sentence")
    for part, seconds in best.items():
        print(f"  {part:11} {seconds:6.2f} s  {100 * seconds / total:4.0f} %")
    print("all runs:", "  ".join(f"{sum(r.values()):.2f}" for r in runs))


if __name__ == "__main__":
    main()
