"""Atomic writing: a failed write leaves the previous file and no temporary behind."""

from __future__ import annotations

import os

import pytest

from core.atomic import ExportError, atomic_open, write_text_atomic


def test_a_successful_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, lambda s: s.write("새 내용\n"))
    assert target.read_text(encoding="utf-8") == "새 내용\n"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_failure_mid_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("이전 내보내기", encoding="utf-8")

    def half_then_fail(stream):
        stream.write("반쯤 쓴 줄\n" * 1000)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_text_atomic(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "이전 내보내기"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_failure_without_a_previous_file_creates_nothing(tmp_path):
    target = tmp_path / "new.json"
    with pytest.raises(ValueError), atomic_open(target) as stream:
        stream.write("{")
        raise ValueError("bad row")
    assert os.listdir(tmp_path) == []


def test_an_encoding_error_is_a_failure_too(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, lambda s: s.write("한글"), encoding="ascii")
    assert target.read_text(encoding="utf-8") == "keep"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_missing_folder_is_an_export_error_naming_the_file(tmp_path):
    target = tmp_path / "no" / "such" / "out.csv"
    with pytest.raises(ExportError) as info:
        write_text_atomic(target, lambda s: s.write("x"))
    assert info.value.path == target
    assert "not an existing folder" in info.value.reason
    assert str(target) in str(info.value)


def test_a_directory_as_target_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="is a directory"):
        write_text_atomic(tmp_path, lambda s: s.write("x"))


def test_a_parent_that_is_a_file_is_an_export_error(tmp_path):
    blocker = tmp_path / "report.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ExportError):
        write_text_atomic(blocker / "out.csv", lambda s: s.write("x"))
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_folder_refusing_new_files_is_an_export_error(tmp_path, monkeypatch):
    # what an unwritable folder does to mkstemp, without needing a non-root user
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("core.atomic.tempfile.mkstemp", refuse)
    with pytest.raises(ExportError) as info:
        write_text_atomic(tmp_path / "out.csv", lambda s: s.write("x"))
    assert info.value.reason == "Permission denied"
    assert os.listdir(tmp_path) == []


def test_a_failing_rename_keeps_the_old_file_and_removes_the_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("core.atomic.os.replace", fail)
    with pytest.raises(ExportError, match="No space left"):
        write_text_atomic(target, lambda s: s.write("new"))
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_replacing_keeps_the_old_files_permissions(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, lambda s: s.write("new"))
    assert target.stat().st_mode & 0o777 == 0o640
