"""The engines give the serial result: local processes, a Dask cluster, and either one
losing a worker mid-build."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.export import write_csv, write_json
from core.pipeline import build
from core.timeline import build_timeline

#: a user's own entity, in an article of ours: workers must analyse with the user's tables
USER_ENTITIES = "entity_id\ttype\tname_ko\nZetaLab\torganisation\t제타랩\n"
ZETA_ARTICLE = (
    "제타랩, 새 모델 공개\n\n제타랩은 5일 새 언어 모델 제타원을 공개했다.\n"
    "제타랩은 이 모델을 누구나 내려받을 수 있게 했다고 밝혔다.\n"
)


def _with_user_tables(folder: Path, seeds_dir: Path) -> Path:
    """The seeds plus an article naming the user's entity; the user's table written."""
    user = Path(os.environ["CAMP_TIMELINE_RESOURCES"])
    (user / "entities.tsv").write_text(USER_ENTITIES, encoding="utf-8")
    folder.mkdir()
    for path in seeds_dir.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    (folder / "zeta.txt").write_text(ZETA_ARTICLE, encoding="utf-8")
    return folder


def _outputs(corpus, folder: Path) -> tuple[bytes, bytes, list[str]]:
    """The timeline's CSV and JSON as written, and the corpus's problems."""
    timeline = build_timeline(corpus)
    folder.mkdir(exist_ok=True)
    write_csv(timeline, folder / "t.csv")
    write_json(timeline, folder / "t.json")
    problems = [str(p) for p in corpus.all_problems()]
    return (folder / "t.csv").read_bytes(), (folder / "t.json").read_bytes(), problems


@pytest.fixture(scope="module")
def cluster():
    """A Dask cluster of 2 worker processes, 1 thread each, on 127.0.0.1."""
    from core.engines import local_cluster

    with local_cluster(2) as running:
        yield running


@pytest.fixture
def serial(tmp_path, seeds_dir):
    folder = _with_user_tables(tmp_path / "corpus", seeds_dir)
    return folder, _outputs(build(folder), tmp_path / "serial")


def test_the_seeds_on_a_local_cluster_give_the_serial_result(cluster, serial, tmp_path):
    folder, expected = serial
    assert b"ZetaLab" in expected[0]  # the user's table is in the serial result
    corpus = build(folder, scheduler=cluster.scheduler_address)
    assert _outputs(corpus, tmp_path / "dask") == expected


def test_a_dask_worker_killed_mid_build_costs_only_time(cluster, serial, tmp_path):
    from distributed import Client

    folder, expected = serial
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = list(client.run(os.getpid).values())
    killed: list[int] = []
    after_kill: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        if not message.startswith("분석"):
            return
        if killed:
            after_kill.append(message)
        else:
            os.kill(pids[0], signal.SIGKILL)  # with tasks of this build queued on it
            killed.append(pids[0])

    corpus = build(folder, progress=progress, scheduler=cluster.scheduler_address)
    assert killed and after_kill, "the worker was not killed mid-build"
    assert _outputs(corpus, tmp_path / "killed") == expected


def test_two_local_processes_give_the_serial_result_when_one_is_killed(
    serial, tmp_path, monkeypatch
):
    import core.analyse

    folder, expected = serial
    here: list[str] = []  # articles extracted in this process
    original = core.analyse.extract

    def counted(article, sentences, problems, lexicon=None):
        here.append(article.file)
        return original(article, sentences, problems, lexicon)

    monkeypatch.setattr(core.analyse, "extract", counted)
    others = {p.pid for p in multiprocessing.active_children()}  # not the pool's
    killed: list[int] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("분석") and not killed:
            pool = [p.pid for p in multiprocessing.active_children() if p.pid not in others]
            assert pool, "no worker process to kill"
            os.kill(pool[0], signal.SIGKILL)
            killed.append(pool[0])

    corpus = build(folder, progress=progress, workers=2)
    assert killed
    assert here == []  # every article went to the pool's processes
    assert _outputs(corpus, tmp_path / "killed") == expected


def test_build_scheduler_local_starts_a_cluster_and_shows_its_dashboard(tmp_path):
    import argparse
    import io

    from gui.build_command import run_build

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "zeta.txt").write_text(ZETA_ARTICLE, encoding="utf-8")
    outputs = []
    for scheduler in (None, "local"):
        out, err = io.StringIO(), io.StringIO()
        csv = tmp_path / f"{scheduler}.csv"
        args = argparse.Namespace(
            corpus=folder, csv=csv, workers=1, scheduler=scheduler, no_cache=True
        )
        assert run_build(args, out, err) == 0, err.getvalue()
        outputs.append((out.getvalue().replace(str(csv), "OUT"), csv.read_bytes()))
    assert outputs[0] == outputs[1]
    assert "Dask dashboard: http://127.0.0.1:" in err.getvalue()


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, seeds_dir, monkeypatch):
    import argparse
    import io

    from gui.build_command import run_build

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("distributed.Client", refuse)
    err = io.StringIO()
    args = argparse.Namespace(
        corpus=seeds_dir, workers=None, scheduler="tcp://127.0.0.1:9", no_cache=True
    )
    assert run_build(args, io.StringIO(), err) == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err.getvalue()


def test_a_killed_build_keeps_what_it_finished_and_the_next_resumes(tmp_path, seeds_dir):
    from core.cache import AnalysisCache

    folder = tmp_path / "corpus"
    folder.mkdir()
    # enough articles that the build is still running when the first ones are stored
    for number in range(60):
        (folder / f"z{number:02d}.txt").write_text(
            ZETA_ARTICLE.replace("5일", f"{number % 28 + 1}일"), encoding="utf-8"
        )
    code = textwrap.dedent(
        f"""
        from core.cache import AnalysisCache
        from core.pipeline import build
        build({str(folder)!r}, cache=AnalysisCache())
        print("finished")
        """
    )
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=root,
        env=dict(os.environ, PYTHONPATH=str(root)),
        stdout=subprocess.PIPE,
    )
    database = Path(os.environ["CAMP_TIMELINE_CACHE_DIR"]) / "analyses.sqlite3"
    stored = 0
    deadline = time.monotonic() + 120
    try:
        while stored == 0 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
            stored = _rows(database)
        child.send_signal(signal.SIGKILL)
    finally:
        out, _ = child.communicate(timeout=30)
    assert b"finished" not in out, "the build ended before it could be killed"
    assert stored > 0

    cache = AnalysisCache()
    try:
        again = build(folder, cache=cache)
    finally:
        cache.close()
    assert 0 < again.cached < len(again.articles)
    fresh = build(folder)
    assert _outputs(again, tmp_path / "again") == _outputs(fresh, tmp_path / "fresh")


def _rows(database: Path) -> int:
    import sqlite3

    if not database.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM analyses").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0  # not created yet
