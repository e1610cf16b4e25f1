"""Figures stated in sentences ("年初预算为 743.02 万元", "共有车辆0辆") as facts citing their section."""

from __future__ import annotations

import re
from dataclasses import replace

from index.model import Fact, Section, Table
from index.normalize import join_cjk
from index.tables import parse_quantity
from index.vocabulary import UNIT_PATTERN

_MENTION = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*({UNIT_PATTERN})")
_CLAUSE_SPLIT = re.compile(r"[。!?]")  # a ";" keeps the sentence's subject in view ("“三公”经费…；与上年相比减少…")
_SUBCLAUSE_SPLIT = re.compile(r"[,:、;]")
# Words between a subject and its figure that say nothing about what is measured.
# A clause subject that is only a measure: it measures the item in view.
_BARE_MEASURE = re.compile(r"^(年初预算|全年预算|调整预算|支出决算|决算数|完成年初预算|完成全年预算|完成预算)")
_MEASURE_TAIL = re.compile(r"(年初预算|全年预算|调整预算|支出决算|决算)数?$")
_ONLY_MEASURE = re.compile(r"^(年初预算|全年预算|调整预算|支出决算|决算数|完成年初预算|完成全年预算|完成预算)[数的]?$")
_LINKS = re.compile(r"(为|是|达到|达|共计|共|合计|总计|约|计|了|数)$")


def section_label(section: Section) -> str:
    """How a citation names a section: its whole heading path."""
    return " › ".join(join_cjk(h) for h in section.heading_path)


def section_mentions(section: Section) -> list[Fact]:
    """Every number-with-unit in a section's sentences, with the clause that names it."""
    facts = []
    for line in section.text.split("\n"):
        topic = ""  # an item's subject path holds for the rest of its paragraph
        for sentence in _CLAUSE_SPLIT.split(line):
            item = _item_path(join_cjk(sentence.strip()))
            if item:
                topic = item  # "9、城乡社区支出（类）…（项）": what the item's next sentences measure
            for fact in _sentence_mentions(sentence, section.report_id, section_label(section), section.heading, section.page):
                if topic and _BARE_MEASURE.match(fact.row):
                    fact = replace(fact, row=topic + fact.row)
                facts.append(fact)
    return facts


def _item_path(sentence: str) -> str:
    """The subject path of a layout's item heading (index/layouts: `item_paths`), or ''."""
    from index.layouts import layouts

    for layout in layouts():
        for pattern in layout.item_paths:
            m = pattern.match(sentence)
            if m:
                return m.group(1)
    return ""


def table_text_mentions(table: Table) -> list[Fact]:
    """Figures inside text cells of performance tables ('平台上线区级政策8条, 组织在线申报1条')."""
    facts = []
    for row in table.rows:
        cells = [c for c in row.cells if c]
        if len(cells) < 2:
            continue
        for i, cell in enumerate(cells):
            if not _MENTION.search(cell) or _MENTION.fullmatch(cell.replace(" ", "")) or parse_quantity(cell):
                continue  # whole-cell quantities are table facts already
            context = cells[max(0, i - 2) : i]
            sentence = " ".join(context) + " " + cell
            for fact in _sentence_mentions(sentence, table.report_id, table.label, table.title, row.page):
                facts.append(fact)
    return facts


def _sentence_mentions(sentence: str, report_id: str, label: str, heading: str, page: int | None) -> list[Fact]:
    sentence = join_cjk(sentence.strip())
    facts = []
    lead = ""  # "一般公共预算财政拨款支出年初预算为…，全年预算数为…": the first clause's subject holds for the next
    for m in _MENTION.finditer(sentence):
        number, unit = m.group(1), m.group(2)
        subject = _subject(sentence, m.start())
        measure = _MEASURE_TAIL.search(subject)
        if measure and measure.start() >= 2:
            lead = subject[: measure.start()]
        elif lead and _ONLY_MEASURE.match(subject):
            subject = lead + subject
        facts.append(
            Fact(
                report_id=report_id,
                table=label,
                table_title=heading,
                row=subject,
                code="",
                classification="",
                column="",
                value=float(number.replace(",", "")),
                unit=unit,
                page=page,
                source="text",
                quote=sentence,
            )
        )
    return facts


def _subject(sentence: str, start: int) -> str:
    """The words naming a figure: the sub-clause before it, minus linking verbs."""
    before = sentence[:start]
    parts = [p.strip() for p in _SUBCLAUSE_SPLIT.split(before)]
    subject = parts[-1] if parts else ""
    # "收、支总计": a one-character part belongs with the next.
    i = len(parts) - 2
    while i >= 0 and len(parts[i]) == 1:
        subject = parts[i] + "、" + subject
        i -= 1
    if len(subject) < 2 and len(parts) > 1:
        subject = parts[-2] + subject
    subject = re.sub(r"^(其中|主要是|主要|包括|以及|和|及)", "", subject).strip()
    subject = _LINKS.sub("", subject).strip()
    return subject or before[-20:]
