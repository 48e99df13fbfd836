"""Articles per second on each engine: this process, 2 local processes, a 2-worker LocalCluster.

Run on demand (pytest does not collect this folder)::

    python tests/benchmarks/bench_engines.py [N] [--corpus DIR]

Generates N articles (default 1,000; ``corpus_gen.py``) unless ``--corpus`` names a folder,
then builds them once per engine, each in a fresh process with no analysis cache
(``--no-cache``: every article analysed), and once more serially into an empty store (the
analysis cache), to give the store's bytes per article. Prints, per engine: the whole build's wall time
(imports, Kiwi's load in every worker, the cluster's start), the analysis stage alone (first
to last analysed article) and its articles per second, the CPU time of the build and its
workers (per article too), the peak memory of the build
process and of its largest worker, and whether the timeline's CSV is byte for byte the
serial one. Asserts nothing. The machine is shared: read the load average printed with it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

ENGINES = {
    "1 process (serial)": {"workers": 1},
    "2 local processes": {"workers": 2},
    "2-worker LocalCluster": {"workers": 2, "scheduler": "local"},
    # the serial build again, writing every analysis to an empty store: its size per article
    "1 process into an empty store": {"workers": 1, "store": True},
}


def probe(folder: str, options: str, csv_out: str) -> dict:
    """One uncached build in this (fresh) process, timed."""
    start = time.perf_counter()
    from core.export import write_csv
    from core.pipeline import build
    from core.timeline import build_timeline

    stamps: list[float] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("분석"):
            stamps.append(time.perf_counter())

    stage_start = 0.0

    def started(done: int, total: int, message: str) -> None:
        nonlocal stage_start
        if message.startswith("저장된 분석"):  # the analysis stage begins right after
            stage_start = time.perf_counter()
        progress(done, total, message)

    options_given = json.loads(options)
    cache = None
    if options_given.pop("store", False):
        from core.cache import AnalysisCache

        cache = AnalysisCache()
    corpus = build(folder, progress=started, cache=cache, **options_given)
    if cache is not None:
        cache.close()
    timeline = build_timeline(corpus)
    write_csv(timeline, Path(csv_out))
    end = time.perf_counter()
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, once joined
    return {
        "cpu_s": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime,
        "articles": len(corpus.articles),
        "events": len(timeline.events),
        "wall_s": end - start,
        "stage_s": stamps[-1] - stage_start,
        "first_to_last_s": stamps[-1] - stamps[0],
        "peak_mb": me.ru_maxrss / 1024,
        "worker_peak_mb": children.ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--probe", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(*args.probe)))
        return 0
    scratch = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    folder = args.corpus
    if folder is None:
        from corpus_gen import generate

        folder = generate(scratch / "corpus", args.n)
    print(f"corpus {folder}; load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    serial_csv = None
    for name, options in ENGINES.items():
        csv_out = scratch / f"{len(options)}-{options['workers']}.csv"
        store = scratch / f"store-{len(options)}-{options['workers']}"
        env = dict(os.environ, CAMP_TIMELINE_CACHE_DIR=str(store))
        done = subprocess.run(
            [sys.executable, __file__, "--probe", str(folder), json.dumps(options), str(csv_out)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"{name}: failed\n{done.stderr}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        digest = hashlib.sha256(csv_out.read_bytes()).hexdigest()
        serial_csv = serial_csv or digest
        print(
            f"{name}: {r['articles']} articles, {r['events']} events | whole build "
            f"{r['wall_s']:.1f} s ({r['articles'] / r['wall_s']:.1f} articles/s) | analysis "
            f"stage {r['stage_s']:.1f} s ({r['articles'] / r['stage_s']:.1f} articles/s; "
            f"first to last result {r['first_to_last_s']:.1f} s) | CPU "
            f"{r['cpu_s']:.1f} s, {1000 * r['cpu_s'] / r['articles']:.0f} ms/article | peak memory "
            f"{r['peak_mb']:.0f} MB, largest worker {r['worker_peak_mb']:.0f} MB | "
            f"CSV {'same as serial' if digest == serial_csv else 'DIFFERS from serial'} | "
            f"load average now {os.getloadavg()[0]:.2f}"
        )
        if store.is_dir():
            size = sum(p.stat().st_size for p in store.iterdir() if p.is_file())
            print(f"  store: {size / 1e6:.1f} MB, {size / r['articles'] / 1e3:.1f} KB/article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
