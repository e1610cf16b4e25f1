"""Audit one report: check formulas, identities between tables, narrative figures, project self-evaluations."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from assistant.errors import UnknownReport
from index.checks import parse_formulas, tolerance
from index.mentions import section_label
from index.model import CheckResult, Fact, Section, Table
from index.normalize import compact, normalize
from index.store import FactStore

Severity = Literal["error", "rounding", "info"]
CheckKind = Literal[
    "table_formula",  # a check formula printed under a table, or the 合计 = Σ类 = ΣΣ款 hierarchy
    "printed_formula",  # a check formula that is wrong as printed
    "cross_table",  # an identity between two 公开表
    "narrative_amount",  # a figure in 第三部分 that restates a table cell
    "narrative_share",  # "占本年支出 65.7%"
    "narrative_growth",  # "增加 184.88 万元, 增长 29.6%"
    "narrative_rate",  # "完成预算的 93.29%"
    "narrative_sum",  # class budgets in 五(三) against the stated total
    "project_amount",  # a project's 预算数 / 执行数 in the narrative against its 自评表
    "project_rate",  # 执行率 = 执行数 / 预算数 in a 项目绩效自评表
    "project_total",  # Σ 项目执行数 = 项目支出
]

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "rounding": "舍入差异", "info": "提示"}
_SEVERITY_RANK = {"error": 0, "rounding": 1, "info": 2}
# How each side of a finding is introduced, by check: (stated side, computed side).
_SIDE_WORDS: dict[str, tuple[str, str]] = {
    "table_formula": ("表中为", "按公式计算为"),
    "printed_formula": ("", ""),
    "cross_table": ("表中为", "对应表中为"),
    "narrative_amount": ("正文写作", "表中为"),
    "narrative_share": ("正文写作", "按表计算为"),
    "narrative_growth": ("正文写作", "按表计算为"),
    "narrative_rate": ("正文写作", "计算为"),
    "narrative_sum": ("正文写作", "各项相加为"),
    "project_amount": ("正文写作", "自评表中为"),
    "project_rate": ("表中写作", "执行数/预算数为"),
    "project_total": ("各项目执行数之和为", "项目支出为"),
}


@dataclass(frozen=True)
class Source:
    """One cited side of a comparison: a table cell, or a sentence of the narrative."""

    table: str  # table label ("公开05表 2023 年度…") or section label ("第三部分… › 五、…")
    row: str  # the row, or the words naming the figure in the sentence
    column: str = ""
    page: int | None = None
    value: float | None = None
    quote: str = ""

    @property
    def label(self) -> str:
        """'公开05表 …“合计”本年支出 › 小计，第17页' — how a finding cites it."""
        where = f"“{self.row}”" if self.row else ""
        column = f" {self.column}" if self.column else ""
        page = f"，第{self.page}页" if self.page else ""
        return f"{self.table}{where}{column}{page}"


@dataclass(frozen=True)
class Finding:
    """One discrepancy (or note) found by the audit, with both sides cited."""

    severity: Severity
    check: CheckKind
    subject: str  # what was checked, in the report's words
    stated: float | None  # what the report states (table cell or narrative figure)
    computed: float | None  # what the tables give
    unit: str  # "万元", "%" or the table's unit
    formula: str  # the arithmetic, with its operands
    stated_at: tuple[Source, ...]
    computed_from: tuple[Source, ...]
    note: str = ""  # why this severity

    @property
    def message(self) -> str:
        """One Chinese sentence: what is stated, what the tables give."""
        if self.check == "printed_formula":
            return f"{self.subject}：{self.note}"
        stated_words, computed_words = _SIDE_WORDS[self.check]
        text = (
            f"{self.subject}：{stated_words} {_fmt(self.stated, self.unit, exact=True)}，"
            f"{computed_words} {_fmt(self.computed, self.unit)}"
        )
        return text + (f"（{self.note}）" if self.note else "")

    def to_dict(self) -> dict:
        return {
            "severity": self.severity,
            "severity_label": SEVERITY_LABELS[self.severity],
            "check": self.check,
            "subject": self.subject,
            "message": self.message,
            "stated": self.stated,
            "computed": None if self.computed is None else round(self.computed, 4),
            "unit": self.unit,
            "formula": self.formula,
            "note": self.note,
            "stated_at": [asdict(s) for s in self.stated_at],
            "computed_from": [asdict(s) for s in self.computed_from],
        }


def audit_report(store: FactStore, report_id: str) -> list[Finding]:
    """Every discrepancy in one stored report: errors first, then rounding mismatches, then notes."""
    if store.report(report_id) is None:
        raise UnknownReport(f"找不到报告“{report_id}”，请先用 ingest 导入，或用 reports 查看已导入的报告 id。")
    report = _Report(
        facts=store.facts(report_id),
        sections=store.sections(report_id),
        tables=store.tables(report_id),
    )
    findings = _formula_findings(report, store.checks(report_id))
    findings += _Identities(report).findings()
    findings += _Narrative(report).findings()
    findings += _project_findings(report)
    return sorted(findings, key=lambda f: _SEVERITY_RANK[f.severity])


def render_findings(findings: list[Finding]) -> str:
    """The findings as plain Chinese text, grouped by severity, each with both citations."""
    if not findings:
        return "核对完毕，未发现不一致：各表校验公式、表间关系、正文数字与项目执行率均能对上。"
    lines = [_headline(findings)]
    for severity in ("error", "rounding", "info"):
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines.append("")
        lines.append(f"【{SEVERITY_LABELS[severity]}】")
        for i, finding in enumerate(group, 1):
            lines.append(f"{i}. {finding.message}")
            if finding.formula:
                lines.append(f"   算式：{finding.formula}")
            for source in finding.stated_at:
                lines.append(f"   所述：{source.label}")
            for source in finding.computed_from:
                lines.append(f"   依据：{source.label}")
    return "\n".join(lines)


def audit_answer_text(findings: list[Finding]) -> str:
    """A short Chinese chat answer to 'does this report add up?'."""
    scope = "我核对了各表的校验公式、表与表之间的勾稽关系、第三部分正文中的金额、占比、增幅和完成率，以及项目执行率。"
    if not findings:
        return scope + "没有发现不一致，数据都能对上。"
    lines = [scope + _headline(findings)]
    for finding in findings:
        where = next((s for s in finding.stated_at if s.page), None)
        page = f"见第{where.page}页。" if where else ""
        lines.append(f"- [{SEVERITY_LABELS[finding.severity]}] {finding.message}。{page}")
    if any(f.severity == "rounding" for f in findings):
        lines.append("舍入差异：正文的数字与按表中数字计算、再按正文的小数位数四舍五入的结果只差最后一位，多为凑整所致。")
    return "\n".join(lines)


def _headline(findings: list[Finding]) -> str:
    counts = [
        f"{n} 处{SEVERITY_LABELS[s]}" if s != "info" else f"{n} 条{SEVERITY_LABELS[s]}"
        for s in ("error", "rounding", "info")
        if (n := sum(f.severity == s for f in findings))
    ]
    return "发现 " + "、".join(counts) + "："


# --- the report as the audit sees it ---


@dataclass
class _Report:
    """One stored report's facts, sections and tables, indexed by table kind and key."""

    facts: list[Fact]
    sections: list[Section]
    tables: list[Table]
    by_key: dict[str, Table] = field(init=False)
    by_kind: dict[str, Table] = field(init=False)
    table_facts: dict[str, list[Fact]] = field(init=False)

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
            if isinstance(row, str) and _clean(fact.row) != row:
                continue
            parts = _column_parts(fact)
            if all(c in parts for c in column):
                return fact
        return None

    def row_names(self, table: Table | None) -> set[str]:
        """Every label printed in a table, empty rows included."""
        if table is None:
            return set()
        labels = (_clean(cell) for row in table.rows for cell in row.cells if cell and not _NUMERIC.match(cell))
        return {re.sub(r"^\d+", "", label) for label in labels}


_NUMERIC = re.compile(r"^[\d,.\s%-]+$")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]\s*|[(][一二三四五六七八九十]+[)])")
# The three kinds of fiscal money, as both summary tables spell them ("国有资本经营(预算)财政拨款").
_FUNDS = {"一般公共预算": "一般公共预算财政拨款", "政府性基金": "政府性基金预算财政拨款", "国有资本经营": "国有资本经营预算财政拨款"}
_FISCAL_KINDS = ("fiscal_total", "general_budget_expenditure", "government_fund", "state_capital")
_FUND_PREFIX = {
    "general_budget_expenditure": "一般公共预算财政拨款",
    "government_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
}


def _clean(text: str) -> str:
    """A label reduced for matching: NFKC, no blanks, quotes or (类)/(款)/(项), no leading ordinal."""
    text = compact(text)
    text = re.sub(r"[“”\"'‘’「」]", "", text)
    text = re.sub(r"\((类|款|项)\)", "", text)
    return _ORDINAL.sub("", text)


def _column_parts(fact: Fact) -> list[str]:
    return [_clean(p) for p in fact.column.split("›")]


def _wanyuan(fact: Fact) -> float:
    """A money cell in 万元, whatever unit its table is in (公开09表 is often in 元)."""
    if fact.unit == "元":
        return fact.value / 10000
    if fact.unit == "亿元":
        return fact.value * 10000
    return fact.value


def _cell_source(report: _Report, fact: Fact | None, table: Table, row: str, column: str = "") -> Source:
    if fact is None:  # an empty cell: the table prints nothing, which means zero
        return Source(table.label, row, column, table.pages[0] if table.pages else None, 0.0)
    return Source(table.label, fact.row, fact.column, fact.page, round(_wanyuan(fact), 6))


def _value(fact: Fact | None) -> float:
    return _wanyuan(fact) if fact else 0.0


# --- 1. check formulas under the tables (run at ingest) and formulas that are wrong as printed ---


def _formula_findings(report: _Report, checks: list[CheckResult]) -> list[Finding]:
    out: list[Finding] = []
    for check in checks:
        if check.passed:
            continue
        table = report.by_key.get(check.table)
        label = table.label if table else check.table
        unit = table.unit if table else ""
        out.append(
            Finding(
                severity="error",
                check="table_formula",
                subject=f"{check.table}“{check.row}”{check.column}",
                stated=check.stated,
                computed=check.computed,
                unit=unit,
                formula=check.formula,
                stated_at=(Source(label, check.row, check.column, check.page, check.stated),),
                computed_from=(Source(label, check.formula, check.column, check.page, check.computed),),
                note=f"相差 {abs(check.stated - check.computed):.2f}",
            )
        )
    for table in report.tables:
        _, warnings = parse_formulas(table.notes)
        for warning in warnings:
            page = table.pages[-1] if table.pages else None
            quote = next((n for n in table.notes if re.search(r"\d+\s*(行|栏)\s*=", n)), "")
            out.append(
                Finding(
                    severity="info",
                    check="printed_formula",
                    subject=f"{table.key}注中的校验公式",
                    stated=None,
                    computed=None,
                    unit="",
                    formula="",
                    stated_at=(Source(table.label, "注", "", page, None, quote),),
                    computed_from=(),
                    note=warning,
                )
            )
    return out


# --- 2. identities between tables ---


@dataclass(frozen=True)
class _Term:
    """One side's operand: a cell in 万元 (an empty cell is zero) and its citation."""

    value: float
    source: Source


class _Identities:
    """The format's identities between 公开01–08表, each compared within the tables' rounding."""

    def __init__(self, report: _Report):
        self.report = report
        self.out: list[Finding] = []
        self.compared = 0
        kinds = (
            "income_expenditure_total", "income", "expenditure", "fiscal_total", "general_budget_expenditure",
            "basic_expenditure_detail", "government_fund", "state_capital",
        )
        tables = [report.table(k) for k in kinds]
        self.t01, self.t02, self.t03, self.t04, self.t05, self.t06, self.t07, self.t08 = tables

    def findings(self) -> list[Finding]:
        self._balances()
        if self.t01 and self.t04:
            self._fiscal_income()
            self._fiscal_expenditure()
        if self.t01 and self.t02:
            self._income()
        if self.t01 and self.t03:
            self._expenditure()
        if self.t04 and self.t05:
            self._general_budget()
        if self.t03 and self.t05:
            self._general_budget_within_all_funds()
        if self.t05 and self.t06:
            self._basic_expenditure()
        if self.t04 and self.t07:
            self._government_fund()
        if self.t04 and self.t08:
            total = self._find(self.t08, "合计", "合计") or self._find(self.t08, "合计", "小计")
            self._equal(
                "国有资本经营预算财政拨款支出（公开08表与公开04表）",
                [self._term(self.t08, total, "合计", "本年支出 › 合计")],
                [self._cell(self.t04, "本年支出合计", "国有资本经营预算财政拨款")],
            )
        return self.out

    # cells and comparisons

    def _find(self, table: Table, row, *column: str, code: str | None = None) -> Fact | None:
        return self.report.find(table, row, *column, code=code)

    def _term(self, table: Table, fact: Fact | None, row: str, column: str = "") -> _Term:
        return _Term(_value(fact), _cell_source(self.report, fact, table, row, column))

    def _cell(self, table: Table, row: str, *column: str) -> _Term:
        return self._term(table, self._find(table, row, *column), row, " › ".join(column))

    def _income_row(self, table: Table, fund: str) -> _Term:
        """'一、一般公共预算财政拨款(收入)': the ordinal-numbered income row of one kind of fiscal money."""
        fact = self._find(table, lambda f: bool(_ORDINAL.match(compact(f.row))) and fund in f.row, "收入")
        return self._term(table, fact, _FUNDS[fund], "收入")

    def _equal(self, subject: str, left: list[_Term], right: list[_Term], *, at_most: bool = False) -> None:
        self.compared += 1
        stated, computed = sum(t.value for t in left), sum(t.value for t in right)
        slack = tolerance(len(left) + len(right) - 1)
        if (stated <= computed + slack) if at_most else (abs(stated - computed) <= slack):
            return
        relation = "≤" if at_most else "="
        self.out.append(
            Finding(
                "error", "cross_table", subject, round(stated, 4), round(computed, 4), "万元",
                f"{_terms_text(left)} {relation} {_terms_text(right)}",
                tuple(t.source for t in left), tuple(t.source for t in right),
                note="部分不应大于整体" if at_most else f"相差 {abs(stated - computed):.2f}",
            )
        )

    def _classes(
        self, left: Table, left_column: tuple[str, ...], right: Table, right_column: tuple[str, ...],
        *, at_most: bool = False,
    ) -> None:
        """Each 类 (functional class) in one table against the row of the same name in another."""

        def classes(table: Table, column: tuple[str, ...]) -> dict[str, Fact]:
            return {
                _clean(f.row): f for f in self.report.facts_of(table)
                if all(c in _column_parts(f) for c in column) and (len(f.code) == 3 or _is_class_row(f))
            }

        left_classes, right_classes = classes(left, left_column), classes(right, right_column)
        left_names, right_names = self.report.row_names(left), self.report.row_names(right)
        relation = "不大于" if at_most else "等于"
        for name in sorted(set(left_classes) | set(right_classes)):
            # Only rows both tables print: a class missing from one template is not a discrepancy.
            if name not in left_names or name not in right_names:
                continue
            self._equal(
                f"{name}（{left.key}{relation}{right.key}）",
                [self._term(left, left_classes.get(name), name, " › ".join(left_column))],
                [self._term(right, right_classes.get(name), name, " › ".join(right_column))],
                at_most=at_most,
            )

    # the identities

    def _balances(self) -> None:
        """Each summary table balances: 收入总计 = 支出总计."""
        if self.t01:
            self._equal("公开01表 收入总计与支出总计", [self._cell(self.t01, "总计", "收入")], [self._cell(self.t01, "总计", "支出")])
        if self.t04:
            self._equal(
                "公开04表 收入总计与支出总计", [self._cell(self.t04, "总计", "收入")], [self._cell(self.t04, "总计", "支出", "合计")]
            )

    def _fiscal_income(self) -> None:
        for fund in _FUNDS:
            self._equal(
                f"{_FUNDS[fund]}收入（公开01表与公开04表）",
                [self._income_row(self.t01, fund)], [self._income_row(self.t04, fund)],
            )

    def _fiscal_expenditure(self) -> None:
        """公开04表 against 公开01表: equal when the department has only fiscal money, else 04 ≤ 01."""
        facts01 = self.report.facts_of(self.t01)
        non_fiscal = [
            f for f in facts01
            if "收入" in _column_parts(f) and _ORDINAL.match(compact(f.row)) and "财政拨款" not in f.row
        ] + [f for f in facts01 if _clean(f.row) == "使用非财政拨款结余"]
        opening = _value(self._find(self.t01, "年初结转和结余", "收入")) - _value(self._find(self.t04, "年初财政拨款结转和结余", "收入"))
        at_most = any(abs(f.value) > 0.005 for f in non_fiscal) or abs(opening) > 0.005
        relation = "不大于" if at_most else "等于"
        for row01, row04 in (("本年支出合计", "本年支出合计"), ("年末结转和结余", "年末财政拨款结转和结余"), ("总计", "总计")):
            self._equal(
                f"{row04}（公开04表{relation}公开01表）",
                [self._cell(self.t04, row04, "支出", "合计")], [self._cell(self.t01, row01, "支出")], at_most=at_most,
            )
        self._classes(self.t04, ("支出", "合计"), self.t01, ("支出",), at_most=at_most)

    def _income(self) -> None:
        """公开02表's 合计 row against the income side of 公开01表."""
        self._equal(
            "本年收入合计（公开02表与公开01表）",
            [self._cell(self.t02, "合计", "本年收入合计")], [self._cell(self.t01, "本年收入合计", "收入")],
        )
        self._equal(
            "财政拨款收入（公开02表与公开01表）",
            [self._cell(self.t02, "合计", "财政拨款收入")], [self._income_row(self.t01, fund) for fund in _FUNDS],
        )
        rows01 = self.report.row_names(self.t01)
        for fact in self.report.facts_of(self.t02):
            column = _column_parts(fact)[-1]
            if _clean(fact.row) == "合计" and column not in ("本年收入合计", "财政拨款收入") and column in rows01:
                self._equal(
                    f"{column}（公开02表与公开01表）",
                    [self._term(self.t02, fact, "合计", column)], [self._cell(self.t01, column, "收入")],
                )

    def _expenditure(self) -> None:
        self._equal(
            "本年支出合计（公开03表与公开01表）",
            [self._cell(self.t03, "合计", "本年支出合计")], [self._cell(self.t01, "本年支出合计", "支出")],
        )
        self._classes(self.t03, ("本年支出合计",), self.t01, ("支出",))

    def _general_budget(self) -> None:
        self._equal(
            "一般公共预算财政拨款支出（公开05表与公开04表）",
            [self._cell(self.t05, "合计", "小计")], [self._cell(self.t04, "本年支出合计", "一般公共预算财政拨款")],
        )
        self._classes(self.t05, ("小计",), self.t04, ("支出", "一般公共预算财政拨款"))

    def _general_budget_within_all_funds(self) -> None:
        """公开05表 is the general-budget part of 公开03表: none of its cells exceeds its counterpart."""
        for fact in self.report.facts_of(self.t05):
            column = _column_parts(fact)[-1]
            row = _clean(fact.row)
            if row != "合计" and not fact.code:
                continue
            other = self._find(self.t03, row, {"小计": "本年支出合计"}.get(column, column), code=fact.code)
            if other is not None:
                self._equal(
                    f"“{fact.row}”{column}（公开05表不大于公开03表）",
                    [self._term(self.t05, fact, fact.row, fact.column)],
                    [self._term(self.t03, other, other.row, other.column)],
                    at_most=True,
                )

    def _basic_expenditure(self) -> None:
        """人员经费合计 + 公用经费合计 (公开06表) = 基本支出 (公开05表)."""
        self._equal(
            "基本支出（公开06表人员经费与公用经费之和，公开05表基本支出）",
            [self._cell(self.t06, "人员经费合计"), self._cell(self.t06, "公用经费合计")],
            [self._cell(self.t05, "合计", "基本支出")],
        )

    def _government_fund(self) -> None:
        """公开07表's 合计 row against the 政府性基金 column and rows of 公开04表."""
        fund = "政府性基金预算财政拨款"
        # The 年初 sub-row of 公开04表 ('政府性基金预算财政拨款' without an ordinal, under 年初结转和结余).
        opening = self._find(
            self.t04, lambda f: not _ORDINAL.match(compact(f.row)) and fund in f.row and "结转" not in f.row, "收入"
        )
        pairs = [
            ("本年支出", [self._cell(self.t07, "合计", "本年支出", "小计")], [self._cell(self.t04, "本年支出合计", fund)]),
            ("本年收入", [self._cell(self.t07, "合计", "本年收入")], [self._income_row(self.t04, "政府性基金")]),
            ("年初结转和结余", [self._cell(self.t07, "合计", "年初结转和结余")], [self._term(self.t04, opening, fund, "收入")]),
            ("年末结转和结余", [self._cell(self.t07, "合计", "年末结转和结余")], [self._cell(self.t04, "年末财政拨款结转和结余", fund)]),
        ]
        for what, left, right in pairs:
            self._equal(f"{fund}{what}（公开07表与公开04表）", left, right)


def _is_class_row(fact: Fact) -> bool:
    """A '一、一般公共服务支出' row of 公开01/04表: ordinal-numbered and an expenditure."""
    return bool(_ORDINAL.match(compact(fact.row))) and "支出" in _column_parts(fact) and _clean(fact.row).endswith("支出")


def _terms_text(terms: list[_Term]) -> str:
    return " + ".join(f"{t.source.table.split(' ')[0]}“{t.source.row}”{_num(t.value)}" for t in terms)


# --- 3. figures in the narrative (第三部分) ---

_FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(亿元|万元|元|%)")
_BOUNDARY = re.compile(r"[,;:、]|\((?:含|其中|包括)")
_CHANGE_VERB = re.compile(r"(增加|减少|增长|下降|降低|上升|节约|超支)$")
_LEADING = re.compile(r"^(其中|主要是|主要用于|主要|包括|以及|具体为|另外|和|及|即|含|分别为|分别是)+")
_TRAILING = re.compile(r"(为|是|达到|达|约|了|各|共计|共|合计为)$")
_LABEL = re.compile(r"(年初预算数?|全年预算数?|调整预算数?|预算数|支出决算数?|决算数|执行数)$")
_RATE = re.compile(r"(完成(全年|年初|调整|年度)?预算(数)?的?|执行率(为|达到|达)?)$")
_SHARE_TAIL = re.compile(r"(的)?(比重|比例)?(为|是)?$")
_GENERIC_ENTITIES = {"", "项目", "资金", "其中", "合计", "支出", "当年", "本年"}
_THREE_PUBLIC_ITEMS = ("公务用车购置及运行费", "因公出国(境)费", "公务用车购置费", "公务用车运行费", "公务接待费")
_MIN_SUFFIX = 4  # an alias shorter than this must match the whole subject ("奖金", "电费")


_Reading = tuple[float, tuple[Source, ...]]  # a value the tables give, with the cells it comes from


@dataclass
class _Figure:
    """One number with a unit in a sentence, and what the words around it say it is."""

    value: float  # 万元 for money, percentage points for %
    unit: str  # "万元" or "%"
    decimals: int
    role: str  # amount | change | prior | threshold | share | growth | rate | other
    subject: str  # the words naming it, cleaned
    label: str  # budget | actual | ""
    label_text: str  # "年初预算", "全年预算", "支出决算": what a 五(三) sum adds up
    entity: str  # what it is about, the label removed (inherited from context when empty)
    denominator: str  # for shares: the named whole ("" = the section's lead total)
    start: int
    end: int
    raw_start: int
    sentence: str  # as prepared for matching (no blanks or quotes)
    printed: str  # as printed, for the citation
    sentence_index: int
    section: Section
    resolved: _Reading | None = None  # the table value this figure restates

    @property
    def source(self) -> Source:
        return self.claim_source(self.raw_start)

    def claim_source(self, start: int) -> Source:
        """The sentence cited, with the words from `start` to the figure as the stated 'row'."""
        claim = re.sub(r"^\d+\.", "", self.sentence[start : self.end])
        return Source(section_label(self.section), claim, "", self.section.page, self.value, self.printed)

    @property
    def number(self) -> float:
        """The table's value where the figure restates a cell, else the figure as printed."""
        return self.resolved[0] if self.resolved else self.value

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.resolved[1] if self.resolved else (self.source,)


def _is_narrative(section: Section) -> bool:
    top = compact(section.heading_path[0]) if section.heading_path else ""
    return top.startswith("第三部分") or "决算情况说明" in top


def _prepare(text: str) -> str:
    text = normalize(text)
    text = re.sub(r"[“”\"'‘’「」]", "", text)
    text = text.replace("收、支", "收支")
    text = re.sub(r"\((类|款|项)\)", "", text)
    return re.sub(r"[ \t]+", "", text)


def _sentences(text: str) -> list[tuple[str, str]]:
    """(sentence prepared for matching, sentence as printed) pairs."""
    printed = (s.strip() for line in normalize(text).split("\n") for s in line.split("。"))
    return [(prepared, s) for s in printed if (prepared := _prepare(s))]


def _parse_sentence(sentence: str, printed: str, index: int, section: Section, context_entity: str) -> list[_Figure]:
    figures: list[_Figure] = []
    entity = context_entity
    last_end = 0
    for m in _FIGURE.finditer(sentence):
        number, unit = m.group(1), m.group(2)
        value = float(number.replace(",", ""))
        if unit == "元":
            value, unit = value / 10000, "万元"
        elif unit == "亿元":
            value, unit = value * 10000, "万元"
        decimals = len(number.split(".")[1]) if "." in number else 0
        before = sentence[last_end : m.start()]
        cut = max((b.end() for b in _BOUNDARY.finditer(before)), default=0)
        raw_start = last_end + cut
        raw = sentence[raw_start : m.start()]
        after = sentence[m.end() :]
        figure = _Figure(
            value=value, unit=unit, decimals=decimals, role="other", subject="", label="", label_text="",
            entity="", denominator="", start=m.start(), end=m.end(), raw_start=raw_start, sentence=sentence,
            printed=printed, sentence_index=index, section=section,
        )
        if unit == "%":
            _classify_percent(figure, raw)
        else:
            entity = _classify_amount(figure, raw, after, entity)
        figures.append(figure)
        last_end = m.end()
    return figures


def _classify_amount(figure: _Figure, raw: str, after: str, entity: str) -> str:
    """Set role, subject, label and entity of a money figure; return the entity for the next one."""
    if re.match(r"^\((含)\)|^(以上|以下|以内)", after):
        figure.role = "threshold"  # "单价 50 万元(含)以上": a threshold, not an amount
        return entity
    if after.startswith("相比"):
        figure.role = "prior"  # "与 2022 年度决算数 28.73 万元相比"
        return entity
    subject = _strip_subject(raw)
    if _CHANGE_VERB.search(subject):
        figure.role = "change"
        subject = _CHANGE_VERB.sub("", subject)
        subject = re.sub(r"^(与\d{4}年度?相比|相比)", "", subject)
        subject = re.sub(r"(比上年|较上年|同比|比\d{4}年度?)$", "", subject)
        figure.subject = figure.entity = _TRAILING.sub("", subject)
        return entity
    figure.role = "amount"
    figure.subject = subject
    label = _LABEL.search(subject)
    if label:
        text = label.group(1)
        figure.label = "budget" if "预算" in text else "actual"
        figure.label_text = text.removesuffix("数")
        own = subject[: label.start()].removesuffix("的")
        if own not in _GENERIC_ENTITIES:
            entity = own
        figure.entity = entity if own in _GENERIC_ENTITIES else own
    else:
        figure.entity = subject
    return entity


def _classify_percent(figure: _Figure, raw: str) -> None:
    subject = _strip_subject(raw)
    figure.subject = subject
    if "占" in subject:
        figure.role = "share"
        figure.denominator = _SHARE_TAIL.sub("", subject.rsplit("占", 1)[1]).removesuffix("的")
    elif _CHANGE_VERB.search(_TRAILING.sub("", subject)):
        figure.role = "growth"
    elif _RATE.search(subject):
        figure.role = "rate"


def _strip_subject(raw: str) -> str:
    subject = re.sub(r"\d{4}年(\d{1,2}月\d{1,2}日)?度?", "", raw)
    subject = re.sub(r"^截至", "", subject)
    subject = re.sub(r"^\d+\.", "", subject)
    subject = _LEADING.sub("", subject)
    previous = None
    while previous != subject:
        previous = subject
        subject = _TRAILING.sub("", subject)
    return subject


@dataclass(frozen=True)
class _Alias:
    name: str
    fact: Fact
    table: Table

    @property
    def general(self) -> bool:
        """Whether the name means this cell outside the table's own section too: totals and 类 do, '行政运行'
        may not, and a bare '本年收入' of a fiscal-money table means the department's 本年收入 elsewhere."""
        code, kind = self.fact.code, self.table.kind
        if len(code) == 3:
            return kind != "basic_expenditure_detail"
        if code:
            return False
        return kind not in _FISCAL_KINDS or "财政拨款" in self.name or "预算" in self.name


class _Narrative:
    """Recompute every figure of 第三部分 that restates a table cell or a ratio of cells."""

    def __init__(self, report: _Report):
        self.report = report
        self.sections = [s for s in report.sections if _is_narrative(s)]
        self.by_path = {s.heading_path: s for s in self.sections}
        self.aliases: dict[str, list[_Alias]] = {}  # table key → aliases
        for table in report.tables:
            if table.number is None:
                continue
            for fact in report.facts_of(table):
                for name in _aliases(fact, table):
                    self.aliases.setdefault(table.key, []).append(_Alias(name, fact, table))
        self.figures: dict[tuple, list[_Figure]] = {}
        for section in self.sections:
            context = _item_title(section)
            figures: list[_Figure] = []
            for i, (sentence, printed) in enumerate(_sentences(section.text)):
                figures.extend(_parse_sentence(sentence, printed, i, section, context))
            self.figures[section.heading_path] = figures
        self.out: list[Finding] = []

    def findings(self) -> list[Finding]:
        for section in self.sections:
            primary = self._primary(section)
            project = _project_table(self.report, section)
            if project is not None:
                self._project(section, project)
            for figure in self.figures[section.heading_path]:
                # A project's paragraph speaks of the project, not of the 公开表 ('物资站人员经费 执行数').
                if figure.role == "amount" and project is None and not _is_project_item(section):
                    self._amount(figure, primary)
            for figure in self.figures[section.heading_path]:
                if figure.role == "share":
                    self._share(figure, primary)
                elif figure.role == "growth":
                    self._growth(figure, primary)
                elif figure.role == "rate":
                    self._rate(figure)
            self._item_sums(section)
        if not _project_tables(self.report):
            self.out.extend(_project_total(self.report, self._narrated_projects()))
        return self.out

    # which table a section describes: "二、收入决算情况说明" ↔ "2023 年度收入决算表"

    def _primary(self, section: Section) -> Table | None:
        if len(section.heading_path) < 2:
            return None
        core = _heading_core(section.heading_path[1])
        for table in self.report.tables:
            if table.number is not None and _title_core(table.title) == core:
                return table
        return None

    # amounts

    def _candidates(
        self, name: str, primary: Table | None, *, budget: bool, every_reading: bool = False
    ) -> list[_Reading]:
        """Table cells a narrative name can restate: the section's own table first, then any 公开表
        (with every_reading, exact names in both, so that any of them may explain a ratio)."""
        if not name:
            return []
        if (primary is not None and primary.kind == "three_public") or "三公" in name:
            return self._three_public(name, budget)
        if budget:
            return []  # budgets are not in 公开01–08表
        own = [primary] if primary is not None else []
        every = [t for t in self.report.tables if t.number is not None]
        # An exact name anywhere beats a name that merely ends the subject, which only the section's own
        # table may match ("物资站人员经费" is not 公开06表's 人员经费).
        found: list[_Alias] = []
        for scope, exact in ((own, True), (every, True), (own, False)):
            matches = self._alias_matches(name, scope, exact=exact, general=scope is every)
            found += [a for a in matches if a not in found]
            if found and (not every_reading or scope is every):
                break
        return [(_wanyuan(a.fact), (_cell_source(self.report, a.fact, a.table, a.fact.row),)) for a in found]

    def _alias_matches(self, name: str, tables: list[Table], *, exact: bool, general: bool) -> list[_Alias]:
        best: list[_Alias] = []
        best_len = 0
        for table in tables:
            for alias in self.aliases.get(table.key, []):
                if general and not alias.general:
                    continue
                n = len(alias.name)
                if alias.name == name or (not exact and _ends_with(name, alias.name)):
                    if n > best_len:
                        best, best_len = [alias], n
                    elif n == best_len:
                        best.append(alias)
        return best

    def _three_public(self, name: str, budget: bool) -> list[_Reading]:
        table = self.report.table("three_public")
        if table is None:
            return []
        root = "预算数" if budget else "决算数"
        item = next((i for i in _THREE_PUBLIC_ITEMS if i in name), "")
        if not item and "三公" not in name:
            return []
        out = []
        for fact in self.report.facts_of(table):
            parts = _column_parts(fact)
            if not parts or parts[0] != root:
                continue
            leaf = parts[-2] if parts[-1] == "小计" and len(parts) > 2 else parts[-1]
            if (item and leaf == item) or (not item and parts[1:] == ["合计"]):
                out.append((_wanyuan(fact), (_cell_source(self.report, fact, table, fact.row),)))
        return out

    def _amount(self, figure: _Figure, primary: Table | None) -> None:
        name = figure.entity if figure.label else figure.subject
        candidates = self._candidates(name, primary, budget=figure.label == "budget")
        if not candidates:
            return
        verdicts = [(_judge_amount(figure.value, figure.decimals, v), v, sources) for v, sources in candidates]
        agreeing = [v for v in verdicts if v[0] is None]
        if agreeing:
            figure.resolved = (agreeing[0][1], agreeing[0][2])
            return
        severity, value, sources = min(verdicts, key=lambda v: abs(v[1] - figure.value))
        figure.resolved = (value, sources)
        self.out.append(
            Finding(
                severity, "narrative_amount", _subject_words(figure), figure.value, value, "万元",
                f"{_num(figure.value)} ≠ {_num(value)}", (figure.source,), sources,
                note=_severity_note(severity, figure.decimals, value),
            )
        )

    # shares, growth, rates

    def _share(self, figure: _Figure, primary: Table | None) -> None:
        numerator = self._numerator(figure)
        if numerator is None:
            return
        wholes = [w for w in self._wholes(figure, primary) if w[1] != numerator.sources]
        self._ratio(figure, "narrative_share", numerator, wholes, f"{numerator.subject or numerator.entity}占比")

    def _numerator(self, figure: _Figure) -> _Figure | None:
        """The amount just before '，占…': '基本支出 531.51 万元，占本年支出 65.7%'."""
        if not figure.subject.startswith("占"):
            return None
        previous = self._previous(figure, lambda f: f.role == "amount")
        if previous is None or previous.sentence_index != figure.sentence_index:
            return None
        between = figure.sentence[previous.end : figure.raw_start]
        return previous if re.fullmatch(r"[,;:]?", between) else None

    def _wholes(self, figure: _Figure, primary: Table | None) -> list[_Reading]:
        """What a share is of: the named total, or the lead figure of the enclosing section."""
        name = figure.denominator
        if not name:
            lead = self._lead(figure.section)
            return [(lead.number, lead.sources)] if lead else []
        wholes = []
        for candidate in dict.fromkeys((name, name.removesuffix("总额"), name.removesuffix("总数"))):
            wholes += self._candidates(candidate, primary, budget=False, every_reading=True)
        for other in self._section_figures(figure.section):
            if other.role != "amount" or not _before(other, figure):
                continue
            if _same_name(other.subject, name) or _same_name(other.entity, name):
                wholes.append((other.number, other.sources))
        return wholes

    def _lead(self, section: Section) -> _Figure | None:
        """The first amount of the parent section ('支出 809.69 万元，主要用于以下方面：')."""
        parent = self.by_path.get(section.heading_path[:-1]) if _item_title(section) else None
        for candidate in (parent, section):
            if candidate is None:
                continue
            amounts = [f for f in self._section_figures(candidate) if f.role == "amount" and f.label != "budget"]
            if candidate is section:
                amounts = amounts[:1] if amounts and amounts[0].sentence_index == 0 else []
            if amounts:
                return amounts[0]
        return None

    def _growth(self, figure: _Figure, primary: Table | None) -> None:
        change = self._previous(figure, lambda f: f.role == "change")
        if change is None or change.sentence_index != figure.sentence_index:
            return
        decrease = bool(re.search(r"(减少|下降|降低|节约)", change.sentence[change.raw_start : change.start]))
        prior = self._previous(change, lambda f: f.role == "prior")
        if prior is not None and prior.sentence_index == change.sentence_index:
            current = self._previous(prior, lambda f: f.role == "amount" and f.label != "budget")
            if current is not None and current.sentence_index == prior.sentence_index:
                self._change_consistency(current, prior, change, decrease)
            bases = [(prior.value, (prior.source,))]
        else:
            bases = []
            for value, sources in self._currents(change, primary):
                base = value + change.value if decrease else value - change.value
                bases.append((base, sources))
        name = (change.entity or "") + ("降幅" if decrease else "增幅")
        self._ratio(figure, "narrative_growth", change, bases, name)

    def _currents(self, change: _Figure, primary: Table | None) -> list[_Reading]:
        """This year's figure a change is measured against."""
        if change.entity:
            found = self._candidates(change.entity, primary, budget=False)
            if found:
                return found
            for other in reversed(self._section_figures(change.section)):
                if other.role == "amount" and _before(other, change) and _same_name(other.subject, change.entity):
                    return [(other.number, other.sources)]
        previous = self._previous(change, lambda f: f.role == "amount" and f.label != "budget")
        if previous is not None and previous.sentence_index == change.sentence_index:
            return [(previous.number, previous.sources)]
        return []

    def _change_consistency(self, current: _Figure, prior: _Figure, change: _Figure, decrease: bool) -> None:
        """'支出决算 26.12 万元 … 与上年 28.73 万元相比减少 2.61 万元': the change is the difference."""
        high, low = (prior.value, current.number) if decrease else (current.number, prior.value)
        slack = 0.5 * 10 ** -min(current.decimals, prior.decimals, change.decimals) + 0.005
        if abs(high - low - change.value) <= slack:
            return
        self.out.append(
            Finding(
                "error", "narrative_growth", f"{current.entity or current.subject}{'减少' if decrease else '增加'}额",
                change.value, round(high - low, 4), "万元", f"{_num(high)} − {_num(low)} = {_num(high - low)}",
                (change.source,), (*current.sources, prior.source),
            )
        )

    def _rate(self, figure: _Figure) -> None:
        """'年初预算 A，全年预算数 B，支出决算 C，完成全年预算的 P%': C / B, from the same sentence."""
        same = [f for f in self._section_figures(figure.section) if f.sentence_index == figure.sentence_index]
        same = [f for f in same if f.start < figure.start]
        actual = next((f for f in reversed(same) if f.role == "amount" and f.label != "budget"), None)
        budgets = [f for f in same if f.role == "amount" and f.label == "budget"]
        if actual is None:
            return
        wholes: list[_Reading] = []
        if budgets:
            full = [f for f in budgets if "全年" in f.label_text]
            initial = [f for f in budgets if "年初" in f.label_text]
            budget = initial[-1] if "年初" in figure.subject and initial else (full or budgets)[-1]
            if not (actual.entity and budget.entity) or _same_name(actual.entity, budget.entity):
                wholes = [(budget.number, budget.sources)]
        if not wholes and actual.entity:
            # "公务用车运行费 23.68 万元，完成预算的 94.7%": the item's own budget is in 公开09表.
            wholes = self._three_public(actual.entity, budget=True)
        self._ratio(figure, "narrative_rate", actual, wholes, f"{actual.entity or '支出'}完成预算的比例")

    def _ratio(self, figure: _Figure, check: CheckKind, part: _Figure, wholes: list[_Reading], subject: str) -> None:
        """Compare a printed percentage with part / whole; any reading that agrees clears it."""
        verdicts = []
        for whole, sources in wholes:
            computed = _percent(part.number, whole)
            if computed is None:
                continue
            verdicts.append((_judge_percent(figure.value, figure.decimals, computed), computed, whole, sources))
        if not verdicts or any(v[0] is None for v in verdicts):
            return
        severity, computed, whole, sources = min(verdicts, key=lambda v: abs(v[1] - figure.value))
        start = part.raw_start if part.sentence is figure.sentence else figure.raw_start
        self.out.append(
            Finding(
                severity, check, subject, figure.value, computed, "%",
                f"{_num(part.number)} ÷ {_num(whole)} = {computed:.2f}%",
                (figure.claim_source(start),), (*part.sources, *sources),
                note=_severity_note(severity, figure.decimals, computed),
            )
        )

    # 五(三): each labelled total in the lead equals the sum over its numbered items

    def _item_sums(self, section: Section) -> None:
        children = [s for s in self.sections if s.heading_path[:-1] == section.heading_path and _item_title(s)]
        if len(children) < 2:
            return
        lead = _labelled(self.figures[section.heading_path])
        if not lead:
            return
        parts = [_labelled(self.figures[c.heading_path]) for c in children]
        checks = []
        for label, total in lead.items():
            if all(label in p for p in parts):
                items = [p[label] for p in parts]
                computed = sum(f.value for f in items)
                slack = sum(0.5 * 10 ** -f.decimals for f in (*items, total)) + 1e-9
                checks.append((label, total, items, computed, abs(computed - total.value) <= slack))
        # The items must cover the whole: at least one label has to add up, or a missing class explains it.
        if not any(ok for *_, ok in checks):
            return
        for label, total, items, computed, ok in checks:
            if ok:
                continue
            self.out.append(
                Finding(
                    "error", "narrative_sum", f"{total.entity or ''}{label}数".replace("数数", "数"),
                    total.value, round(computed, 4), "万元",
                    " + ".join(_num(f.value) for f in items) + f" = {_num(computed)}",
                    (total.source,), tuple(f.source for f in items),
                    note=f"相差 {abs(computed - total.value):.2f}",
                )
            )

    # 十三(三): a project's 预算数 and 执行数 in the narrative against its 自评表

    def _project(self, section: Section, table: Table) -> None:
        money = _project_money(self.report, table)
        for figure in self.figures[section.heading_path]:
            if figure.role != "amount" or not figure.label:
                continue
            column = "预算数" if figure.label == "budget" else "执行数" if "执行" in figure.label_text else ""
            fact = money.get(column)
            if fact is None:
                continue
            # The paragraph restates the table: its rate is recomputed from the table's amounts.
            figure.resolved = (fact.value, (_cell_source(self.report, fact, table, fact.row, fact.column),))
            severity = _judge_amount(figure.value, figure.decimals, fact.value)
            if severity is None:
                continue
            self.out.append(
                Finding(
                    severity, "project_amount", f"“{table.project or table.title}”{column}", figure.value, fact.value,
                    "万元", f"{_num(figure.value)} ≠ {_num(fact.value)}", (figure.source,),
                    (_cell_source(self.report, fact, table, fact.row, fact.column),),
                    note=_severity_note(severity, figure.decimals, fact.value),
                )
            )

    def _narrated_projects(self) -> list[tuple[float, Source]]:
        """Without 项目绩效自评表: each 自评综述 paragraph's 执行数, when they are all the projects the
        lead paragraph counts ('共涉及 9 个一级项目')."""
        for lead in self.sections:
            items = [s for s in self.sections if s.heading_path[:-1] == lead.heading_path and _is_project_item(s)]
            count = re.search(r"共涉及(\d+)个", _prepare(lead.text))
            if not items or not count or int(count.group(1)) != len(items):
                continue
            spent = [_labelled(self._section_figures(item)).get("执行") for item in items]
            if all(spent):
                return [(f.value, f.source) for f in spent]
        return []

    # helpers

    def _section_figures(self, section: Section) -> list[_Figure]:
        return self.figures.get(section.heading_path, [])

    def _previous(self, figure: _Figure, accept: Callable[[_Figure], bool]) -> _Figure | None:
        figures = self._section_figures(figure.section)
        i = next(i for i, f in enumerate(figures) if f is figure)
        return next((f for f in reversed(figures[:i]) if accept(f)), None)


def _before(a: _Figure, b: _Figure) -> bool:
    """Whether figure a comes before figure b in their section."""
    return (a.sentence_index, a.start) < (b.sentence_index, b.start)


def _labelled(figures: Iterable[_Figure]) -> dict[str, _Figure]:
    """The first figure of each label ('年初预算', '全年预算', '支出决算') among a section's amounts."""
    out: dict[str, _Figure] = {}
    for figure in figures:
        if figure.role == "amount" and figure.label_text:
            key = figure.label_text.removeprefix("支出") if figure.label == "actual" else figure.label_text
            out.setdefault(key, figure)
    return out


def _aliases(fact: Fact, table: Table) -> set[str]:
    """The names a narrative may use for a table cell (format-specific, not report-specific)."""
    row = _clean(fact.row)
    parts = _column_parts(fact)
    leaf = parts[-1]
    kind = table.kind
    if kind == "basic_expenditure_detail":
        if row.endswith("合计"):
            return {row, row.removesuffix("合计")}  # 人员经费合计 → 人员经费
        return {row} if fact.code else set()
    if kind in ("income_expenditure_total", "fiscal_total"):
        return _summary_aliases(fact, table, row, parts)
    if kind in ("income", "expenditure", "general_budget_expenditure", "government_fund", "state_capital"):
        fund = _FUND_PREFIX.get(kind, "")
        total_column = leaf in ("小计", "合计") or leaf.endswith("合计")
        measure = parts[-2] if leaf in ("小计", "合计") and len(parts) > 1 else leaf
        if row == "合计":
            # 公开05表's bare "本年支出" would shadow the department's 本年支出合计; 07/08 are narrated bare.
            names = set() if kind == "general_budget_expenditure" and total_column else {measure}
            if measure.endswith("合计"):
                names |= {measure.removesuffix("合计"), measure.removeprefix("本年")}
            if fund:
                short = fund.removesuffix("财政拨款")  # "一般公共预算项目支出"
                names |= {fund + measure, fund + measure.removeprefix("本年"), short + measure}
            return names
        if fact.code:
            return {row} if total_column else {row + measure}
    return set()


def _summary_aliases(fact: Fact, table: Table, row: str, parts: list[str]) -> set[str]:
    """公开01表 and 公开04表: the row names the figure; 04's fund columns qualify it."""
    side = parts[0] if parts else ""
    fiscal = table.kind == "fiscal_total"
    if row == "总计":
        base = {"收支总计", f"{side}总计", "总计"}
    elif row.endswith("合计"):
        base = {row, row.removeprefix("本年"), row.removesuffix("合计")}
    elif fiscal and side == "收入" and not _ORDINAL.match(compact(fact.row)) and "财政拨款" in row and "结转" not in row:
        base = {f"年初{row}结转和结余"}  # the 年初 sub-rows 29–31
    else:
        base = {row}
        if fiscal and side == "收入":
            base.add(row + "收入")
    fund_column = parts[-1] if fiscal and side == "支出" and parts[-1] != "合计" else ""
    if fund_column:
        names = {fund_column + b for b in base}
        if row == "本年支出合计":
            names.add(fund_column + "支出")
        return names
    return base | ({"财政拨款" + b for b in base} if fiscal else set())


def _heading_core(heading: str) -> str:
    core = _clean(heading)
    return re.sub(r"(总体)?情况(说明)?$", "", core)


def _title_core(title: str) -> str:
    core = re.sub(r"^\d{4}年度?", "", _clean(title))
    return re.sub(r"(总表|明细表|表)$", "", core)


def _item_title(section: Section) -> str:
    """'1. 一般公共服务支出(类)' → '一般公共服务支出'; '' for a section that is not a numbered item."""
    if not section.heading_path:
        return ""
    last = _prepare(section.heading_path[-1])
    m = re.match(r"^\d+[.、](.+)$", last)
    if not m:
        return ""
    title = re.split(r"[,。:;]|\d[\d,.]*(?:亿元|万元|元|%)", m.group(1))[0]
    return re.sub(r"(项目)?(绩效)?自评综述$", "", title)


# Words that, put before a name, make it a different figure ("一般公共预算财政拨款收入" is not "财政拨款收入").
_QUALIFIER = re.compile(r"(一般公共预算|政府性基金预算?|国有资本经营预算?|财政拨款|非财政拨款|上级补助|年初|年末|基本|项目|本年|上年)$")


def _ends_with(name: str, alias: str) -> bool:
    """Whether a narrative name is a table name with words in front that do not qualify it."""
    return len(alias) >= _MIN_SUFFIX and name.endswith(alias) and not _QUALIFIER.search(name[: -len(alias)])


def _same_name(a: str, b: str) -> bool:
    """Whether two narrative names denote the same figure: equal, or sharing a long enough ending."""
    if not a or not b:
        return False
    if a == b:
        return True
    common = 0
    while common < min(len(a), len(b)) and a[-1 - common] == b[-1 - common]:
        common += 1
    return common >= _MIN_SUFFIX and common >= 0.6 * min(len(a), len(b))


def _subject_words(figure: _Figure) -> str:
    if figure.label == "actual" and figure.entity:
        return figure.entity + ("执行数" if "执行" in figure.label_text else "决算数")
    if figure.label and figure.entity:
        return figure.entity + figure.label_text
    return figure.subject or figure.entity


# --- 4. project self-evaluations ---


def _project_tables(report: _Report) -> list[Table]:
    return [t for t in report.tables if t.kind == "project_performance"]


def _project_money(report: _Report, table: Table) -> dict[str, Fact]:
    """'预算数', '执行数', '执行率' of the project's total funding row."""
    rows: dict[str, dict[str, Fact]] = {}
    for fact in report.facts_of(table):
        column = _clean(fact.column)
        for key in ("预算数", "执行数", "执行率"):
            if column.startswith(key):
                rows.setdefault(fact.row, {})[key] = fact
    if not rows:
        return {}
    total = next((r for r in rows if "总额" in r), next(iter(rows)))
    return rows[total]


def _is_project_item(section: Section) -> bool:
    return bool(_item_title(section)) and "自评" in section.heading_path[-1]


def _project_table(report: _Report, section: Section) -> Table | None:
    title = _item_title(section)
    if not title or len(section.heading_path) < 2:
        return None
    key = _project_key(title)
    for table in _project_tables(report):
        if key and _project_key(table.project or table.title) == key:
            return table
    return None


def _project_key(name: str) -> str:
    return re.sub(r"项目$", "", _clean(name))


def _project_findings(report: _Report) -> list[Finding]:
    out: list[Finding] = []
    executed: list[tuple[float, Source]] = []
    for table in _project_tables(report):
        money = _project_money(report, table)
        budget, spent, rate = money.get("预算数"), money.get("执行数"), money.get("执行率")
        if spent is not None:
            executed.append((spent.value, _cell_source(report, spent, table, table.project or spent.row, spent.column)))
        if budget is None or spent is None or rate is None:
            continue
        computed = _percent(spent.value, budget.value)
        if computed is None:
            continue
        decimals = _printed_decimals(table, rate)
        severity = _judge_percent(rate.value, decimals, computed)
        if severity is None:
            continue
        name = table.project or table.title
        out.append(
            Finding(
                severity, "project_rate", f"“{name}”执行率", rate.value, computed, "%",
                f"{_num(spent.value)} ÷ {_num(budget.value)} = {computed:.2f}%",
                (_cell_source(report, rate, table, rate.row, rate.column),),
                (
                    _cell_source(report, spent, table, spent.row, spent.column),
                    _cell_source(report, budget, table, budget.row, budget.column),
                ),
                note=_severity_note(severity, decimals, computed),
            )
        )
    if executed:
        out.extend(_project_total(report, executed))
    return out


def _project_total(report: _Report, executed: list[tuple[float, Source]]) -> list[Finding]:
    """Σ 项目执行数 = 项目支出: of all funds (公开03表), or of fiscal money (公开05表, plus 07/08)."""
    if not executed:
        return []
    total = sum(value for value, _ in executed)
    t03, t05 = report.table("expenditure"), report.table("general_budget_expenditure")
    t07, t08 = report.table("government_fund"), report.table("state_capital")
    candidates: list[_Reading] = []
    for table in (t03, t05):
        fact = report.find(table, "合计", "项目支出") if table else None
        if fact is not None:
            candidates.append((fact.value, (_cell_source(report, fact, table, fact.row, fact.column),)))
    if t05 is not None:
        parts = [(t, report.find(t, "合计", "项目支出")) for t in (t05, t07, t08) if t is not None]
        parts = [(t, f) for t, f in parts if f is not None]
        if len(parts) > 1:
            candidates.append(
                (sum(f.value for _, f in parts), tuple(_cell_source(report, f, t, f.row, f.column) for t, f in parts))
            )
    if not candidates:
        return []
    slack = tolerance(len(executed))
    if any(abs(total - value) <= slack for value, _ in candidates):
        return []
    value, sources = min(candidates, key=lambda c: abs(c[0] - total))
    return [
        Finding(
            "error", "project_total", "各项目执行数之和与项目支出", round(total, 4), value, "万元",
            " + ".join(_num(value) for value, _ in executed) + f" = {_num(total)}",
            tuple(source for _, source in executed), sources,
            note=f"相差 {abs(total - value):.2f}",
        )
    ]


def _printed_decimals(table: Table, fact: Fact) -> int:
    """How many decimals a percentage cell was printed with ('92%' → 0, '81.9%' → 1)."""
    for row in table.rows:
        if fact.page is not None and row.page is not None and row.page != fact.page:
            continue
        for cell in row.cells:
            m = re.fullmatch(r"\s*(\d+(?:\.(\d+))?)\s*%\s*", cell)
            if m and abs(float(m.group(1)) - fact.value) < 1e-9:
                return len(m.group(2) or "")
    text = f"{fact.value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


# --- arithmetic and wording ---


def _percent(part: float, whole: float) -> float | None:
    if abs(whole) < 1e-9:
        return None
    try:
        return float(Decimal(repr(part)) * 100 / Decimal(repr(whole)))
    except InvalidOperation:
        return None


def _rounded(value: float, decimals: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _judge_percent(stated: float, decimals: int, computed: float) -> Severity | None:
    """None when the printed percentage is the computed one rounded as printed; rounding when it is at
    most one unit of its last digit (or 0.1 point) from that rounded value; error otherwise."""
    rounded = _rounded(computed, decimals)
    if rounded == _rounded(stated, decimals):
        return None
    if abs(float(rounded) - stated) <= max(0.1, 10.0**-decimals) + 1e-9:
        return "rounding"
    return "error"


def _judge_amount(stated: float, decimals: int, table_value: float) -> Severity | None:
    """Amounts are printed to the cent in the tables: a narrative figure with fewer decimals agrees when it
    is the cell rounded; one digit off in its last place is rounding; anything else is an error."""
    rounded = _rounded(table_value, min(decimals, 2))
    if rounded == _rounded(stated, min(decimals, 2)):
        return None
    if decimals < 2 and abs(float(rounded) - stated) <= 10.0**-decimals + 1e-9:
        return "rounding"
    return "error"


def _severity_note(severity: Severity, decimals: int, computed: float) -> str:
    if severity == "rounding":
        return f"按{decimals}位小数四舍五入应为 {_rounded(computed, decimals)}" if decimals else f"四舍五入应为 {_rounded(computed, 0)}"
    return ""


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value - round(value, 2)) < 1e-9 else f"{value:.4f}"


def _fmt(value: float | None, unit: str, *, exact: bool = False) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return (_num(value) if exact else f"{value:.2f}") + "%"
    return _num(value) + (f" {unit}" if unit else "")
