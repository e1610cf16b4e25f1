"""The typed answer every front end (CLI, UI, eval) receives."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

AnswerKind = Literal["number", "text", "clarify", "not_found"]
RouteKind = Literal["lookup", "calculate", "narrative", "audit", "not_found", "invalid", "stated"]


@dataclass(frozen=True)
class Citation:
    """Where an answer comes from: a table (公开NN表 + title) or a section heading path."""

    label: str
    page: int | None
    quote: str = ""
    row: str = ""  # the table row (or stated figure) cited, for highlighting


@dataclass(frozen=True)
class Candidate:
    """One reading of an ambiguous question, with its value and source."""

    label: str
    value: float
    unit: str
    citation: Citation


@dataclass(frozen=True)
class Route:
    """The branch a question took and why; `query` is the plan it was read as (None off the plan path)."""

    kind: RouteKind
    reason: str
    query: object = None  # assistant.query.Query
    intent: str = ""  # for a narrative question: what it asks (definition, reason, list, …; assistant/narrative)


@dataclass(frozen=True)
class PlanCell:
    """One table cell (or stated figure) the plan read."""

    entity: str
    measure: str
    value: float
    unit: str
    table: str
    page: int | None


@dataclass(frozen=True)
class Plan:
    """How an answer was reached: the query's slots, the cells read and the arithmetic ("如何得出")."""

    operation: str
    subjects: tuple[str, ...]
    measures: tuple[str, ...]
    scope: str = ""
    carried: tuple[str, ...] = ()  # slots filled from earlier turns
    open: tuple[str, ...] = ()  # slots the question left open (filled by defaults)
    cells: tuple[PlanCell, ...] = ()
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    text: str
    route: Route
    value: float | None = None
    unit: str = ""
    candidates: tuple[Candidate, ...] = ()
    citations: tuple[Citation, ...] = ()
    formula: str = ""  # for calculations: the arithmetic with its operands
    stated_value: float | None = None  # the report's own rounded figure where it differs
    latency_ms: float = 0.0
    report_id: str = ""
    plan: Plan | None = None

    def to_dict(self, *, question: str = "") -> dict:
        """The JSON contract of ../shared/eval/README.md (plus route and formula)."""
        return {
            "question": question,
            "kind": self.kind,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "candidates": [
                {"label": c.label, "value": c.value, "unit": c.unit, "citation": asdict(c.citation)}
                for c in self.candidates
            ],
            "citations": [asdict(c) for c in self.citations],
            "formula": self.formula,
            "stated_value": self.stated_value,
            "route": {"kind": self.route.kind, "reason": self.route.reason, "intent": self.route.intent},
            # the reading: the question as read (rows with their spans, measures, operation, scope, table, leftover)
            "trace": self.route.query.to_dict() if hasattr(self.route.query, "to_dict") else None,
            "plan": asdict(self.plan) if self.plan is not None else None,
            "report": self.report_id,
            "latency_ms": round(self.latency_ms, 2),
        }
