"""Format characters (Unicode Cf, the soft hyphen) are invisible to analysis, not to offsets."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

from core.cleaning import FORMAT_CHARACTERS
from gui.cli import main

#: the characters pages leave inside words: zero-width space, non-joiner, joiner, the
#: direction marks and override, word joiner, the isolates, the BOM and the soft hyphen
INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202e", "\u2060",
    "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad",
]
SENTENCE = "메타는 2024년 7월 23일 라마 3.1을 오픈소스로 공개{}했다."


def test_the_class_is_unicode_format_characters() -> None:
    listed = [chr(c) for c in range(sys.maxunicode + 1) if FORMAT_CHARACTERS.fullmatch(chr(c))]
    assert all(unicodedata.category(ch) == "Cf" for ch in listed)
    assert set(INVISIBLE) <= set(listed)


def test_an_invisible_character_inside_the_verb_keeps_the_event(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = {}
    for k, char in enumerate(["", *INVISIBLE]):
        # one article per character, each on a day of its own so the events stay apart
        text = "AI 모델 소식\n" + SENTENCE.format(char).replace("23일", f"{k + 1}일") + "\n"
        texts[f"{k:02d}.txt"] = text
        (folder / f"{k:02d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "t.json"
    assert main(["build", str(folder), "--json", str(out), "--no-cache"]) == 0
    events = json.loads(out.read_text(encoding="utf-8"))["events"]
    mentions = {m["file"]: m for e in events for m in e["mentions"]}
    assert sorted(mentions) == sorted(texts)  # every article kept its event
    plain = mentions["00.txt"]
    for name, mention in mentions.items():
        same = ("event_type", "predicate", "actors", "objects", "modality", "precision")
        assert [mention[k] for k in same] == [plain[k] for k in same]
        assert mention["date_start"][8:] == f"{int(name[:2]) + 1:02d}"
        # offsets index the source, the invisible character included
        text = texts[name]
        assert text[mention["char_start"]:mention["char_end"]] == mention["sentence"]
        assert mention["sentence"] == text.splitlines()[1]
