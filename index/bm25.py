"""Keyword ranking of chunks: BM25 over jieba tokens, with the report's own terms in the dictionary."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import jieba
from rank_bm25 import BM25Okapi

from index.chunks import clean_label, passage_text
from index.model import Chunk, ParsedReport
from index.normalize import compact

jieba.setLogLevel(logging.WARNING)

# Function words and question words that say nothing about which passage answers.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 等 有 为 对 于 把 被 就 都 也 还 又 并 其 之 以 从 由 向 将 "
    "什么 哪些 哪个 哪里 多少 怎么 怎样 如何 为什么 为何 吗 呢 吧 啊 请 请问 一下 是否 "
    "这 那 这个 那个 该 我 我们 你 你们 他们 它 里 中 上 下 个 几 呀 么 是不是 有没有 没有 "
    "请问一下 告诉 介绍 一些 哪儿 啥 怎么样 怎么回事 哪些方面 什么样 是什么 分别 几个 "
    "意思 什么意思 得 着 过".split()
)
# How people ask versus how 决算 reports write: a question containing the key also searches the words.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "收支": ("收入", "支出"),
    "比例": ("占", "%"),
    "占比": ("占", "%"),
    "比重": ("占", "%"),
    "百分之": ("%",),
    "车": ("车辆",),
    "花": ("支出", "用于"),
    "开支": ("支出",),
    "开销": ("支出",),
    "钱": ("资金", "经费"),
    "职责": ("职能",),
    "负责": ("职能",),
    "增长": ("增加",),
    "下降": ("减少",),
}
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_QUOTED = re.compile(r"[“\"「『‘]([^”\"」』’]{2,30})[”\"」』’]")
_PARTS = re.compile(r"[、，,及和与/]")
_MAX_WORD = 16


def build_lexicon(report: ParsedReport) -> tuple[str, ...]:
    """Words this report names: row labels, subject and project names, quoted terms and their parts."""
    names: list[str] = [f.row for f in report.facts if f.source == "table"]
    projects = [clean_label(t.project) for t in report.tables if t.project]
    names += projects
    for table in report.tables:
        names += _QUOTED.findall(compact(table.title))
        for row in table.rows[table.header_rows :]:
            names += row.cells
    for section in report.sections:
        for text in (*section.heading_path, section.text):
            names += _QUOTED.findall(compact(text))
        # A short heading is a term of the report ('(十三) 基本支出', '十、机关运行经费支出情况').
        names += [h for h in section.heading_path[1:] if len(clean_label(h)) <= _MAX_WORD]
    words: set[str] = set()
    for name in names:
        name = clean_label(name)
        for part in [name, *_PARTS.split(name)]:
            words.update(w for w in _HAN_RUN.findall(part) if _is_word(w))
    words.update(_leading_parts(projects))
    return tuple(sorted(words))


class Bm25Index:
    """BM25 over chunks (heading path + passage), tokenized with a private jieba dictionary."""

    def __init__(self, chunks: Sequence[Chunk], *, lexicon: Iterable[str] = ()) -> None:
        self._tokenizer = _tokenizer(tuple(sorted(set(lexicon))))
        self.chunk_ids = [c.id for c in chunks]
        corpus = [self.tokenize(passage_text(c)) for c in chunks]
        # rank_bm25 divides by the mean document length: an all-empty corpus has none.
        self._bm25 = BM25Okapi(corpus) if any(corpus) else None

    def tokenize(self, text: str) -> list[str]:
        """Search-mode jieba tokens (long words also yield their known sub-words), minus stopwords
        and punctuation; '%' stays, as a question about a share (比例) wants stated percentages."""
        return [
            t
            for t in self._search_cut(text.lower())
            if (_WORD.search(t) or t == "%") and t not in STOPWORDS and not (t.isdigit() and len(t) <= 2)
        ]

    def _search_cut(self, text: str) -> Iterator[str]:
        """Like jieba's cut_for_search, but a long word yields its known sub-words of every
        length ('基本支出' inside '基本支出总额'), not only those of two and three characters."""
        freq = self._tokenizer.FREQ
        for word in self._tokenizer.cut(text):
            if len(word) > 1 and word.endswith("%"):
                yield "%"  # '65.7%' is one jieba token
            for size in range(2, len(word)):
                for start in range(len(word) - size + 1):
                    part = word[start : start + size]
                    if freq.get(part):
                        yield part
            yield word

    def query_terms(self, question: str) -> list[str]:
        """The question's tokens plus the report words its phrasing stands for (SYNONYMS)."""
        terms = self.tokenize(question)
        for key, words in SYNONYMS.items():
            if key in question:
                terms.extend(w for w in words if w not in terms)
        return terms

    def known_share(self, question: str) -> float:
        """Share of the question's term weight (idf) that occurs in the chunks at all, 0 to 1.

        Low when the distinctive words of a question are not in the report ('几辆车' against
        '车辆0辆'): the keyword ranking is then guessing from the generic words left.
        """
        terms = self.query_terms(question)
        if self._bm25 is None or not terms:
            return 0.0
        n = self._bm25.corpus_size
        unseen = math.log(n + 0.5) - math.log(0.5)
        weights = [(self._bm25.idf.get(t), unseen) for t in terms]
        total = sum(w if w is not None else u for w, u in weights)
        return sum(w for w, _ in weights if w is not None) / total if total > 0 else 0.0

    def rank(self, question: str, *, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, score) for chunks sharing a term with the question, best first."""
        terms = self.query_terms(question)
        if self._bm25 is None or not terms:
            return []
        scores = self._bm25.get_scores(terms)
        hits = [
            (cid, float(s))
            for cid, s in zip(self.chunk_ids, scores)
            if s > 0 and (allowed is None or cid in allowed)
        ]
        return sorted(hits, key=lambda h: -h[1])


@lru_cache(maxsize=1)
def _base_tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=4)  # each holds a copy of the ~350k-word dictionary
def _tokenizer(lexicon: tuple[str, ...]) -> jieba.Tokenizer:
    """A private tokenizer: the default dictionary plus this lexicon (the global jieba is untouched)."""
    base = _base_tokenizer()
    tokenizer = jieba.Tokenizer()
    # Copying the loaded dictionary is ~50x faster than initialize() reading it again.
    tokenizer.FREQ = dict(base.FREQ)
    tokenizer.total = base.total
    tokenizer.initialized = True
    for word in lexicon:
        tokenizer.add_word(word)
    return tokenizer


def _is_word(text: str) -> bool:
    """A name-like run: 2 to 16 characters, Chinese, no figures (sentences and amounts are not words)."""
    return 2 <= len(text) <= _MAX_WORD and not re.search(r"\d", text) and bool(re.search(r"[\u4e00-\u9fff]", text))


def _leading_parts(projects: list[str]) -> set[str]:
    """Distinctive heads of project names: the name less a suffix several names share
    ('…经费'), and the part before its first ordinary word ('政企云' of '政企云沟通畅联平台')."""
    names = [n for p in projects for n in _PARTS.split(p) if len(n) >= 4]
    ends = Counter(n[-k:] for n in set(names) for k in range(2, 5) if len(n) > k + 1)
    shared = sorted((s for s, c in ends.items() if c >= 2), key=len, reverse=True)
    base = _base_tokenizer()
    out: set[str] = set()
    for name in names:
        head = next((name[: -len(s)] for s in shared if name.endswith(s)), name)
        if len(head) >= 2:
            out.add(head)
        # The first dictionary word of two or more characters that starts after position 2.
        at = 0
        for token in base.cut(head, HMM=False):
            if at >= 2 and len(token) >= 2 and base.FREQ.get(token, 0) > 0:
                if at < len(head):
                    out.add(head[:at])
                break
            at += len(token)
    return {w for w in out if _HAN_RUN.fullmatch(w) and _is_word(w)}
