"""The report as the audit sees it: facts, sections and tables by kind, and which tables it could read."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.audit.findings import Source
from index.model import Fact, ReportIdentity, Section, Table
from index.normalize import compact, normalize
from index.vocabulary import to_wanyuan

NUMERIC = re.compile(r"^[\d,.\s%-]+$")
ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]\s*|[(][一二三四五六七八九十]+[)])")
# The three kinds of fiscal money, as both summary tables spell them ("国有资本经营(预算)财政拨款").
FUNDS = {"一般公共预算": "一般公共预算财政拨款", "政府性基金": "政府性基金预算财政拨款", "国有资本经营": "国有资本经营预算财政拨款"}
# "fiscal_expenditure": a layout's own 财政拨款支出决算表 (the central format's 表4, index/layouts/central.py).
FISCAL_KINDS = ("fiscal_total", "general_budget_expenditure", "fiscal_expenditure", "government_fund", "state_capital")
FUND_PREFIX = {
    "general_budget_expenditure": "一般公共预算财政拨款",
    "fiscal_expenditure": "财政拨款",
    "government_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
}
# The standard tables whose figures the identities and the narrative compare (not the 自评表).
STANDARD_KINDS = (
    "income_expenditure_total", "income", "expenditure", "fiscal_total", "general_budget_expenditure",
    "basic_expenditure_detail", "government_fund", "state_capital", "three_public", "fiscal_expenditure",
)
# Columns that hold labels, never figures: a figure read under one means the columns were misaligned.
_LABEL_COLUMNS = {"科目编码", "功能分类科目编码", "科目名称", "项目", "栏次", "行次"}
# A column name that stands for a group's total: printed 小计 by some regions and 合计 by others.
# A table's total column: "本年支出合计" in most layouts, a bare "合计" in a university's 支出决算表.
_TOTAL_COLUMNS = {"小计": ("小计", "合计"), "本年支出合计": ("本年支出合计", "合计"), "本年收入合计": ("本年收入合计", "合计")}
# "本单位当年无政府性基金…", "…本年度没有…收入和支出，故本表无数据", "本部门无机关运行经费".
_EMPTY_STATEMENT = re.compile(r"(本单位|本部门|本局|本年度|当年|故本表).{0,30}(无|没有)|无数据|为空表")


def clean(text: str) -> str:
    """A label reduced for matching: NFKC, no blanks, quotes or (类)/(款)/(项), no leading ordinal."""
    text = compact(text)
    text = re.sub(r"[“”\"'‘’「」]", "", text)
    text = re.sub(r"\((类|款|项)\)", "", text)
    return ORDINAL.sub("", text)


def column_parts(fact: Fact) -> list[str]:
    return [clean(p) for p in fact.column.split("›")]


def says_empty(text: str) -> bool:
    """Whether a note or sentence says the department has nothing of this kind."""
    return bool(_EMPTY_STATEMENT.search(compact(text)))


def wanyuan(fact: Fact) -> float:
    """A money cell in 万元, whatever unit its table is in (the 三公 table is often in 元)."""
    return to_wanyuan(fact.value, fact.unit)


def value_of(fact: Fact | None) -> float:
    return wanyuan(fact) if fact else 0.0


def row_quote(table: Table, fact: Fact) -> str:
    """The printed row holding a fact, so that a reader can find it on the page image."""
    for row in table.rows:
        if fact.page is not None and row.page is not None and row.page != fact.page:
            continue
        cells = [c for c in row.cells if c]
        if any(compact(c).endswith(compact(fact.row)) for c in cells if compact(fact.row)):
            return " ".join(cells)
    return ""


def cell_source(fact: Fact | None, table: Table, row: str, column: str = "") -> Source:
    """A cited table cell; an empty cell (nothing printed, which means zero) cites its row."""
    if fact is None:
        return Source(table.label, row, column, table.pages[0] if table.pages else None, 0.0)
    # A finding always quotes what it rests on: the printed row, else the cell's own words.
    quote = row_quote(table, fact) or fact.quote or f"{fact.row} {fact.value:g}"
    return Source(table.label, fact.row, fact.column, fact.page, round(wanyuan(fact), 6), quote)


@dataclass
class ReportView:
    """One stored report's facts, sections and tables, indexed by table kind and key."""

    report_id: str
    identity: ReportIdentity
    facts: list[Fact]
    sections: list[Section]
    tables: list[Table]
    path: str = ""
    by_key: dict[str, Table] = field(init=False)
    by_kind: dict[str, Table] = field(init=False)
    table_facts: dict[str, list[Fact]] = field(init=False)
    _unread: dict[str, bool] = field(init=False, default_factory=dict)
    _paths: dict[int, tuple[str, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {t.key: t for t in self.tables}
        self.by_kind = {}
        for table in self.tables:
            self.by_kind.setdefault(table.kind, table)
        self.table_facts = {}
        for fact in self.facts:
            if fact.source == "table":
                self.table_facts.setdefault(fact.table, []).append(fact)

    def table(self, kind: str) -> Table | None:
        return self.by_kind.get(kind)

    def facts_of(self, table: Table | None) -> list[Fact]:
        return self.table_facts.get(table.key, []) if table else []

    def find(
        self,
        table: Table | None,
        row: str | Callable[[Fact], bool],
        *column: str,
        code: str | None = None,
    ) -> Fact | None:
        """The fact in a table whose cleaned row name is `row` and whose column path has every part."""
        for fact in self.facts_of(table):
            if code is not None and fact.code != code:
                continue
            if callable(row) and not row(fact):
                continue
            if isinstance(row, str) and clean(fact.row) != row:
                continue
            parts = column_parts(fact)
            if all(any(name in parts for name in _TOTAL_COLUMNS.get(c, (c,))) for c in column):
                return fact
        return None

    def column_read(self, table: Table | None, *column: str) -> bool:
        """Whether some cell of the table was read under this column."""
        return any(
            all(any(name in column_parts(f) for name in _TOTAL_COLUMNS.get(c, (c,))) for c in column)
            for f in self.facts_of(table)
        )

    def header_level(self, table: Table, name: str, *, exact: bool = False) -> int | None:
        """The header row (0 = top) where a column name is printed, or None when it is not printed."""
        for i, row in enumerate(table.rows[: table.header_rows]):
            if any(name and (name == clean(cell) if exact else name in clean(cell)) for cell in row.cells if cell):
                return i
        return None

    # Rows across tables: by subject code where both print one, else by label path (类 › 款 › 项)

    def path_of(self, fact: Fact) -> tuple[str, ...]:
        """The row's label path: 类 › 款 › 项 names from its code, or, for a table that prints no codes,
        from the order of its rows (a 类 name opens a class, a 款 name of that class opens an 款)."""
        if id(fact) not in self._paths:
            self._index_paths()
        return self._paths.get(id(fact), (clean(fact.row),))

    def _index_paths(self) -> None:
        names: dict[str, str] = {}
        for fact in self.facts:
            if fact.source == "table" and fact.code:
                names.setdefault(fact.code, clean(fact.row))
        classes = {name: code for code, name in names.items() if len(code) == 3}
        sections: dict[str, set[str]] = {}
        for code, name in names.items():
            if len(code) == 5:
                sections.setdefault(code[:3], set()).add(name)
        for facts in self.table_facts.values():
            current: list[str] = []  # [类] or [类, 款] of the rows read so far
            last, last_path, columns = None, (), set()
            for fact in facts:
                label = clean(fact.row)
                if fact.row == last and not fact.code and fact.column not in columns:
                    columns.add(fact.column)  # another cell of the same printed row
                    self._paths[id(fact)] = last_path
                    continue
                columns = {fact.column}
                if fact.code:
                    path = tuple(names.get(fact.code[:n], "") for n in (3, 5, 7) if len(fact.code) >= n)
                elif label in ("合计", "总计") or label.endswith("合计"):
                    current, path = [], (label,)
                elif current and label == current[-1]:
                    path = (*current, label)  # a 款 named like its 类, or a 项 like its 款
                    if len(current) == 1:
                        current = [current[0], label]
                elif label in classes:
                    current = [label]
                    path = (label,)
                elif current and label in sections.get(classes[current[0]], set()):
                    current = [current[0], label]
                    path = tuple(current)
                elif len(current) == 2:
                    path = (*current, label)
                else:
                    path = (label,)
                self._paths[id(fact)] = path
                last, last_path = fact.row, path

    def has_column(self, table: Table | None, *column: str) -> bool:
        """Whether the table has this column: a cell read under it, or its name in the printed header
        (a column printed empty is zero; a column the parser did not find is not)."""
        if table is None:
            return False
        if any(
            all(any(name in column_parts(f) for name in _TOTAL_COLUMNS.get(c, (c,))) for c in column)
            for f in self.facts_of(table)
        ):
            return True
        header = "".join(clean(cell) for row in table.rows[: table.header_rows] for cell in row.cells)
        return bool(header) and all(any(name in header for name in _TOTAL_COLUMNS.get(c, (c,))) for c in column)

    def row_names(self, table: Table | None) -> set[str]:
        """Every label printed in a table, empty rows included."""
        if table is None:
            return set()
        labels = (clean(cell) for row in table.rows for cell in row.cells if cell and not NUMERIC.match(cell))
        return {re.sub(r"^\d+", "", label) for label in labels}

    # Which tables can be trusted

    def is_blank(self, table: Table) -> bool:
        """Whether every figure read from the table is empty or zero."""
        return not any(abs(f.value) > 1e-9 for f in self.facts_of(table))

    def said_empty(self, table: Table) -> bool:
        """Whether the report says this table has nothing to show (in its notes or its narrative section)."""
        if any(says_empty(note) for note in table.notes):
            return True
        return any(says_empty(s.text) for s in self.narrative_sections_about(table))

    def unread(self, table: Table | None) -> bool:
        """A standard table read as blank or zeros that the report does not call empty: its figures are
        not evidence (usually a layout the parser could not read), so nothing is compared with it."""
        if table is None:
            return False
        if table.key not in self._unread:
            self._unread[table.key] = (
                table.kind in STANDARD_KINDS and self.is_blank(table) and not self.said_empty(table)
            )
        return self._unread[table.key]

    def unsure_labels(self) -> dict[str, str]:
        """Tables whose cells may be misread, by label, with why: a disagreement with one of their cells is
        a doubt to check, not an error. A table read from word positions (printed without ruling lines),
        or one with figures read under a label column ('科目编码', '项目': its columns were misaligned)."""
        out: dict[str, str] = {}
        for table in self.tables:
            if table.rows and not all(getattr(r, "ruled", True) for r in table.rows):
                out[table.label] = "所涉表格没有框线，按文字位置读取，可能是读取误差，请对照原表核实"
            elif any(_LABEL_COLUMNS & set(column_parts(f)) for f in self.facts_of(table)):
                out[table.label] = "所涉表格有数字读在“科目编码/项目”等栏下，栏位可能错位，请对照原表核实"
        return out

    def narrative_sections_about(self, table: Table) -> list[Section]:
        """The narrative sections headed like the table ('八、政府性基金预算财政拨款收入支出决算情况说明')."""
        core = title_core(table.title)
        return [s for s in self.sections if len(s.heading_path) >= 2 and core and heading_core(s.heading_path[1]) == core]


def heading_core(heading: str) -> str:
    core = re.sub(r"(总体)?情况(说明)?$|说明$", "", clean(heading))
    return re.sub(r"(总表|明细表|表)$", "", core) if core.endswith("表") else core


def title_core(title: str) -> str:
    core = re.sub(r"^\d{4}年度?", "", clean(title))
    return re.sub(r"(总表|明细表|表)$", "", core)


_PAGE_MARK = re.compile(r"=== page \d+ ===")


def prepare(text: str) -> str:
    """Text reduced for matching figures: NFKC, no quotes, blanks, page marks or (类)/(款)/(项)."""
    text = normalize(_PAGE_MARK.sub("", text))
    text = re.sub(r"[“”\"'‘’「」]", "", text)
    text = text.replace("收、支", "收支")
    text = re.sub(r"\((类|款|项)\)", "", text)
    return re.sub(r"[ \t]+", "", text)



def item_title(section: Section) -> str:
    """'1. 一般公共服务支出(类)' → '一般公共服务支出'; '' for a section that is not a numbered item."""
    if not section.heading_path:
        return ""
    heading = section.heading_path[-1]
    last = prepare(heading)
    m = re.match(r"^\d+[.、](.+)$", last)
    if not m:
        return ""
    title = m.group(1)
    # A heading cut at the end of a printed line ('…养老支出(款)' + '行政单位离退休(项)。主要用于…'):
    # the subject runs on to the (项) that ends it.
    text = normalize(_PAGE_MARK.sub("", section.text)).lstrip()
    if not compact(text).startswith(compact(normalize(heading))[:6]) and not compact(heading).endswith("(项)"):
        continuation = re.split(r"[。,:;]", text, maxsplit=1)[0]
        if len(continuation) <= 24 and re.search(r"\((项|款)\)$", compact(continuation)):
            title += prepare(continuation)
    title = re.split(r"[,。:;]|\d[\d,.]*(?:亿元|万元|元|%)", title)[0]
    return re.sub(r"(项目)?(绩效)?自评综述$", "", title)

