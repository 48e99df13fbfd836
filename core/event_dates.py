"""Which temporal expression dates an event: its clause's, else its sentence's, else a
discourse link (``이날``, ``바로 다음 7일``) resolved against the last day-precise date.

Offsets from the resolver are relative to the sentence's clean text; they are moved to
the article's source text here, so an exported ``date_text`` points at the right place.
An event whose sentence has no usable expression stays undated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace

from core.clauses import REPORTING_VERBS as _REPORTING_VERBS
from core.dates.resolver import Tokens
from core.dates.resolver import resolve as default_resolve
from core.event_roles import Discourse, Placed
from core.modality import _QUOTATIVE, Clause
from core.model import Article, Problem, Sentence, Severity, TimeExpr, Token
from core.predicates import base_tag
from core.segment import sentence_tokens

ResolveFn = Callable[..., list[TimeExpr]]

#: expressions that take their day from the text around them, not from the publication date
_DISCOURSE_WORDS = (
    "이날",
    "그날",
    "당일",
    "같은 날",
    "이튿날",
    "전날",
    "다음 날",
    "다음날",
    "바로 다음",
)


def sentence_dates(
    article: Article, sentence: Sentence, resolve: ResolveFn, ctx: Discourse, quoted: list[bool]
) -> list[tuple[TimeExpr, int]]:
    """Resolved temporal expressions of the sentence in source offsets, with their token index."""
    try:
        # the sentence's own tokens: the resolver need not run Kiwi on it again
        tokens: Tokens = None
        if resolve is default_resolve:
            # it returns at once on a sentence that cannot hold a date (may_hold_date), and
            # copies the tokens only if a date's tense or a vague word needs them
            if sentence.tokens:
                tokens = functools.partial(sentence_tokens, article, sentence)
        elif sentence.tokens:
            tokens = sentence_tokens(article, sentence)
        exprs = resolve(sentence.text, article.published, tokens=tokens, anchor=ctx.anchor)
    except Exception as exc:  # noqa: BLE001  (one bad sentence must not cost the article its events)
        article.problems.append(
            Problem(
                article.file,
                f"문장 {sentence.index + 1}: 날짜 표현을 읽지 못해 이 문장의 사건은 날짜 없이 둡니다 ({exc})",
                Severity.WARNING,
            )
        )
        return []
    out = []
    day: TimeExpr | None = None  # the sentence's last day-precise expression so far
    for expr in exprs:
        start, end = _to_source(article, sentence, expr.start, expr.end)
        moved = TimeExpr(**{**expr.__dict__, "start": start, "end": end})
        if day is not None and expr.text.replace(" ", "") in _SAME_DAY_WORDS:
            # 5일(현지시간) WSJ에 따르면 이날 출범한: 이날 is the 5th, not an earlier day
            moved = replace(
                moved,
                date_start=day.date_start,
                date_end=day.date_end,
                precision="day",
                local_time=day.local_time,
            )
        elif expr.precision == "day" and expr.date_start is not None:
            day = expr
        index = next(
            (i for i, t in enumerate(sentence.tokens) if t.end > start), len(sentence.tokens) - 1
        )
        if sentence.tokens and quoted[index]:
            continue
        out.append((moved, index))
    return out


#: vague words that are the clause's own time (최근 체결했다), not a topic (향후 계획)
_OWN_VAGUE = {"최근", "최근에", "이번에", "당시", "그간", "그동안", "앞서"}
#: words for the day just named in the same sentence
_SAME_DAY_WORDS = {"이날", "그날", "당일", "같은날"}


def _to_source(article: Article, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    if article.clean is not None:
        return article.clean.to_source(sentence.clean_start + start, sentence.clean_start + end)
    return sentence.start + start, sentence.start + end


def choose_date(
    draft: Clause,
    drafts: list[Clause],
    dates: list[tuple[TimeExpr, int]],
    tokens: Sequence[Token],
    placed: list[Placed],
) -> tuple[TimeExpr | None, str]:
    said = _said_after(tokens, draft)
    usable = [(e, i) for e, i in dates if not _is_attribution(tokens, i) and i <= said]
    own = [(e, i) for e, i in usable if draft.clause_start <= i <= draft.tail.end]
    if own and all(e.date_start is None and e.text not in _OWN_VAGUE for e, _ in own):
        own = []  # 14일 ... 공개하고 향후 계획을 발표했다: 향후 is what the plan is about
    if own:
        expr = own[-1][0] if own[-1][1] < draft.trigger.first else own[0][0]
        return expr, _link(expr, "clause")
    others = [d for d in drafts if d is not draft]
    before = [
        (e, i) for e, i in usable if i < draft.trigger.first and not _claimed(i, others, placed)
    ]
    placed_before = [(e, i) for e, i in before if e.date_start is not None or e.text in _OWN_VAGUE]
    if placed_before or before:
        expr = (placed_before or before)[-1][0]
        return expr, _link(expr, "sentence")
    # 구글이 딥마인드를 인수한 것은 2014년이다: the date as the predicate of the sentence
    after = [(e, i) for e, i in usable if i > draft.tail.end and _is_copula_date(tokens, e, i)]
    if after and not others_after(draft, drafts):
        return after[0][0], "sentence"
    return None, "none"


def others_after(draft: Clause, drafts: list[Clause]) -> bool:
    """Whether another event's predicate follows this one in the sentence."""
    return any(d.trigger.first > draft.trigger.first for d in drafts if d is not draft)


def _is_copula_date(tokens: Sequence[Token], expr: TimeExpr, index: int) -> bool:
    following = [t for t in tokens[index:] if t.start >= expr.end][:2]
    return any(base_tag(t.tag) == "VCP" for t in following)


def _link(expr: TimeExpr, default: str) -> str:
    return "discourse" if any(word in expr.text for word in _DISCOURSE_WORDS) else default


def _is_attribution(tokens: Sequence[Token], index: int) -> bool:
    """31일 정보기술(IT) 업계에 따르면: the date of the report, not of the event."""
    for token in tokens[index + 1 : index + 15]:
        if token.form == "따르" and base_tag(token.tag) == "VV":
            return True
        if base_tag(token.tag) in {"EF", "XSV", "VV", "EC", "ETM", "SF"}:
            return False
    return False


def _said_after(tokens: Sequence[Token], draft: Clause) -> int:
    """The last token a date may sit at to date the event: 공개했다고 (14일) 블룸버그가
    보도했다 dates the report, not the event. A company's own 공개한다고 16일 밝혔다 is its
    announcement, and the announcement's day is the event's."""
    end = min(draft.tail.end, len(tokens) - 1)
    quote = next(
        (i for i in range(draft.trigger.last + 1, end + 1) if tokens[i].form in _QUOTATIVE),
        -1,
    )
    if quote >= 0 and tokens[end].form in _REPORTING_VERBS:
        return quote
    return len(tokens)


def _claimed(index: int, others: list[Clause], placed: list[Placed]) -> bool:
    """Whether a date belongs to another event's clause rather than to the whole sentence.

    A date in a coordinated clause is shared (엔비디아는 지난 3일 칩을 공개하고 ... 체결했다);
    a date inside a relative clause with its own subject dates that clause only (구글 클라우드는
    지난 2월 구글이 발표한 모델을 제공하기로 했다); a passive description right after the topic
    does not keep it (인텔은 지난 9일 ... 개최된 행사에서 공개하고)."""
    for other in others:
        if not other.clause_start <= index <= other.tail.end:
            continue
        if other.tail.ending in {"coordinate", "contrastive"}:
            continue
        if other.trigger.event_type == "conference" and other.tail.ending == "relative":
            continue  # 21일 다보스에서 열린 포럼에서 인터뷰했다: what happened there, that day
        has_subject = any(
            p.role == "subject" and index < p.first < other.trigger.first for p in placed
        )
        if other.skip != "passive description" or has_subject:
            return True
    return False
