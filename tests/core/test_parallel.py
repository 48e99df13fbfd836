"""The per-article stage gives the same corpus and timeline serially and in two processes."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from core.engines import analyse_articles
from core.model import Cancelled
from gui.build_command import run_build
from gui.cli import _parser

#: our own short articles (file, publication date, lines); enough events to merge across files
ARTICLES = [
    (
        "a01.txt",
        "2024-05-14",
        [
            "오픈AI, 새 모델 공개",
            "",
            "오픈AI는 13일(현지시간) 음성과 이미지를 함께 다루는 GPT-4o를 공개했다.",
            "회사는 이 모델을 챗GPT 무료 이용자에게도 제공한다고 밝혔다. 업계는 구글의 대응에 주목하고 있다.",
        ],
    ),
    (
        "a02.txt",
        "2024-05-15",
        [
            "구글, 제미나이 새 버전 발표",
            "",
            "구글은 14일 개발자 행사에서 제미나이 1.5 프로의 새 버전을 발표했다.",
            "하루 전 오픈AI가 GPT-4o를 공개한 데 이어 나온 발표다.",
        ],
    ),
    (
        "a03.txt",
        "2024-07-24",
        [
            "메타, 라마 3.1 공개",
            "",
            "메타는 23일 누구나 내려받을 수 있는 라마 3.1을 공개했다.",
            "메타는 가중치를 공개하는 오픈소스 전략을 이어가겠다고 밝혔다.",
            "네이버는 다음 달 하이퍼클로바X의 새 버전을 출시할 예정이다.",
        ],
    ),
    (
        "a04.txt",
        "2024-08-08",
        [
            "LG, 엑사원 3.0 공개",
            "",
            "LG AI연구원은 7일 엑사원 3.0을 오픈소스로 공개했다.",
            "연구원은 이 모델을 연구 목적으로 누구나 쓸 수 있게 했다고 설명했다.",
        ],
    ),
    (
        "a05.txt",
        "2024-03-05",
        [
            "앤트로픽, 클로드 3 출시",
            "",
            "앤트로픽은 4일(현지시간) 클로드 3 모델군을 출시했다.",
            "아마존과 구글은 앤트로픽에 투자했다.",
        ],
    ),
    (
        "a06.txt",
        "2024-07-25",
        [
            "라마 3.1 반응",
            "",
            "메타가 지난 23일 공개한 라마 3.1에 개발자들이 몰렸다.",
            "허깅페이스에는 하루 만에 파생 모델이 올라왔다.",
        ],
    ),
]


def write_corpus(folder: Path) -> Path:
    """Write ``ARTICLES`` and their manifest into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["file,publisher,published,note"]
    for name, published, lines in ARTICLES:
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        lines.append(f"{name},테스트일보,{published},")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_cancelled_between_articles(tmp_path):
    from core.cleaning import clean_corpus
    from core.loading import load_corpus

    corpus = load_corpus(write_corpus(tmp_path / "corpus"))
    clean_corpus(corpus.articles, corpus.problems)
    seen: list[int] = []

    with pytest.raises(Cancelled):
        for index, _result in analyse_articles(corpus.articles, cancelled=lambda: len(seen) >= 2):
            seen.append(index)
    assert seen == [0, 1]


def test_a_cancelled_pool_stops(tmp_path):
    from core.cleaning import clean_corpus
    from core.loading import load_corpus

    corpus = load_corpus(write_corpus(tmp_path / "corpus"))
    clean_corpus(corpus.articles, corpus.problems)
    with pytest.raises(Cancelled):
        list(analyse_articles(corpus.articles, workers=2, cancelled=lambda: True))


def test_workers_and_scheduler_options():
    parser = _parser()
    assert parser.parse_args(["build", "x", "--workers", "2"]).workers == 2
    assert parser.parse_args(["build", "x"]).workers is None
    for bad in ("0", "-2", "two"):
        with pytest.raises(SystemExit):
            parser.parse_args(["build", "x", "--workers", bad])
    for good in ("local", "tcp://10.0.0.5:8786", "tls://scheduler.example:8786"):
        assert parser.parse_args(["build", "x", "--scheduler", good]).scheduler == good
    for bad in ("10.0.0.5:8786", "tcp://10.0.0.5", "http://x:80", "lokal"):
        with pytest.raises(SystemExit):
            parser.parse_args(["build", "x", "--scheduler", bad])


def test_build_command_output_same_for_one_and_two_workers(tmp_path):
    root = write_corpus(tmp_path / "corpus")
    outputs = []
    for workers in (1, 2):
        out, err = io.StringIO(), io.StringIO()
        csv = tmp_path / f"w{workers}.csv"
        args = argparse.Namespace(corpus=root, csv=csv, workers=workers, no_cache=True)
        assert run_build(args, out, err) == 0, err.getvalue()
        outputs.append((out.getvalue().replace(str(csv), "OUT"), csv.read_bytes()))
    assert outputs[0] == outputs[1]
