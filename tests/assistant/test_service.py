"""The service's ingest: an unchanged file is not parsed again; a changed one, or a new parser, is."""

from __future__ import annotations

import shutil

from assistant.service import Assistant
from index import ingest
from tests.conftest import PUTUO_TXT


def test_unchanged_file_is_not_parsed_again_even_at_another_path(settings, tmp_path, monkeypatch):
    assistant = Assistant(settings=settings, index_passages=False)
    first = assistant.ingest(PUTUO_TXT)
    copy = tmp_path / "copy.txt"
    shutil.copy(PUTUO_TXT, copy)
    calls = []
    monkeypatch.setattr("index.ingest.parse_report", lambda path, pool=None: calls.append(path))
    second = assistant.ingest(copy)
    assert calls == []
    assert (second.report_id, second.facts, second.tables, second.checks) == (
        first.report_id, first.facts, first.tables, first.checks,
    )
    assert assistant.resolve(str(copy)).id == first.report_id  # now named by its new path too
    assert len(assistant.reports()) == 1


def test_changed_file_or_new_parser_is_parsed_again(settings, tmp_path, monkeypatch):
    assistant = Assistant(settings=settings, index_passages=False)
    copy = tmp_path / "report.txt"
    shutil.copy(PUTUO_TXT, copy)
    first = assistant.ingest(copy)
    copy.write_text(copy.read_text(encoding="utf-8").replace("2.85\t0.39", "2.85\t0.40"), encoding="utf-8")
    second = assistant.ingest(copy)
    assert second.report_id == first.report_id and second.seconds > 0
    facts = assistant.store.facts(first.report_id)
    assert any(f.value == 0.40 and f.table_kind == "three_public" for f in facts)
    monkeypatch.setattr(ingest, "PARSER_VERSION", "next")
    monkeypatch.setattr("assistant.service.PARSER_VERSION", "next")
    calls = []
    real = ingest.parse_report
    monkeypatch.setattr(ingest, "parse_report", lambda path, pool=None: calls.append(path) or real(path, pool=pool))
    assistant.ingest(copy)
    assert calls == [copy]
