"""Errors that carry a message for the user (in Chinese); the CLI and UI print them.

They live in `index/` so that ingestion stands alone; `assistant.errors` re-exports them.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: str(error) is a complete sentence for the user."""


class ReportError(AssistantError):
    """The file cannot be ingested: encrypted, scanned, truncated, or not a 部门决算."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"无法导入 {path}：{reason}")


class UnknownReport(AssistantError):
    """A report id or path that names no ingested report."""


class InvalidQuestion(AssistantError):
    """An empty, over-long or otherwise unusable question."""
