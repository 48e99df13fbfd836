"""How long the seeds take to load, clean and segment, and what segmentation costs over Kiwi.

Run on demand (pytest does not collect this folder): ``python tests/benchmarks/bench_load.py
[CORPUS]``. Prints figures; asserts nothing. Each timing is the best of several repeats,
after Kiwi has been loaded and has analysed once (both printed on their own: Kiwi prepares
its model on the first analysis, and whichever stage asks first would pay for it).

Cleaning is shown twice: the first run asks Kiwi about glued words (one batched call), the
repeats know the verdicts, as a rebuild in the same process or with the cache does. The
repeated-fragment check (``core.repeats``) is timed on its own, against bare Kiwi
tokenisation of the same source text.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core import repeats
from core.cleaning import _Cleaner, clean_corpus, load_rules
from core.kiwi import get_kiwi
from core.loading import load_corpus
from core.segment import segment_article

REPEATS = 5


def best_of(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    corpus_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "seeds"

    start = time.perf_counter()
    kiwi = get_kiwi()
    kiwi_load = time.perf_counter() - start
    start = time.perf_counter()
    list(kiwi.tokenize(["준비 삼아 한 문장을 분석했다."]))
    kiwi_first = time.perf_counter() - start

    t_load = best_of(lambda: load_corpus(corpus_dir))
    corpus = load_corpus(corpus_dir)
    articles = corpus.articles
    repeats.GLUED_VERDICTS.clear()
    t_clean_first = best_of(lambda: clean_corpus(articles), repeats=1)
    t_clean = best_of(lambda: clean_corpus(articles))

    # the repeated-fragment check alone, on the texts as the boilerplate rules leave them
    rules, _ = load_rules()
    cleaners = [_Cleaner(a.source_text) for a in articles]
    for cleaner in cleaners:
        cleaner.apply_rules(rules)
    sources = [c.source for c in cleaners]
    removed = [c.removed_spans() for c in cleaners]

    def fragments_asking_kiwi() -> None:
        repeats.GLUED_VERDICTS.clear()
        repeats.find_spliced_fragments(sources, removed)

    t_fragments_first = best_of(fragments_asking_kiwi, repeats=3)
    t_fragments = best_of(lambda: repeats.find_spliced_fragments(sources, removed))
    source_lines = [line for a in articles for line in a.source_text.splitlines() if line.strip()]
    t_tokenise_source = best_of(lambda: list(kiwi.tokenize(source_lines)), repeats=3)
    t_segment = best_of(lambda: [segment_article(a) for a in articles])
    for article in articles:
        article.sentences = segment_article(article)

    clean_texts = [a.clean.text for a in articles if a.clean is not None]
    chars = sum(len(t) for t in clean_texts)
    lines = [line for t in clean_texts for line in t.splitlines() if line.strip()]

    # the alternatives segment.py chose between, on the same lines
    t_one_pass = best_of(lambda: list(kiwi.split_into_sents(lines, return_tokens=True)))

    def split_then_tokenise() -> None:
        sentences = [s.text for sents in kiwi.split_into_sents(lines) for s in sents]
        list(kiwi.tokenize(sentences))

    t_two_pass = best_of(split_then_tokenise)
    t_tokenise_sents = best_of(lambda: list(kiwi.tokenize(lines, split_sents=True)))
    t_tokenise = best_of(lambda: list(kiwi.tokenize(lines)))

    print(f"corpus: {corpus_dir} ({len(articles)} articles, {chars} clean characters)")
    print(f"kiwi load (once per process): {kiwi_load:8.3f} s")
    print(f"kiwi first analysis (once):    {kiwi_first:8.3f} s")
    print(f"load:                          {t_load:8.3f} s")
    print(f"clean, asking Kiwi:            {t_clean_first:8.3f} s")
    print(f"clean, verdicts known:         {t_clean:8.3f} s")
    print(f"repeated fragments, asking:    {t_fragments_first:8.3f} s")
    print(f"repeated fragments, known:     {t_fragments:8.3f} s")
    print(f"bare kiwi.tokenize of source:  {t_tokenise_source:8.3f} s")
    print(f"  clean / bare Kiwi:           {t_clean_first / t_tokenise_source:8.2f}")
    print(f"  fragments / bare Kiwi:       {t_fragments_first / t_tokenise_source:8.2f}")
    print(f"segment:                       {t_segment:8.3f} s")
    print("sentences per article:")
    for article in articles[:10]:
        print(f"  {article.file}: {len(article.sentences)}")
    if len(articles) > 10:
        print(f"  ... ({len(articles) - 10} more)")
    total = sum(len(a.sentences) for a in articles)
    print(f"  mean: {total / max(1, len(articles)):.1f}")
    print("characters per second (clean text):")
    print(f"  segment_article:                  {chars / t_segment:10.0f}")
    print(f"  split_into_sents + tokens (batch): {chars / t_one_pass:10.0f}")
    print(f"  split_into_sents, then tokenize:   {chars / t_two_pass:10.0f}")
    print(f"  tokenize(split_sents=True):        {chars / t_tokenise_sents:10.0f}")
    print(f"  bare kiwi.tokenize of the lines:   {chars / t_tokenise:10.0f}")


if __name__ == "__main__":
    main()
