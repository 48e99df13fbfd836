"""One language in the window: every event type code has a Korean word, the pipeline's
reasons read in Korean in the window, and the command line keeps them in English."""

from __future__ import annotations

import csv
from pathlib import Path

from gui.korean import EVENT_TYPE_WORDS, actor_names, reason_text, type_word

ROOT = Path(__file__).resolve().parents[2]


def test_every_event_type_of_the_predicate_table_has_a_korean_word():
    rows = (
        line
        for line in (ROOT / "resources" / "event_predicates.tsv").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    )
    codes = {row["event_type"] for row in csv.DictReader(rows, delimiter="\t")}
    codes |= {"open_release", "plan", "other"}  # made by the pipeline from the others
    missing = codes - set(EVENT_TYPE_WORDS)
    assert missing == set()
    assert all(not type_word(code).isascii() for code in codes)


def test_actor_ids_read_as_their_display_names():
    names = {"Meta": "메타", "Mark Zuckerberg": "마크 저커버그"}
    assert actor_names("Meta;Mark Zuckerberg", names) == "메타, 마크 저커버그"
    assert actor_names("Unknown Lab", names) == "Unknown Lab"
    assert actor_names(float("nan"), names) == ""


def test_load_reasons_read_in_korean():
    assert reason_text("corpus folder not found: /tmp/x") == "코퍼스 폴더가 없습니다: /tmp/x"
    assert reason_text("the corpus folder is empty: /a b") == "코퍼스 폴더가 비어 있습니다: /a b"
    assert reason_text("cannot be read: Permission denied") == (
        "파일을 읽을 수 없습니다 (Permission denied)"
    )
    assert "목록의 날짜를 씁니다" in reason_text(
        "manifest date 2024-08 and dateline '2024.08.07' (2024-08-07) disagree;"
        " the manifest's date is used"
    )
    assert reason_text("something new") == "something new"


def test_a_failed_load_says_why_in_korean(make_window, fixed_build, tmp_path, qtbot):
    from core.loading import CorpusError

    def missing(root, progress, cancelled):
        raise CorpusError(f"corpus folder not found: {root}")

    window = make_window(missing)
    with qtbot.waitSignal(window.state.load_failed, timeout=10_000):
        window.load_corpus(tmp_path / "없는 폴더")
    qtbot.waitUntil(lambda: window.last_message is not None)
    text = window.last_message.text()
    assert "이유: 코퍼스 폴더가 없습니다" in text and "not found" not in text


def test_qt_dialogs_speak_korean(qapp, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

    from gui.app import install_korean_translations

    translator = install_korean_translations(qapp)
    assert translator is not None
    dialog = QFileDialog(None, "코퍼스 폴더 열기")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    try:
        assert cancel.text().replace("&", "").startswith("취소")
    finally:
        qapp.removeTranslator(translator)
