"""Baselines: each shared report's findings, computed once per session."""

from __future__ import annotations

import pytest

from tests.assistant.audit.helpers import audit_of


@pytest.fixture(scope="session")
def qifu_baseline(qifu_txt, tmp_path_factory):
    return audit_of(qifu_txt, tmp_path_factory.mktemp("qifu"))


@pytest.fixture(scope="session")
def scjgj_baseline(scjgj_txt, tmp_path_factory):
    return audit_of(scjgj_txt, tmp_path_factory.mktemp("scjgj"))


@pytest.fixture(scope="session")
def putuo_baseline(putuo_txt, tmp_path_factory):
    return audit_of(putuo_txt, tmp_path_factory.mktemp("putuo"))
