"""Sentence segmentation: spans that slice back to the source, tokens, Kiwi's quirks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.segment
from core.model import Article, Cancelled, CleanText, Removal
from core.segment import segment_article, segment_clean, segment_or_report, segment_stream


def clean_without(source: str, spans: list[tuple[int, int]]) -> CleanText:
    """A CleanText of ``source`` with the given source spans removed (a stand-in cleaner)."""
    removed = set()
    for start, end in spans:
        removed.update(range(start, end))
    kept = [i for i in range(len(source)) if i not in removed]
    return CleanText(
        text="".join(source[i] for i in kept),
        offsets=kept + [len(source)],
        removals=[Removal(s, e, "test", "fragment") for s, e in spans],
    )


def article_of(source: str, spans: list[tuple[int, int]] | None = None) -> Article:
    article = Article(file="test.txt", path=Path("test.txt"), source_text=source, encoding="utf-8")
    article.clean = clean_without(source, spans or [])
    return article


def without_removed(article: Article, start: int, end: int) -> str:
    """The source span with removed characters taken out."""
    assert article.clean is not None
    kept = set(article.clean.offsets[:-1])
    return "".join(article.source_text[i] for i in range(start, end) if i in kept)


def assert_spans_slice_back(article: Article) -> None:
    assert article.clean is not None
    for sentence in article.sentences:
        assert sentence.text == article.clean.text[sentence.clean_start : sentence.clean_end]
        assert sentence.text == sentence.text.strip()
        assert without_removed(article, sentence.start, sentence.end) == sentence.text
        for token in sentence.tokens:
            assert sentence.start <= token.start <= token.end <= sentence.end


def test_lines_are_split_before_sentences() -> None:
    # Kiwi alone would glue a heading line without a full stop to the next sentence
    article = article_of("인공지능 경쟁의 새 국면\n오늘 새 모델이 나왔다. 반응은 뜨거웠다.\n")
    article.sentences = segment_article(article)
    assert [s.text for s in article.sentences] == [
        "인공지능 경쟁의 새 국면",
        "오늘 새 모델이 나왔다.",
        "반응은 뜨거웠다.",
    ]
    assert [s.index for s in article.sentences] == [0, 1, 2]
    assert_spans_slice_back(article)


def test_blank_lines_and_surrounding_whitespace_are_dropped() -> None:
    article = article_of("\n\n   앞뒤에 공백이 있다.   \r\n\t\n  둘째 문장이다.  ")
    article.sentences = segment_article(article)
    assert [s.text for s in article.sentences] == ["앞뒤에 공백이 있다.", "둘째 문장이다."]
    first = article.sentences[0]
    assert article.source_text[first.start : first.end] == "앞뒤에 공백이 있다."
    assert_spans_slice_back(article)


def test_spans_cover_a_removed_fragment_inside_a_sentence() -> None:
    source = "연구소가 [광고 문구] 새 모델을 공개했다. 다음 문장이다."
    start = source.index("[광고 문구] ")
    article = article_of(source, [(start, start + len("[광고 문구] "))])
    article.sentences = segment_article(article)
    first = article.sentences[0]
    assert first.text == "연구소가 새 모델을 공개했다."
    # the source span covers the spliced-out fragment, which is why it is longer
    assert (
        article.source_text[first.start : first.end] == "연구소가 [광고 문구] 새 모델을 공개했다."
    )
    assert_spans_slice_back(article)
    # tokens point at their own characters in the source, after the removed fragment
    model = next(t for t in first.tokens if t.form == "모델")
    assert article.source_text[model.start : model.end] == "모델"


def test_tokens_carry_source_offsets_and_tags() -> None:
    source = "머리말 줄\n우리 연구소가 모델을 공개했다."
    article = article_of(source, [(0, len("머리말 줄\n"))])
    (sentence,) = segment_article(article)
    forms = [(t.form, t.tag) for t in sentence.tokens]
    assert ("연구소", "NNG") in forms
    assert forms[-1] == (".", "SF")
    for token in sentence.tokens:
        if token.tag in ("NNG", "NNP", "SF"):
            assert source[token.start : token.end] == token.form


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "연구원이 공개한 모델은 엑사원 3.0. 성능이 좋다.",
            ["연구원이 공개한 모델은 엑사원 3.0.", "성능이 좋다."],
        ),
        ("이번 버전은 3.0.다음 버전도 온다.", ["이번 버전은 3.0.", "다음 버전도 온다."]),
        ("마지막 버전은 2.5.", ["마지막 버전은 2.5."]),
        (
            "새로 나온 것은 라마 3.1.라마 3.1은 크다.",
            ["새로 나온 것은 라마 3.1.", "라마 3.1은 크다."],
        ),
    ],
)
def test_sentence_final_version_number_ends_the_sentence(text: str, expected: list[str]) -> None:
    sentences = segment_clean(CleanText(text, list(range(len(text) + 1))))
    assert [s.text for s in sentences] == expected
    first = sentences[0]
    version = first.tokens[-2]
    number = expected[0].split()[-1].rstrip(".")
    # the bundled Kiwi patterns may make '엑사원 3.0' one token; either way no stop in it
    assert version.form.endswith(number)
    assert text[version.start : version.end] == version.form
    assert (first.tokens[-1].form, first.tokens[-1].tag) == (".", "SF")
    assert text[first.tokens[-1].start : first.tokens[-1].end] == "."


def test_serial_numbers_inside_a_sentence_are_left_whole() -> None:
    text = "패치 1.2.3을 어제 배포했다."
    (sentence,) = segment_clean(CleanText(text, list(range(len(text) + 1))))
    assert "1.2.3" in [t.form for t in sentence.tokens]


def test_sentences_glued_without_a_space_are_split() -> None:
    text = "그는 이렇게 밝혔다.새 모델 3.1은 크다.그동안 작았다."
    sentences = segment_clean(CleanText(text, list(range(len(text) + 1))))
    assert [s.text for s in sentences] == [
        "그는 이렇게 밝혔다.",
        "새 모델 3.1은 크다.",
        "그동안 작았다.",
    ]


def test_an_uncleaned_article_is_refused() -> None:
    article = Article(file="raw.txt", path=Path("raw.txt"), source_text="문장.", encoding="utf-8")
    with pytest.raises(ValueError, match="not cleaned"):
        segment_article(article)


def test_empty_text_has_no_sentences() -> None:
    assert segment_article(article_of("")) == []
    assert segment_article(article_of("  \n\n \t ")) == []


def test_every_seed_segments_and_slices_back(seeds_dir: Path) -> None:
    """All seeds, with a stand-in cleaning that removes some inline fragments."""
    files = sorted(seeds_dir.glob("*.txt"))
    assert len(files) == 5
    for path in files:
        source = path.read_text(encoding="utf-8")
        # remove every bracketed aside, as a cleaner would remove photo credits
        spans = [m.span() for m in re.finditer(r"\([^()\n]{1,20}\)", source)]
        article = article_of(source, spans)
        article.sentences = segment_article(article)
        assert len(article.sentences) > 3, path.name
        assert_spans_slice_back(article)


def test_seed_004_glued_sentences_are_split(seeds_dir: Path) -> None:
    path = next(seeds_dir.glob("004_*.txt"))
    source = path.read_text(encoding="utf-8")
    article = article_of(source)
    texts = [s.text for s in segment_article(article)]
    said = next(t for t in texts if "이처럼 밝혔다." in t)
    assert said.endswith("이처럼 밝혔다.")
    assert any(t.startswith("라마 3.1은 매개변수가") for t in texts)


def test_pipeline_seeds_slice_back(seeds_corpus) -> None:
    """The real pipeline (loading + cleaning + segmentation) on the seeds."""
    assert len(seeds_corpus.articles) == 5
    for article in seeds_corpus.articles:
        assert article.sentences, article.file
        assert_spans_slice_back(article)


def plain(text: str) -> list[str]:
    return [s.text for s in segment_clean(CleanText(text, list(range(len(text) + 1))))]


@pytest.mark.parametrize(
    "text, expected",
    [
        # Kiwi runs on when a Latin letter is glued after the stop
        (
            "그는 새 모델을 공개했다.AI 업계가 놀랐다.",
            ["그는 새 모델을 공개했다.", "AI 업계가 놀랐다."],
        ),
        # Kiwi ends the sentence after the quoted word that opens the next one
        (
            "회사는 새 서비스를 발표했다. '누리'는 내년에 나온다.",
            ["회사는 새 서비스를 발표했다.", "'누리'는 내년에 나온다."],
        ),
        # a quotation closed after its stop stays inside the reporting sentence
        ("“좋은 모델이다.”라고 그가 말했다.", ["“좋은 모델이다.”라고 그가 말했다."]),
        ("그는 '좋은 모델이다.'라고 말했다.", ["그는 '좋은 모델이다.'라고 말했다."]),
        # a headline glued after an ellipsis is one piece, not a fragment and a rest
        ('"함께 가자"…두 회사 손잡아', ['"함께 가자"…두 회사 손잡아']),
        # abbreviations are not endings
        ("미국 U.S. 정부가 발표했다.", ["미국 U.S. 정부가 발표했다."]),
    ],
)
def test_kiwi_boundary_repairs(text: str, expected: list[str]) -> None:
    assert plain(text) == expected


_PIECES = [
    "모델을",
    "공개했다",
    "회사가",
    "3.0",
    "라마",
    "AI",
    "엑사원",
    "그는",
    "“",
    "”",
    "'",
    "…",
]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.sampled_from([" ", " ", ".", ". ", ".\n", "\n\n", "  ", "\t"]),
        ),
        max_size=40,
    ),
    cuts=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 6)), max_size=4),
)
def test_any_text_segments_into_ordered_spans_that_slice_back(
    words: list[str], cuts: list[tuple[int, int]]
) -> None:
    source = "".join(words)
    spans = [(min(a, len(source)), min(a + n, len(source))) for a, n in cuts]
    article = article_of(source, spans)
    article.sentences = segment_article(article)
    assert_spans_slice_back(article)
    previous_end = 0
    for index, sentence in enumerate(article.sentences):
        assert sentence.index == index
        assert sentence.text
        assert sentence.clean_start >= previous_end
        previous_end = sentence.clean_end
    # every non-space character of the clean text lands in exactly one sentence
    assert article.clean is not None
    covered = "".join(s.text for s in article.sentences)
    assert "".join(covered.split()) == "".join(article.clean.text.split())


def test_sentence_tokens_give_the_resolver_what_its_own_tokenising_would(seeds_corpus) -> None:
    """Event dating hands each sentence's tokens to the resolver instead of running Kiwi
    again; the result must be the same, also in sentences with a removed fragment."""
    from core.dates import resolve
    from core.segment import sentence_tokens

    checked = 0
    for article in seeds_corpus.articles:
        for sentence in article.sentences:
            tokens = sentence_tokens(article, sentence)
            assert all(0 <= t.start <= t.end <= len(sentence.text) for t in tokens)
            given = resolve(sentence.text, article.published, tokens=tokens)
            own = resolve(sentence.text, article.published)
            assert [e.to_dict() for e in given] == [e.to_dict() for e in own], sentence.text
            checked += len(own)
    assert checked >= 30  # the seeds hold about 40 expressions


def _stream_articles() -> list[Article]:
    texts = [
        "오픈AI는 새 모델을 공개했다.\n구글도 같은 날 발표했다. 반응은 엇갈렸다.\n",
        "",  # nothing to analyse
        "   \n\n",  # blank lines only
        "LG AI연구원은 엑사원 3.0.\n회사는 모델을 공개했다.GPT 계열과 비교했다.\n",
        "한 줄짜리 기사 본문이다.",
    ]
    articles = []
    for number, text in enumerate(texts):
        article = article_of(text)
        article.file = f"s{number}.txt"
        articles.append(article)
    uncleaned = Article(
        file="raw.txt", path=Path("raw.txt"), source_text="정리 전.", encoding="utf-8"
    )
    articles.insert(2, uncleaned)
    return articles


def test_the_stream_gives_what_one_article_at_a_time_gives() -> None:
    articles = _stream_articles()
    expected = [(a.file, *segment_or_report(a)) for a in articles]
    # a generator works too: the stream reads it as Kiwi asks for lines
    streamed = [(a.file, s, p) for a, s, p in segment_stream(a for a in articles)]
    assert streamed == expected
    assert [len(s) for _, s, _ in streamed] == [3, 0, 0, 0, 3, 1]
    assert [p.file for _, _, problems in streamed for p in problems] == ["raw.txt"]


def test_the_stream_reads_no_more_articles_once_cancelled_and_says_so() -> None:
    articles = [article_of(f"{n}번째 기사는 짧은 문장 하나다.") for n in range(200)]
    read: list[int] = []
    handed: list[Article] = []

    def reading() -> Iterator[Article]:
        for n, article in enumerate(articles):
            read.append(n)
            yield article

    with pytest.raises(Cancelled):
        for article, _sentences, _problems in segment_stream(reading(), lambda: len(handed) >= 3):
            handed.append(article)
    # the articles read are handed back; Kiwi reads a few dozen lines ahead, not everything
    assert 3 <= len(handed) == len(read) < 100
    assert handed == articles[: len(handed)]


def test_kiwi_failing_on_the_stream_lands_on_the_article_that_caused_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = core.segment._analysed_lines

    def refusing(lines):  # the analyser gives up on one line, wherever it meets it
        def checked():
            for line in lines:
                if "거부될" in line:
                    raise RuntimeError("analyser gave up")
                yield line

        return real(checked())

    monkeypatch.setattr(core.segment, "_analysed_lines", refusing)
    articles = _stream_articles()
    articles.insert(1, article_of("이 줄은 거부될 문장이다.\n다음 줄은 멀쩡하다."))
    streamed = list(segment_stream(articles))
    assert [a.file for a, _, _ in streamed] == [a.file for a in articles]
    failed = [(a.file, p.reason) for a, _, problems in streamed for p in problems]
    assert failed == [
        ("test.txt", "sentence segmentation failed: analyser gave up"),
        ("raw.txt", "sentence segmentation failed: not cleaned before segmentation"),
    ]
    assert [len(s) for _, s, _ in streamed] == [3, 0, 0, 0, 0, 3, 1]


def test_an_empty_stream_does_not_load_kiwi(monkeypatch):
    def no_kiwi():
        raise AssertionError("Kiwi was asked for an empty stream")

    monkeypatch.setattr("core.segment.get_kiwi", no_kiwi)
    assert list(segment_stream([])) == []
    assert list(segment_stream(a for a in [])) == []


def test_an_error_reading_the_articles_reaches_the_caller() -> None:
    # the caller's own failure, not Kiwi's: it must not end the stream early without a word
    articles = [article_of(f"{n}번째 기사는 짧은 문장 하나다.") for n in range(3)]

    def reading() -> Iterator[Article]:
        yield from articles[:2]
        raise OSError("기사 폴더를 더 읽을 수 없다")

    handed: list[Article] = []
    with pytest.raises(OSError, match="더 읽을 수 없다"):
        for article, _sentences, _problems in segment_stream(reading()):
            handed.append(article)
    assert handed == articles[: len(handed)]  # what was handed back came in order
