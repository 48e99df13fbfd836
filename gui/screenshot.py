"""Save a picture of the main window on a corpus, to look at what a user sees.

    python -m gui.screenshot OUT.png [CORPUS_DIR] [--source] [--article N] [--event TEXT]
                             [--zoom] [--group-by camp|actor|event_type] [--size 1200x760]

Works offscreen (``QT_QPA_PLATFORM=offscreen``) or under Xvfb as a real X11 window
(``apt-get install xvfb xauth libxcb-cursor0``, then ``xvfb-run -a python -m gui.screenshot
out.png``: Qt's xcb plugin needs libxcb-cursor0). The window is rendered with
the bundled font, so Hangul shows on a machine without Korean fonts. Exits non-zero with a
message when the corpus cannot be loaded or the picture cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from core.paths import default_corpus


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gui.screenshot", description=__doc__)
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument("corpus", type=Path, nargs="?", default=None)
    parser.add_argument("--source", action="store_true", help="show the source text")
    parser.add_argument("--article", type=int, default=0, help="row to select (from 0)")
    parser.add_argument("--event", help="select the first event whose title contains TEXT")
    parser.add_argument("--zoom", action="store_true", help="zoom the timeline to the event")
    parser.add_argument(
        "--group-by", choices=("camp", "actor", "event_type"), default="camp", help="lanes by"
    )
    parser.add_argument("--size", default="1200x760", help="window size, WIDTHxHEIGHT")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import install_korean_translations
    from gui.fonts import use_bundled_font_as_default
    from gui.main_window import MainWindow
    from gui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    use_bundled_font_as_default(app)  # type: ignore[arg-type]
    install_korean_translations(app)  # type: ignore[arg-type]
    # a throwaway settings file: a screenshot neither reads nor changes the user's
    settings_file = args.out.with_suffix(".screenshot.ini")
    window = MainWindow(settings=Settings.in_file(settings_file))
    window.resize(width, height)
    window.show()

    loop = QEventLoop()
    outcome: list[str] = []
    window.state.corpus_loaded.connect(lambda _c: (outcome.append("ok"), loop.quit()))
    window.state.load_failed.connect(lambda f, r: (outcome.append(f"{f}: {r}"), loop.quit()))
    window.load_corpus(args.corpus or default_corpus())
    loop.exec()
    if outcome != ["ok"]:
        print(f"cannot load the corpus: {outcome[0] if outcome else 'no answer'}", file=sys.stderr)
        window.close()
        settings_file.unlink(missing_ok=True)
        return 1
    if window.last_message is not None:
        window.last_message.close()
    window.article_table.select_row(args.article)
    if args.event:
        events = window.state.events
        chosen = events[events["title"].str.contains(args.event, regex=False)]
        if chosen.empty:
            print(f"no event title contains {args.event!r}", file=sys.stderr)
            window.close()
            settings_file.unlink(missing_ok=True)
            return 1
        window.state.select_event(str(chosen.iloc[0]["event_id"]))
        if args.zoom:
            window.zoom_to_event()
    window.set_group_by(args.group_by)
    window.source_viewer.set_source_mode(args.source)
    QTimer.singleShot(200, loop.quit)  # let layouts and the status bar settle
    loop.exec()
    saved = window.grab().save(str(args.out))
    window.close()
    settings_file.unlink(missing_ok=True)
    if not saved:
        print(f"cannot write {args.out}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({width}x{height})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
