"""Split the block stream into the report's identity, narrative sections and raw tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.model import Block, Line, ReportIdentity, Row, Section
from index.normalize import compact, join_cjk
from index.vocabulary import PART, heading_level, kind_of, starts_block, table_numbering

_PART = PART
_TABLE_TITLE = re.compile(r"(决算总表|决算表|明细表|自评表|经费支出决算表)$")
_UNIT = re.compile(r"^(?:金额)?单位[:：]\s*(万元|元|亿元|千元)")
_DEPARTMENT = re.compile(r"^部门[:：]")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$")
_TERMINAL = ("。", "；", ";", "：", ":", "！", "？", "!", "?")
_REPORT_TITLE = re.compile(r"(\d{4})\s*年度?\s*(.+?)\s*部门\s*决\s*算")
_REPORT_TITLE_DEPARTMENT_FIRST = re.compile(r"^(.+?)\s*(\d{4})\s*年度?\s*部门\s*决\s*算")
_SHORT_HEADING = 40


@dataclass
class RawTable:
    """A table as it appears in the stream: caption lines, rows, and the notes under it."""

    title: str
    number: int | None = None
    key: str = ""  # the table's numbering as printed ("公开05表", "表1"); "" when it has none
    unit: str = ""
    department: str = ""
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    title_page: int | None = None

    def add_page(self, page: int | None) -> None:
        if page is not None and page not in self.pages:
            self.pages.append(page)


@dataclass
class Structure:
    identity: ReportIdentity
    sections: list[Section]
    tables: list[RawTable]
    warnings: list[str]


def merge_wrapped(blocks: list[Block]) -> list[Block]:
    """Join text lines that a page break or a text export split in mid-sentence."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Line) and _PAGE_NUMBER.match(block.text):
            continue
        prev = out[-1] if out else None
        if (
            isinstance(block, Line)
            and isinstance(prev, Line)
            and (len(prev.text) >= 45 or _is_sentence(prev.text))
            and not prev.text.endswith(_TERMINAL)
            and not starts_block(block.text)
            and not _TABLE_TITLE.search(prev.text)
        ):
            out[-1] = Line(prev.page, prev.text + block.text)
            continue
        out.append(block)
    return out


def _is_sentence(text: str) -> bool:
    """A line with clause punctuation inside it is running text, not a heading or caption."""
    return any(p in text[4:] for p in (",", ":", "。", ";"))


def parse_identity(blocks: list[Block]) -> ReportIdentity | None:
    """Department and year from the cover or title line ('2023 年度××部门决算', '××局 2024 年度部门决算').

    Covers often break the title over lines ("上海市普陀区规划和自然 / 资源局 / 2024 年度部门决算"), so up to
    three consecutive lines of one page are read together. A part heading that repeats the title
    ("第二部分 ××局 2024 年度部门决算表") is never the cover: a file that only has part headings
    (an excerpt of a report) has no identity.
    """
    lines = [b for b in blocks[:60] if isinstance(b, Line)]
    for i in range(len(lines)):
        if i and _PART.match(lines[i - 1].text) and lines[i - 1].page == lines[i].page:
            continue  # the rest of a part heading broken over lines ("第二部分" / "××局 2024 年度部门决算表")
        for width in (1, 2, 3):
            window = lines[i : i + width]
            if len(window) < width or len({b.page for b in window}) > 1:
                break
            if any(_PART.match(b.text) for b in window) or (
                width > 1 and any(len(b.text) > 30 or starts_block(b.text) for b in window)
            ):
                break  # a part heading, running text or a heading is not a (broken) cover title
            identity = _identity_in(join_cjk("".join(b.text for b in window)))
            if identity:
                return identity
    return None


def _identity_in(text: str) -> ReportIdentity | None:
    if len(text) > 80 or any(p in text for p in ",，。;；"):
        return None  # a sentence that mentions the report ("我单位在 2023 年度部门决算中…") is no title
    for pattern, dept_group, year_group in ((_REPORT_TITLE, 2, 1), (_REPORT_TITLE_DEPARTMENT_FIRST, 1, 2)):
        m = pattern.search(text)
        if m and m.group(dept_group).strip(" 度"):
            department = join_cjk(m.group(dept_group)).strip(" “”\"")
            if len(department) < 2 or len(department) > 40:
                continue
            return ReportIdentity(department=department, year=int(m.group(year_group)), title=text[: m.end()].strip())
    return None




def is_table_title(text: str) -> bool:
    """'2023 年度收入支出决算总表', also with its number after it: '…决算总表（公开01表）'."""
    key = compact(text)
    numbering = table_numbering(key)
    # Standard title endings, or a layout's own table kind printed with its number ("附表7 …情况表").
    named = bool(_TABLE_TITLE.search(numbering.title if numbering else key)) or (
        numbering is not None and numbering.title != "" and kind_of(numbering.title).id != "other"
    )
    return (
        named
        and len(text) < 80
        and "。" not in text
        and not _PART.match(text)
    )


def _without_number(text: str) -> str:
    numbering = table_numbering(text)
    return numbering.title if numbering else text


def split_structure(report_id: str, blocks: list[Block]) -> Structure:
    """Walk the stream once: headings open sections, captions open tables, notes close them."""
    blocks = merge_wrapped(blocks)
    identity = parse_identity(blocks) or ReportIdentity(department="", year=None, title="")
    start = _skip_contents(blocks)
    warnings: list[str] = []
    sections: list[Section] = []
    tables: list[RawTable] = []
    path: list[tuple[int, str]] = []  # (level, heading)
    text: list[str] = []
    pages: list[int] = []
    table: RawTable | None = None

    def flush() -> None:
        nonlocal text, pages
        if text and path:
            sections.append(
                Section(
                    report_id=report_id,
                    heading_path=tuple(h for _, h in path),
                    text="\n".join(text),
                    pages=tuple(pages),
                    position=len(sections),
                )
            )
        text, pages = [], []

    last_heading_line: list[tuple[str, int | None]] = []  # the latest heading, until text follows it

    def open_heading(level: int, heading: str, page: int | None) -> None:
        if last_heading_line and not text and path and path[-1][0] >= level:
            # A heading followed by a sibling, not by text, was a one-line list item ("1. 着力推进…").
            line, line_page = last_heading_line[0]
            text.append(line)
            _add_page(pages, line_page)
        flush()
        while path and path[-1][0] >= level:
            path.pop()
        path.append((level, heading))
        last_heading_line[:] = [(heading, page)]

    def close_table() -> None:
        nonlocal table
        if table is not None and table.rows:
            tables.append(table)
        table = None

    body = blocks[start:]
    for i, block in enumerate(body):
        if table is not None and isinstance(block, Line) and (
            _bare_table_line(body, i) if table.rows else _bare_header_line(body, i)
        ):
            block = Row(block.page, (block.text,))  # a row whose other cells are blank, exported as a bare line
        if isinstance(block, Row) and table is not None and not table.rows and _caption_row(block):
            _read_caption_cells(table, block)  # "单位名称： | 单位：万元" printed in the grid above the header
            continue
        if isinstance(block, Row):
            if table is None:
                # A small table inside a narrative section (e.g. the list of member units).
                text.append("\t".join(c for c in block.cells if c))
                _add_page(pages, block.page)
                continue
            table.rows.append(block)
            table.add_page(block.page)
            continue

        line = block.text
        level = heading_level(line)
        if is_table_title(line) and not _is_note(line):
            flush()
            if table is not None and not table.rows:
                # A caption directly followed by another caption is a heading ("二、项目绩效自评表").
                table = None
            close_table()
            numbering = table_numbering(join_cjk(line))
            table = RawTable(
                title=numbering.title if numbering else join_cjk(line),
                title_page=block.page,
                number=numbering.number if numbering else None,
                key=numbering.key if numbering else "",
            )
            table.add_page(block.page)
            continue
        if table is not None:
            if level == 0 or (level == 1 and table.rows and not _is_note(line)):
                close_table()
            else:
                numbering = table_numbering(compact(line))
                if numbering and not numbering.title and not table.rows:
                    table.number, table.key = numbering.number, numbering.key
                elif _UNIT.match(compact(line)) and not table.rows:
                    table.unit = _UNIT.match(compact(line)).group(1)
                elif _DEPARTMENT.match(compact(line)) and not table.rows:
                    table.department = compact(line).split(":", 1)[-1].split("：", 1)[-1]
                elif not table.rows:
                    table.notes.append(line)  # subtitle or caption text
                else:
                    table.notes.append(line)
                    table.add_page(block.page)
                continue

        if level is not None and _is_heading(line, level):
            open_heading(level, _clean_heading(line), block.page)
            _add_page(pages, block.page)
            continue
        if level is not None and level >= 1 and path:
            # A long list item ("1. 一般公共服务(类)支出 728.92 万元，占 90%。…") is its own sub-section.
            flush()
            last_heading_line.clear()
            item_path = [h for lv, h in path if lv < level] + [_item_heading(line)]
            sections.append(
                Section(
                    report_id=report_id,
                    heading_path=tuple(item_path),
                    text=line,
                    pages=tuple(p for p in [block.page] if p is not None),
                    position=len(sections),
                )
            )
            continue
        text.append(line)
        _add_page(pages, block.page)
        last_heading_line.clear()
    close_table()
    if last_heading_line and not text and path and path[-1][0] == 3:
        text.append(last_heading_line[0][0])
    flush()
    if not sections:
        warnings.append("未识别到任何说明章节（第一部分、第三部分等）")
    return Structure(identity=identity, sections=sections, tables=tables, warnings=warnings)


def _bare_table_line(blocks: list[Block], i: int, *, lookahead: int = 4) -> bool:
    """Whether a line inside a table is a row with nothing but its label (a text export drops the TABs).

    It is when a table row follows within a few such short label lines ("一、一般公共预算财政拨款" … "总计 9746.50").
    """
    for block in blocks[i : i + lookahead + 1]:
        if isinstance(block, Row):
            return True
        text = block.text
        if len(text) > 30 or _is_sentence(text) or _is_note(text) or is_table_title(text) or _PART.match(text):
            return False
    return False


def _bare_header_line(blocks: list[Block], i: int) -> bool:
    """A merged header cell over the whole table, exported as a line just before the first row."""
    text = blocks[i].text
    follows = blocks[i + 1] if i + 1 < len(blocks) else None
    return (
        isinstance(follows, Row)
        and len(text) <= 20
        and not any(ch.isdigit() for ch in text)
        and not _is_sentence(text)
        and not _is_note(text)
        and not _UNIT.match(compact(text))
        and not _DEPARTMENT.match(compact(text))
    )


def _caption_cells() -> tuple[str, ...]:
    from index.layouts import layouts

    return tuple(dict.fromkeys(("单位", "部门") + tuple(w for l in layouts() for w in l.caption_cells)))


def _caption_row(row: Row) -> bool:
    """A grid row that only names the department and unit ("单位名称： | 单位：万元"), no header or data."""
    cells = [compact(c) for c in row.cells if c.strip()]
    words = _caption_cells()
    return bool(cells) and all(any(re.match(rf"^(?:金额)?{w}[:：]", c) for w in words) for c in cells)


def _read_caption_cells(table: RawTable, row: Row) -> None:
    for cell in (compact(c) for c in row.cells if c.strip()):
        unit = _UNIT.match(cell)
        if unit:
            table.unit = unit.group(1)
        else:
            name = re.split(r"[:：]", cell, maxsplit=1)[-1]
            if name:
                table.department = name


def _skip_contents(blocks: list[Block]) -> int:
    """Index of the first block after the table of contents (目录), which repeats the headings."""
    contents_at = next(
        (i for i, b in enumerate(blocks[:80]) if isinstance(b, Line) and compact(b.text) == "目录"), None
    )
    if contents_at is None:
        return 0
    # The contents list ends where its first entry is printed again as the body's heading: a part
    # heading ("第一部分…") where the report has parts, else the first outline heading ("一、学校概况").
    entries = [i for i in range(contents_at + 1, min(len(blocks), contents_at + 80))
               if isinstance(blocks[i], Line) and heading_level(blocks[i].text) is not None]
    parts = [i for i in entries if _PART.match(blocks[i].text)]
    first = parts[0] if parts else (entries[0] if entries else None)
    if first is None:
        return contents_at + 1
    key = _entry_key(blocks[first].text)
    for i in range(first + 1, len(blocks)):
        b = blocks[i]
        if isinstance(b, Line) and _entry_key(b.text) == key:
            return i
    return contents_at + 1


def _entry_key(text: str) -> str:
    """A contents entry without its dot leaders and page number ("一、学校概况……3" → "一、学校概况")."""
    return re.sub(r"[.…·\-—\s]*\d{0,3}$", "", compact(text))


def _is_heading(line: str, level: int) -> bool:
    if level == 0:
        return True
    body = line.rstrip("。.")
    # NFKC has already turned "，：；" into ",:;".
    return len(body) <= _SHORT_HEADING and not any(p in body[3:] for p in ("。", ",", ":", ";"))


def _is_note(line: str) -> bool:
    return line.startswith(("注", "备注"))


def _clean_heading(line: str) -> str:
    text = join_cjk(line.lstrip("- ").rstrip("。."))
    return text.replace("**", "")


def _item_heading(line: str) -> str:
    """A short heading for a long list item: its text up to the first colon or sentence end."""
    text = join_cjk(line.replace("**", ""))
    for stop in ("：", ":", "。", "，", ","):
        cut = text.find(stop)
        if 0 < cut <= 40:
            return text[:cut]
    return text[:30] + "…"


def _add_page(pages: list[int], page: int | None) -> None:
    if page is not None and page not in pages:
        pages.append(page)
