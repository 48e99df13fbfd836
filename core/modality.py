"""Reading what follows an event predicate: where its clause ends, and its modality.

Korean marks tense, plans, hedges and negation after the verb stem (``공개했다``,
``공개할 예정이다``, ``공개할 것으로 보인다``, ``공개하지 않았다``), and the clause type at
its end (``공개하고`` coordinated, ``공개하면`` conditional, ``공개한`` adnominal). This
module walks those morphemes; it knows nothing about entities or dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.model import Token
from core.predicates import Trigger, base_tag

#: connective endings after which the clause ends and takes its tense from the next one
_COORDINATING = {
    "고",
    "며",
    "으며",
    "면서",
    "으면서",
    "어",
    "아",
    "여",
    "어서",
    "아서",
    "자",
    "고도",
}
#: concessive/contrastive endings: the clause ends, but it usually carries its own tense
_CONTRASTIVE = {"는데", "ᆫ데", "은데", "지만", "으나", "나", "ᆫ데도", "는데도"}
_CONDITIONAL = {"면", "으면", "다면", "라면", "거든", "려면", "으려면"}
_PURPOSE = {"려고", "으려고", "러", "으러", "도록", "게"}
#: embedded questions: 공개할지, 출시하는지 (whether), not a report that it happened
_EMBEDDED_QUESTION = {"ᆯ지", "을지", "는지", "ᆫ지", "은지", "ᆯ지도", "을지도", "느냐"}
#: indirect speech glued into one connective: 탑재한다고 발표했다
_QUOTATIVE = {"ᆫ다고", "는다고", "다고", "라고", "이라고", "냐고", "자고", "ᆫ다며", "다며", "라며"}
_PAST = {"었", "았", "였", "ᆻ"}
#: nouns after an adnominal ending that make the clause a time reference, not a report:
#: 발족한 바로 다음 7일, 공개하기 전 (what follows is dated from it, or it had not happened)
_TIME_NOUNS = {"다음", "전", "이전", "직전", "날"}
#: nouns after a past adnominal ending that make the clause dated background, an event of
#: its own when it carries its own date: 2020년 GPT-3를 내놓은 지, 지난달 출시한 이후
_BACKGROUND_NOUNS = {"뒤", "후", "이후", "직후", "지", "때", "당시", "무렵"}
_PLAN_NOUNS = {"예정", "계획", "방침", "전략", "방안", "구상", "목표"}
_HEDGE_WORDS = {"전망", "관측", "예상", "추정", "보이", "예측", "분석"}
_DEFINE_VERBS = {"뜻하", "의미하", "말하", "가리키", "일컫"}


@dataclass(frozen=True)
class Tail:
    """What the morphemes after a trigger say about its clause.

    ``end`` is the index of the clause's last token. ``ending`` is one of final,
    coordinate, contrastive, relative, background (출시한 이후, 출시 이후), habitual,
    conditional, purpose, quote, question, nominal.
    ``modality`` is None when the clause has no tense of its own (``공개하고``) and takes
    the next clause's.
    """

    end: int
    ending: str
    modality: str | None
    negated: bool = False
    definition: bool = False  # 공개하는 것을 뜻한다
    time_reference: bool = False  # 발족한 바로 다음 7일: the clause dates something else
    background: bool = False  # 출시한 이후, 내놓은 지: an event only with its own date
    possibility: bool = False  # 공개할 수 있다


def analyse_tail(tokens: Sequence[Token], trigger: Trigger) -> Tail:
    """The clause end, ending type and modality of the clause ``trigger`` heads."""
    negated = _negated_before(tokens, trigger.first)
    if trigger.nominal:  # 출시 이후: a past report, dated only by what precedes it
        return Tail(trigger.last, "background", "happened", negated, background=True)
    past = False
    planned = False
    i = trigger.last + 1
    while i < len(tokens):
        token = tokens[i]
        tag = base_tag(token.tag)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        nxt_tag = base_tag(nxt.tag) if nxt is not None else ""
        if tag == "EP":
            if token.form in _PAST:
                past = True
            elif token.form == "겠":
                planned = True
        elif tag == "VX" or (tag == "VV" and token.form in {"않", "못하"}):
            if token.form in {"않", "못하"}:
                negated = True
        elif tag == "EC":
            if nxt_tag == "VX" or (nxt is not None and nxt.form in {"않", "못하"}):
                pass  # 공개하고 있다, 공개하지 않다, 공개해 왔다: the clause goes on
            elif token.form in _EMBEDDED_QUESTION:
                return Tail(i, "question", None, negated)  # 공개할지 결정하지 않았다
            elif token.form in _QUOTATIVE:
                return Tail(i, "quote", _tense(past, planned, negated), negated)
            elif token.form in _CONDITIONAL:
                return Tail(i, "conditional", None, negated)
            elif token.form in _PURPOSE:
                return Tail(i, "purpose", None, negated)
            elif token.form in _CONTRASTIVE:
                return Tail(i, "contrastive", _tense(past, planned, negated), negated)
            else:
                end = i + 1 if nxt is not None and nxt.form == "도" and nxt_tag == "JX" else i
                own = _tense(past, planned, negated) if (past or planned or negated) else None
                return Tail(end, "coordinate", own, negated)
        elif tag == "EF":
            if token.form.endswith("까") or (nxt is not None and nxt.form == "?"):
                return Tail(i, "question", None, negated)
            if nxt is not None and nxt_tag == "JKQ":
                return Tail(i + 1, "quote", _tense(past, planned, negated), negated)
            return Tail(i, "final", _tense(past, planned, negated), negated)
        elif tag == "ETM":
            return _adnominal(tokens, i, past, planned, negated)
        elif tag == "ETN":
            if _also_did(tokens, i):
                i += 3  # 공개하기도 했다: the clause goes on to 했다, which gives its tense
                continue
            return _nominal(tokens, i, negated)
        elif tag in {"SF", "SSC", "SSO"} or tag.startswith(("N", "J")):
            return Tail(i - 1, "final", _tense(past, planned, negated), negated)
        i += 1
    return Tail(len(tokens) - 1, "final", _tense(past, planned, negated), negated)


def _tense(past: bool, planned: bool, negated: bool) -> str:
    if negated:
        return "negated"
    if planned:
        return "planned"
    return "happened" if past else "present"


def _negated_before(tokens: Sequence[Token], first: int) -> bool:
    """안 공개했다, 못 내놓았다: a negating adverb right before the predicate."""
    if first == 0:
        return False
    prev = tokens[first - 1]
    return base_tag(prev.tag) == "MAG" and prev.form in {"안", "못"}


def _adnominal(tokens: Sequence[Token], i: int, past: bool, planned: bool, negated: bool) -> Tail:
    """공개한 모델 / 공개할 예정이다 / 공개하는 것을 뜻한다 / 공개할 것으로 보인다."""
    etm = tokens[i].form
    prospective = etm in {"ᆯ", "을", "를"}
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None:
        return Tail(
            i, "relative", _tense(past or not prospective, planned or prospective, negated), negated
        )
    window = [t.form for t in tokens[i + 1 : i + 8]]
    if nxt.form in _PLAN_NOUNS:
        return Tail(i + 1, "final", "negated" if negated else "planned", negated)
    if nxt.form == "수" and "있" in window[:3]:
        return Tail(i + 1, "final", "negated" if negated else "planned", negated, possibility=True)
    if nxt.form in _TIME_NOUNS or base_tag(nxt.tag) == "SN" or nxt.form == "바로":
        return Tail(i, "relative", _tense(True, False, negated), negated, time_reference=True)
    if nxt.form in _BACKGROUND_NOUNS and not prospective:
        return Tail(i, "background", _tense(True, False, negated), negated, background=True)
    if nxt.form == "것":
        if any(form in _DEFINE_VERBS for form in window):
            return Tail(i + 1, "final", None, negated, definition=True)
        if any(form in _HEDGE_WORDS for form in window):
            return Tail(i + 1, "final", "negated" if negated else "reported", negated)
        if prospective:
            return Tail(i + 1, "final", "negated" if negated else "planned", negated)
        # 손잡은 것이다: a restatement of what happened
        return Tail(i + 1, "final", _tense(past or etm in {"ᆫ", "은"}, planned, negated), negated)
    if prospective:
        return Tail(i, "relative", "negated" if negated else "planned", negated)
    if etm == "던":
        # 공개하지 않던 구글, 선보였던 메타: a habit or the past as background
        return Tail(i, "habitual", _tense(True, planned, negated), negated)
    past_adnominal = etm in {"ᆫ", "은"}
    return Tail(i, "relative", _tense(past or past_adnominal, planned, negated), negated)


def _also_did(tokens: Sequence[Token], i: int) -> bool:
    """공개하기도 했다: 기 + 도 + 하, the predicate itself with an added 'also'."""
    forms = [t.form for t in tokens[i : i + 3]]
    return forms == ["기", "도", "하"]


def _nominal(tokens: Sequence[Token], i: int, negated: bool) -> Tail:
    """투자하기로 했다 (a decision taken: it happened), 투자하기로 한다 (planned),
    투자하지 않기로 했다 (negated); 공개하기 위해 (purpose)."""
    window = [t.form for t in tokens[i + 1 : i + 4]]
    if window[:1] in (["으로써"], ["로써"]):
        # 오픈소스로 개방함으로써 빠른 진전을 보였다: a means, with the tense of what follows
        return Tail(i + 1, "coordinate", None, negated)
    if window[:1] == ["로"]:
        end = min(i + 3, len(tokens) - 1)
        decided = any(base_tag(t.tag) == "EP" and t.form in _PAST for t in tokens[i + 2 : i + 5])
        modality = "negated" if negated else ("happened" if decided else "planned")
        return Tail(end, "final", modality, negated)
    if "위하" in window:
        return Tail(i, "purpose", None, negated)
    return Tail(i, "nominal", None, negated)


@dataclass
class Clause:
    """A predicate with its clause: tokens ``start..tail.end``; ``skip`` says why it is no event."""

    trigger: Trigger
    tail: Tail
    clause_start: int
    modality: str | None = None
    skip: str = ""
