"""The assistant's tools as plain typed functions, and the one list that wraps them for LangChain."""

from __future__ import annotations

from langchain_core.tools import BaseTool, StructuredTool

from assistant import calculator
from assistant.service import Assistant


def make_tools(assistant: Assistant, *, report: str | None = None) -> list[BaseTool]:
    """LangChain tools bound to one assistant (and optionally one report)."""

    def lookup_figure(question: str) -> dict:
        """Look up a figure stated in the report (table cell or sentence); returns value, unit and citations."""
        answer = assistant.ask(question, report=report)
        return answer.to_dict(question=question)

    def calculate(expression: str) -> float:
        """Evaluate arithmetic over numbers with + - * / and parentheses (no names, no calls)."""
        return calculator.evaluate(expression)

    def search_report(question: str) -> list[dict]:
        """Passages of the report that answer a narrative question, each with its heading and page."""
        record = assistant.resolve(report)
        from index.indexing import open_retriever
        from assistant.narrative import cited_passages

        retriever = open_retriever(settings=assistant.settings, report_ids=[record.id])
        return [
            {"label": p.label, "page": p.page, "text": p.text, "score": p.score}
            for p in cited_passages(retriever.retrieve(question, k=5, report_ids=[record.id]))
        ]

    return [StructuredTool.from_function(f) for f in (lookup_figure, calculate, search_report)]
