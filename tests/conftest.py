"""Shared fixtures: the sample reports parsed once per session, and a throwaway data directory."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.settings import PROJECT_ROOT, load_settings  # noqa: E402
from index.ingest import parse_report  # noqa: E402

SAMPLES = PROJECT_ROOT / "samples"
QIFU_PDF = SAMPLES / "hanyang-qifu-2023.pdf"
QIFU_TXT = SAMPLES / "hanyang-qifu-2023.txt"
SCJGJ_PDF = SAMPLES / "hanyang-scjgj-2023.pdf"
SCJGJ_TXT = SAMPLES / "hanyang-scjgj-2023.txt"
PUTUO_PDF = SAMPLES / "putuo-ghzy-2024.pdf"  # a real Shanghai report: no table numbers, split codes
PUTUO_TXT = SAMPLES / "putuo-ghzy-2024.txt"
PUTUO_CELLS = SAMPLES / "putuo-ghzy-2024-cells.jsonl"  # every numeric cell, verified by hand
UNIVERSITY_PDF = SAMPLES / "chongqing-xinandaxue-2023.pdf"  # a real university report (高等学校 / central format)
UNIVERSITY_TXT = SAMPLES / "chongqing-xinandaxue-2023.txt"
UNIVERSITY_CELLS = SAMPLES / "chongqing-xinandaxue-2023-cells.jsonl"


@pytest.fixture(scope="session")
def qifu_pdf():
    return parse_report(QIFU_PDF)


@pytest.fixture(scope="session")
def qifu_txt():
    return parse_report(QIFU_TXT)


@pytest.fixture(scope="session")
def scjgj_pdf():
    return parse_report(SCJGJ_PDF)


@pytest.fixture(scope="session")
def scjgj_txt():
    return parse_report(SCJGJ_TXT)


@pytest.fixture(scope="session")
def putuo_pdf():
    return parse_report(PUTUO_PDF)


@pytest.fixture(scope="session")
def putuo_txt():
    return parse_report(PUTUO_TXT)


@pytest.fixture(scope="session")
def university_pdf():
    return parse_report(UNIVERSITY_PDF)


@pytest.fixture
def settings(tmp_path: Path):
    """Settings with a fresh data directory for one test."""
    return replace(load_settings(), data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on a free loopback port for the session, stopped afterwards."""
    from index.vectors import local_server

    with local_server(tmp_path_factory.mktemp("chroma-server")) as address:
        yield address
