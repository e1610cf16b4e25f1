"""Conversation as slot carry-over: a follow-up replaces the slots it names and keeps the others."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant.query import Mention, Query
from assistant.wording import ASKS_AMOUNT
from assistant.schema import ReportSchema
from index.model import Fact



@dataclass
class Turn:
    """One answered question: what it named (for the older lookup path) and the figure it gave."""

    question: str
    subject: str = ""  # the question text that named the subject
    metric_words: str = ""
    fact: Fact | None = None
    value: float | None = None
    unit: str = ""
    query: Query | None = None  # the plan, when the plan answered it
    subject_key: str = ""  # the entity the answer was about
    measure: str = ""
    parts: tuple[str, ...] = ()  # for a total: the arithmetic that made it
    unanswered: bool = False  # the report had no answer: a follow-up cannot lean on it


@dataclass
class Conversation:
    """Per-conversation state: the earlier turns, for follow-ups."""

    turns: list[Turn] = field(default_factory=list)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def last_planned(self) -> Turn | None:
        return next((t for t in reversed(self.turns) if t.subject_key), None)

    def figures(self) -> list[Turn]:
        """Earlier turns that gave one figure, oldest first."""
        return [t for t in self.turns if t.value is not None]


def carry_over(query: Query, conversation: Conversation, schema: ReportSchema) -> Query:
    """Fill a follow-up's open slots from the last planned turn; a self-contained question starts afresh."""
    previous = conversation.last
    if (query.operation == "share" and not query.subjects and previous is not None and previous.query is not None
            and previous.query.operation == "sum" and previous.value is not None and query.refers_back in ("", "total")):
        # "两者一共多少" → "占本年支出合计的比例是多少": the share of that total
        return query.with_(refers_back="total", carried=("subject",))
    if previous is not None and previous.unanswered and not query.subjects and query.refers_back != "both" \
            and (query.follow_form or query.refers_back == "it" or query.drill_down
                 or (query.follow_up and set(query.measures) & ROW_ATTRIBUTES)
                 or (query.ignored and set(query.measures) & (ROW_ATTRIBUTES | DEPARTMENT_COLUMNS))):
        # "西大科学技术花了多少" (not found) → "那项目上用掉多少": the row it leans on was never placed; never the
        # department's figure instead.
        return query.with_(refers_back="unplaced")
    last = conversation.last_planned()
    if previous is not None and previous is not last and not previous.unanswered and not query.subjects \
            and query.refers_back != "both":
        # The last answer came from a sentence or a passage, not the plan: a follow-up leans on its row when that
        # row is one of the tables' — never on an older planned turn, nor on nothing.
        entity = schema.entity_of_row(previous.subject or "")
        if entity is not None:
            last = replace(previous, subject_key=entity.key)
        elif previous.value is not None and (query.follow_form or query.refers_back == "it" or query.drill_down or (
                query.ignored and set(query.measures) & (ROW_ATTRIBUTES | DEPARTMENT_COLUMNS))):
            return query.with_(refers_back="unlinked")  # a figure from a sentence, with no row of the tables
    if last is None or query.refers_back == "both":
        return query
    if not query.subjects and not query.measures and query.operation == "value" and not query.drill_down \
            and query.refers_back == "" and not query.follow_form:
        # Words were said and none named a row, a column or what to compute ("宿舍楼有几栋", "这俩加一块多少" unread):
        # repeating the last figure would answer a question nobody asked. Read on its own, as a new question.
        return query
    carried = []
    ambiguous = False
    subjects = query.subjects
    if query.drill_down and subjects:
        # "其中津贴补贴呢": the named row, read as a part of the last subject where the report has it so.
        parts = set(schema.descendants(last.subject_key))
        subjects = tuple(_prefer(m, parts) for m in subjects)
        carried.append("parent")
    if query.refers_back == "it" and len(subjects) == 1 and query.operation in ("ratio", "difference"):
        # "它是住房改革支出的几倍", "它比X多多少": the last row against the one named
        subjects = (Mention(schema.entities[last.subject_key].label, 0, (last.subject_key,)),) + subjects
        carried.append("subject")
    elif query.refers_back == "it" and not subjects:
        subjects = (Mention(schema.entities[last.subject_key].label, 0, (last.subject_key,)),)
        carried.append("subject")
    elif (not subjects and query.measures and set(query.measures) <= DEPARTMENT_COLUMNS and not query.follow_form
          and not query.drill_down and query.operation == "value" and not query.leftover
          and _has_any(schema, last.subject_key, query.measures)):
        # "城乡社区管理事务支出多少" → "细分一下，基本支出有多少": the last row's 基本支出, or the department's? Both are
        # read; different figures are offered as choices (execute), never one of them guessed. Said as a follow-up
        # ("基本支出呢", "其中基本支出是多少") it is the row's.
        subjects = (Mention(schema.entities[last.subject_key].label, 0, (last.subject_key,)),)
        carried.append("subject")
        ambiguous = True
    elif not subjects and query.measures and not _has_any(schema, last.subject_key, query.measures):
        if query.follow_up and set(query.measures) & ROW_ATTRIBUTES:
            # "公务用车运行费花了多少" → "年初预算是多少": an attribute of the row talked about, which it lacks —
            # asked which item is meant, never the department's figure of that name
            return query.with_(refers_back="lacks")
        # "政企云执行率是多少" → "那项目支出占比呢": a column the department totals (项目支出) is the department's
    elif not subjects and (query.follow_up or (query.operation in ("share", "change") and (query.follow_form or not query.measures))):
        # "实际执行了多少", "占比多少", "占公用经费的比例", "比上年少了多少": the last row; "基本支出占本年支出的
        # 比例" names its own measure and whole, and starts afresh.
        subjects = (Mention(schema.entities[last.subject_key].label, 0, (last.subject_key,)),)
        carried.append("subject")
    measures = query.measures
    # "那维稳解困金呢" keeps the measure; "绩效工资是多少" names its row and starts afresh.
    leans = query.follow_form or (query.follow_up and not query.subjects)
    if not measures and leans and last.measure and query.operation in ("value", "rate", "share"):
        measures = (last.measure,)
        carried.append("measure")
    operation = "rate" if "rate" in measures and query.operation == "value" else query.operation
    extra = {}
    if leans and not query.scope and last.query is not None and last.query.scope == "fiscal" and "subject" in carried:
        # "住房公积金财政拨款花了多少" → "那基本支出呢": still the 财政拨款 money asked about
        extra["scope"] = "fiscal"
        carried.append("scope")
    before = last.query
    if (
        query.follow_form and query.operation == "value" and not query.drill_down and before is not None
        and before.operation == "share" and (not query.subjects or not query.measures)
        and not ASKS_AMOUNT.search(query.question)
    ):
        # "住房保障支出占本年支出的比例是多少" → "那卫生健康支出呢" (a new row), "基本支出占…" → "那项目支出呢"
        # (a new measure): the named slot replaced, still as a share of the same whole. A question that asks
        # for an amount itself ("其中基本支出是多少") wants the amount.
        operation = "share"
        extra = {"denominator": before.denominator, "whole_measure": before.whole_measure}
        subjects = query.subjects or before.subjects
        measures = query.measures or before.measures
        carried.append("operation")
    if (
        query.follow_form and query.operation == "value" and not query.drill_down and before is not None
        and before.operation == "change" and query.subjects and not query.measures and not ASKS_AMOUNT.search(query.question)
    ):
        # "三公经费比上年减少了多少" → "那公务接待费呢": the new row's stated change, as an amount or a percent as before.
        operation = "change"
        extra = {"asked_unit": before.asked_unit}
        carried.append("operation")
    if not carried:
        return query
    if ambiguous:
        extra["refers_back"] = "row_or_department"
    return query.with_(subjects=subjects, measures=measures, operation=operation, carried=tuple(carried), **extra)


# Measures that belong to a row (its budget, what it executed, its rate, its targets), not columns the department
# totals: a follow-up asking one of them leans on the last row or on nothing.
# Columns the department totals (基本支出, 项目支出): named alone they are the department's, after a row maybe the row's.
DEPARTMENT_COLUMNS = frozenset({"basic", "project"})
ROW_ATTRIBUTES = frozenset({"rate", "initial_budget", "budget", "executed", "target", "achieved"})


def _has_any(schema: ReportSchema, key: str | None, measures: tuple[str, ...]) -> bool:
    """Whether a row has a cell in any of these measures (a 执行率 row has no 项目支出 column)."""
    if not key or key not in schema.entities:
        return True
    have = set(schema.measures_of(key))
    computed = {"rate": bool(have & {"budget", "initial_budget"}), "carry_end": {"budget", "executed"} <= have}
    return any(m in have or m == "actual" or m.startswith("fund:") or computed.get(m, False) for m in measures)


def _prefer(mention: Mention, parts: set[str]) -> Mention:
    inside = tuple(k for k in mention.keys if k in parts)
    return Mention(mention.text, mention.start, inside or mention.keys, mention.after_share_word)
