"""One entry point for a question: route it, run the plan (or the stated-figure path), compose the Answer.

    route(question, conversation, schema) -> Route(kind, reason, query)

kinds: invalid / audit / narrative (passages answer), lookup / calculate (the table plan answers),
stated (figures the report states in sentences, last year's figures, project aggregates: `stated.StatedAnswerer`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import cached_property

from assistant.stated import _AUDIT, MAX_QUESTION, StatedAnswerer, _is_narrative
from assistant.compose import compose
from assistant.conversation import Conversation, Turn, carry_over
from assistant.execute import Cell, Result, execute
from assistant.model import Answer, Route
from assistant.narrative.intent import TEXT_INTENTS, narrative_intent
from assistant.lookup import _department_aliases
from assistant.query import (
    Query, _abbreviation, computes, in_report_words, lists_rows, other_unit_by_charge, parse, without_unit_by_charge,
    without_unit_name,
)
from assistant.wording import ABSENT_CONCEPTS, ASKS_AMOUNT, ASKS_FIGURE, ASKS_PERCENT, FILTER, FILLERS, FISCAL_SCOPE, LIST
from assistant.schema import MEASURE_BY_ID, ReportSchema
from index.normalize import compact, normalize
from prompts import say

__all__ = ["Answerer", "Conversation", "route", "plan"]

log = logging.getLogger(__name__)



_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n")


def _last_sentence_asked(text: str) -> str:
    """The last sentence of a long text of several, when it asks for a figure on its own ('' otherwise)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if re.search(r"[\u4e00-\u9fff]", s)]
    if len(text) < 60 or len(sentences) < 2:
        return ""
    last = sentences[-1]
    return last if ASKS_FIGURE.search(last) and len(last) >= 4 else ""


def _asks_a_percentage(text: str) -> bool:
    """Whether the figure asked is a share or a rate ("按百分比算占多少"), not a count of rows over a percentage
    ("执行率低于百分之九十的项目有几个")."""
    return bool(ASKS_PERCENT.search(text)) and not FILTER.search(text) and not LIST.search(text)


def asks_text(text: str) -> bool:
    """Whether the question's intent wants the report's words (issue 13): a definition, a result, a contact
    or the units even when it says 多少; a reason, a use or a list when it does not ask an amount."""
    intent = narrative_intent(text)
    return intent.kind in TEXT_INTENTS or (intent.asks_text and not ASKS_AMOUNT.search(text))


def plan(question: str, conversation: Conversation, schema: ReportSchema) -> tuple[Query, Result | None]:
    """The question as a Query (with slots carried over from the conversation) and what the executor made of it."""
    query = carry_over(parse(question, schema), conversation, schema)
    return query, execute(query, schema, conversation)


def route(question: str, conversation: Conversation, schema: ReportSchema) -> Route:
    """The branch a question takes, with the reason and the Query it was read as."""
    kind, reason, query, _ = _route(question, conversation, schema)
    return Route(kind, reason, query)


def _route(question: str, conversation: Conversation, schema: ReportSchema):
    text = normalize(question or "").strip()
    if not text or len(text) > MAX_QUESTION or not re.search(r"[\u4e00-\u9fff\d]", text):
        return "invalid", "问题为空、过长或无法识别", None, None
    if _AUDIT.search(text) and not ASKS_AMOUNT.search(text):  # "审计核对：办公费列支多少" asks a figure
        return "audit", "问的是报告是否前后一致", None, None
    if (_is_narrative(text) or asks_text(text)) and not lists_rows(text) and not computes(text):  # issue 13: the question's intent
        return "narrative", "问的是原因、内容或做法，由原文段落回答", None, None
    query, result = plan(text, conversation, schema)
    if query.table_named and (result is None or not query.tables):
        # A table named is where the figure must come from: not a sentence, not another table.
        return "not_found", "所指的表中没有这一项", query, None
    if result is not None and result.kind == "absent":
        return "stated", "表格中这一行没有所问的列，查找报告文字中为这一行写明的数字", query, result
    if result is not None:
        kind = "lookup" if result.operation == "value" else "calculate"
        return kind, result.operation, query, result
    return "stated", "表格中没有对应的行和列，查找报告文字中写明的数字", query, None


class Answerer(StatedAnswerer):
    """Answers questions about one report: the table plan first, then stated figures and passages."""

    def answer(self, question: str, conversation: Conversation | None = None) -> Answer:
        """The answer to one question; no exception escapes (a failure is a reply, logged with the question)."""
        conversation = conversation if conversation is not None else Conversation()
        turns = len(conversation.turns)
        try:
            answer = self._answer(question, conversation)
            if answer.kind == "number" and answer.unit != "%" and _asks_a_percentage(normalize(question or "")):
                # a share asked, another kind of figure found (a score, an amount): never given as the share
                del conversation.turns[turns:]
                reason = say("not_found.not_a_percent", unit=answer.unit or "一个数")
                answer = Answer(kind="not_found", text=say("not_found.answer", reason=reason, department=self.facts.department,
                                                           year=self.facts.year), route=Route("not_found", reason))
            if answer.kind == "not_found" and len(conversation.turns) == turns:
                conversation.turns.append(Turn(question=question, unanswered=True))
            return answer
        except Exception as error:  # noqa: BLE001 — a question must never end the conversation
            log.exception("question failed: %r", question)
            del conversation.turns[turns:]  # a half-remembered turn would mislead the next follow-up
            return Answer(kind="not_found", text=say("invalid.failed", error=type(error).__name__),
                          route=Route("invalid", f"内部错误：{type(error).__name__}"))

    def _answer(self, question: str, conversation: Conversation) -> Answer:
        asked = _last_sentence_asked(normalize(question or ""))
        if asked:
            # A passage pasted before the question ("…压减一般性支出。请问本年支出合计是多少"): the question is its
            # last sentence; the passage is background, and its words are not placed as rows.
            answer = self._answer(asked, conversation)
            return replace(answer, text=say("lookup.last_sentence", question=asked) + answer.text)
        question = in_report_words(normalize(question or ""), self.schema) or question  # everyday words, the report's
        question = FILLERS.sub("", question) or question  # words that name nothing
        absent = self._concept_absent(question)  # before the unit's name goes: "比其他区的规资局…" names another unit
        if absent is not None:
            return absent
        other = other_unit_by_charge(question, self.facts.department)
        if other:
            return self._not_found(say("not_found.other_unit", department=self.facts.department, unit=other))
        question = without_unit_by_charge(question, self.facts.department) or question
        question = without_unit_name(question, self.facts.department, self.schema.alias_index) or question
        kind, _, query, result = _route(question, conversation, self.schema)
        if kind in ("lookup", "calculate") and result is not None:
            answer = compose(query, result, self.schema, self.fact_answer)
            self._remember_plan(question, query, result, conversation)
            if narrative_intent(question).unit and answer.kind == "number" and result.operation != "filter":
                # issue 13: a count stated in prose (a filter's count is of the rows it checked, never a prose figure)
                answer = self._narrative(normalize(question), against=answer)
            return answer
        if kind == "not_found":
            named = "、".join(dict.fromkeys(self.facts.tables[t].title if t in self.facts.tables else t for t in query.tables))
            reason = say("not_found.not_in_table", table=named or query.table_named.rstrip("里中内上,，"))
            nearby = self.schema.nearby(query.leftover) if query.leftover else []
            text = say("not_found.answer", reason=reason, department=self.facts.department, year=self.facts.year)
            return Answer(kind="not_found", text=text + (say("not_found.nearby", rows="、".join(nearby)) if nearby else ""),
                          route=Route("not_found", reason, query))
        if kind == "stated" and result is not None and result.kind == "absent" and query.subjects:
            return self.stated_for_row(question, query.subjects[0].keys[0], result.message, result.readings)
        if kind == "stated" and query is not None and not query.subjects and query.operation == "value" and query.leftover:
            readings = self._rows_spelled(query)
            if readings is not None:
                # "结转结余有多少": a part of two rows' names (年初…, 年末…) — both offered, never one sentence's
                return compose(query, readings, self.schema, self.fact_answer)
        if kind == "stated" and query is not None and query.operation == "change" and query.subjects:
            # A row the tables have, with no change stated for it: not another row's change.
            return self._not_found(say("not_found.no_change"))
        if kind == "narrative":
            # The narrative answering function (issue 13) attaches here.
            answer = super().answer(question, conversation)
            self._remember_subject(question, conversation)
            return answer
        answer = super().answer(_without_department(question, self.facts.department), conversation)
        if answer.kind == "text" and answer.route.kind == "narrative" and ASKS_AMOUNT.search(normalize(question)):
            # "…单独支出了多少": a figure was asked and none was found; a passage is not an answer to it.
            answer = self._not_found(say("not_found.no_such_number"))
        if answer.kind == "not_found" and query is not None and query.leftover and kind == "stated":
            nearby = self.schema.nearby(query.leftover)
            if nearby:
                answer = Answer(kind="not_found", text=answer.text + say("not_found.nearby", rows="、".join(nearby)),
                                route=answer.route)
        return answer

    def _rows_spelled(self, query: Query) -> Result | None:
        """A clarification when the words no row accounts for are a part of several rows' names with different
        figures ("结转结余": 年初… and 年末…), the question's other words telling none of them apart; None otherwise."""
        asked, spelled = compact(query.question), compact(query.leftover)
        pairs = {asked[i:i + 2] for i in range(len(asked) - 1)} - {spelled[i:i + 2] for i in range(len(spelled) - 1)}
        keys = [k for k in self.schema.rows_spelling(query.leftover)
                if query.scope or not FISCAL_SCOPE.search(self.schema.entities[k].label)]  # no scope said: all funds
        if not keys:
            return None
        score = {k: sum(1 for p in pairs if p in compact(self.schema.entities[k].label)) for k in keys}
        keys = [k for k in keys if score[k] == max(score.values())]  # "年末…结转结余": the 年末 rows (the words besides)
        cells = []
        for key in keys:
            fact = self.schema.cell(key, "actual", scope=query.scope)
            if fact is not None and all(abs(fact.value - c.fact.value) >= 0.005 for c in cells):
                cells.append(Cell(key=key, label=self.schema.entities[key].label, measure="actual", fact=fact))
        return Result(kind="clarify", operation="value", readings=tuple(cells[:6])) if len(cells) >= 2 else None

    def _concept_absent(self, question: str) -> Answer | None:
        """A thing the report would have to state in its own words (中标单位, 编制人数, 人口): absent from its text,
        "not in the report" — never a passage or a count of something else (编制范围's 2 units)."""
        asked = [stated for ask, stated in ABSENT_CONCEPTS if ask.search(question)]
        if not asked or any(stated.search(self._full_text) for stated in asked):
            return None
        return self._not_found(say("not_found.out_of_scope"))

    @cached_property
    def _full_text(self) -> str:
        return compact("".join(getattr(s, "text", "") for s in self.sections))

    def _remember_subject(self, question: str, conversation: Conversation) -> None:
        """'维稳解困金是怎么用的' → '它的执行率是多少': a passage's answer about one row leaves that row as the subject."""
        query = parse(normalize(question), self.schema)
        if len(query.subjects) == 1 and len(query.subjects[0].keys) == 1:
            key = query.subjects[0].keys[0]
            conversation.turns.append(Turn(question=question, subject=self.schema.entities[key].label, query=query, subject_key=key))

    def _remember_plan(self, question: str, query: Query, result: Result, conversation: Conversation) -> None:
        cells = result.cells or result.readings
        if not cells:
            conversation.turns.append(Turn(question=question, query=query))
            return
        first = cells[0]
        words = MEASURE_BY_ID[first.measure].question_words[0] if first.measure in MEASURE_BY_ID and first.measure != "actual" else ""
        value, unit = (result.value, result.unit) if result.kind == "number" else (None, "")
        if result.operation == "sum" and result.kind == "number":
            # "两者一共多少" → "占本年支出的比例": the total is the figure a follow-up goes on with
            label = "、".join(c.label for c in cells) + "合计"
            conversation.turns.append(Turn(question=question, subject=label, fact=first.fact, value=value, unit=unit,
                                           query=query, measure=first.measure, parts=result.steps))
            return
        conversation.turns.append(Turn(
            question=question, subject=first.label, metric_words=words, fact=first.fact if result.kind == "number" else None,
            value=value, unit=unit, query=query, subject_key=first.key, measure=first.measure,
        ))


def _without_department(question: str, department: str) -> str:
    """'规划资源局上一年的…' → '上一年的…': a short name of the department names no row."""
    text = normalize(question or "")
    if not department or any(alias in text for alias in _department_aliases(department)):
        return question  # the full name is there; the stated path strips it itself
    piece = _abbreviation(text, department)
    return normalize(question).replace(piece, "", 1) if piece else question
