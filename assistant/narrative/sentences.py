"""A report's prose as citable sentences, each with its section path, page and subject; the 自评表's
text cells (绩效目标, 指标 and 实际完成值, 偏差原因, 改进措施, 得分/等级) are sentences too."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.narrative.passages import heading_label
from index.model import Section, Table
from index.normalize import compact, join_cjk

# Table kinds whose cells are words a question can ask about (see index/vocabulary.py).
TEXT_TABLE_KINDS = ("project_performance", "overall_performance")
GLOSSARY = "名词解释"

_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_CLAUSE_END = re.compile(r"(?<=[；;])")
_LONG_SENTENCE = 90  # a longer sentence is cut at its semicolons; its clauses keep its subject
_ITEM = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d))\s*")
_LEAD = re.compile(r"^([^：:。；;，,]{2,40})[：:]")
_ENUMERATION = re.compile(r"[一二三四五六七八九十]是")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Cells of a 自评表's header rows and of its money rows (the amounts are facts, not sentences).
_HEADER_CELLS = ("一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "预算数", "执行数", "资金总额",
                 "项目名称", "主管部门", "项目类别", "项目属性", "项目类型", "单位名称", "支出总额")
_VALUE = re.compile(r"^[\d.≥≤<>＞＜%％-]")


@dataclass(frozen=True)
class Sentence:
    """One citable sentence (or 自评表 cell) with where it sits and what it is about."""

    text: str
    label: str  # how the citation names its place: the section heading path, or the table's label
    page: int | None
    subject: str  # what it is about: item title, lead words ('…项目绩效自评综述'), or the table's project
    heading: str  # the heading path, blanks removed
    paragraph: int  # sentences of one paragraph (or one 自评表) share this number
    section: int  # sentences of one section (or one 自评表) share this number
    source: str = "section"  # "section", "cell" (a 自评表 row) or "note" (a table's note)
    row: str = ""  # for a cell: its row label
    glossary_term: str = ""  # for a 名词解释 entry's sentences: the term it explains

    @property
    def quote(self) -> str:
        return f"{self.row}：{self.text}" if self.source == "cell" and self.row else self.text


@dataclass
class ReportText:
    """Every sentence of one report, with bigram statistics for matching questions to them."""

    sentences: list[Sentence]
    sections: list[Section] = field(default_factory=list)
    department: str = ""
    year: int | None = None
    _grams: list[frozenset[str]] = field(default_factory=list, repr=False)
    _subject_grams: list[frozenset[str]] = field(default_factory=list, repr=False)
    _idf: dict[str, float] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, sections: Sequence[Section], tables: Iterable[Table], *, department: str = "", year: int | None = None
    ) -> ReportText:
        """Sentences of all sections, then the text cells of the 自评表."""
        sentences: list[Sentence] = []
        paragraph = 0
        for number, section in enumerate(sections):
            for sentence in _section_sentences(section, number, paragraph):
                sentences.append(sentence)
                paragraph = max(paragraph, sentence.paragraph + 1)
        for offset, table in enumerate(tables):
            number = len(sections) + offset
            if table.kind in TEXT_TABLE_KINDS:
                sentences.extend(_cell_sentences(table, number, paragraph))
                paragraph += 1
            for note in _notes(table, number, paragraph):
                sentences.append(note)
                paragraph += 1
        text = cls(sentences, list(sections), department, year)
        text._index()
        return text

    def _index(self) -> None:
        self._grams = [bigrams(compact(s.text)) for s in self.sentences]
        self._subject_grams = [bigrams(compact(s.subject + s.heading + s.row)) for s in self.sentences]
        df = Counter(g for grams, subject in zip(self._grams, self._subject_grams) for g in grams | subject)
        n = len(self.sentences) or 1
        self._idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}

    def weight(self, gram: str) -> float:
        """How much a bigram says: rare in the report counts more; one the report never uses, nothing."""
        return max(self._idf[gram], 0.05) if gram in self._idf else 0.0

    def coverage(self, grams: frozenset[str], index: int, *, subject: bool) -> float:
        """Weighted share of the question's bigrams found in a sentence (or in its subject and heading)."""
        if not grams:
            return 0.0
        have = self._subject_grams[index] if subject else self._grams[index]
        total = sum(self.weight(g) for g in grams)
        if total <= 0:
            return 0.0
        return sum(self.weight(g) for g in grams if g in have) / total

    def paragraph_of(self, sentence: Sentence) -> list[Sentence]:
        return [s for s in self.sentences if s.paragraph == sentence.paragraph]

    def section_of(self, sentence: Sentence) -> list[Sentence]:
        return [s for s in self.sentences if s.section == sentence.section]


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the CJK, letter and digit runs of a text."""
    runs = re.findall(r"[\u4e00-\u9fffA-Za-z0-9]+", re.sub(r"[“”\"'‘’「」]", "", text))
    return frozenset(run[i : i + 2] for run in runs for i in range(len(run) - 1)) | frozenset(
        run for run in runs if len(run) == 1 and _CJK.match(run)
    )


def split_sentences(text: str) -> list[str]:
    """A paragraph's sentences; a long one is cut at its semicolons unless it enumerates (一是…二是…)."""
    out = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if len(sentence) > _LONG_SENTENCE and not _ENUMERATION.search(sentence):
            out.extend(c.strip() for c in _CLAUSE_END.split(sentence) if c.strip())
        else:
            out.append(sentence)
    return out


def _section_sentences(section: Section, number: int, paragraph: int):
    path = tuple(join_cjk(h) for h in section.heading_path)
    label = heading_label(section.heading_path)
    heading = compact(" ".join(path))
    glossary = any(GLOSSARY in compact(h) for h in path)
    title = _ITEM.sub("", compact(path[-1])) if len(path) > 1 else ""
    item_lead = ""
    for line in (ln.strip() for ln in section.text.split("\n")):
        if not line:
            continue
        if _ITEM.match(line):  # a new list item: its lead words are the subject of what follows
            item_lead = _lead(_ITEM.sub("", compact(line)))
        term = ""
        if glossary:
            term = _lead(_ITEM.sub("", compact(line))) or (title if not item_lead else item_lead)
        sentence_lead = ""
        for text in split_sentences(line):
            lead = _lead(compact(text))
            if lead and not sentence_lead:
                sentence_lead = lead  # carried to the clauses after it ('其中：…；…')
            subject = " ".join(dict.fromkeys(p for p in (title, item_lead, sentence_lead) if p))
            yield Sentence(
                text=join_cjk(text),
                label=label,
                page=section.page,
                subject=subject,
                heading=heading,
                paragraph=paragraph,
                section=number,
                glossary_term=term,
            )
        paragraph += 1


def _notes(table: Table, number: int, paragraph: int):
    """A table's notes ('注：本单位当年无“三公”经费支出。') as sentences cited to the table."""
    page = table.pages[-1] if table.pages else None
    for note in table.notes:
        for text in split_sentences(join_cjk(note.strip())):
            if len(text) >= 6 and "本表" not in text:
                yield Sentence(
                    text=text, label=join_cjk(table.label), page=page, subject=compact(table.title),
                    heading=compact(table.title), paragraph=paragraph, section=number, source="note",
                )


def _lead(text: str) -> str:
    """The words before a sentence's first colon ('事业收入：指…' → '事业收入'), if short."""
    m = _LEAD.match(text)
    return m.group(1) if m else ""


def _cell_sentences(table: Table, number: int, paragraph: int):
    """A 自评表's text rows as sentences: goal, each 指标 with its target and actual, reasons, measures."""
    subject = compact(table.project) or "整体"
    page = table.pages[0] if table.pages else None
    for row in table.rows[table.header_rows :]:
        cells = [join_cjk(c.strip()) for c in row.cells if c and c.strip()]
        words = [c for c in cells if _CJK.search(c)]
        if len(cells) < 2 or not words:
            continue
        if any(w in compact(c) for c in cells for w in _HEADER_CELLS):
            continue
        if len(cells) == 2 or len(cells[1]) > 30:
            row_label, text = compact(cells[0]), "；".join(cells[1:])
        else:
            # 指标 row: …, name, target, actual — the last three cells say what was aimed at and done.
            *_, name, target, actual = cells if len(cells) >= 3 else ("", *cells)
            if _VALUE.match(name) or name in ("绩效基本型",):
                continue
            row_label, text = compact(name), f"年初目标值：{target}；实际完成值：{actual}"
        if "checkbox" in text or "[x]" in text or "[ ]" in text:
            continue
        yield Sentence(
            text=text,
            label=join_cjk(table.label),
            page=row.page if row.page is not None else page,
            subject=subject,
            heading=compact(table.title),
            paragraph=paragraph,
            section=number,
            source="cell",
            row=row_label,
        )
