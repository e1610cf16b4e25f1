"""Validate each table against the check formulas printed under it and the format's identities."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from index.model import CheckResult, Fact, Table
from index.vocabulary import economic_group

# "27 行 = (1 + 2 + ... + 8) 行", "1 栏各行 = (2+3+4) 栏各行", "6 栏各行 = (1+2-3) 栏各行", "1 栏=(2+3+6)栏"
_FORMULA = re.compile(
    r"(\d+)\s*(行|栏)(?:各行)?\s*=\s*\(?\s*([\d\s+\-.…]+?)\s*\)?\s*(?:行|栏)(?:各行)?"
)


@dataclass(frozen=True)
class Formula:
    """'lhs = Σ sign·term' over row numbers (行次) or column numbers (栏次)."""

    text: str
    axis: str  # "行" or "栏"
    lhs: int
    terms: tuple[tuple[int, int], ...]  # (number, +1/-1)


def parse_formulas(notes: tuple[str, ...] | list[str]) -> tuple[list[Formula], list[str]]:
    """Formulas stated in a table's notes, and warnings for ones that cannot be right as printed."""
    formulas: list[Formula] = []
    warnings: list[str] = []
    for note in notes:
        for m in _FORMULA.finditer(note.replace("…", "...")):
            lhs, axis, body = int(m.group(1)), m.group(2), m.group(3)
            terms = _expand(body)
            if not terms:
                continue
            text = re.sub(r"\s+", "", m.group(0))
            if any(number == lhs for number, _ in terms):
                warnings.append(f"校验公式“{text}”左边的{lhs}{axis}也出现在右边，公式本身有误，已跳过")
                continue
            formulas.append(Formula(text=text, axis=axis, lhs=lhs, terms=tuple(terms)))
    return formulas, warnings


def _expand(body: str) -> list[tuple[int, int]]:
    """'1 + 2 + ... + 8' → 1..8; '1+2-3' keeps the minus sign."""
    tokens = re.findall(r"\.\.\.|\d+|[+\-]", body)
    terms: list[tuple[int, int]] = []
    sign = 1
    pending_range = False
    for token in tokens:
        if token == "+":
            sign = 1
        elif token == "-":
            sign = -1
        elif token == "...":
            pending_range = True
        else:
            number = int(token)
            if pending_range and terms:
                start = terms[-1][0]
                terms.extend((n, sign) for n in range(start + 1, number))
                pending_range = False
            terms.append((number, sign))
    return terms


def tolerance(count: int) -> float:
    """Each printed amount is rounded to 0.01, so a sum of n may drift by n half-cents."""
    return 0.005 * (count + 1) + 1e-9


def check_table(table: Table, facts: list[Fact]) -> tuple[list[CheckResult], list[str]]:
    """Every stated formula plus the subject-code hierarchy, applied to one table's facts."""
    results: list[CheckResult] = []
    formulas, warnings = parse_formulas(table.notes)
    for formula in formulas:
        if formula.axis == "行":
            results.extend(_check_rows(table, facts, formula))
        else:
            results.extend(_check_columns(table, facts, formula))
    results.extend(_check_hierarchy(table, facts))
    return results, warnings


def _check_rows(table: Table, facts: list[Fact], formula: Formula) -> list[CheckResult]:
    by_column: dict[str, dict[int, Fact]] = defaultdict(dict)
    for fact in facts:
        if fact.row_number is not None:
            by_column[fact.column][fact.row_number] = fact
    out = []
    for column, rows in by_column.items():
        stated_fact = rows.get(formula.lhs)
        if stated_fact is None or not any(n in rows for n, _ in formula.terms):
            continue  # only where the stated figure and some operand were read; blank operands are 0
        operands = [rows[n].value * sign for n, sign in formula.terms if n in rows]
        out.append(
            _result(table, formula.text, stated_fact.row, column, stated_fact.value, sum(operands), stated_fact.page, len(operands))
        )
    return out


def _check_columns(table: Table, facts: list[Fact], formula: Formula) -> list[CheckResult]:
    # One printed row is one (page, quote): a one-row table names a different item in every column.
    by_row: dict[tuple[int | None, str], dict[int, Fact]] = defaultdict(dict)
    for fact in facts:
        if fact.column_number is not None:
            by_row[(fact.page, fact.quote or fact.row)][fact.column_number] = fact
    out = []
    for (page, _quote), columns in by_row.items():
        stated_fact = columns.get(formula.lhs)
        if stated_fact is None or not any(n in columns for n, _ in formula.terms):
            continue
        operands = [columns[n].value * sign for n, sign in formula.terms if n in columns]
        out.append(
            _result(table, formula.text, stated_fact.row, stated_fact.column, stated_fact.value, sum(operands), page, len(operands))
        )
    return out


def _check_hierarchy(table: Table, facts: list[Fact]) -> list[CheckResult]:
    """合计 = Σ类, 类 = Σ款, 款 = Σ项 (功能分类); 类 = Σ款 and 人员/公用经费合计 = Σ类 (经济分类)."""
    out: list[CheckResult] = []
    by_column: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_column[fact.column].append(fact)
    for column, column_facts in by_column.items():
        coded = [f for f in column_facts if f.code]
        if not coded:
            continue
        for parent in coded:
            children = [f for f in coded if len(f.code) == len(parent.code) + 2 and f.code.startswith(parent.code)]
            if children:
                total = sum(f.value for f in children)
                formula = f"{parent.code} = Σ{parent.code}xx"
                out.append(_result(table, formula, parent.row, column, parent.value, total, parent.page, len(children)))
        classes = [f for f in coded if len(f.code) == 3]
        for total_fact in (f for f in column_facts if not f.code and "合计" in f.row):
            group = economic_group(total_fact.row)
            if group:
                # 人员经费合计 = 301 + 303; 公用经费合计 = 302 + 310 (+ …): the format's own definition.
                members = [f for f in _all_classes(facts) if f.code in group and f.column == column]
                members = members or [f for f in _all_classes(facts) if f.code in group]
            elif table.kind == "basic_expenditure_detail":
                members = []  # any other 合计 of the 经济分类 table states no formula
            else:
                members = classes
            if members:
                formula = f"{total_fact.row} = " + " + ".join(f.code for f in members)
                total = sum(f.value for f in members)
                out.append(
                    _result(table, formula, total_fact.row, column, total_fact.value, total, total_fact.page, len(members))
                )
    return out


def _all_classes(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if len(f.code) == 3]


def _result(
    table: Table, formula: str, row: str, column: str, stated: float, computed: float, page: int | None, count: int
) -> CheckResult:
    return CheckResult(
        table=table.key,
        formula=formula,
        row=row,
        column=column,
        stated=round(stated, 4),
        computed=round(computed, 4),
        page=page,
        passed=abs(stated - computed) <= tolerance(count),
    )
