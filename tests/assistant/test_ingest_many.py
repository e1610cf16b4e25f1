"""Ingesting a folder: a parse pool, embedding shared across reports, failures listed, and a run that is
interrupted (Ctrl-C or a killed process) and run again leaves the same store as one that was not."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import Progress
from assistant.settings import PROJECT_ROOT
from bench.synthetic import write_reports

REPORTS = 5


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_reports(folder, REPORTS)
    return folder


def _env(data_dir: Path) -> dict:
    return {**os.environ, "JUESUAN_DATA_DIR": str(data_dir), "JUESUAN_EMBEDDER": "hash", "JUESUAN_CHROMA_SERVER": ""}


def _ingest(folder: Path, data_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(folder), "--workers", "2", *extra],
        env=_env(data_dir), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )


def _interrupted(folder: Path, data_dir: Path, sig: int) -> int:
    """Start an ingest of the folder and send sig once its first report is stored; its exit code.
    One parsing process: reports finish one by one, so the signal comes with others still to do."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", str(folder), "--workers", "1"],
        env=_env(data_dir), cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        # Ctrl-C's default action even when this test runs in the background (where SIGINT starts ignored).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for line in proc.stdout:
        if line.startswith("r20"):  # a report's summary line: it is stored and indexed
            proc.send_signal(sig)
            break
    proc.stdout.read()
    return proc.wait(timeout=300)


_DUMP = """
import json, sqlite3, sys
from pathlib import Path
import chromadb
from chromadb.config import Settings

data_dir = Path(sys.argv[1])
db = sqlite3.connect(data_dir / "facts.sqlite3")
dump = {t: sorted(map(repr, db.execute(f"SELECT * FROM {t}"))) for t in ("sections", "tables", "facts", "checks")}
dump["reports"] = sorted(map(repr, db.execute(
    "SELECT id, source_hash, department, year, page_count, warnings, parser, indexed_with, chunks FROM reports")))
client = chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=Settings(anonymized_telemetry=False))
for collection in client.list_collections():
    got = client.get_collection(collection.name).get(include=["documents", "metadatas", "embeddings"])
    dump["chroma:" + collection.name] = sorted(
        json.dumps([i, d, m, [round(float(x), 6) for x in e]], ensure_ascii=False, sort_keys=True)
        for i, d, m, e in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"]))
dump["lexicons"] = sorted(p.read_text(encoding="utf-8") for p in (data_dir / "lexicons").iterdir())
print(json.dumps(dump, ensure_ascii=False))
"""


def _store_dump(data_dir: Path) -> dict:
    """Everything the stores hold, without timestamps: facts, sections, tables, checks, vectors, lexicons.

    Read by a process of its own, as the next `ingest` would: embedded Chroma is one process's store."""
    out = subprocess.run([sys.executable, "-c", _DUMP, str(data_dir)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def uninterrupted(corpus, tmp_path_factory) -> dict:
    data_dir = tmp_path_factory.mktemp("uninterrupted")
    result = _ingest(corpus, data_dir)
    assert result.returncode == 0, result.stderr
    return _store_dump(data_dir)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_an_interrupted_ingest_run_again_gives_the_same_store(corpus, uninterrupted, tmp_path, sig):
    code = _interrupted(corpus, tmp_path, sig)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130)
    stored = sqlite3.connect(tmp_path / "facts.sqlite3").execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    assert 1 <= stored < REPORTS
    resumed = _ingest(corpus, tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert "未变化，已跳过" in resumed.stdout  # what was stored before the interrupt is not redone
    assert _store_dump(tmp_path) == uninterrupted
    assert len(uninterrupted["reports"]) == REPORTS


def test_a_failing_file_is_listed_at_the_end_and_the_others_are_ingested(corpus, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in sorted(corpus.iterdir())[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "a-broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (folder / "b-notes.txt").write_text("会议纪要：下周一开会。", encoding="utf-8")
    result = _ingest(folder, tmp_path / "data")
    assert result.returncode == 1
    summary = result.stdout[result.stdout.index("共 4 份"):]
    assert "成功 2 份" in summary and "失败 2 份" in summary
    assert "失败：" + str(folder / "a-broken.pdf") in summary
    assert "失败：" + str(folder / "b-notes.txt") + "：不是部门决算报告" in summary
    db = sqlite3.connect(tmp_path / "data" / "facts.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM reports WHERE indexed_with != ''").fetchone()[0] == 2


def test_progress_line_counts_reports_pages_and_time_left():
    class Clock:
        now = 0.0

    lines = []

    class Out:
        def write(self, text):
            lines.append(text)

        def flush(self):
            pass

    progress = Progress(12, Out())
    progress._clock = lambda: Clock.now
    progress._started = progress._work_started = 0.0
    progress.done(pages=0, skipped=True)  # unchanged files come first and take no time
    progress.done(pages=0, skipped=True)
    for _ in range(8):
        Clock.now += 5.0
        progress.done(pages=40, skipped=False)
    line = progress.line()
    assert "10/12 份" in line
    assert "8.0 页/秒" in line  # 320 pages in 40 s of work
    assert "预计剩余 10 秒" in line  # 5 s per parsed report, 2 left
    assert lines and lines[-1].strip() == line  # not a terminal: printed at the tenth report
