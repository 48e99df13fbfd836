"""The hostile-corpus tally of issue 11: tried / crashed / lost / named / read outside.

    python tests/benchmarks/probe_hostile.py          # with the checkout's code on sys.path

Each case is a small corpus (or an output target) built in a temporary folder and run
through ``camp-timeline build`` in this process (Kiwi loads once). A case is *crashed* when
the build raises or prints a traceback, *lost* when an article's dated event is missing from
the JSON without a word or an existing file was replaced, *named* when the output names the
hostile item, and *read outside* when text from outside the corpus reached the export.
Nothing asserts: it prints one row per case and the totals.
"""

import contextlib
import io
import json
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

from gui.cli import main

S = (
    "네이버는 2024년 3월 5일 새 AI 모델 하이퍼클로바X를 공개했다.\n",
    "카카오는 2024년 4월 2일 새 AI 모델 코GPT를 공개했다.\n",
    "LG AI연구원은 2024년 5월 7일 엑사원을 공개했다.\n",
    "업스테이지는 2024년 6월 4일 새 AI 모델 솔라를 공개했다.\n",
    "삼성전자는 2024년 7월 9일 생성형 AI 모델 가우스를 공개했다.\n",
)
D = ("2024-03-05", "2024-04-02", "2024-05-07", "2024-06-04", "2024-07-09")


def w(p, i):
    p = str(p)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(S[i])


# each: (name, setup(c, t) -> (expected {date: shown name}, names that must be named))
def collide(c, t):
    w(c / "a.txt", 0)
    w(c / " a.txt", 1)
    return {D[0]: "a.txt", D[1]: " a.txt"}, [" a.txt"]


def nfd(c, t):
    w(c / unicodedata.normalize("NFC", "기사.txt"), 0)
    w(c / unicodedata.normalize("NFD", "기사.txt"), 1)
    return {D[0]: "기사", D[1]: "기사"}, ["differ only"]


def subin(c, t):
    w(c / "r" / "a.txt", 0)
    (c / "l").symlink_to("r")
    return {D[0]: "a.txt"}, []


def subout(c, t):
    w(c / "a.txt", 0)
    w(t / "o" / "x.txt", 4)
    (c / "l").symlink_to(t / "o")
    return {D[0]: "a.txt"}, ["l:"]


def artout(c, t):
    w(c / "a.txt", 0)
    w(t / "x.txt", 4)
    (c / "x.txt").symlink_to(t / "x.txt")
    return {D[0]: "a.txt"}, ["x.txt:"]


def dangling(c, t):
    w(c / "a.txt", 0)
    (c / "g.txt").symlink_to(t / "none.txt")
    return {D[0]: "a.txt"}, ["g.txt:"]


def dirloop(c, t):
    w(c / "a.txt", 0)
    (c / "up").symlink_to(".")
    return {D[0]: "a.txt"}, ["up:"]


def fileloop(c, t):
    w(c / "a.txt", 0)
    (c / "x.txt").symlink_to("y.txt")
    (c / "y.txt").symlink_to("x.txt")
    return {D[0]: "a.txt"}, ["x.txt:"]


def nonutf8(c, t):
    w(c / os.fsdecode(b"b\xff.txt"), 0)
    w(c / "a.txt", 1)
    return {D[0]: "b", D[1]: "a.txt"}, ["UTF-8"]


def two_nonutf8(c, t):
    w(c / os.fsdecode(b"b\xff.txt"), 0)
    w(c / os.fsdecode(b"b\xfe.txt"), 1)
    return {D[0]: "b", D[1]: "b"}, ["UTF-8"]


def deep(c, t):
    w(c / "a.txt", 1)
    p = str(c)
    for _ in range(1100):
        p += "/d"
        os.mkdir(p)
    w(p + "/z.txt", 0)
    return {D[0]: "z.txt", D[1]: "a.txt"}, []


def quote(c, t):
    for i in range(4):
        w(c / f"{i}.txt", i)
    (c / "manifest.csv").write_text(
        'file,published,title\n0.txt,2024-03-06,"x\n1.txt,2024-04-03,y\n2.txt,2024-05-08,z\n3.txt,2024-06-05,q\n',
        encoding="utf-8",
    )
    return {D[i]: f"{i}.txt" for i in range(4)}, ["quote"]


def mlink(c, t):
    w(c / "a.txt", 0)
    (t / "p.csv").write_text("root:x:0:0\n")
    (c / "manifest.csv").symlink_to(t / "p.csv")
    return {D[0]: "a.txt"}, ["manifest.csv: link"]


def rows_out(c, t):
    w(c / "a.txt", 0)
    w(t / "e.txt", 1)
    (c / "manifest.csv").write_text("file\n../e.txt\n../m.txt\n")
    return {D[0]: "a.txt"}, ["outside the corpus"]


def mfolder(c, t):
    w(c / "a.txt", 0)
    (c / "manifest.csv").mkdir()
    return {D[0]: "a.txt"}, ["manifest.csv: is a folder"]


def off24(c, t):
    (c / "a.txt").write_text("입력 2024.03.05 08:52\n" + S[0])
    (c / "manifest.csv").write_text("file,published\na.txt,2024-03-05T10:00+24:00\n")
    return {D[0]: "a.txt"}, ["+24:00"]


def calend(c, t):
    (c / "a.txt").write_text("입력 2024.03.05 08:52\n" + S[0])
    (c / "manifest.csv").write_text("file,published\na.txt,9999-12-31T23:00-05:00\n")
    return {}, ["unlikely year"]


def y2099(c, t):
    w(c / "a.txt", 0)
    (c / "manifest.csv").write_text("file,published\na.txt,2099-01-01\n")
    return {}, ["unlikely year"]


def utf32(c, t):
    w(c / "a.txt", 0)
    (c / "b.txt").write_bytes(S[1].encode("utf-32-le"))
    return {D[0]: "a.txt"}, ["UTF-32"]


def esc(c, t):
    w(c / "r\x1b[31m.txt", 0)
    return {D[0]: "r"}, ["\\x1b"]


def newline(c, t):
    w(c / "a\nb.txt", 0)
    return {D[0]: "a"}, ["a\\nb.txt"]


CORPORA = [
    collide,
    nfd,
    subin,
    subout,
    artout,
    dangling,
    dirloop,
    fileloop,
    nonutf8,
    two_nonutf8,
    deep,
    quote,
    mlink,
    rows_out,
    mfolder,
    off24,
    calend,
    y2099,
    utf32,
    esc,
    newline,
]


def remove(folder):
    """Remove ``folder``; a deep tree bottom-up (shutil.rmtree recurses once per level)."""
    deepest = os.path.join(folder, "c")
    while os.path.isdir(os.path.join(deepest, "d")):
        deepest = os.path.join(deepest, "d")
    while deepest != folder:
        shutil.rmtree(deepest, ignore_errors=True)
        deepest = os.path.dirname(deepest)
    shutil.rmtree(folder, ignore_errors=True)


def run(args):
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    except SystemExit as e:
        code = e.code
    except BaseException as e:  # noqa: BLE001  (a crash is what is counted)
        return "crash", out.getvalue(), f"{type(e).__name__}: {e}"[:200]
    return code, out.getvalue(), err.getvalue()


rows = []
for make in CORPORA:
    t = Path(tempfile.mkdtemp())
    c = t / "c"
    c.mkdir()
    expected, named_by = make(c, t)
    js = t / "o.json"
    code, out, err = run(["build", str(c), "--no-cache", "--json", str(js)])
    crashed = code == "crash" or "Traceback" in err
    text = out + err
    lost = 0
    if not crashed and js.exists():
        doc = json.loads(js.read_text())
        got = {e["date_start"] for e in doc["events"]}
        lost = sum(1 for d in expected if d not in got)
    elif crashed:
        lost = len(expected)
    outside_read = make in (artout, subout) and js.exists() and D[4] in js.read_text()
    named = all(n in text for n in named_by) and not crashed
    rows.append(
        (
            make.__name__,
            crashed,
            lost,
            named,
            outside_read,
            (err.strip().splitlines() or [""])[-1][:90],
        )
    )
    remove(str(t))


# outputs
def outputs():
    res = []
    t = Path(tempfile.mkdtemp())
    c = t / "c"
    w(c / "a.txt", 0)
    (c / "manifest.csv").write_text("file\na.txt\n")
    fifo = t / "f.csv"
    os.mkfifo(fifo)
    code, _out, err = run(["build", str(c), "--no-cache", "--csv", str(fifo)])
    res.append(
        (
            "out_fifo",
            code == "crash",
            int(not fifo.is_fifo()),
            "FIFO" in err,
            False,
            err.strip()[-90:],
        )
    )
    (t / "target.csv").write_text("keep")
    (t / "l.csv").symlink_to(t / "target.csv")
    code, _out, err = run(["build", str(c), "--no-cache", "--csv", str(t / "l.csv")])
    res.append(
        (
            "out_symlink",
            code == "crash",
            int(not (t / "l.csv").is_symlink()),
            "link" in err,
            False,
            err.strip()[-90:],
        )
    )
    for name in ("a.txt", "manifest.csv", "new.txt"):
        before = (c / name).read_bytes() if (c / name).exists() else None
        code, _out, err = run(["build", str(c), "--no-cache", "--csv", str(c / name)])
        after = (c / name).read_bytes() if (c / name).exists() else None
        res.append(
            (
                f"out_corpus_{name}",
                code == "crash",
                int(before != after),
                "corpus" in err,
                False,
                err.strip()[-90:],
            )
        )
    code, _out, err = run(
        ["build", str(c), "--no-cache", "--csv", str(t / "x"), "--json", str(t / "x")]
    )
    res.append(("out_same_twice", code == "crash", 0, "same" in err, False, err.strip()[-90:]))
    remove(str(t))
    return res


rows += outputs()
for r in rows:
    print(r)
print(
    "tried",
    len(rows),
    "crashed",
    sum(r[1] for r in rows),
    "lost",
    sum(bool(r[2]) for r in rows),
    "named",
    sum(bool(r[3]) for r in rows),
    "read outside",
    sum(r[4] for r in rows),
)
