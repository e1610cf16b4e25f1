"""Cut a parsed report into retrievable chunks: one per section or list item, one per table."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterator

from langchain_text_splitters import RecursiveCharacterTextSplitter

from index.model import Chunk, ParsedReport, Section, Table
from index.normalize import compact

MAX_CHARS = 600
_MIN_ITEM_CHARS = 40  # shorter items (a 重点工作 title list) stay together as one chunk
_MAX_ROW_LABELS_CHARS = 200

# Item markers at the start of a line, one family per list style used in 决算 reports.
_MARKERS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}[.、．](?!\d)"),
    re.compile(r"^[(（]\d{1,2}[)）]"),
)
_LABEL_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|\d{3,7}(?=\D))"
)
_PART_TITLE = re.compile(r"^第[一二三四五六七八九十]+部分\s*")
_YEAR = re.compile(r"^.*?\d{4}\s*年度?\s*")
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])|\n")
_MIN_SENTENCE_CHARS = 8
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUANTITY = re.compile(r"^[\d.≥≤<>]")  # '95%以上', '2人', '.51万元': values, not labels
_CHECKBOX = re.compile(r"\[[ x]\]|[☑☐□■]")

_splitter = RecursiveCharacterTextSplitter(
    chunk_size=MAX_CHARS,
    chunk_overlap=0,
    separators=["\n", "。", "；", ";", "！", "？", "，", ""],
    keep_separator="end",
    strip_whitespace=True,
)


def build_chunks(report: ParsedReport) -> list[Chunk]:
    """Chunks for every section (split into list items and long passages) and every table."""
    chunks: list[Chunk] = []
    for section in _merge_short_items(report.sections):
        chunks.extend(_section_chunks(section))
    # Labels every table repeats (指标 names of 绩效自评表, 栏次) say little about any one table.
    spread = Counter(label for table in report.tables for label in set(_labels(table)))
    common = max(3, math.ceil(len(report.tables) / 3))
    for index, table in enumerate(report.tables):
        chunks.append(_table_chunk(table, index, spread, common))
    return chunks


def passage_text(chunk: Chunk, *, department: str = "") -> str:
    """What gets embedded and indexed for a chunk: its heading path, then the passage.

    The part title ("第三部分××中心 2023 年度部门决算情况说明") is cut to what it is about
    ("部门决算情况说明"): the department name and year, repeated everywhere, drown the topic.
    """
    heading = _heading_line(chunk.heading_path, department)
    return f"{heading}\n{chunk.text}" if heading else chunk.text


ROW_LABELS = "行："  # the line of a table chunk that lists its row labels


SELF = "本部门"  # what a report's own department name becomes in the texts that are embedded


def vector_text(chunk: Chunk, *, department: str = "") -> str | None:
    """What gets embedded for a chunk's own vector, with the department's own name written 本部门:
    a passage of one sentence whole; a passage of several sentences, its heading only, since each of its
    sentences is embedded on its own under its title (sentence_texts) — and None when it has no heading:
    its vector is then the mean of its sentences'. A table, None and no vector at all: it is answered from
    its facts and found by its title and row labels in the lexical index (passage_text).

    The name says nothing about a passage within its report (retrieval is scoped to reports), and without
    it the template sentences every department of a region prints are one text, embedded once for all of
    them. Together these embed 40% fewer tokens than whole passages (the sample: 13,717 → 8,091) with
    dense recall@1/@3 equal on the three sample reports (bench/retrieval.py); a table's title, embedded,
    only ever took a sentence's place."""
    if chunk.kind == "table":
        return None
    heading = _heading_line(chunk.heading_path, department)
    if len(sentence_texts(chunk)) >= 2:
        return mask_department(heading, department) if heading else None
    return mask_department(f"{heading}\n{chunk.text}" if heading else chunk.text, department)


def mask_department(text: str, department: str) -> str:
    """The text with the department's own name (as printed, or without blanks) written 本部门."""
    if not department:
        return text
    return text.replace(department, SELF).replace(compact(department), SELF)


def sentence_texts(chunk: Chunk) -> list[str]:
    """Each sentence of a passage of several, under the passage's own title, to embed on its own.

    One vector for a passage that lists several figures ('财政拨款收入…占本年收入 100%；上级补助
    收入…') blurs them; a question about one of them finds its sentence.
    """
    if chunk.kind != "section":
        return []
    sentences = [s.strip() for s in _SENTENCE_END.split(chunk.text) if len(s.strip()) >= _MIN_SENTENCE_CHARS]
    if len(sentences) < 2:
        return []
    title = chunk.heading_path[-1] if chunk.heading_path else ""
    return [f"{title}\n{sentence}" if title else sentence for sentence in sentences]


def _heading_line(path: tuple[str, ...], department: str) -> str:
    if not path:
        return ""
    return " › ".join(p for p in (_short_part_title(path[0], department), *path[1:]) if p)


def _short_part_title(heading: str, department: str) -> str:
    if not _PART_TITLE.match(heading):
        return heading
    short = _YEAR.sub("", _PART_TITLE.sub("", heading))
    if department:
        short = short.replace(department, "").replace(compact(department), "")
    return short.strip() or heading


def chunk_id(report_id: str, heading: str, position: str) -> str:
    """Deterministic id: the same report, heading and position give the same chunk id."""
    return hashlib.sha1(f"{report_id}\x1f{heading}\x1f{position}".encode()).hexdigest()


def clean_label(cell: str) -> str:
    """A row or column label without blanks, list numbering or a leading subject code ('201 …')."""
    return _LABEL_PREFIX.sub("", compact(cell)).strip()


def _merge_short_items(sections: list[Section]) -> list[Section]:
    """A list whose numbered items are all bare titles (the 重点工作 titles) becomes one section
    under its parent heading: each title alone is too short to retrieve or to answer anything."""
    out: list[Section] = []
    run: list[Section] = []  # consecutive siblings: same parent heading

    def flush() -> None:
        if len(run) >= 2 and all(_is_bare_item(s) for s in run):
            first = run[0]
            pages = tuple(dict.fromkeys(p for s in run for p in s.pages))
            text = "\n".join(s.text.strip() for s in run)
            out.append(Section(first.report_id, first.heading_path[:-1], text, pages, first.position))
        else:
            out.extend(run)
        run.clear()

    for section in sections:
        if run and section.heading_path[:-1] != run[0].heading_path[:-1]:
            flush()
        run.append(section)
    flush()
    return out


def _is_bare_item(section: Section) -> bool:
    """A numbered item whose text is its heading and nothing more."""
    title = section.heading_path[-1] if section.heading_path else ""
    return (
        len(section.heading_path) >= 2
        and any(m.match(title) for m in _MARKERS)
        and compact(section.text).rstrip("。.") in compact(title)
    )


def _section_chunks(section: Section) -> Iterator[Chunk]:
    for item, (path, text) in enumerate(_items(section)):
        pieces = [text] if len(text) <= MAX_CHARS else _splitter.split_text(text)
        for part, piece in enumerate(pieces):
            heading = " › ".join(path)
            yield Chunk(
                id=chunk_id(section.report_id, heading, f"{section.position}.{item}.{part}"),
                report_id=section.report_id,
                heading_path=path,
                text=piece,
                pages=section.pages,
            )


def _items(section: Section) -> list[tuple[tuple[str, ...], str]]:
    """The section's numbered items as (heading path, text), or the whole section as one."""
    text = section.text.strip()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    marker = next((m for m in _MARKERS if sum(bool(m.match(line)) for line in lines) >= 2), None)
    if marker is None:
        return [(section.heading_path, text)] if text else []
    preamble: list[str] = []
    items: list[list[str]] = []
    for line in lines:
        if marker.match(line):
            items.append([line])
        elif items:
            items[-1].append(line)
        else:
            preamble.append(line)
    bodies = ["\n".join(item) for item in items]
    if sum(len(b) for b in bodies) / len(bodies) < _MIN_ITEM_CHARS:
        return [(section.heading_path, text)]
    out = [(section.heading_path, "\n".join(preamble))] if preamble else []
    out.extend((section.heading_path + (_item_heading(body),), body) for body in bodies)
    return out


def _item_heading(text: str) -> str:
    """A list item's own title: its text up to the first colon or sentence end."""
    first = text.split("\n", 1)[0]
    for stop in ("：", ":", "。", "；", "，", ","):
        cut = first.find(stop)
        if 0 < cut <= 40:
            return first[:cut]
    return first[:30] + ("…" if len(first) > 30 else "")


def _table_chunk(table: Table, index: int, spread: Counter[str], common: int) -> Chunk:
    """A short description of a table (title, what it covers, its row labels) to route to it."""
    lines = [table.label + (f"（单位：{table.unit}）" if table.unit else "")]
    covers = next((n for n in table.notes if "本表反映" in n), "")
    if covers:
        start = covers.index("本表反映")
        end = covers.find("。", start)
        lines.append(covers[start : end + 1 if end >= 0 else len(covers)])
    if table.project:
        lines.append(f"项目：{table.project}")
    labels = _row_labels(table, spread, common)
    if labels:
        lines.append(ROW_LABELS + labels)
    return Chunk(
        id=chunk_id(table.report_id, table.label, f"table.{index}"),
        report_id=table.report_id,
        heading_path=(table.label,),
        text="\n".join(lines),
        pages=table.pages,
        kind="table",
    )


def _labels(table: Table) -> list[str]:
    """The distinct text cells of the table body, in order."""
    seen: dict[str, None] = {}
    for row in table.rows[table.header_rows :]:
        for cell in row.cells:
            label = clean_label(cell)
            if _CJK.search(label) and len(label) <= 60 and not _CHECKBOX.search(label) and not _QUANTITY.match(label):
                seen.setdefault(label, None)
    return list(seen)


def _row_labels(table: Table, spread: Counter[str], common: int) -> str:
    """The table's labels, those fewest other tables share first, within a length budget; in order.

    Labels in `common` or more tables (the 指标 names every 绩效自评表 repeats) are left out.
    """
    labels = [lb for lb in _labels(table) if spread[lb] < common]
    budget = _MAX_ROW_LABELS_CHARS
    keep: set[str] = set()
    for label in sorted(labels, key=lambda lb: (spread[lb], labels.index(lb))):
        if len(label) + 1 > budget:
            continue
        keep.add(label)
        budget -= len(label) + 1
    return "、".join(lb for lb in labels if lb in keep)
