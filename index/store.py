"""The facts store: parsed reports, sections, tables, facts and checks in SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from index.model import CheckResult, Fact, ParsedReport, ReportIdentity, Row, Section, Table

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, source_hash TEXT NOT NULL, department TEXT NOT NULL,
    year INTEGER, title TEXT NOT NULL, page_count INTEGER NOT NULL, warnings TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS sections (
    report_id TEXT NOT NULL, position INTEGER NOT NULL, heading_path TEXT NOT NULL, text TEXT NOT NULL,
    pages TEXT NOT NULL, PRIMARY KEY (report_id, position)
);
CREATE TABLE IF NOT EXISTS tables (
    report_id TEXT NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL, number INTEGER, title TEXT NOT NULL,
    kind TEXT NOT NULL, unit TEXT NOT NULL, pages TEXT NOT NULL, notes TEXT NOT NULL, rows TEXT NOT NULL,
    header_rows INTEGER NOT NULL, project TEXT NOT NULL, PRIMARY KEY (report_id, position)
);
CREATE TABLE IF NOT EXISTS facts (
    report_id TEXT NOT NULL, position INTEGER NOT NULL, tbl TEXT NOT NULL, table_title TEXT NOT NULL,
    row TEXT NOT NULL, code TEXT NOT NULL, classification TEXT NOT NULL, col TEXT NOT NULL, value REAL NOT NULL,
    unit TEXT NOT NULL, page INTEGER, row_number INTEGER, column_number INTEGER, source TEXT NOT NULL,
    quote TEXT NOT NULL, table_kind TEXT NOT NULL DEFAULT '', PRIMARY KEY (report_id, position)
);
CREATE INDEX IF NOT EXISTS facts_by_code ON facts (report_id, code);
CREATE TABLE IF NOT EXISTS checks (
    report_id TEXT NOT NULL, position INTEGER NOT NULL, tbl TEXT NOT NULL, formula TEXT NOT NULL, row TEXT NOT NULL,
    col TEXT NOT NULL, stated REAL NOT NULL, computed REAL NOT NULL, page INTEGER, passed INTEGER NOT NULL,
    PRIMARY KEY (report_id, position)
);
"""


@dataclass(frozen=True)
class ReportRecord:
    id: str
    path: str
    source_hash: str
    department: str
    year: int | None
    title: str
    page_count: int
    warnings: tuple[str, ...]
    ingested_at: str


class FactStore:
    """One SQLite file under the data directory; writes for a report are one transaction."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._migrate()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        """Stores written before a column existed get it (with its default); nothing is lost."""
        added = [
            ("facts", "table_kind", "TEXT NOT NULL DEFAULT ''"),
            ("reports", "parser", "TEXT NOT NULL DEFAULT ''"),
            ("reports", "indexed_with", "TEXT NOT NULL DEFAULT ''"),  # embedding model id of its passages
            ("reports", "chunks", "INTEGER NOT NULL DEFAULT 0"),
        ]
        for table, column, declaration in added:
            if column not in {r[1] for r in self._db.execute(f"PRAGMA table_info({table})")}:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
        self._db.commit()

    def save(self, report: ParsedReport) -> None:
        """Replace everything stored for this report id with the parsed report."""
        with self._lock, self._db:
            self._delete(report.report_id)
            rid = report.report_id
            self._db.execute(
                "INSERT INTO reports (id, path, source_hash, department, year, title, page_count, warnings, parser)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    rid, report.path, report.source_hash, report.identity.department, report.identity.year,
                    report.identity.title, report.page_count, json.dumps(report.warnings, ensure_ascii=False),
                    report.parser,
                ),
            )
            self._db.executemany(
                "INSERT INTO sections VALUES (?, ?, ?, ?, ?)",
                [
                    (rid, i, json.dumps(s.heading_path, ensure_ascii=False), s.text, json.dumps(s.pages))
                    for i, s in enumerate(report.sections)
                ],
            )
            self._db.executemany(
                "INSERT INTO tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        rid, i, t.key, t.number, t.title, t.kind, t.unit, json.dumps(t.pages),
                        json.dumps(t.notes, ensure_ascii=False),
                        json.dumps([[r.page, list(r.cells)] + ([] if r.ruled else [False]) for r in t.rows], ensure_ascii=False),
                        t.header_rows, t.project,
                    )
                    for i, t in enumerate(report.tables)
                ],
            )
            self._db.executemany(
                "INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        rid, i, f.table, f.table_title, f.row, f.code, f.classification, f.column, f.value, f.unit,
                        f.page, f.row_number, f.column_number, f.source, f.quote, f.table_kind,
                    )
                    for i, f in enumerate(report.facts)
                ],
            )
            self._db.executemany(
                "INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (rid, i, c.table, c.formula, c.row, c.column, c.stated, c.computed, c.page, int(c.passed))
                    for i, c in enumerate(report.checks)
                ],
            )

    def delete(self, report_id: str) -> None:
        with self._lock, self._db:
            self._delete(report_id)

    def _delete(self, report_id: str) -> None:
        for table in ("reports", "sections", "tables", "facts", "checks"):
            column = "id" if table == "reports" else "report_id"
            self._db.execute(f"DELETE FROM {table} WHERE {column} = ?", (report_id,))

    def reports(self) -> list[ReportRecord]:
        rows = self._query("SELECT * FROM reports ORDER BY year, department")
        return [_report(r) for r in rows]

    def report(self, report_id: str) -> ReportRecord | None:
        rows = self._query("SELECT * FROM reports WHERE id = ?", (report_id,))
        return _report(rows[0]) if rows else None

    def report_by_path(self, path: str) -> ReportRecord | None:
        rows = self._query("SELECT * FROM reports WHERE path = ? ORDER BY ingested_at DESC", (path,))
        return _report(rows[0]) if rows else None

    def report_by_hash(self, source_hash: str, *, parser: str) -> ReportRecord | None:
        """The stored report parsed from this exact file content by this parser version, if any."""
        rows = self._query("SELECT * FROM reports WHERE source_hash = ? AND parser = ?", (source_hash, parser))
        return _report(rows[0]) if rows else None

    def mark_indexed(self, report_id: str, *, model: str, chunks: int) -> None:
        """Record that the report's passages are embedded with this model (so an unchanged re-ingest can skip)."""
        with self._lock, self._db:
            self._db.execute("UPDATE reports SET indexed_with = ?, chunks = ? WHERE id = ?", (model, chunks, report_id))

    def indexed(self, report_id: str) -> tuple[str, int]:
        """(model id, chunk count) of the report's indexed passages; ('', 0) when not indexed."""
        rows = self._query("SELECT indexed_with, chunks FROM reports WHERE id = ?", (report_id,))
        return (rows[0][0], rows[0][1]) if rows else ("", 0)

    def set_path(self, report_id: str, path: str) -> None:
        """The same file, found at another path: the report is now named by that path too."""
        with self._lock, self._db:
            self._db.execute("UPDATE reports SET path = ? WHERE id = ?", (path, report_id))

    def facts(self, report_id: str, *, table: str | None = None) -> list[Fact]:
        sql = "SELECT * FROM facts WHERE report_id = ?"
        args: tuple = (report_id,)
        if table:
            sql += " AND (tbl = ? OR table_title LIKE ? OR table_kind = ?)"
            args += (table, f"%{table}%", table)
        rows = self._query(sql + " ORDER BY position", args)
        return [
            Fact(
                report_id=r[0], table=r[2], table_title=r[3], row=r[4], code=r[5], classification=r[6], column=r[7],
                value=r[8], unit=r[9], page=r[10], row_number=r[11], column_number=r[12], source=r[13], quote=r[14],
                table_kind=r[15],
            )
            for r in rows
        ]

    def sections(self, report_id: str) -> list[Section]:
        rows = self._query("SELECT * FROM sections WHERE report_id = ? ORDER BY position", (report_id,))
        return [
            Section(report_id=r[0], position=r[1], heading_path=tuple(json.loads(r[2])), text=r[3], pages=tuple(json.loads(r[4])))
            for r in rows
        ]

    def tables(self, report_id: str) -> list[Table]:
        rows = self._query("SELECT * FROM tables WHERE report_id = ? ORDER BY position", (report_id,))
        return [
            Table(
                report_id=r[0], key=r[2], number=r[3], title=r[4], kind=r[5], unit=r[6], pages=tuple(json.loads(r[7])),
                notes=tuple(json.loads(r[8])), rows=tuple(Row(row[0], tuple(row[1]), *row[2:]) for row in json.loads(r[9])),
                header_rows=r[10], project=r[11],
            )
            for r in rows
        ]

    def checks(self, report_id: str) -> list[CheckResult]:
        rows = self._query("SELECT * FROM checks WHERE report_id = ? ORDER BY position", (report_id,))
        return [
            CheckResult(table=r[2], formula=r[3], row=r[4], column=r[5], stated=r[6], computed=r[7], page=r[8], passed=bool(r[9]))
            for r in rows
        ]

    def identity(self, report_id: str) -> ReportIdentity | None:
        record = self.report(report_id)
        return ReportIdentity(record.department, record.year, record.title) if record else None

    def counts(self, report_id: str) -> dict[str, int]:
        return {
            table: self._query(f"SELECT COUNT(*) FROM {table} WHERE report_id = ?", (report_id,))[0][0]
            for table in ("sections", "tables", "facts", "checks")
        }

    def _query(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()


def _report(r: tuple) -> ReportRecord:
    return ReportRecord(
        id=r[0], path=r[1], source_hash=r[2], department=r[3], year=r[4], title=r[5], page_count=r[6],
        warnings=tuple(json.loads(r[7])), ingested_at=r[8],
    )
