"""Auditing a parsed report, and text copies of a shared report with one planted change."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.audit import Finding, audit_report
from index.ingest import parse_report
from index.model import ParsedReport
from index.store import FactStore


def audit_of(report: ParsedReport, tmp_path: Path) -> list[Finding]:
    store = FactStore(tmp_path / "facts.sqlite3")
    store.save(report)
    try:
        return audit_report(store, report.report_id)
    finally:
        store.close()


def summary(findings: list[Finding]) -> list[tuple]:
    """What a finding says, without its citations: severity, check, subject, stated, computed."""
    return [
        (f.severity, f.check, f.subject, f.stated, None if f.computed is None else round(f.computed, 2))
        for f in findings
    ]


def audit_text(tmp_path: Path, name: str, text: str) -> list[Finding]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    copy = tmp_path / name
    copy.write_text(text, encoding="utf-8")
    return audit_of(parse_report(copy), tmp_path)


def replaced(source: Path, *replacements: tuple[str, str]) -> str:
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} must occur exactly once"
        text = text.replace(old, new)
    return text


def altered(tmp_path: Path, source: Path, *replacements: tuple[str, str]) -> list[Finding]:
    return audit_text(tmp_path, source.name, replaced(source, *replacements))


def blanked(source: Path, title: str) -> str:
    """The report with every figure of one table (the rows after its title, up to its 注) removed."""
    out, inside = [], False
    for line in source.read_text(encoding="utf-8").split("\n"):
        if line.strip() == title:
            inside = True
        elif inside and line.startswith("注"):
            inside = False
        if inside and "\t" in line:
            line = "\t".join("" if re.fullmatch(r"[\d,.]+%?", c.strip()) else c for c in line.split("\t"))
        out.append(line)
    return "\n".join(out)


def without(source: Path, start: str, end: str) -> str:
    """The report with the text from `start` up to `end` removed (a whole table)."""
    text = source.read_text(encoding="utf-8")
    a = text.index(start)
    return text[:a] + text[text.index(end, a + 1) :]


def new_findings(findings: list[Finding], baseline: list[Finding]) -> list[tuple]:
    """The findings of an altered copy that its original does not have (compared without citations)."""
    before = summary(baseline)
    return [s for s in summary(findings) if s not in before]
