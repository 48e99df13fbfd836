"""Removing site chrome, ads and boilerplate from articles while keeping every body sentence.

Two mechanisms work together: the pattern table ``resources/boilerplate.tsv`` (bylines,
copyright lines, reader controls, captions, related-article tails; a user may add rows)
and ``core.repeats``, which finds promo fragments spliced into the body. Cleaning never
rewrites a character: the clean text is the source minus removed spans, so
``CleanText.offsets`` maps every clean character back to the identical source character,
and every removed span is recorded as a ``Removal`` for the viewer to grey out. Format
characters (zero-width spaces, direction marks, soft hyphens) are removed first, so analysis
reads ``공개\u200b했다`` as ``공개했다`` while its offsets still point into the source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from core.model import Article, CleanText, Problem, Removal, Severity
from core.repeats import find_spliced_fragments
from core.resources import read_table

TABLE = "boilerplate.tsv"
SCOPES = ("line", "fragment", "tail")

#: a tail (related articles, banners) is removed only if no line after it looks like body
#: text: a line longer than this, or one ending like a sentence, stops the tail
TAIL_LINE_MAX = 80
_SENTENCE_END = re.compile(r"(?:다|요|죠|까)[.?!][\"'”’)]*$")
#: invisible characters that pages leave on otherwise empty lines; treated like spaces at
#: the ends of lines (inside a line they are left alone)
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
#: trailing padding is tried only where a run of it starts: from every position of a long
#: run of spaces, a search would read the rest of the run each time
_PADDING = re.compile(rf"^[\s{_INVISIBLE}]+|(?<![\s{_INVISIBLE}])[\s{_INVISIBLE}]+$")
_LEADING = re.compile(rf"[\s{_INVISIBLE}]+")
_TRAILING = re.compile(rf"(?<![\s{_INVISIBLE}])[\s{_INVISIBLE}]+$")
_SPACE_RUN = re.compile(r"\s{2,}")
#: format characters (Unicode category Cf: zero-width spaces and joiners, direction marks and
#: isolates, the soft hyphen, the BOM, ...) as of Unicode 14, listed because building the
#: class from ``unicodedata`` at import means a pass over every code point; they change no
#: reading of the text, so analysis never sees them (``공개\u200b했다`` is ``공개했다``)
FORMAT_CHARACTERS = re.compile(
    "[\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B-\u200F"
    "\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\U000110BD\U000110CD"
    "\U00013430-\U00013438\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0001"
    "\U000E0020-\U000E007F]+"
)


def _strip(text: str) -> str:
    return _PADDING.sub("", text)


@dataclass(frozen=True)
class BoilerplateRule:
    """One row of the boilerplate table, compiled."""

    name: str
    scope: str  # line | fragment | tail
    pattern: re.Pattern[str]
    source: str = ""  # table file and line, for messages


def load_rules(
    rows: Sequence[dict[str, str]] | None = None,
) -> tuple[list[BoilerplateRule], list[Problem]]:
    """Compile the rows of ``boilerplate.tsv`` (bundled, then the user's).

    A row with an unknown scope or an invalid regular expression is skipped and reported
    as a warning naming the table file, line and reason.
    """
    if rows is None:
        rows = read_table(TABLE)
    rules: list[BoilerplateRule] = []
    problems: list[Problem] = []
    for row in rows:
        where = row.get("_source", TABLE)
        name = row.get("name", "") or where
        scope = row.get("scope", "")
        if scope not in SCOPES:
            reason = f"boilerplate rule {name!r}: scope {scope!r} is not one of {', '.join(SCOPES)}"
            problems.append(Problem(where, reason, Severity.WARNING))
            continue
        try:
            pattern = re.compile(row.get("pattern", ""))
        except re.error as exc:
            reason = f"boilerplate rule {name!r}: invalid pattern: {exc}"
            problems.append(Problem(where, reason, Severity.WARNING))
            continue
        if pattern.pattern == "" or pattern.fullmatch(""):
            reason = f"boilerplate rule {name!r}: pattern matches empty text"
            problems.append(Problem(where, reason, Severity.WARNING))
            continue
        rules.append(BoilerplateRule(name, scope, pattern, where))
    return rules, problems


def clean_corpus(articles: list[Article], problems: list[Problem] | None = None) -> None:
    """Set ``article.clean`` on every article.

    Spliced fragments are looked for across the whole corpus, so one call cleans all
    articles together. Problems with the rule table go to ``problems`` when given,
    otherwise to the first article's problems, so the user sees them either way.
    """
    rules, table_problems = load_rules()
    if table_problems:
        if problems is not None:
            problems.extend(table_problems)
        elif articles:
            articles[0].problems.extend(table_problems)
    cleaners = [_Cleaner(article.source_text) for article in articles]
    for cleaner in cleaners:
        cleaner.apply_rules(rules)
    splices = find_spliced_fragments(
        [c.source for c in cleaners], [c.removed_spans() for c in cleaners]
    )
    for splice in splices:
        cleaners[splice.doc].apply_splice(splice.start, splice.end, splice.kind)
    for article, cleaner in zip(articles, cleaners, strict=True):
        article.clean = cleaner.finish()


def clean_text(source: str, rules: Sequence[BoilerplateRule] | None = None) -> CleanText:
    """Clean one text on its own (no corpus-wide repeats); ``rules`` default to the table."""
    if rules is None:
        rules, _ = load_rules()
    cleaner = _Cleaner(source)
    cleaner.apply_rules(rules)
    for splice in find_spliced_fragments([source], [cleaner.removed_spans()]):
        cleaner.apply_splice(splice.start, splice.end, splice.kind)
    return cleaner.finish()


def removed_lines(source: str, clean: CleanText) -> list[int]:
    """Indices of the source lines with visible text of which nothing was kept."""
    kept = bytearray(len(source))
    for index in clean.offsets[:-1]:
        kept[index] = 1
    result = []
    pos = 0
    for number, line in enumerate(source.split("\n")):
        end = pos + len(line)
        if _strip(line) and not any(kept[pos:end]):
            result.append(number)
        pos = end + 1
    return result


@dataclass
class _Line:
    start: int
    end: int  # end of the content, before the line break
    stop: int  # after the line break (== end on the last line without one)


class _Cleaner:
    """The removal state of one article: a per-character mask and the removals so far."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.removed = bytearray(len(source))
        self.removals: list[Removal] = []
        self.lines: list[_Line] = []
        pos = 0
        for line in source.split("\n"):
            end = pos + len(line)
            stop = min(end + 1, len(source))
            self.lines.append(_Line(pos, end, stop))
            pos = end + 1
        self._line_starts = [line.start for line in self.lines]
        #: per line index, whether a line below it reads like body text (see ``_is_tail``);
        #: worked out once, from the bottom, when a tail rule first matches
        self._body_below: dict[int, bool] = {}

    # -- marking -------------------------------------------------------------------------

    def _mark(self, start: int, end: int, rule: str, kind: str) -> None:
        """Remove ``[start, end)``; only characters not yet removed are recorded."""
        removed = self.removed
        end = min(end, len(removed))
        while start < end:
            fresh = removed.find(0, start, end)
            if fresh < 0:
                return
            stop = removed.find(1, fresh, end)
            if stop < 0:
                stop = end
            removed[fresh:stop] = b"\x01" * (stop - fresh)
            self.removals.append(Removal(fresh, stop, rule, kind))
            start = stop

    def _remove_line(self, line: _Line, rule: str) -> None:
        self._mark(line.start, line.stop, rule, "line")

    def _line_gone(self, line: _Line) -> bool:
        return line.end > line.start and self.removed.find(0, line.start, line.end) < 0

    def _visible(self, line: _Line) -> str:
        """The kept characters of a line, surrounding whitespace stripped."""
        return _strip("".join(self.source[a:b] for a, b in self._kept_runs(line.start, line.end)))

    def _kept_runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """The runs of kept characters in ``[start, end)``, in order."""
        removed = self.removed
        runs = []
        while start < end:
            kept = removed.find(0, start, end)
            if kept < 0:
                break
            stop = removed.find(1, kept, end)
            if stop < 0:
                stop = end
            runs.append((kept, stop))
            start = stop
        return runs

    def removed_spans(self) -> list[tuple[int, int]]:
        return [(r.start, r.end) for r in self.removals]

    # -- rules ---------------------------------------------------------------------------

    def apply_rules(self, rules: Sequence[BoilerplateRule]) -> None:
        # first, so that the rules, the repeats and Kiwi read the text without them
        for match in FORMAT_CHARACTERS.finditer(self.source):
            self._mark(match.start(), match.end(), "format-character", "fragment")
        for line in self.lines:
            if line.end > line.start and not _strip(self.source[line.start : line.end]):
                # an empty line still separates paragraphs: keep its break for the collapse
                self._mark(line.start, line.end, "blank", "line")
        line_rules = [r for r in rules if r.scope in ("line", "tail")]
        for index, line in enumerate(self.lines):
            text = self._visible(line)
            if not text or self._line_gone(line):
                continue
            for rule in line_rules:
                if rule.pattern.fullmatch(text):
                    if rule.scope == "tail" and self._is_tail(index, line_rules):
                        self._remove_tail(index, rule.name)
                    else:
                        self._remove_line(line, rule.name)
                    break
        for rule in rules:
            if rule.scope == "fragment":
                self._apply_fragment(rule)

    def _is_tail(self, index: int, line_rules: Sequence[BoilerplateRule]) -> bool:
        """Whether no line below line ``index`` reads like body text.

        The lines below the one the rules have reached are as the blank-line pass left them,
        so the answer for every line is worked out once, from the bottom up: asking line by
        line would read the rest of the article again for each tail-like line.
        """
        if not self._body_below:
            below = False
            for k in range(len(self.lines) - 1, index - 1, -1):
                self._body_below[k] = below
                text = self._visible(self.lines[k])
                if not text or any(rule.pattern.fullmatch(text) for rule in line_rules):
                    continue
                below = below or len(text) > TAIL_LINE_MAX or bool(_SENTENCE_END.search(text))
        return not self._body_below[index]

    def _remove_tail(self, index: int, rule: str) -> None:
        for line in self.lines[index:]:
            self._remove_line(line, rule)

    def _apply_fragment(self, rule: BoilerplateRule) -> None:
        for line in self.lines:
            if self._line_gone(line) or line.end == line.start:
                continue
            text = self.source[line.start : line.end]
            spans = [
                (m.start(), m.end()) for m in rule.pattern.finditer(text) if m.end() > m.start()
            ]
            if not spans:
                continue
            for start, end in spans:
                self._mark(line.start + start, line.start + end, rule.name, "fragment")
            if not self._visible(line):
                self._remove_line(line, rule.name)

    def apply_splice(self, start: int, end: int, kind: str) -> None:
        """Remove a spliced fragment (or the whole line it stands on) found by repeats."""
        line = self._line_at(start)
        if kind == "line":
            self._remove_line(line, "repeated-fragment")
            return
        self._mark(start, end, "repeated-fragment", "fragment")
        if not self._visible(line):
            self._remove_line(line, "repeated-fragment")

    def _line_at(self, offset: int) -> _Line:
        """The line holding ``offset`` (its line break included)."""
        line = self.lines[bisect_right(self._line_starts, offset) - 1]
        if not line.start <= offset <= line.end:
            raise ValueError(f"offset {offset} is outside the text")
        return line

    # -- tidying and result --------------------------------------------------------------

    def _tidy_whitespace(self) -> None:
        """Trim kept lines and collapse the space runs that removals leave behind."""
        for line in self.lines:
            runs = self._kept_runs(line.start, line.end)
            if not runs:
                continue
            # worked out on the kept text (spaces either side of a removed fragment meet
            # there), then removed from the source through the runs
            text = "".join(self.source[a:b] for a, b in runs)
            lead = _LEADING.match(text)
            first = lead.end() if lead else 0
            trail = _TRAILING.search(text, first)
            last = trail.start() if trail else len(text)
            spans = [(0, first)]
            spans += [(run.start() + 1, run.end()) for run in _SPACE_RUN.finditer(text, first, last)]
            spans.append((last, len(text)))
            for a, b in _in_source(runs, spans):
                self._mark(a, b, "whitespace", "fragment")

    def _collapse_blank_lines(self) -> None:
        """At most one empty line in a row, none at the start or the end."""
        previous_empty = True  # no empty line at the very start
        kept_lines = [ln for ln in self.lines if self.removed.find(0, ln.start, ln.stop) >= 0]
        for line in kept_lines:
            empty = not self._visible(line)
            if empty and previous_empty:
                self._remove_line(line, "blank")
            previous_empty = empty
        for line in reversed(kept_lines):
            if self._visible(line):
                break
            self._remove_line(line, "blank")

    def finish(self) -> CleanText:
        self._tidy_whitespace()
        self._collapse_blank_lines()
        runs = self._kept_runs(0, len(self.source))
        text = "".join(self.source[a:b] for a, b in runs)
        offsets = [k for a, b in runs for k in range(a, b)]
        offsets.append(offsets[-1] + 1 if offsets else 0)
        return CleanText(text, offsets, _merged(self.removals))


def _in_source(runs: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The source spans of ``spans`` (in order, not overlapping) of the text the kept
    ``runs`` make, in order: one walk over both lists, whatever their lengths."""
    out = []
    first_run, first_offset = 0, 0  # the first run that may hold the span, where it begins
    for start, end in spans:
        while first_run < len(runs):
            size = runs[first_run][1] - runs[first_run][0]
            if first_offset + size > start:
                break
            first_offset += size
            first_run += 1
        k, offset = first_run, first_offset
        while k < len(runs) and offset < end:
            a, b = runs[k]
            lo, hi = max(start, offset), min(end, offset + b - a)
            if lo < hi:
                out.append((a + lo - offset, a + hi - offset))
            offset += b - a
            k += 1
    return out


def _merged(removals: list[Removal]) -> list[Removal]:
    """Removals in source order, touching spans of the same rule and kind joined."""
    out: list[Removal] = []
    for r in sorted(removals, key=lambda r: (r.start, r.end)):
        last = out[-1] if out else None
        if last and last.end == r.start and (last.rule, last.kind) == (r.rule, r.kind):
            out[-1] = Removal(last.start, r.end, r.rule, r.kind)
        else:
            out.append(r)
    return out
