"""Identities between the standard tables, declared as data over table kinds and evaluated by one loop.

Each `Identity` says that the cells on its left add up to (or do not exceed) the cells on its right. The
loop refuses to compare what it could not read: a missing table, a table read as blank or zeros that the
report does not call empty, a column the parser found no cell under, a row the table does not print.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from assistant.audit.findings import Finding, Source, difference_note, judge_sum, num
from assistant.audit.view import (
    FUNDS,
    ORDINAL,
    ReportView,
    cell_source,
    clean,
    column_parts,
    row_quote,
    says_empty,
    value_of,
)
from index.checks import tolerance
from index.model import CheckResult, Fact, Table
from index.mentions import section_label
from index.normalize import compact, normalize
from index.vocabulary import to_wanyuan

EACH_CLASS = "{类}"  # the identity holds for each functional class (类) printed in both tables
EACH_SUBJECT = "{科目}"  # … for each subject-code row (and the 合计 row) of the left table

RowMatch = Literal["name", "fund", "opening", "three_public"]
Relation = Literal["=", "≤", "fiscal"]


@dataclass(frozen=True)
class Cell:
    """A cell named by table kind, row and column path (parts the column must contain).

    row_match: "name" — the row's label (ordinal and (类) removed) equals `row`; "fund" — the
    ordinal-numbered income row of a kind of fiscal money ('一、一般公共预算财政拨款(收入)'); "opening" —
    the un-numbered 年初 sub-row of that money in the fiscal summary table; "three_public" — an item of the
    三公 table, named as 武汉 names it ('公务用车运行维护费' of 上海 is '公务用车运行费').
    """

    kind: str
    row: str
    column: tuple[str, ...] = ()
    row_match: RowMatch = "name"


@dataclass(frozen=True)
class Identity:
    """left relation right, where each side is the sum of its cells; "fiscal" means "=" for a department
    with only fiscal money and "≤" otherwise (the fiscal tables are a part of the whole)."""

    name: str
    left: tuple[Cell, ...]
    right: tuple[Cell, ...]
    relation: Relation = "="


_T01, _T02, _T03, _T04 = "income_expenditure_total", "income", "expenditure", "fiscal_total"
_T05, _T06, _T07, _T08 = "general_budget_expenditure", "basic_expenditure_detail", "government_fund", "state_capital"
_T09 = "three_public"
_GENERAL, _FUND, _CAPITAL = FUNDS.values()

IDENTITIES: tuple[Identity, ...] = (
    # Each summary table balances.
    Identity("收入总计与支出总计", (Cell(_T01, "总计", ("收入",)),), (Cell(_T01, "总计", ("支出",)),)),
    Identity("收入总计与支出总计", (Cell(_T04, "总计", ("收入",)),), (Cell(_T04, "总计", ("支出", "合计")),)),
    # Fiscal income is the same in both summary tables.
    *(
        Identity(f"{FUNDS[fund]}收入", (Cell(_T01, fund, ("收入",), "fund"),), (Cell(_T04, fund, ("收入",), "fund"),))
        for fund in FUNDS
    ),
    # The fiscal summary is the fiscal part of the whole summary.
    Identity("本年支出合计", (Cell(_T04, "本年支出合计", ("支出", "合计")),), (Cell(_T01, "本年支出合计", ("支出",)),), "fiscal"),
    Identity(
        "年末结转和结余", (Cell(_T04, "年末财政拨款结转和结余", ("支出", "合计")),), (Cell(_T01, "年末结转和结余", ("支出",)),),
        "fiscal",
    ),
    Identity("支出总计", (Cell(_T04, "总计", ("支出", "合计")),), (Cell(_T01, "总计", ("支出",)),), "fiscal"),
    Identity(EACH_CLASS, (Cell(_T04, EACH_CLASS, ("支出", "合计")),), (Cell(_T01, EACH_CLASS, ("支出",)),), "fiscal"),
    # The income table's 合计 row is the income side of the summary.
    Identity("本年收入合计", (Cell(_T02, "合计", ("本年收入合计",)),), (Cell(_T01, "本年收入合计", ("收入",)),)),
    Identity(
        "财政拨款收入", (Cell(_T02, "合计", ("财政拨款收入",)),),
        tuple(Cell(_T01, fund, ("收入",), "fund") for fund in FUNDS),
    ),
    *(
        Identity(column, (Cell(_T02, "合计", (column,)),), (Cell(_T01, column, ("收入",)),))
        for column in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
    ),
    # The expenditure table's 合计 row and classes are the expenditure side of the summary.
    Identity("本年支出合计", (Cell(_T03, "合计", ("本年支出合计",)),), (Cell(_T01, "本年支出合计", ("支出",)),)),
    Identity(EACH_CLASS, (Cell(_T03, EACH_CLASS, ("本年支出合计",)),), (Cell(_T01, EACH_CLASS, ("支出",)),)),
    # The general-budget table is the general-budget column of the fiscal summary …
    Identity(f"{_GENERAL}支出", (Cell(_T05, "合计", ("小计",)),), (Cell(_T04, "本年支出合计", ("支出", _GENERAL)),)),
    Identity(EACH_CLASS, (Cell(_T05, EACH_CLASS, ("小计",)),), (Cell(_T04, EACH_CLASS, ("支出", _GENERAL)),)),
    # … and a part of the expenditure table, cell by cell.
    Identity(EACH_SUBJECT, (Cell(_T05, EACH_SUBJECT, ("小计",)),), (Cell(_T03, EACH_SUBJECT, ("本年支出合计",)),), "≤"),
    Identity(EACH_SUBJECT, (Cell(_T05, EACH_SUBJECT, ("基本支出",)),), (Cell(_T03, EACH_SUBJECT, ("基本支出",)),), "≤"),
    Identity(EACH_SUBJECT, (Cell(_T05, EACH_SUBJECT, ("项目支出",)),), (Cell(_T03, EACH_SUBJECT, ("项目支出",)),), "≤"),
    # 人员经费 + 公用经费 of the basic-expenditure detail is the general budget's 基本支出.
    Identity("基本支出", (Cell(_T06, "人员经费合计"), Cell(_T06, "公用经费合计")), (Cell(_T05, "合计", ("基本支出",)),)),
    # The government-fund table against the fund's column and rows of the fiscal summary.
    Identity(f"{_FUND}本年支出", (Cell(_T07, "合计", ("本年支出", "小计")),), (Cell(_T04, "本年支出合计", ("支出", _FUND)),)),
    Identity(f"{_FUND}本年收入", (Cell(_T07, "合计", ("本年收入",)),), (Cell(_T04, "政府性基金", ("收入",), "fund"),)),
    Identity(
        f"{_FUND}年初结转和结余", (Cell(_T07, "合计", ("年初结转和结余",)),), (Cell(_T04, _FUND, ("收入",), "opening"),)
    ),
    Identity(
        f"{_FUND}年末结转和结余", (Cell(_T07, "合计", ("年末结转和结余",)),),
        (Cell(_T04, "年末财政拨款结转和结余", ("支出", _FUND)),),
    ),
    Identity(f"{_CAPITAL}支出", (Cell(_T08, "合计", ("本年支出", "小计")),), (Cell(_T04, "本年支出合计", ("支出", _CAPITAL)),)),
    # The 三公 table: the total is its three items, the car group its two (budget and actual alike).
    *(
        Identity(
            f"“三公”经费合计{measure}", (Cell(_T09, "三公经费合计", (measure,), "three_public"),),
            tuple(Cell(_T09, item, (measure,), "three_public") for item in ("因公出国(境)费", "公务用车购置及运行费小计", "公务接待费")),
        )
        for measure in ("预算数", "决算数")
    ),
    *(
        Identity(
            f"公务用车购置及运行费{measure}", (Cell(_T09, "公务用车购置及运行费小计", (measure,), "three_public"),),
            tuple(Cell(_T09, item, (measure,), "three_public") for item in ("公务用车购置费", "公务用车运行费")),
        )
        for measure in ("预算数", "决算数")
    ),
    # Within a table, row by row: the total column is the sum of its parts. Most regions print these as
    # check formulas (applied at ingest, and not repeated here); 上海's tables print none.
    Identity(
        EACH_SUBJECT, (Cell(_T05, EACH_SUBJECT, ("小计",)),),
        (Cell(_T05, EACH_SUBJECT, ("基本支出",)), Cell(_T05, EACH_SUBJECT, ("项目支出",))),
    ),
    Identity(
        EACH_SUBJECT, (Cell(_T03, EACH_SUBJECT, ("本年支出合计",)),),
        tuple(
            Cell(_T03, EACH_SUBJECT, (c,))
            for c in ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
        ),
    ),
    Identity(
        EACH_SUBJECT, (Cell(_T02, EACH_SUBJECT, ("本年收入合计",)),),
        tuple(
            Cell(_T02, EACH_SUBJECT, (c,))
            for c in ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
        ),
    ),
)


@dataclass(frozen=True)
class _Term:
    """One operand as read: a cell in 万元 (an empty cell of a printed row is zero) and its citation."""

    value: float
    source: Source
    table: Table


@dataclass(frozen=True)
class _Miss:
    """An operand that could not be located: why, and whether to say so (a table that is absent or read
    as blank is reported once elsewhere, not once per identity)."""

    reason: str
    silent: bool = False


@dataclass(frozen=True)
class _Binding:
    """What a placeholder row stands for: its name, subject code and label path (类 › 款 › 项)."""

    name: str
    code: str = ""
    path: tuple[str, ...] = ()


def identity_findings(view: ReportView, checks: Iterable[CheckResult] = ()) -> list[Finding]:
    """Every declared identity that the report's tables break (or meet only within rounding), and one
    "未能核对" note per identity whose operands could not all be located; a cell that a printed check
    formula already covers (`checks`) is not judged twice."""
    # Printed column formulas ("1栏各行=(2+3)栏各行") judged at ingest are not judged twice.
    covered = {(c.table, c.row, c.column) for c in checks if "栏" in c.formula}
    out: list[Finding] = []
    only_fiscal = _only_fiscal_money(view)
    for identity in IDENTITIES:
        relation = "=" if identity.relation == "=" or (identity.relation == "fiscal" and only_fiscal) else "≤"
        misses: dict[str, list[tuple[str, Source | None]]] = {}
        for binding in _bindings(view, identity):
            left = [_resolve(view, cell, binding) for cell in identity.left]
            right = [_resolve(view, cell, binding) for cell in identity.right]
            missing = [t for t in (*left, *right) if isinstance(t, _Miss)]
            if missing:
                # Nothing is compared with a figure that was not read: the check is "未能核对", not failed,
                # and worth saying only when the side that was read has a figure to check.
                located = next(
                    (t.source for t in (*left, *right) if isinstance(t, _Term) and abs(t.value) > 0.005), None
                )
                for miss in missing:
                    if not miss.silent and located is not None:
                        misses.setdefault(miss.reason, []).append((binding.name if binding else "", located))
                continue
            stated = left[0]
            within = len({c.kind for c in (*identity.left, *identity.right)}) == 1
            if within and (stated.table.key, stated.source.row, stated.source.column) in covered:
                continue
            finding = _compare(identity, relation, binding, left, right)
            if finding is not None:
                out.append(finding)
        out.extend(_unverifiable(view, identity, misses))
    return out


def _unverifiable(
    view: ReportView, identity: Identity, misses: dict[str, list[tuple[str, Source | None]]]
) -> list[Finding]:
    """One "未能核对" note per reason, naming the identity and (for row-by-row identities) how many rows."""
    out: list[Finding] = []
    keys = list(dict.fromkeys(t.key for c in (*identity.left, *identity.right) if (t := view.table(c.kind))))
    if misses and identity.name not in (EACH_CLASS, EACH_SUBJECT):  # one identity, one note with every reason
        located = next((s for rows in misses.values() for _, s in rows if s is not None), None)
        return [
            Finding(
                "unverifiable", "cross_table", f"{identity.name}（{'与'.join(keys)}）", None, None, "万元", "",
                (located,) if located else (), (),
                note=f"未能核对：{'；'.join(misses)}，表间关系无法比较（不作为错误）",
            )
        ]
    for reason, rows in misses.items():
        name = identity.name
        if name in (EACH_CLASS, EACH_SUBJECT):
            shown = "、".join(dict.fromkeys(r for r, _ in rows[:5]))
            name = f"{len(rows)} 行（{shown}{'等' if len(rows) > 5 else ''}）" if len(rows) > 1 else f"“{rows[0][0]}”"
        if identity.name == EACH_SUBJECT and identity.left[0].column:
            name += identity.left[0].column[-1]  # "“行政运行”项目支出": which of a row's identities
        subject = f"{name}（{'与'.join(keys)}）" if keys else name
        located = next((s for _, s in rows if s is not None), None)
        out.append(
            Finding(
                "unverifiable", "cross_table", subject, None, None, "万元", "",
                (located,) if located else (), (),
                note=f"未能核对：{reason}，表间关系无法比较（不作为错误）",
            )
        )
    return out


def unread_findings(view: ReportView) -> list[Finding]:
    """One warning per standard table read as blank or zeros while another table (or the narrative)
    gives it content: the table, not each of its rows, is what a reviewer must look at."""
    out: list[Finding] = []
    for table in view.tables:
        if not view.unread(table):
            continue
        evidence = _counterpart(view, table) or _narrated(view, table)
        if evidence is None:
            if table.kind in _MAY_BE_EMPTY:
                out.append(_unexplained_empty(table))
            continue
        row, term = evidence
        where = f"“{row}”" if row else ""
        quote = " ".join(c for r in table.rows[: table.header_rows + 3] for c in r.cells if c)[:120]
        out.append(
            Finding(
                "warning", "table_unread", f"{table.key}{where}", 0.0, round(term.value, 4), "万元",
                f"0 ≠ {num(term.value)}",
                (Source(table.label, row, "", table.pages[0] if table.pages else None, 0.0, quote or table.title),),
                (term.source,),
                note="此表读到的数字全为空或零，报告也未说明本表无数据；请对照原表核实，表内各项未再逐一比对",
            )
        )
    return out


# Tables a department may have nothing to show in, if it says so ("本单位本年度没有…，故本表无数据").
_MAY_BE_EMPTY = ("government_fund", "state_capital", "three_public")


def _unexplained_empty(table: Table) -> Finding:
    """A 政府性基金 / 国有资本经营 / 三公 table printed empty without a word that the department has none."""
    quote = " ".join(c for r in table.rows[: table.header_rows + 2] for c in r.cells if c)[:120] or table.title
    return Finding(
        "warning", "table_unread", f"{table.key}为空表", None, None, "", "",
        (Source(table.label, "", "", table.pages[0] if table.pages else None, None, quote),), (),
        note="表中没有数字，表注和正文也未说明本单位没有此项收支（空表应注明原因）",
    )


# --- reading the cells an identity names ---


def _bindings(view: ReportView, identity: Identity) -> list[_Binding | None]:
    """What the placeholders stand for: one binding per class, or per subject row of the left table."""
    rows = {c.row for c in (*identity.left, *identity.right)}
    if EACH_CLASS in rows:
        left, right = identity.left[0], identity.right[0]
        lt, rt = view.table(left.kind), view.table(right.kind)
        names = _class_names(view, lt) | _class_names(view, rt)
        printed = view.row_names(lt) & view.row_names(rt)
        return [_Binding(name) for name in sorted(names) if name in printed]
    if EACH_SUBJECT in rows:
        table = view.table(identity.left[0].kind)
        seen: dict[tuple[str, str, tuple[str, ...]], None] = {}
        for f in view.facts_of(table):
            if f.code or clean(f.row) == "合计":
                seen.setdefault((clean(f.row), f.code, view.path_of(f)), None)
        return [_Binding(*key) for key in seen]
    return [None]


def _class_names(view: ReportView, table: Table | None) -> set[str]:
    return {clean(f.row) for f in view.facts_of(table) if len(f.code) == 3 or _is_class_row(f)}


def _is_class_row(fact: Fact) -> bool:
    """A '一、一般公共服务支出' row of a summary table: ordinal-numbered and an expenditure."""
    return bool(ORDINAL.match(compact(fact.row))) and "支出" in column_parts(fact) and clean(fact.row).endswith("支出")


def _row_test(cell: Cell, binding: _Binding | None) -> Callable[[str], bool]:
    """Whether a printed row label is the cell's row."""
    if cell.row in (EACH_CLASS, EACH_SUBJECT):
        name = binding.name if binding else ""
        return lambda label: clean(label) == name
    if cell.row_match == "fund":  # '三、国有资本经营预算财政拨款收入', not '二十一、国有资本经营预算支出'
        return lambda label: bool(ORDINAL.match(compact(label))) and cell.row in label and not clean(label).endswith("支出")
    if cell.row_match == "three_public":
        return lambda label: clean(label).replace("运行维护", "运行") == cell.row
    if cell.row_match == "opening":
        return lambda label: not ORDINAL.match(compact(label)) and cell.row in label and "结转" not in label
    return lambda label: clean(label) == cell.row


def _fact_test(view: ReportView, cell: Cell, binding: _Binding | None) -> Callable[[Fact], bool]:
    """Whether a read cell is in the cell's row: a subject row by its code where both tables print
    codes, else by its label path (类 › 款 › 项), so that '行政运行' of one 款 is not another's."""
    test = _row_test(cell, binding)
    if cell.row != EACH_SUBJECT or binding is None or binding.name == "合计" and not binding.code:
        return lambda f: test(f.row)
    code, path = binding.code, binding.path
    return lambda f: f.code == code if (code and f.code) else test(f.row) and view.path_of(f) == path


_KIND_NAMES = {
    _T01: "收入支出决算总表", _T02: "收入决算表", _T03: "支出决算表", _T04: "财政拨款收入支出决算总表",
    _T05: "一般公共预算财政拨款支出决算表", _T06: "一般公共预算财政拨款基本支出决算表",
    _T07: "政府性基金预算财政拨款收入支出决算表", _T08: "国有资本经营预算财政拨款支出决算表",
    _T09: "财政拨款“三公”经费支出决算表",
}


def _resolve(view: ReportView, cell: Cell, binding: _Binding | None) -> _Term | _Miss:
    """The cell's value as read (an empty cell of a located row and a read column is zero), or why it
    could not be located."""
    table = view.table(cell.kind)
    if table is None:
        return _Miss(f"报告中没有{_KIND_NAMES.get(cell.kind, cell.kind)}", silent=True)
    if view.unread(table):
        return _Miss(f"{table.key}读到的数字全为空或零", silent=True)
    each = bool(binding) and cell.row in (EACH_CLASS, EACH_SUBJECT)
    row = binding.name if binding and each else cell.row
    column = " › ".join(cell.column)
    # Row-by-row identities group their rows under one reason (the table and column).
    where = (f"{table.key}部分行" if each else f"{table.key}“{row}”行") + (f"的“{column}”栏" if column else "")
    belongs = _fact_test(view, cell, binding)
    fact = view.find(table, belongs, *cell.column)
    if fact is not None:
        return _Term(value_of(fact), cell_source(fact, table, row, column), table)
    if view.is_blank(table) and view.said_empty(table):
        note = next((n for n in table.notes if says_empty(n)), "") or table.title
        return _Term(0.0, Source(table.label, row, column, table.pages[0] if table.pages else None, 0.0, note), table)
    row_facts = [f for f in view.facts_of(table) if belongs(f)]
    if row_facts:
        if cell.column and not (view.column_read(table, *cell.column) or view.has_column(table, *cell.column)):
            return _Miss(f"{table.key}中找不到“{column}”栏")
        if cell.column and not _column_is_blank(view, table, cell.column, row_facts):
            return _Miss(f"{where}读到的数字无法确定属于哪一栏")
        quote = row_quote(table, row_facts[0]) or " ".join(c for c in (row_facts[0].row,) if c)
        source = Source(table.label, row, column, row_facts[0].page, 0.0, f"{quote}（“{column}”栏空白）")
        return _Term(0.0, source, table)
    printed = _printed_row(table, cell, binding)
    if printed is None and cell.row_match == "fund":
        empty = _fund_said_empty(view, cell.row)
        if empty is not None:  # a summary table without the row of a fund the department says it has none of
            return _Term(0.0, Source(empty.label, row, column, empty.pages[0] if empty.pages else None, 0.0,
                                     next(n for n in empty.notes if says_empty(n))), table)
    if printed is None:
        return _Miss(f"{table.key}中找不到对应的行" if each else f"{table.key}中找不到“{row}”行")
    if cell.column and not view.column_read(table, *cell.column) and not view.has_column(table, *cell.column):
        return _Miss(f"{table.key}中找不到“{column}”栏")
    if not _prints_nothing(printed, cell, binding):
        # The row prints figures that were read under another row (or not at all): not a blank row.
        return _Miss(f"{table.key}部分行印有数字但未能对应到行" if each else f"{table.key}“{row}”行印有数字但未能读取")
    quote = " ".join(c for c in printed.cells if c) + "（整行空白）"
    return _Term(0.0, Source(table.label, row, column, printed.page, 0.0, quote), table)


_MONEY = re.compile(r"^-?[\d,]*\d\.\d+$")  # a printed amount ('1,105.68', '0.00'); a bare 行次 '2' is not


def _prints_nothing(printed, cell: Cell, binding: _Binding | None) -> bool:
    """Whether the row's own cells (from its label up to the next label, as a two-sided summary table
    prints two rows side by side) hold no amount."""
    test = _row_test(cell, binding)
    cells = [c.strip() for c in printed.cells]
    start = next((i for i, c in enumerate(cells) if c and test(c)), 0)
    for value in cells[start + 1 :]:
        if value and not re.fullmatch(r"[\d,.%-]+", value):
            break  # the next label
        if _MONEY.match(value):
            return False
    return True


_FUND_TABLES = {"政府性基金": _T07, "国有资本经营": _T08}


def _fund_said_empty(view: ReportView, fund: str) -> Table | None:
    """The fund's own table, when it is blank and its note says the department has none of that money."""
    table = view.table(_FUND_TABLES.get(fund, ""))
    if table is None or not view.is_blank(table) or not any(says_empty(n) for n in table.notes):
        return None
    return table


def _column_is_blank(view: ReportView, table: Table, column: tuple[str, ...], row_facts: list[Fact]) -> bool:
    """Whether a column that has no read cell in a located row is blank there: the column was read in
    other rows, or it is printed in the header and each of the row's read cells is under another column
    of its level. A column printed only as a group over cells read without it is not located."""
    if view.column_read(table, *column):
        return True
    levels = [view.header_level(table, c) for c in column]
    if any(level is None for level in levels):
        return False
    wanted = max(levels)
    for fact in row_facts:
        parts = column_parts(fact)
        if any(p not in column and view.header_level(table, p, exact=True) == wanted for p in parts):
            continue  # under a sibling column
        level = view.header_level(table, parts[-1], exact=True)
        if level is None or level > wanted:
            return False
    return True


def _printed_row(table: Table, cell: Cell, binding: _Binding | None):
    """The one printed row (no cell read from it) that is the cell's row: by its code where the binding
    has one, else by its label when that label is printed once."""
    if binding is not None and cell.row == EACH_SUBJECT and binding.code:
        rows = [r for r in table.rows if any(compact(c) == binding.code for c in r.cells)]
        if rows:
            return rows[0]
    test = _row_test(cell, binding)
    rows = [r for r in table.rows[table.header_rows :] if any(test(c) for c in r.cells if c)]
    return rows[0] if len(rows) == 1 else None


def _compare(
    identity: Identity, relation: str, binding: _Binding | None, left: list[_Term], right: list[_Term]
) -> Finding | None:
    stated, computed = sum(t.value for t in left), sum(t.value for t in right)
    slack = tolerance(len(left) + len(right) - 1)
    if relation == "≤":
        severity = "error" if stated > computed + slack else None
    else:
        severity = judge_sum(stated, computed, slack)
    if severity is None:
        return None
    name = binding.name if binding and identity.name in (EACH_CLASS, EACH_SUBJECT) else identity.name
    if identity.name == EACH_SUBJECT:
        name = f"“{name}”{left[0].source.column.split(' › ')[-1]}"
    keys = list(dict.fromkeys(t.table.key for t in (*left, *right)))
    word = "不大于" if relation == "≤" else "与"
    if len(keys) == 2:
        subject = f"{name}（{word.join(keys)}）"
    elif binding is not None:  # within one table: a row's total column against its parts
        subject = f"“{binding.name}”行{left[0].source.column}与各栏之和（{keys[0]}）"
    else:  # within one table: a total row against the rows it adds up
        subject = f"{identity.name}与其各组成之和（{keys[0]}）"
    return Finding(
        severity, "cross_table", subject, round(stated, 4), round(computed, 4), "万元",
        f"{_terms_text(left)} {relation} {_terms_text(right)}",
        tuple(t.source for t in left), tuple(t.source for t in right),
        note="部分不应大于整体" if relation == "≤" else difference_note(stated, computed),
    )


def _terms_text(terms: list[_Term]) -> str:
    return " + ".join(f"{t.table.key}“{t.source.row}”{num(t.value)}" for t in terms)


def _only_fiscal_money(view: ReportView) -> bool:
    """Whether the department's money is all fiscal: no non-fiscal income and no non-fiscal opening balance."""
    t01, t04 = view.table(_T01), view.table(_T04)
    facts01 = view.facts_of(t01)
    non_fiscal = [
        f for f in facts01 if "收入" in column_parts(f) and ORDINAL.match(compact(f.row)) and "财政拨款" not in f.row
    ] + [f for f in facts01 if clean(f.row) == "使用非财政拨款结余"]
    opening = value_of(view.find(t01, "年初结转和结余", "收入")) - value_of(view.find(t04, "年初财政拨款结转和结余", "收入"))
    return not any(abs(f.value) > 0.005 for f in non_fiscal) and abs(opening) <= 0.005


def _narrated(view: ReportView, table: Table) -> tuple[str, _Term] | None:
    """The first nonzero amount the narrative section about the table states ('支出决算为 26.12 万元')."""
    for section in view.narrative_sections_about(table):
        for sentence in re.split(r"[。；;\n]", section.text):
            for m in _AMOUNT.finditer(normalize(sentence)):
                value = to_wanyuan(float(m.group(1).replace(",", "")), m.group(2))
                if value > 0.005:
                    words = re.sub(r"\s+", "", normalize(sentence)[: m.end()])[-40:]
                    source = Source(section_label(section), words, "", section.page, value, sentence.strip())
                    return "", _Term(value, source, table)  # the table as a whole
    return None


_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(亿元|万元|元)")


def _counterpart(view: ReportView, table: Table) -> tuple[str, _Term] | None:
    """The first figure another table (or the narrative) gives for what the unread table should show."""
    for identity in IDENTITIES:
        if identity.name in (EACH_CLASS, EACH_SUBJECT):
            continue
        for mine, other in ((identity.left, identity.right), (identity.right, identity.left)):
            if not all(c.kind == table.kind for c in mine) or len(mine) != 1:
                continue
            terms = [_resolve(view, c, None) for c in other]
            if len(terms) == 1 and isinstance(terms[0], _Term) and abs(terms[0].value) > 0.005:
                cell = mine[0]
                return cell.row, terms[0]
    return None
