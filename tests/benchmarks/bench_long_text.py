"""Long articles: one 1 MB article on a single line and one 1 MB article of normal lines,
each built against bare Kiwi on the same cleaned text.

Run on demand: ``python tests/benchmarks/bench_long_text.py [--mb 1.0] [--timeout 600]
[--profile]``. Prints figures; asserts nothing. The articles recombine the seeds' cleaned
sentences (``corpus_gen.seed_sentences``): the single line joins them with spaces, the
normal article has a title line and paragraphs of 2-5 sentences. Neither has a manifest
title, so the title search runs on the text too. Each article is built in a fresh child
process (Kiwi loaded and warmed first, not counted) as the command line builds it: every
article analysed, then the timeline. The floor is ``kiwi.tokenize`` of the same cleaned
lines in that child afterwards. A child that runs past ``--timeout`` is stopped and
reported as not finished. ``--profile`` prints the build's top functions (cProfile).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def long_texts(size: int, seed: int = 7) -> dict[str, str]:
    """{name: text} of the two articles, each at least ``size`` bytes of UTF-8."""
    from corpus_gen import seed_sentences

    sentences = seed_sentences()
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(rng.choice(sentences))
        total += len(parts[-1].encode("utf-8")) + 1
    single = " ".join(parts) + "\n"
    lines = [rng.choice(sentences).rstrip(".")[:40].rstrip()]
    total = 0
    while total < size:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        lines.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 1
    return {"single-line": single, "normal": "\n".join(lines) + "\n"}


def child(folder: Path, profile: bool) -> None:
    """Build ``folder`` and time bare Kiwi on its cleaned lines; print the figures as JSON."""
    from corpus_gen import cleaned_lines

    from core.kiwi import get_kiwi
    from core.pipeline import build
    from core.timeline import build_timeline

    kiwi = get_kiwi()
    kiwi.tokenize("모델을 공개했다.")  # Kiwi's first-analysis set-up, paid by neither side
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    began = time.perf_counter()
    corpus = build(folder, analyse=True, workers=1)
    timeline = build_timeline(corpus)
    build_s = time.perf_counter() - began
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    lines = cleaned_lines(corpus)
    began = time.perf_counter()
    for _tokens in kiwi.tokenize(lines):
        pass
    kiwi_s = time.perf_counter() - began
    article = corpus.articles[0]
    print(
        json.dumps(
            {
                "build_s": build_s,
                "kiwi_s": kiwi_s,
                "chars": len(article.source_text),
                "sentences": len(article.sentences),
                "events": len(timeline.events),
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="article size in MB of UTF-8")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per build")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.profile)
        return 0
    texts = long_texts(int(args.mb * 1_000_000))
    print(f"{'article':12} {'chars':>9} {'sentences':>9} {'events':>6} "
          f"{'build s':>8} {'kiwi s':>7} {'build/kiwi':>10}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, text in texts.items():
            folder = Path(scratch) / name
            folder.mkdir()
            (folder / "long.txt").write_text(text, encoding="utf-8")
            (folder / "manifest.csv").write_text(
                "file,published\nlong.txt,2024-08-12\n", encoding="utf-8"
            )
            command = [sys.executable, __file__, "--child", str(folder)]
            if args.profile:
                command.append("--profile")
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=args.timeout, check=True
                )
            except subprocess.TimeoutExpired:
                print(f"{name:12} {len(text):>9} did not finish in {args.timeout:.0f} s")
                continue
            except subprocess.CalledProcessError as exc:
                print(f"{name:12} failed:\n{exc.stderr}")
                continue
            if args.profile:
                print(done.stderr)
            got = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"{name:12} {got['chars']:>9} {got['sentences']:>9} {got['events']:>6} "
                f"{got['build_s']:>8.2f} {got['kiwi_s']:>7.2f} "
                f"{got['build_s'] / got['kiwi_s']:>10.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
