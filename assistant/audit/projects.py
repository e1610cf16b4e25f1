"""Project self-evaluations (项目绩效自评表): 执行率 = 执行数 / 预算数, and Σ 项目执行数 = 项目支出."""

from __future__ import annotations

import re

from assistant.audit.findings import Finding, Source, judge_percent, num, percent, severity_note
from assistant.audit.view import ReportView, cell_source, clean, item_title
from index.checks import tolerance
from index.model import Fact, Section, Table

_Reading = tuple[float, tuple[Source, ...]]  # a value the tables give, with the cells it comes from

def project_tables(report: ReportView) -> list[Table]:
    return [t for t in report.tables if t.kind == "project_performance"]


def project_money(report: ReportView, table: Table) -> dict[str, Fact]:
    """'预算数', '执行数', '执行率' of the project's total funding row."""
    rows: dict[str, dict[str, Fact]] = {}
    for fact in report.facts_of(table):
        column = clean(fact.column)
        for key in ("预算数", "执行数", "执行率"):
            if column.startswith(key):
                rows.setdefault(fact.row, {})[key] = fact
    if not rows:
        return {}
    total = next((r for r in rows if "总额" in r), next(iter(rows)))
    return rows[total]


def is_project_item(section: Section) -> bool:
    return bool(item_title(section)) and "自评" in section.heading_path[-1]


def project_table(report: ReportView, section: Section) -> Table | None:
    title = item_title(section)
    if not title or len(section.heading_path) < 2:
        return None
    key = _project_key(title)
    for table in project_tables(report):
        if key and _project_key(table.project or table.title) == key:
            return table
    return None


def _project_key(name: str) -> str:
    return re.sub(r"项目$", "", clean(name))


def project_findings(report: ReportView) -> list[Finding]:
    out: list[Finding] = []
    executed: list[tuple[float, Source]] = []
    for table in project_tables(report):
        money = project_money(report, table)
        budget, spent, rate = money.get("预算数"), money.get("执行数"), money.get("执行率")
        if spent is not None:
            executed.append((spent.value, cell_source(spent, table, table.project or spent.row, spent.column)))
        if budget is None or spent is None or rate is None:
            continue
        computed = percent(spent.value, budget.value)
        if computed is None:
            continue
        decimals = _printed_decimals(table, rate)
        severity = judge_percent(rate.value, decimals, computed)
        if severity is None:
            continue
        name = table.project or table.title
        out.append(
            Finding(
                severity, "project_rate", f"“{name}”执行率", rate.value, computed, "%",
                f"{num(spent.value)} ÷ {num(budget.value)} = {computed:.2f}%",
                (cell_source(rate, table, rate.row, rate.column),),
                (
                    cell_source(spent, table, spent.row, spent.column),
                    cell_source(budget, table, budget.row, budget.column),
                ),
                note=severity_note(severity, decimals, computed),
            )
        )
    if executed:
        out.extend(project_total(report, executed))
    return out


def project_total(report: ReportView, executed: list[tuple[float, Source]]) -> list[Finding]:
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
            candidates.append((fact.value, (cell_source(fact, table, fact.row, fact.column),)))
    if t05 is not None:
        parts = [(t, report.find(t, "合计", "项目支出")) for t in (t05, t07, t08) if t is not None]
        parts = [(t, f) for t, f in parts if f is not None]
        if len(parts) > 1:
            candidates.append(
                (sum(f.value for _, f in parts), tuple(cell_source(f, t, f.row, f.column) for t, f in parts))
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
            " + ".join(num(value) for value, _ in executed) + f" = {num(total)}",
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


