"""What the analyst's review costs: applying it, one undo, and the start-up it adds.

Run on demand (pytest does not collect this folder):
``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_review.py [--skip-startup]``.
Prints, asserting nothing:

- ``apply``: ``core.review.apply_review`` of 1,000 annotations (600 event marks and notes,
  250 corrections, 60 merges, 40 splits, 40 added events, 10 entity camps) to a
  10,000-event timeline (the seeds' timeline repeated under other file names), best and
  median of 5;
- ``undo``: one undo at that size: the session's part (the file written, the review laid
  over the machine's timeline again), and the whole of it in a main window showing that
  timeline (the state, the table and the timeline view brought up to date), median of 5;
- ``startup``: the app started on a copy of the seeds (a warm analysis cache) until the
  corpus is shown, with no review and with a review of 50 annotations, median of 5 each,
  and the difference.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pandas as pd

from core.model import Corpus
from core.review import (
    ADDED,
    ENTITY,
    EVENT,
    KEY_COLUMN,
    MERGE,
    SPLIT,
    added_event,
    apply_review,
    event_keys,
    mention_key,
)
from core.review_store import ReviewStore, review_path
from core.timeline import Timeline

EVENTS = 10_000
ANNOTATIONS = 1_000


def big_timeline(seeds: Timeline, n: int) -> Timeline:
    """``seeds`` repeated until it has ``n`` events, each copy under its own file names."""
    copies = -(-n // len(seeds.events))
    events, mentions = [], []
    for k in range(copies):
        e = seeds.events.copy()
        e["event_id"] = e["event_id"] + f"-{k}"
        e["sources"] = [";".join(f"{k}/{f}" for f in s.split(";")) for s in e["sources"]]
        m = seeds.mentions.copy()
        m["event_id"] = m["event_id"] + f"-{k}"
        m["file"] = f"{k}/" + m["file"]
        events.append(e)
        mentions.append(m)
    all_events = pd.concat(events, ignore_index=True).iloc[:n]
    kept = set(all_events["event_id"])
    all_mentions = pd.concat(mentions, ignore_index=True)
    all_mentions = all_mentions[all_mentions["event_id"].isin(kept)].reset_index(drop=True)
    articles = pd.concat(
        [seeds.articles.assign(file=f"{k}/" + seeds.articles["file"]) for k in range(copies)],
        ignore_index=True,
    )
    return Timeline(all_events, all_mentions, articles, seeds.entities)


def annotations_for(timeline: Timeline, rng: random.Random) -> dict:
    keys = event_keys(timeline)
    chosen = rng.sample(range(len(keys)), 600 + 250 + 120)
    out: dict = {}
    for i in chosen[:600]:
        out[(EVENT, keys[i])] = {
            "review": rng.choice(["accepted", "rejected"]),
            "starred": rng.random() < 0.3,
            "tags": ["중요"] if rng.random() < 0.3 else [],
            "note": "메모" if rng.random() < 0.2 else "",
            "label": "x",
        }
    for i in chosen[600:850]:
        out[(EVENT, keys[i])] = {"edits": {"camp": "open", "title": "고친 제목"}}
    pairs = chosen[850:970]
    for a, b in zip(pairs[0::2], pairs[1::2], strict=True):
        out[(MERGE, keys[a])] = {"into": keys[b]}
    mentions = timeline.mentions
    others = mentions[~mentions["primary"].astype(bool)].head(40)
    owner = dict(zip(timeline.events["event_id"], keys, strict=True))
    for m in others.to_dict("records"):
        out[(SPLIT, mention_key(m))] = {"from": owner[m["event_id"]]}
    for k in range(40):
        row = mentions.iloc[k * 7]
        key, data = added_event(
            row["file"], int(row["char_start"]), int(row["char_end"]), row["sentence"], "추가"
        )
        out[(ADDED, key)] = data
    linked = [e for e in timeline.entities["entity_id"] if e][:10]
    for entity in linked:
        out[(ENTITY, entity)] = {"camp": "open"}
    return dict(list(out.items())[:ANNOTATIONS])


def bench_apply(big: Timeline, annotations: dict) -> None:
    keys = event_keys(big)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        reviewed = apply_review(big, annotations)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    event_keys(big)
    keys_s = time.perf_counter() - t
    t = time.perf_counter()
    apply_review(big, annotations, keys=keys)
    with_keys = time.perf_counter() - t
    print(
        f"apply: {len(annotations)} annotations on {len(big.events)} events: best "
        f"{min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms "
        f"(keys {keys_s * 1000:.0f} ms of it; {with_keys * 1000:.0f} ms with keys given); "
        f"{reviewed.applied} applied, {len(reviewed.orphans)} orphaned"
    )


def bench_undo(big: Timeline, annotations: dict) -> None:
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow
    from gui.review_session import ReviewSession
    from gui.settings import Settings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        root.mkdir()
        store = ReviewStore(review_path(root))
        for (kind, key), data in annotations.items():
            store.put(kind, key, data)
        store.close()
        corpus = Corpus(root, [], [])

        session = ReviewSession()
        session.load(corpus, big)
        key = event_keys(big)[1]
        times = []
        for k in range(5):
            session.set(EVENT, key, {"starred": k % 2 == 0, "note": str(k)}, "별표")
            t = time.perf_counter()
            session.undo_stack.undo()
            times.append(time.perf_counter() - t)
            session.undo_stack.redo()
        session.close()
        print(
            f"undo (session: file + apply) at {len(big.events)} events, {len(annotations)} "
            f"annotations: median {statistics.median(times) * 1000:.0f} ms, "
            f"worst {max(times) * 1000:.0f} ms"
        )

        window = MainWindow(
            settings=Settings.in_file(Path(folder) / "settings.ini"),
            build=lambda r, p, c: corpus,
            analyse=lambda c, p, x: big,
        )
        window.show()
        done = []
        window.state.corpus_loaded.connect(lambda _c: done.append(1))
        window.load_corpus(root)
        while not done:
            app.processEvents()
        event_id = window.state.events[window.state.events[KEY_COLUMN] == key]["event_id"].iloc[0]
        window.state.select_event(event_id)
        times = []
        for _ in range(5):
            window.review.star()
            app.processEvents()
            t = time.perf_counter()
            window.review.undo_action.trigger()
            app.processEvents()
            times.append(time.perf_counter() - t)
        print(
            f"undo (window: state, table, timeline view) at {len(window.state.events)} events: "
            f"median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
        )
        # a merge moves rows: the whole review is laid over again and the views rebuilt
        ids = window.state.event_order()
        window.state.select_event(ids[10])
        window.review.merge()
        window.state.select_event(ids[11])
        t = time.perf_counter()
        window.review.merge()
        app.processEvents()
        merged = time.perf_counter() - t
        t = time.perf_counter()
        window.review.undo_action.trigger()
        app.processEvents()
        unmerged = time.perf_counter() - t
        print(
            f"merge (window) at {len(window.state.events)} events: {merged * 1000:.0f} ms, "
            f"its undo {unmerged * 1000:.0f} ms"
        )
        window.close()


def startup_seconds(corpus: Path, work: Path, name: str) -> float:
    script = "import sys; from pathlib import Path; from gui.app import run_app; "
    script += "sys.exit(run_app(Path(sys.argv[1])))"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CAMP_TIMELINE_STARTUP_TRACE="1")
    env["CAMP_TIMELINE_CACHE_DIR"] = str(work / "cache")
    env["XDG_CONFIG_HOME"] = str(work / f"config-{name}")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["CAMP_TIMELINE_T0"] = repr(time.time())
    out = subprocess.run(
        [sys.executable, "-c", script, str(corpus)],
        env=env, capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[:2] == ["startup", "corpus_shown"]:
            return float(parts[2])
    raise RuntimeError(f"no corpus_shown line in:\n{out}")


def bench_startup(seeds_timeline: Timeline) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        plain, reviewed = work / "plain", work / "reviewed"
        shutil.copytree(ROOT / "seeds", plain)
        shutil.copytree(ROOT / "seeds", reviewed)
        store = ReviewStore(review_path(reviewed))
        keys = event_keys(seeds_timeline)
        rng = random.Random(5)
        for k in range(50):
            store.put(EVENT, rng.choice(keys) + ("" if k < 25 else f"#{k}"), {"starred": True})
        store.close()
        startup_seconds(plain, work, "warm")  # fills the analysis cache for both
        startup_seconds(reviewed, work, "warm2")
        runs: dict[str, list[float]] = {"plain": [], "reviewed": []}
        for k in range(5):
            for name, corpus in (("plain", plain), ("reviewed", reviewed)):
                runs[name].append(startup_seconds(corpus, work, f"{name}{k}"))
        a, b = statistics.median(runs["plain"]), statistics.median(runs["reviewed"])
        print(
            f"startup to corpus shown on the seeds: no review {a:.2f} s, with a review of 50 "
            f"annotations {b:.2f} s: {b - a:+.2f} s ({(b - a) / a * 100:+.1f}%)"
        )


def main() -> int:
    from core.pipeline import build
    from core.timeline import build_timeline

    seeds = build_timeline(build(ROOT / "seeds"))
    big = big_timeline(seeds, EVENTS)
    annotations = annotations_for(big, random.Random(11))
    bench_apply(big, annotations)
    bench_undo(big, annotations)
    if "--skip-startup" not in sys.argv:
        bench_startup(seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
