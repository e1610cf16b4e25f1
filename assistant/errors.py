"""Errors that carry a message for the user (in Chinese); defined beside ingestion, used everywhere."""

from index.errors import AssistantError, InvalidQuestion, ReportError, UnknownReport

__all__ = ["AssistantError", "InvalidQuestion", "ReportError", "UnknownReport"]
