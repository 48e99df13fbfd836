"""What the date resolver costs on the seeds, against Kiwi tokenisation of the same text.

Run on demand (pytest does not collect this folder): ``python tests/benchmarks/bench_dates.py
[CORPUS]``. Prints figures; asserts nothing. Each article is resolved line by line (Kiwi's
sentence splitter ignores line breaks, and the pipeline hands over sentences), once with
Kiwi tokens already at hand (the pipeline case) and once tokenising on its own; each timing
is the best of several repeats after Kiwi has been loaded.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.dates import resolve
from core.dates.tense import tokenize
from core.kiwi import get_kiwi
from core.model import Published
from core.published import parse_partial_date


def best_of(fn: Callable[[], object], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - began)
    return best


def articles(corpus: Path) -> list[tuple[str, list[str], Published | None]]:
    published: dict[str, str] = {}
    manifest = corpus / "manifest.csv"
    if manifest.is_file():
        with manifest.open(encoding="utf-8") as handle:
            published = {row["file"]: row.get("published", "") for row in csv.DictReader(handle)}
    out = []
    for path in sorted(corpus.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
        date = published.get(path.name, "")
        out.append((path.name, lines, parse_partial_date(date) if date else None))
    return out


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "seeds"
    began = time.perf_counter()
    get_kiwi()
    print(f"kiwi load: {time.perf_counter() - began:.2f} s")
    print(f"{'article':28} {'chars':>6} {'exprs':>5} {'kiwi ms':>8} {'dates ms':>8} "
          f"{'dates+tok ms':>12} {'dates/kiwi':>10}")
    total_exprs = 0
    total = {"kiwi": 0.0, "dates": 0.0, "own": 0.0}
    for name, lines, pub in articles(corpus):
        tokens = [tokenize(line) for line in lines]
        pairs = list(zip(lines, tokens, strict=True))
        kiwi = best_of(lambda lines=lines: [tokenize(line) for line in lines])
        dates = best_of(lambda p=pairs, d=pub: [resolve(line, d, tokens=t) for line, t in p])
        own = best_of(lambda lines=lines, d=pub: [resolve(line, d) for line in lines])
        count = sum(len(resolve(line, pub, tokens=t)) for line, t in pairs)
        total_exprs += count
        total["kiwi"] += kiwi
        total["dates"] += dates
        total["own"] += own
        chars = sum(len(line) for line in lines)
        print(f"{name:28} {chars:6d} {count:5d} {kiwi * 1e3:8.2f} {dates * 1e3:8.2f} "
              f"{own * 1e3:12.2f} {dates / kiwi:10.2f}")
    print(f"expressions: {total_exprs}; with tokens given: "
          f"{total_exprs / total['dates']:,.0f} expressions/s; tokenising itself: "
          f"{total_exprs / total['own']:,.0f} expressions/s")
    print(f"cost per article relative to Kiwi tokenisation: {total['dates'] / total['kiwi']:.2f}x "
          f"(tokens given), {total['own'] / total['kiwi']:.2f}x (tokenising itself)")


if __name__ == "__main__":
    main()
