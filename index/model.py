"""Typed values handed between ingestion stages: pages, sections, tables, facts, chunks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Classification = Literal["功能分类", "经济分类", ""]


@dataclass(frozen=True)
class Line:
    """One line of running text (outside any table) on a page."""

    page: int | None
    text: str


@dataclass(frozen=True)
class Row:
    """One table row as a list of cell texts, on a page."""

    page: int | None
    cells: tuple[str, ...]


Block = Line | Row


class Located:
    """Something under a heading path on some pages: a section, a chunk, a retrieved passage."""

    heading_path: tuple[str, ...]
    pages: tuple[int, ...]

    @property
    def heading(self) -> str:
        return " › ".join(self.heading_path)

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None


@dataclass(frozen=True)
class Section(Located):
    """A headed piece of the report's narrative, with its heading path and pages."""

    report_id: str
    heading_path: tuple[str, ...]
    text: str
    pages: tuple[int, ...]
    position: int


@dataclass(frozen=True)
class Table:
    """A 公开NN表 or 绩效自评表, possibly spanning pages, as header paths and rows."""

    report_id: str
    key: str  # how the report numbers it ("公开06表", "表1"), or the title for tables without a number
    number: int | None
    title: str
    kind: str  # e.g. "income_expenditure_total", "project_performance", "overall_performance"
    unit: str
    pages: tuple[int, ...]
    notes: tuple[str, ...]
    rows: tuple[Row, ...]
    header_rows: int
    project: str = ""  # project name for a 项目绩效自评表

    @property
    def label(self) -> str:
        """How a citation names this table."""
        if self.number is not None:
            return f"{self.key} {self.title}"
        return self.title


@dataclass(frozen=True)
class Fact:
    """One numeric cell (or one stated figure) with everything needed to cite it."""

    report_id: str
    table: str
    table_title: str
    row: str
    code: str
    classification: Classification
    column: str
    value: float
    unit: str
    page: int | None
    row_number: int | None = None  # the 行次 of the row, where the table numbers its rows
    column_number: int | None = None  # the 栏次 of the column, where the table numbers them
    source: Literal["table", "text"] = "table"
    quote: str = ""
    table_kind: str = ""  # the TableKind id of its table ("expenditure", "three_public", …); "" for prose


    @property
    def level(self) -> str:
        """类 / 款 / 项 for a subject code, else ''."""
        return {3: "类", 5: "款", 7: "项"}.get(len(self.code), "") if self.code else ""

    def to_record(self) -> dict:
        return {
            "report": self.report_id,
            "table": self.table,
            "table_title": self.table_title,
            "row": self.row,
            "code": self.code,
            "classification": self.classification,
            "column": self.column,
            "value": self.value,
            "unit": self.unit,
            "page": self.page,
            "table_kind": self.table_kind,
        }


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check formula applied to one table row or column."""

    table: str
    formula: str
    row: str
    column: str
    stated: float
    computed: float
    page: int | None
    passed: bool

    @property
    def status(self) -> Literal["ok", "rounding", "error"]:
        """'ok' when the printed figures agree to the cent; 'rounding' when they differ by no more than
        the operands' rounding (a note, not an error); else 'error'."""
        if abs(self.stated - self.computed) < 0.005:
            return "ok"
        return "rounding" if self.passed else "error"


@dataclass(frozen=True)
class Chunk(Located):
    """A retrievable passage with its heading path and pages."""

    id: str
    report_id: str
    heading_path: tuple[str, ...]
    text: str
    pages: tuple[int, ...]
    kind: Literal["section", "table"] = "section"


@dataclass(frozen=True)
class ReportIdentity:
    department: str
    year: int | None
    title: str


@dataclass
class ParsedReport:
    """Everything parsed from one report file."""

    report_id: str
    path: str
    source_hash: str
    identity: ReportIdentity
    page_count: int
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    parser: str = ""  # the parser version that produced it: a stored copy from an older parser is re-parsed

    @property
    def failed_checks(self) -> list[CheckResult]:
        """Checks that fail by more than rounding: the report's real inconsistencies (or a parse error)."""
        return [c for c in self.checks if c.status == "error"]

    @property
    def rounding_notes(self) -> list[CheckResult]:
        return [c for c in self.checks if c.status == "rounding"]
