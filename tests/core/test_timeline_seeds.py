"""The seeds end to end: ``camp-timeline build seeds --csv``, the design card, and the gold.

The gold (``gold_events.tsv``, annotated by hand) lists event mentions with a real-world
``event_key``; here it is scored at the level of merged events: a built event is right when
one of its mentions is a gold mention, and a gold event is found when some built event
carries it. Figures are printed (``pytest -s``) and held to thresholds below.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from core.export import CONTRACT_COLUMNS
from core.merge import type_family
from core.resources import parse_table
from core.timeline import Timeline, build_timeline

GOLD = Path(__file__).with_name("gold_events.tsv")

LLAMA, EXAONE, ALLIANCE, GEMINI = "Llama 3.1", "EXAONE 3.0", "AI Alliance", "Gemini"
SEED_000, SEED_001 = "000_adb5c0859fc24b80.txt", "001_0200a4a0cae8c2e1.txt"

# Thresholds for the merged-event scores on the seeds. The gold counts 25 real events (29
# mentions), eight of them undated or vague, several carried by one clause of a long
# sentence. Measured when written: precision 0.93, recall 1.00, dates 25/25, camps 25/25.
# The bars are those test_events_gold.py holds the extractor to at mention level (0.85):
# room for three or four misses or inventions, not for losing the design card (asserted
# exactly above) or for a systematic regression in merging.
MIN_PRECISION = 0.85
MIN_RECALL = 0.85
MIN_DATE_ACCURACY = 0.85  # of the gold events found, share with exactly the gold interval
MIN_CAMP_ACCURACY = 0.85


@dataclass(frozen=True)
class GoldMention:
    file: str
    start: int
    end: int
    event_type: str
    object: str
    key: str
    date_start: str
    date_end: str
    camp: str


def load_gold(texts: dict[str, str]) -> list[GoldMention]:
    """The gold rows, each placed at its anchor in the article's source text."""
    out = []
    for row in parse_table(GOLD.read_text(encoding="utf-8"), str(GOLD)):
        text = texts[row["file"]]
        start = text.find(row["anchor"])
        assert start >= 0 and text.count(row["anchor"]) == 1, row["_source"]
        out.append(
            GoldMention(
                row["file"],
                start,
                start + len(row["anchor"]),
                row["event_type"],
                row["object"],
                row["event_key"],
                row["date_start"],
                row["date_end"],
                row["camp"],
            )
        )
    return out


def gold_key(mention: pd.Series, gold: list[GoldMention]) -> str | None:
    """The gold event a built mention reports, or None.

    A gold mention matches when its anchor overlaps the mention's sentence; with several in
    one sentence (Gaudi and the MOU), the one with the mention's object wins, then the same
    type family, then the nearest anchor to the trigger.
    """
    candidates = [
        g
        for g in gold
        if g.file == mention["file"]
        and g.start < mention["char_end"]
        and mention["char_start"] < g.end
    ]
    if not candidates:
        return None
    family = type_family(mention["event_type"])
    objects = set(mention["objects"].split(";")) if mention["objects"] else set()

    def rank(g: GoldMention) -> tuple[bool, bool, int]:
        distance = max(g.start - mention["trigger_end"], mention["trigger_start"] - g.end, 0)
        return (g.object not in objects, type_family(g.event_type) != family, distance)

    return min(candidates, key=rank).key


@dataclass
class Scores:
    events: int
    matched_events: int
    gold_events: int
    found_gold: int
    splits: list[str]
    conflations: list[str]
    date_right: int
    camp_right: int
    missed: list[str]
    spurious: list[str]
    wrong_dates: list[str]

    @property
    def precision(self) -> float:
        return self.matched_events / self.events if self.events else 0.0

    @property
    def recall(self) -> float:
        return self.found_gold / self.gold_events if self.gold_events else 0.0

    def lines(self) -> list[str]:
        found = self.found_gold or 1
        return [
            (
                f"merged events: {self.events}, matching gold: {self.matched_events}, "
                f"gold events: {self.gold_events}, found: {self.found_gold}"
            ),
            f"precision {self.precision:.2f}  recall {self.recall:.2f}",
            (
                f"dates exact {self.date_right}/{self.found_gold} ({self.date_right / found:.2f})  "
                f"camps right {self.camp_right}/{self.found_gold} ({self.camp_right / found:.2f})"
            ),
            f"split gold events: {self.splits or 'none'}",
            f"events holding several gold events: {self.conflations or 'none'}",
            f"missed: {self.missed or 'none'}",
            f"wrong dates: {self.wrong_dates or 'none'}",
            f"not in gold: {self.spurious or 'none'}",
        ]


def gold_interval(rows: list[GoldMention]) -> tuple[str, str]:
    """The most precise interval any gold mention of one event gives ('' when undated)."""
    dated = [(g.date_start, g.date_end) for g in rows if g.date_start]
    if not dated:
        return ("", "")
    return min(
        dated, key=lambda se: (dt.date.fromisoformat(se[1]) - dt.date.fromisoformat(se[0])).days
    )


def score(timeline: Timeline, gold: list[GoldMention]) -> Scores:
    keys_of_event: dict[str, set[str]] = defaultdict(set)
    primary_key: dict[str, str] = {}
    for _, mention in timeline.mentions.iterrows():
        key = gold_key(mention, gold)
        if key is not None:
            keys_of_event[mention["event_id"]].add(key)
            if mention["primary"]:
                primary_key[mention["event_id"]] = key
    by_key: dict[str, list[GoldMention]] = defaultdict(list)
    for g in gold:
        by_key[g.key].append(g)
    events_of_key: dict[str, list[str]] = defaultdict(list)
    for event_id, keys in keys_of_event.items():
        for key in keys:
            events_of_key[key].append(event_id)
    rows = timeline.events.set_index("event_id")
    date_right = camp_right = 0
    wrong_dates = []
    for key, event_ids in events_of_key.items():
        # the event that leads with this gold event speaks for it, else any that holds it
        chosen = next((e for e in event_ids if primary_key.get(e) == key), event_ids[0])
        row = rows.loc[chosen]
        built = (row["date_start"] or "", row["date_end"] or "")
        if built == gold_interval(by_key[key]):
            date_right += 1
        else:
            wrong_dates.append(f"{key}: {built} vs {gold_interval(by_key[key])}")
        if row["camp"] == by_key[key][0].camp:
            camp_right += 1
    spurious = [
        f"{r.sources.split(';')[0][:3]} {r.title}"
        for r in timeline.events.itertuples()
        if r.event_id not in keys_of_event
    ]
    return Scores(
        events=len(timeline.events),
        matched_events=len(keys_of_event),
        gold_events=len(by_key),
        found_gold=len(events_of_key),
        splits=sorted(k for k, v in events_of_key.items() if len(v) > 1),
        conflations=sorted(
            "+".join(sorted(keys)) for keys in keys_of_event.values() if len(keys) > 1
        ),
        date_right=date_right,
        camp_right=camp_right,
        missed=sorted(set(by_key) - set(events_of_key)),
        spurious=spurious,
        wrong_dates=sorted(wrong_dates),
    )


# --- the seeds, built once -------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_timeline(seeds_corpus) -> Timeline:
    return build_timeline(seeds_corpus)


@pytest.fixture(scope="module")
def seeds_csv(seeds_dir, tmp_path_factory) -> pd.DataFrame:
    """``camp-timeline build seeds --csv OUT.csv``, run through the real command line."""
    from gui.cli import main

    out = tmp_path_factory.mktemp("build") / "seeds.csv"
    assert main(["build", str(seeds_dir), "--csv", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    return pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)


def rows_with(frame: pd.DataFrame, entity: str) -> pd.DataFrame:
    return frame[frame["entities"].map(lambda cell: entity in cell.split(";"))]


def test_csv_has_the_contract_columns_and_offsets_that_slice_back(seeds_csv, seeds_corpus):
    assert set(CONTRACT_COLUMNS) <= set(seeds_csv.columns)
    assert len(seeds_csv) > 10
    texts = {a.file: a.source_text for a in seeds_corpus.articles}
    for row in seeds_csv.itertuples():
        primary = row.sources.split(";")[0]
        assert texts[primary][row.char_start : row.char_end] == row.sentence, row.event_id
        if not row.date_start:
            assert row.precision == "unknown" and row.date_text == ""
    assert seeds_csv["event_id"].is_unique


def test_design_card_llama_and_exaone(seeds_csv):
    llama = rows_with(seeds_csv, LLAMA)
    llama = llama[llama["date_start"] != ""]
    assert len(llama) == 1
    row = llama.iloc[0]
    assert (row.date_start, row.date_end, row.camp) == ("2024-07-21", "2024-07-31", "open")
    assert row.event_type == "open_release"

    exaone = rows_with(seeds_csv, EXAONE)
    exaone = exaone[exaone["date_start"] != ""]
    assert len(exaone) == 1
    row = exaone.iloc[0]
    assert (row.date_start, row.date_end, row.camp) == ("2024-08-07", "2024-08-07", "open")


def test_design_card_alliance_and_gemini_merge_two_reports(seeds_csv):
    alliance = rows_with(seeds_csv, ALLIANCE)
    alliance = alliance[alliance["event_type"] == "alliance"]
    assert len(alliance) == 1, alliance[["date_start", "sources", "sentence"]]
    row = alliance.iloc[0]
    assert (row.date_start, row.date_end, row.precision) == ("2023-12-06", "2023-12-06", "day")
    assert row.camp == "open"
    assert row.sources.split(";") == [SEED_001, SEED_000]  # the precise report first
    assert "2023-12-01..2023-12-31" in row.notes  # 000's 지난달 is recorded, not lost

    gemini = rows_with(seeds_csv, GEMINI)
    gemini = gemini[gemini["date_start"].str.startswith("2023-12")]
    assert len(gemini) == 1, gemini[["date_start", "sources", "sentence"]]
    row = gemini.iloc[0]
    assert (row.date_start, row.date_end, row.camp) == ("2023-12-07", "2023-12-07", "closed")
    assert row.sources.split(";") == [SEED_001, SEED_000]


def test_no_event_comes_from_boilerplate(seeds_csv, seeds_corpus):
    removed = {
        a.file: [(r.start, r.end) for r in a.clean.removals] if a.clean else []
        for a in seeds_corpus.articles
    }
    for row in seeds_csv.itertuples():
        primary = row.sources.split(";")[0]
        for start, end in removed[primary]:
            # an event sentence may splice over a removed fragment, never sit inside one
            assert not (start <= row.char_start and row.char_end <= end), row.sentence
    sentences = " ".join(seeds_csv["sentence"])
    for marker in ("무단전재", "관련기사", "드림카 월드컵", "Copyright", "@asiae", "음성재생"):
        assert marker not in sentences


def test_merged_events_against_the_gold(seeds_timeline, seeds_corpus):
    texts = {a.file: a.source_text for a in seeds_corpus.articles}
    scores = score(seeds_timeline, load_gold(texts))
    print("\n" + "\n".join(scores.lines()))
    found = scores.found_gold or 1
    assert scores.precision >= MIN_PRECISION
    assert scores.recall >= MIN_RECALL
    assert scores.date_right / found >= MIN_DATE_ACCURACY
    assert scores.camp_right / found >= MIN_CAMP_ACCURACY
    # the two cross-article events are each one event
    assert "ai_alliance_launch" not in scores.splits
    assert "gemini_release" not in scores.splits


def test_gold_anchors_are_unique_and_keys_consistent(seeds_corpus):
    texts = {a.file: a.source_text for a in seeds_corpus.articles}
    gold = load_gold(texts)
    assert len(gold) >= 25
    by_key: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        by_key[g.key].add(type_family(g.event_type))
    assert all(len(families) == 1 for families in by_key.values())
    # the two events reported by two seeds
    files = defaultdict(set)
    for g in gold:
        files[g.key].add(g.file)
    assert files["ai_alliance_launch"] == files["gemini_release"] == {SEED_000, SEED_001}


def test_build_reports_events_and_writes_json(seeds_dir, tmp_path, capsys):
    from gui.cli import main

    out = tmp_path / "seeds.json"
    assert main(["build", str(seeds_dir), "--json", str(out)]) == 0
    summary = [line for line in capsys.readouterr().out.splitlines() if "articles," in line]
    assert summary and summary[-1].rstrip().endswith("events")
    doc = json.loads(out.read_text(encoding="utf-8"))
    count = int(summary[-1].rsplit(",", 1)[1].split()[0])
    assert count == len(doc["events"]) > 10
    assert len(doc["articles"]) == 5 and doc["entities"]


def test_build_with_an_unwritable_output_exits_non_zero(seeds_dir, tmp_path, capsys):
    from gui.cli import main

    target = tmp_path / "no-such-folder" / "seeds.csv"
    assert main(["build", str(seeds_dir), "--csv", str(target)]) != 0
    err = capsys.readouterr().err
    assert str(target) in err and "not an existing folder" in err
    assert not target.parent.exists()


def test_a_failed_export_keeps_the_previous_csv(seeds_dir, tmp_path, monkeypatch, capsys):
    from gui.cli import main

    target = tmp_path / "seeds.csv"
    target.write_text("previous export", encoding="utf-8")

    def no_space(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("core.atomic.os.replace", no_space)
    assert main(["build", str(seeds_dir), "--csv", str(target)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds.csv"]


def test_events_frame_is_in_timeline_order(seeds_timeline):
    events = seeds_timeline.events
    dated = events[events["date_start"] != ""]
    undated = events[events["date_start"] == ""]
    assert list(events.index[: len(dated)]) == list(dated.index)  # undated last
    keys = list(zip(dated["date_start"], dated["date_end"], dated["event_id"], strict=True))
    assert keys == sorted(keys)
    assert list(undated["event_id"]) == sorted(undated["event_id"])
    assert (undated["precision"] == "unknown").all()


def test_frames_agree_with_each_other(seeds_timeline):
    events, mentions = seeds_timeline.events, seeds_timeline.mentions
    assert set(mentions["event_id"]) == set(events["event_id"])
    counts = mentions.groupby("event_id").size()
    assert events.set_index("event_id")["mention_count"].sort_index().equals(counts.sort_index())
    assert (mentions.groupby("event_id")["primary"].sum() == 1).all()
    articles = seeds_timeline.articles.set_index("file")
    assert articles.loc[SEED_001, "events"] >= 3  # alliance, Gemini, re:Invent
    entities = seeds_timeline.entities
    linked = entities[entities["linked"]].set_index("entity_id")
    assert linked.loc["Google", "articles"] >= 4
    assert linked.loc["Gemma", "camp"] == "open" and linked.loc["Gemini", "camp"] == "closed"
    # name, type and parent come from the lexicon's own entry
    gemma = linked.loc["Gemma"]
    assert (gemma["name"], gemma["entity_type"], gemma["parent"]) == ("젬마", "model", "Google")


def test_build_timeline_reports_progress_and_can_be_cancelled(seeds_corpus):
    from core.model import Cancelled

    seen: list[tuple[int, int]] = []
    build_timeline(seeds_corpus, progress=lambda done, total, message: seen.append((done, total)))
    assert seen == [(5, 5)]  # the build extracted; merging is one step
    with pytest.raises(Cancelled):
        build_timeline(seeds_corpus, cancelled=lambda: True)


def test_seed_event_ids_do_not_depend_on_article_order(seeds_timeline, seeds_corpus):
    from core.lexicon import load_lexicon
    from core.model import Corpus
    from core.timeline import assemble_timeline

    by_file: dict[str, list] = defaultdict(list)
    for event in seeds_timeline.event_list:
        for mention in event.mentions:
            by_file[mention.file].append(mention)
    reversed_mentions = {f: list(reversed(ms)) for f, ms in reversed(list(by_file.items()))}
    corpus = Corpus(seeds_corpus.root, list(reversed(seeds_corpus.articles)))
    again = assemble_timeline(corpus, reversed_mentions, load_lexicon())
    assert list(again.events["event_id"]) == list(seeds_timeline.events["event_id"])
    assert list(again.events["sources"]) == list(seeds_timeline.events["sources"])
