"""Corpora of N made-up but realistic articles, for the benchmark harness.

Run on demand: ``python tests/benchmarks/corpus_gen.py OUT_DIR N [--seed S]``.

The articles recombine the *cleaned* body sentences of the five seeds (the seeds go
through the real pipeline once, so bylines, banners and photo captions are already gone):
each article takes a title from one seed sentence and a body of several paragraphs of
sentences drawn at random, so the text has the seeds' vocabulary, sentence lengths and
date expressions (``31일``, ``지난달``), which resolve against the article's own publication
date. Publication dates spread over 2022-2025; about one in six is known only to the month
(``2024-08``), as in the seeds' manifest. Same ``N`` and seed, same corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "seeds"
PUBLISHERS = ("가상일보", "테크가상", "미래경제", "AI가상뉴스", "")
FIRST_DAY = dt.date(2022, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
MONTH_ONLY_SHARE = 1 / 6


@functools.lru_cache(maxsize=1)
def seed_sentences(seeds: Path = SEEDS) -> tuple[str, ...]:
    """The cleaned body sentences of the seeds, in order (the pipeline runs once)."""
    from core.pipeline import build

    corpus = build(seeds)
    out = []
    for article in corpus.articles:
        for sentence in article.sentences:
            text = " ".join(sentence.text.split())
            # the first sentences are often the title and sub-headlines: keep whole sentences
            if len(text) >= 12 and text != article.title:
                out.append(text)
    if not out:
        raise RuntimeError(f"no sentences in the seeds at {seeds}")
    return tuple(out)


def cleaned_lines(corpus: object) -> list[str]:
    """Every non-blank line of every cleaned article, as the pipeline hands lines to Kiwi:
    what a bare-Kiwi floor tokenises."""
    return [
        line
        for article in corpus.articles  # type: ignore[attr-defined]
        if article.clean is not None
        for line in article.clean.text.splitlines()
        if line.strip()
    ]


def _published(rng: random.Random) -> str:
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    return day.strftime("%Y-%m") if rng.random() < MONTH_ONLY_SHARE else day.isoformat()


def _article(rng: random.Random, sentences: tuple[str, ...]) -> tuple[str, str]:
    """(title, text): a title line, then 3-6 paragraphs of 2-5 sentences each."""
    title = rng.choice(sentences).rstrip(".")
    if len(title) > 40:
        title = title[:40].rstrip()
    paragraphs = [
        " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(3, 6))
    ]
    return title, title + "\n" + "\n".join(paragraphs) + "\n"


def generate(out_dir: Path | str, n: int, seed: int = 7) -> Path:
    """Write ``n`` articles and a ``manifest.csv`` into ``out_dir`` (created; must be empty
    of earlier articles); return the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sentences = seed_sentences()
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        name = f"{k:06d}.txt"
        title, text = _article(rng, sentences)
        published = _published(rng)
        (out / name).write_text(text, encoding="utf-8")
        rows.append((name, rng.choice(PUBLISHERS), published, title))
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "publisher", "published", "title"])
        writer.writerows(rows)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    folder = generate(args.out_dir, args.n, args.seed)
    print(f"{args.n} articles in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
