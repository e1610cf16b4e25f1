"""The LangChain tools call the same typed functions the assistant uses."""

from __future__ import annotations

import pytest

from assistant.service import Assistant
from assistant.tools import make_tools
from tests.conftest import QIFU_TXT


@pytest.fixture
def tools(settings):
    assistant = Assistant(settings=settings, index_passages=False)
    assistant.ingest(QIFU_TXT)
    return {t.name: t for t in make_tools(assistant)}


def test_tool_names_and_schemas(tools):
    assert set(tools) == {"lookup_figure", "calculate", "search_report"}
    assert "expression" in tools["calculate"].args


def test_lookup_tool_returns_the_contract(tools):
    result = tools["lookup_figure"].invoke({"question": "政企云执行率是多少"})
    assert (result["kind"], result["value"], result["unit"]) == ("number", 86.3, "%")
    assert "政企云沟通畅联平台建设经费" in result["citations"][0]["label"]


def test_calculator_tool(tools):
    assert tools["calculate"].invoke({"expression": "809.69 - 184.88"}) == pytest.approx(624.81)
