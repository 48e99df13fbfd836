"""What merging and exporting cost, on the seeds and on synthetic corpora of growing size.

Run on demand (pytest does not collect this folder): ``python tests/benchmarks/bench_export.py
[CORPUS]``. Prints figures; asserts nothing. The synthetic mentions are made up here: many
actors and objects, each real event reported by one to three articles at different date
precisions, so merging has real work to do.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.export import write_csv, write_json
from core.merge import merge_mentions
from core.model import Article, Corpus, EventMention, TimeExpr
from core.timeline import assemble_timeline
from tests.core.builders import event_mention

TYPES = ("release", "open_release", "partnership", "alliance", "meeting", "statement")


def best_of(fn: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def synthetic(events: int, seed: int = 1) -> tuple[Corpus, dict[str, list[EventMention]]]:
    """About ``events`` real events over 50 articles, each reported 1-3 times."""
    rng = random.Random(seed)
    files = [f"{i:03d}.txt" for i in range(50)]
    sentence = "가상의 회사가 가상의 모델을 공개했다."
    mentions: dict[str, list[EventMention]] = {f: [] for f in files}
    counters = dict.fromkeys(files, 0)
    base = dt.date(2023, 1, 1)
    for n in range(events):
        day = base + dt.timedelta(days=rng.randrange(700))
        actor = f"Org{rng.randrange(events // 4 + 1)}"
        obj = f"Model{n}"
        event_type = rng.choice(TYPES)
        for _ in range(rng.choice((1, 1, 2, 3))):
            file = rng.choice(files)
            index = counters[file]
            counters[file] += 1
            if rng.random() < 0.5:
                date = TimeExpr(0, 3, "지난 3일", day, day, "day")
            else:
                first = day.replace(day=1)
                last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
                date = TimeExpr(0, 3, "지난달", first, last, "month")
            start = index * len(sentence)
            mentions[file].append(
                event_mention(
                    file,
                    index,
                    sentence,
                    start,
                    (start + 10, start + 12),
                    event_type,
                    [actor],
                    [obj],
                    date,
                    title=f"{actor}, {obj} 공개",
                )
            )
    articles = [
        Article(
            file=f,
            path=Path(f),
            source_text=sentence * max(1, counters[f]),
            encoding="utf-8",
        )
        for f in files
    ]
    return Corpus(root=Path("."), articles=articles), mentions


def bench_synthetic() -> None:
    print("synthetic: events  mentions  merged   merge s   frames s   csv s   json s   csv MB")
    for size in (100, 1000, 5000, 20000):
        corpus, mentions = synthetic(size)
        flat = [m for ms in mentions.values() for m in ms]
        t_merge = best_of(lambda flat=flat: merge_mentions(flat))
        merged = len(merge_mentions(flat))
        t_frames = best_of(lambda c=corpus, m=mentions: assemble_timeline(c, m))
        timeline = assemble_timeline(corpus, mentions)
        with tempfile.TemporaryDirectory() as tmp:
            csv_path, json_path = Path(tmp) / "t.csv", Path(tmp) / "t.json"
            t_csv = best_of(lambda t=timeline, p=csv_path: write_csv(t, p))
            t_json = best_of(lambda t=timeline, p=json_path: write_json(t, p))
            size_mb = csv_path.stat().st_size / 1e6
        print(
            f"           {size:6d}  {len(flat):8d}  {merged:6d}  {t_merge:8.3f}  {t_frames:9.3f}"
            f"  {t_csv:6.3f}  {t_json:7.3f}  {size_mb:7.2f}"
        )


def bench_corpus(corpus_dir: Path) -> None:
    from core.pipeline import build
    from core.timeline import build_timeline

    start = time.perf_counter()
    corpus = build(corpus_dir)
    t_build = time.perf_counter() - start
    start = time.perf_counter()
    timeline = build_timeline(corpus)
    t_timeline = time.perf_counter() - start
    mentions = len(timeline.mentions)
    t_merge = best_of(lambda: merge_mentions([m for e in timeline.event_list for m in e.mentions]))
    with tempfile.TemporaryDirectory() as tmp:
        t_csv = best_of(lambda: write_csv(timeline, Path(tmp) / "t.csv"))
        t_json = best_of(lambda: write_json(timeline, Path(tmp) / "t.json"))
    print(
        f"{corpus_dir.name}: {len(corpus.articles)} articles, {mentions} mentions, "
        f"{len(timeline.events)} events"
    )
    print(
        f"  load+clean+segment {t_build:.2f} s (Kiwi load included), entities+events+merge "
        f"{t_timeline:.2f} s, merge alone {t_merge * 1000:.1f} ms, csv {t_csv * 1000:.1f} ms, "
        f"json {t_json * 1000:.1f} ms"
    )
    for file, count in timeline.articles[["file", "events"]].itertuples(index=False):
        print(f"  {file}: {count} events")


def main() -> None:
    corpus_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "seeds"
    bench_synthetic()
    bench_corpus(corpus_dir)


if __name__ == "__main__":
    main()
