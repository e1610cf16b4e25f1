"""Audit one report: is it complete and consistent, and where does it contradict itself?

Check families, one module each: `structure` (standard tables present, years, the department's name),
`formulas` (check formulas printed under each table), `identities` (identities between tables, declared
as data), `narrative` (figures and comparison words of the narrative against the tables), `projects`
(project self-evaluations), `subjects` (one code, one name). `findings` is what they all return; `view` is the report as they read it.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.audit.findings import (
    SEVERITY_LABELS,
    Finding,
    Severity,
    Source,
    audit_answer_text,
    by_severity,
    render_findings,
)
from assistant.audit.formulas import formula_findings
from assistant.audit.identities import identity_findings, unread_findings
from assistant.audit.narrative import narrative_findings
from assistant.audit.projects import project_findings
from assistant.audit.structure import structure_findings
from assistant.audit.subjects import subject_findings
from assistant.audit.view import ReportView
from assistant.errors import UnknownReport
from index.model import ReportIdentity
from index.store import FactStore


def audit_report(store: FactStore, report_id: str) -> list[Finding]:
    """Every discrepancy in one stored report: errors first, then rounding mismatches, doubts, notes."""
    record = store.report(report_id)
    if record is None:
        raise UnknownReport(f"找不到报告“{report_id}”，请先用 ingest 导入，或用 reports 查看已导入的报告 id。")
    view = ReportView(
        report_id=report_id,
        identity=store.identity(report_id) or ReportIdentity(record.department, record.year, record.title),
        facts=store.facts(report_id),
        sections=store.sections(report_id),
        tables=store.tables(report_id),
        path=record.path,
    )
    findings = structure_findings(view)
    findings += unread_findings(view)
    checks = store.checks(report_id)
    findings += formula_findings(view, checks)
    findings += identity_findings(view, checks)
    findings += narrative_findings(view)
    findings += project_findings(view)
    findings += subject_findings(view)
    findings = [_as_read(f, view.unsure_labels()) for f in findings]
    return [replace(f, report=report_id) for f in by_severity(findings)]


def _as_read(finding: Finding, unsure: dict[str, str]) -> Finding:
    """An error that rests on a cell of a table that may be misread is a doubt, not an error."""
    if finding.severity != "error":
        return finding
    why = next((unsure[s.table] for s in (*finding.stated_at, *finding.computed_from) if s.table in unsure), None)
    if why is None:
        return finding
    note = f"{finding.note}；{why}" if finding.note else why
    return replace(finding, severity="warning", note=note)


__all__ = [
    "SEVERITY_LABELS",
    "Finding",
    "Severity",
    "Source",
    "audit_answer_text",
    "audit_report",
    "render_findings",
]
