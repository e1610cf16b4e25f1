"""The check formulas printed under each table (applied at ingest), and formulas that are wrong as printed."""

from __future__ import annotations

import re

from assistant.audit.findings import Finding, Source, difference_note
from assistant.audit.view import ReportView
from index.checks import parse_formulas
from index.model import CheckResult


def formula_findings(view: ReportView, checks: list[CheckResult]) -> list[Finding]:
    """A failed formula is an error, one that holds only within its operands' rounding is a rounding
    note; a table that could not be read gets no per-row findings (see identities.unread_findings)."""
    out: list[Finding] = []
    for check in checks:
        if abs(check.stated - check.computed) < 1e-6:
            continue
        table = view.by_key.get(check.table)
        if table is not None and view.unread(table):
            continue
        label = table.label if table else check.table
        unit = table.unit if table else ""
        quote = (_quote(table, check.row, check.page) if table else "") or f"{check.row} {check.stated:g}"
        out.append(
            Finding(
                severity="rounding" if check.passed else "error",
                check="table_formula",
                subject=f"{check.table}“{check.row}”{check.column}",
                stated=check.stated,
                computed=check.computed,
                unit=unit,
                formula=check.formula,
                stated_at=(Source(label, check.row, check.column, check.page, check.stated, quote),),
                computed_from=(Source(label, check.formula, check.column, check.page, check.computed, check.formula),),
                note=difference_note(check.stated, check.computed),
            )
        )
    for table in view.tables:
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


def _quote(table, row: str, page: int | None) -> str:
    for printed in table.rows:
        if page is not None and printed.page is not None and printed.page != page:
            continue
        cells = [c for c in printed.cells if c]
        if any(c.strip().endswith(row.strip()) for c in cells if row.strip()):
            return " ".join(cells)
    return ""
