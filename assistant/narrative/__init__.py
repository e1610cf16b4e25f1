"""Narrative answers: the question's intent, the report's sentences, and the sentences that answer.

Public entry points: `narrative_intent(question) -> Intent`, `ReportText.build(sections, tables)`,
`answer_narrative(question, passages, intent=…, text=…) -> Answer`; `cited_passages` labels retrieved
passages for citation.
"""

from assistant.narrative.compose import answer_narrative
from assistant.narrative.intent import Intent, IntentKind, narrative_intent
from assistant.narrative.passages import CitedPassage, cited_passages, heading_label
from assistant.narrative.sentences import ReportText, Sentence

__all__ = [
    "CitedPassage",
    "Intent",
    "IntentKind",
    "ReportText",
    "Sentence",
    "answer_narrative",
    "cited_passages",
    "heading_label",
    "narrative_intent",
]
