"""First vs second build with the analysis cache, and 1 vs 2 workers against bare Kiwi.

Run on demand (pytest does not collect this folder)::

    python tests/benchmarks/bench_cache.py [N ...]

For the seeds and for generated corpora of N articles (default 300; ``corpus_gen.py``
recombines the seeds' sentences), prints:

- cold build (empty cache) and warm build (same cache, unchanged corpus), each in a fresh
  process so the warm one gets nothing from memory: only the disk cache, with each one's
  peak resident memory. "build" is
  ``core.pipeline.build(..., cache=...)`` + ``build_timeline``, Kiwi's load included when
  the build loads Kiwi (a fully cached build does not); imports excluded. The ratio is
  the issue's target (at least 20);
- in one process with Kiwi loaded: bare ``kiwi.tokenize`` of the cleaned lines (the floor),
  and the uncached build at 1 and 2 workers (2 = two pool processes, each loading its own
  Kiwi), with their ratio to the floor; once with Kiwi's own worker threads
  (its default) and once with a single Kiwi thread, to compare threads and processes.

Asserts nothing. The machine is shared: run twice and read the better figures.
"""

from __future__ import annotations

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


def probe_cached(folder: str, workers: int) -> dict:
    """One build through the cache in this (fresh) process."""
    from core import kiwi
    from core.cache import AnalysisCache
    from core.pipeline import build
    from core.timeline import build_timeline

    start = time.perf_counter()
    cache = AnalysisCache()
    corpus = build(folder, workers=workers, cache=cache)
    timeline = build_timeline(corpus)
    cache.close()
    return {
        "seconds": time.perf_counter() - start,
        "cached": corpus.cached,
        "articles": len(corpus.articles),
        "events": len(timeline.events),
        "kiwi_loaded": kiwi._kiwi is not None,
        "notes": [str(p) for p in cache.notes],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def probe_workers(folder: str) -> dict:
    """Bare Kiwi, then uncached builds at 1 and 2 workers, in this process."""
    from corpus_gen import cleaned_lines

    from core.kiwi import get_kiwi
    from core.pipeline import build
    from core.timeline import build_timeline

    out: dict = {}
    start = time.perf_counter()
    kiwi = get_kiwi()
    kiwi.tokenize("준비.")  # Kiwi finishes loading on its first analysis
    out["kiwi_load"] = time.perf_counter() - start
    for workers in (1, 2):
        start = time.perf_counter()
        corpus = build(folder, workers=workers)
        build_timeline(corpus)
        out[f"workers_{workers}"] = time.perf_counter() - start
    lines = cleaned_lines(corpus)
    out["chars"] = sum(len(line) for line in lines)
    start = time.perf_counter()
    for _tokens in kiwi.tokenize(lines):
        pass
    out["bare_kiwi"] = time.perf_counter() - start
    return out


def _run(probe: str, *args: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--probe", probe, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(name: str, folder: Path, scratch: Path) -> None:
    print(f"\n== {name}: {folder}")
    for workers in (1, 2):
        env = dict(os.environ, CAMP_TIMELINE_CACHE_DIR=str(scratch / f"cache-{name}-{workers}"))
        cold = _run("cached", str(folder), str(workers), env=env)
        warm = _run("cached", str(folder), str(workers), env=env)
        size = sum(p.stat().st_size for p in Path(env["CAMP_TIMELINE_CACHE_DIR"]).iterdir())
        print(
            f"workers {workers}: {cold['articles']} articles, {cold['events']} events; "
            f"first build {cold['seconds']:.2f} s (Kiwi loaded: {cold['kiwi_loaded']}), "
            f"second {warm['seconds']:.3f} s ({warm['cached']} cached, Kiwi loaded: "
            f"{warm['kiwi_loaded']}): {cold['seconds'] / warm['seconds']:.1f}x; "
            f"cache {size / 1e6:.1f} MB; peak memory {cold['peak_mb']:.0f} MB first, "
            f"{warm['peak_mb']:.0f} MB second (this process; workers not counted)"
        )
        for note in cold["notes"] + warm["notes"]:
            print(f"  note: {note}")
    for threads in ("", "1"):
        # Kiwi's own threads (its default: one per core) against a single Kiwi thread
        env = dict(
            os.environ,
            CAMP_TIMELINE_CACHE_DIR=str(scratch / f"unused-{name}"),
            CAMP_TIMELINE_KIWI_THREADS=threads,
        )
        w = _run("workers", str(folder), env=env)
        floor = w["bare_kiwi"]
        print(
            f"uncached, Kiwi threads {threads or 'default'}, Kiwi loaded "
            f"({w['kiwi_load']:.2f} s): bare Kiwi tokenise {floor:.2f} s "
            f"({w['chars'] / floor:,.0f} chars/s) | 1 worker {w['workers_1']:.2f} s "
            f"({w['workers_1'] / floor:.1f}x Kiwi) | 2 workers {w['workers_2']:.2f} s "
            f"({w['workers_2'] / floor:.1f}x Kiwi)"
        )


def main(argv: list[str]) -> None:
    if argv[:1] == ["--probe"]:
        probe, folder, *rest = argv[1:]
        result = probe_cached(folder, int(rest[0])) if probe == "cached" else probe_workers(folder)
        print(json.dumps(result))
        return
    sizes = [int(a) for a in argv] or [300]
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        bench("seeds", ROOT / "seeds", scratch)
        from corpus_gen import generate

        for n in sizes:
            bench(f"generated-{n}", generate(scratch / f"corpus-{n}", n), scratch)


if __name__ == "__main__":
    main(sys.argv[1:])
