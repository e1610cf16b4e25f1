"""Stated figures: questions the table plan cannot answer (sentences, last year, projects in aggregate, narrative)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property

from assistant import calculator
from assistant.lookup import (
    _FUND,
    _unquoted,
    METRICS,
    Match,
    _covered,
    ReportFacts,
    clean_label,
    common_substrings,
    find,
    metric_of,
    strip_noise,
    to_wanyuan,
)
from assistant.compose import compose, _citation, _fact_label, _fmt, _project_label
from assistant.conversation import Conversation, Turn
from assistant.model import Answer, Citation, Plan, PlanCell, Route
from assistant.narrative import ReportText, answer_narrative, narrative_intent
from assistant.narrative.intent import TEXT_INTENTS
from assistant.execute import Cell, execute, prior_of, share_of, stated_change
from assistant.query import Query, asks_change, asks_percent_change, parse
from assistant.wording import ASKS_FIGURE, CHANGE_BASE
from assistant.schema import (
    FISCAL_KINDS, FUND_PREFIX, FUND_TOTALS, MEASURE_BY_ID, PART_MEASURES, ReportSchema, build_schema, in_scope, measure_named,
    row_item,
)
from index.mentions import section_label
from index.model import Fact
from index.normalize import compact, normalize
from prompts import say

MAX_QUESTION = 500
_SHARE = re.compile(r"(.*?)占(.*?)的?(?:比例|比重|百分比|占比|多少|几成|%)")
_SHARE_FOLLOWUP = re.compile(r"^(?:那|那么)?(?:它|其|这)?(?:的)?占比")
_DIFF = re.compile(r"(.+?)比(.+?)(多|少|高|低|增加|减少)")
_AUDIT = re.compile(r"(不一致|对不上|对得上|能对上|有没有问题|有问题吗|错误|核对|审计|勾稽|校验)")
_FOLLOWUP_START = re.compile(r"^(那|那么|其中|它|这个|该|这些|再)")
_YEAR = re.compile(r"(20\d{2})\s*年")
_OUT_OF_SCOPE = ("局长", "主任", "书记", "电话号码", "地址", "在编", "在岗", "编制数", "工作人员", "职工人数", "人数", "天气")


class StatedAnswerer:
    """Answers from the report's stated figures and passages: what the table plan (router) leaves over."""

    def __init__(self, facts: ReportFacts, *, retrieve=None, audit=None, sections=(), phrase=None):
        self.facts = facts
        self.phrase = phrase  # optional callable(question, passages) -> str | None (an LLM)
        self.retrieve = retrieve  # callable(question) -> list of passages, or None
        self.audit = audit  # callable() -> str, or None
        self.sections = list(sections)

    # --- entry point ---

    def answer(self, question: str, conversation: Conversation | None = None) -> Answer:
        conversation = conversation if conversation is not None else Conversation()
        text = normalize(question or "").strip()
        if not text:
            return _plain("not_found", say("invalid.empty"), "invalid", "空问题")
        if len(text) > MAX_QUESTION:
            return _plain("not_found", say("invalid.too_long", length=len(text), limit=MAX_QUESTION), "invalid", "问题过长")
        if not re.search(r"[\u4e00-\u9fff\d]", text):
            return _plain("not_found", say("invalid.unreadable"), "invalid", "没有可识别的内容")
        if _AUDIT.search(text) and ("报告" in text or "数据" in text or "报表" in text) and self.audit:
            return _plain("text", self.audit(), "audit", "问的是报告是否前后一致，运行核对")
        year_answer = self._other_year(text)
        if year_answer and not _is_narrative(text):
            return year_answer  # a figure of another year; a plan for next year may still be in the text
        intent = narrative_intent(text)  # issue 13: what a narrative question asks
        if intent.kind != "contact" and any(word in text for word in _OUT_OF_SCOPE) and not find(text, self.facts)[:1]:
            return self._not_found(say("not_found.out_of_scope"))
        if _is_narrative(text) or intent.kind in TEXT_INTENTS or (intent.asks_text and not ASKS_FIGURE.search(text)):  # issue 13
            answer = self._narrative(text)
            if answer.kind != "not_found" or intent.kind in TEXT_INTENTS:  # issue 13
                # "维稳解困金是怎么用的" → "它的执行率是多少": the passage's subject carries over.
                subject = _NARRATIVE_WORDS.sub("", strip_noise(text, department=self.facts.department, year=self.facts.year))
                conversation.turns.append(Turn(question=text, subject=subject if len(subject) >= 2 else ""))
                return answer
        expanded = self._with_context(text, conversation)
        answer = self._numeric(expanded, text, conversation)
        if answer is None:
            answer = self._narrative(text)
        elif intent.unit and answer.kind == "number":  # issue 13: a count stated in prose may answer better
            answer = self._narrative(text, against=answer)
        return answer

    # --- routes ---

    def _numeric(self, question: str, original: str, conversation: Conversation) -> Answer | None:
        last = conversation.last
        if _AUDIT.search(question) and self.audit and ("对" in question or "一致" in question):
            return _plain("text", self.audit(), "audit", "问的是数据是否前后一致，运行核对")
        share_m = _SHARE.search(question)
        if share_m and not self._read(question).subjects:
            answer = self._prose_share(original, share_m)
            if answer is not None:
                return answer
        if share_m or (_SHARE_FOLLOWUP.search(original) and last) or (_DIFF.search(question) and not asks_change(question)) \
                or (re.search(r"(两者|二者|两项|这两个|这两项|它们|两个)", original) and re.search(r"合计|一共|加起来|总共|之和|相加", original)):
            # Shares, differences and sums are arithmetic over cells: the plan's (execute.py), never a sentence's.
            return self._not_found(say("not_found.no_figure"))
        if self._asks_prior_year(question):
            # Last year's figure as the report states it ("与 2022 年度决算数 28.73 万元相比"), else not in the
            # report (this year's less a stated change is the plan's: execute._prior).
            return (
                self._stated_prior(question)
                # a row no table has: its figure and its change as sentences state them ("机关运行经费…比上年增加…")
                or (self._prior_year(question, conversation) if question == original or self._read(original).subjects else None)
                or self._not_found(say("not_found.no_prior", year=self.facts.year - 1))
            )
        return self._lookup(question, conversation)

    def _lookup(self, question: str, conversation: Conversation) -> Answer | None:
        if asks_change(question):
            return self._stated_change(question, conversation)
        matches = find(question, self.facts)
        matches = [m for m in matches if not self._names_a_row_unasked(m.fact, question) and not _other_fund(m.fact, question)]
        query = self._read(question)
        unplaced = query.leftover  # words no table row accounts for
        matches = [m for m in matches if self._states_what_is_asked(m.fact, query)]
        if len(unplaced) >= 2:
            # "执法大队的人员经费": the words the tables do not know must be the sentence's, else it is another figure
            matches = [m for m in matches if 2 * len(_covered(unplaced, [_unquoted(m.fact.quote), compact(m.fact.table),
                                                                          _unquoted(m.fact.row)])) >= len(unplaced)]
        zero = self._stated_absence(question)
        if not matches:
            return zero or self._empty_cell(question)
        best = matches[0]
        if zero and zero_strength(question, zero) >= len(strip_noise(question, department=self.facts.department, year=self.facts.year)) - 2:
            return zero
        if best.subject_len < 2 or (best.score < 6 and best.subject_len < 4):  # weak unless it names 4+ characters
            return self._empty_cell(question)
        self._remember(conversation, question, best)
        return self.fact_answer(best.fact, subject=best.subject)

    def _stated_change(self, question: str, conversation: Conversation) -> Answer:
        """'机关运行经费比上年少了多少' (a row no table has): the change its sentence states after the figure the
        question names ("机关运行经费支出 383.17 万元，比上年减少 19.68 万元"), never another row's."""
        subject = CHANGE_BASE.sub("", question)  # the comparison words are context; the stated change carries them
        matches = [m for m in find(subject, self.facts, unit=None) if m.subject_len >= 2 and m.score >= 6
                   and not self._names_a_row_unasked(m.fact, subject)]
        top = matches[0].score if matches else 0.0
        for match in matches:
            if match.score < 0.75 * top:
                break  # a weaker match names another row
            name = _CHANGE_TAIL.sub("", _display(_unquoted(match.fact.row)))  # as the sentence writes it
            found = stated_change(self.facts.facts, [name], percent=asks_percent_change(question)) if len(name) >= 2 else None
            if found is None:
                continue
            fact, word, _ = found
            conversation.turns.append(Turn(question=question, subject=name, fact=fact, value=fact.value, unit=fact.unit))
            if fact.unit == "%":
                word = {"减少": "下降", "增加": "增长"}.get(word, word)
            return Answer(
                kind="number",
                text=say("plan.change", label=_display(name), word=word, value=_fmt(fact.value), unit=fact.unit,
                         quote=_clause(fact)),
                value=fact.value, unit=fact.unit, citations=(_citation(fact, self.facts),),
                route=Route("lookup", f"报告写明了“{_display(name)}”与上年相比的变化"), plan=_stated_plan(fact),
            )
        return self._not_found(say("not_found.no_change"))

    def stated_for_row(self, question: str, key: str, measure: str, has_cells) -> Answer:
        """A row the tables have without the column asked (`has_cells`: the cells it does have): the figure a
        sentence states for that row and measure ("三公经费年初预算数为 28 万元"), else "not in the report", saying
        what the report does give for it."""
        entity = self.schema.entities[key]
        names = [_unquoted(a) for a in entity.aliases | {entity.label} if len(a) >= 2 and not a.isdigit()]
        for match in find(normalize(question), self.facts):
            # the figure's own subject (its row, or the heading it sits under) names the row — not another clause
            # of the same sentence ("三公经费年初预算为 2.85 万元…；公务用车购置及运行维护费…")
            own = _unquoted(match.fact.row) + compact(match.fact.table.split("›")[-1])
            row = _FUND.sub("", _unquoted(match.fact.row))  # "一般公共预算财政拨款" names a fund, not a budget
            if any(n in own for n in names) and measure_named(row) == measure:
                return self.fact_answer(match.fact, subject=match.subject)
        has = "、".join(dict.fromkeys(MEASURE_BY_ID[c.measure].name if c.measure in MEASURE_BY_ID else c.measure.removeprefix(FUND_PREFIX)
                                      for c in has_cells)) or "无"
        return self._not_found(say("not_found.no_measure", row=entity.label, measure=MEASURE_BY_ID[measure].name, has=has))

    def _states_what_is_asked(self, fact: Fact, query: Query) -> bool:
        """A sentence's figure answers only if it states what the question names: each table row named (by one of
        its names) and the measure named (a 执行率 is not a share, a 预算 not a 决算)."""
        if len(query.subjects) >= 2:
            return False  # two rows named: one sentence's figure is one row's, never the answer (a sum, a difference…)
        quote = _unquoted(fact.quote) + compact(fact.table)
        # With words no row accounts for, a row "named" may be a piece of a longer name ("退休" of 退休人员活动费):
        # the words the question said must then be in the sentence, with the words left over (checked by the caller).
        for mention in query.subjects:
            names = {n for k in mention.keys for n in self.schema.entities[k].aliases | {self.schema.entities[k].label}
                     if len(n) >= 2 and not n.isdigit()}
            said = quote
            if len(query.leftover) >= 2 and len(compact(mention.text)) >= 2:
                names.add(compact(mention.text))
                said += _unquoted(fact.row)  # the item the sentence is under ("…退休人员活动费支出(项)")
            if not any(n in said for n in names):
                return False  # "我们学校其他教育的财政拨款花了多少" is never the sentence on 财政拨款支出总计
            path, item = row_item(_unquoted(fact.row))
            whole = "".join(path) if path else item
            if any(n in whole for n in names) \
                    and not any(item.endswith(n) or item.endswith(n + "支出") or (path and n in item) for n in names):
                return False  # "A(类)B(款)C(项)" states C's figure: not A's or B's, which it only passes through
        if _CHANGE_ROW.search(compact(fact.row)):
            return False  # "教育支出增加 52499.75 万元" is a change, not the figure (changes: _stated_change)
        everyone = [f for m in query.subjects for k in m.keys for f in self.schema.cells.get((k, "actual"), ())
                    if f.table_kind not in FISCAL_KINDS and f.table_kind != "income"]
        if not query.scope and in_scope(fact, "fiscal") and everyone and not any(
                abs(to_wanyuan(f.value, f.unit) - to_wanyuan(fact.value, fact.unit)) < 0.005 for f in everyone):
            # no scope said: the row's all-funds figure, which the tables print — never a 财政拨款 section's other one
            return False
        asked = [m for m in query.measures if m in MEASURE_BY_ID and m != "actual"] + (["rate"] if query.operation == "rate" else [])
        return not asked or measure_named(_FUND.sub("", _unquoted(fact.row))) in asked

    def _names_a_row_unasked(self, fact: Fact, question: str) -> bool:
        """A sentence restating a table row ("一般公共服务(类)支出 728.92 万元") answers only a question that names
        that row; the plan reads rows by their names, and a part of one ("服务支出") names none."""
        path, _ = row_item(fact.row)  # "A(类)B(款)C(项)支出决算" is C's
        subject = clean_label(path[-1]) if path else clean_label(_display(fact.row))
        entity = (self.schema.by_label.get(subject) or self.schema.by_label.get(subject + "支出")
                  or self.schema.entity_of_row(fact.row))
        if entity is None:
            # a column's name (事业收入, 财政拨款收入, 基本支出) stated as a clause answers only a question naming it:
            # "其中基本支出 359,781.59 万元" is no answer to "总支出是多少", whose 支出 is in every such clause
            columns = self.schema.fund_columns | {MEASURE_BY_ID[m].name for m in PART_MEASURES}
            return subject in columns and subject not in compact(question)
        return not any(a in compact(question) for a in entity.aliases | {entity.label})

    def fact_answer(self, fact: Fact, *, subject: str = "") -> Answer:
        """A number answer for one fact: the sentence, the value, its citation, and the rate check."""
        value, unit = fact.value, fact.unit
        label = _fact_label(fact, self.facts)
        if fact.source == "text":
            text = say("lookup.stated", label=_display(label), value=_fmt(value), unit=unit, clause=_clause(fact))
        else:
            text = say("lookup.cell", label=label, value=_fmt(value), unit=unit)
            if unit == "元":
                text += say("lookup.yuan_in_wanyuan", wanyuan=_fmt(round(to_wanyuan(value, unit), 6)))
            text += "。"
        explanation = self._explanation(fact)
        if explanation:
            text += explanation
        stated = None
        if fact.column and "执行率" in fact.column:
            budget = _sibling(self.facts, fact, "预算数")
            executed = _sibling(self.facts, fact, "执行数")
            if budget and executed and budget.value:
                calc = calculator.rate(executed.value, budget.value)
                text = say(
                    "lookup.rate", project=_project_label(fact, self.facts), value=_fmt(value),
                    executed=_fmt(executed.value), budget=_fmt(budget.value),
                )
                if abs(calc.value - value) >= 0.05:
                    text += say("lookup.rate_differs", computed=f"{calc.value:.2f}", value=_fmt(value))
                    stated = value
        return Answer(
            kind="number",
            text=text,
            value=value,
            unit=unit,
            citations=(_citation(fact, self.facts),),
            route=Route("lookup", f"问题对应“{subject or fact.row}”{('·' + fact.column) if fact.column else ''}（{fact.table}）"),
            stated_value=stated,
            plan=_stated_plan(fact) if fact.source == "text" else None,
        )

    def _stated_share_fact(self, part: Fact, computed: float) -> Fact | None:
        """The report's own printed share ('基本支出 531.51 万元，占本年支出 65.7%'), if any."""
        # A total row names its subject by its column: 合计 × 项目支出 is "项目支出".
        names = [n for n in (clean_label(part.row), clean_label(part.column.split(" › ")[-1])) if n and n not in ("合计", "总计", "小计", "决算数")]
        for name in names:
            near = re.compile(rf"{re.escape(name)}.{{0,25}}?占")
            for fact in self.facts.facts:
                if fact.source == "text" and fact.unit == "%" and abs(fact.value - computed) < 1.0:
                    if near.search(clean_label(fact.quote)):  # "卫生健康(类)支出 10.8 万元，占 1.3%"
                        return fact
        return None

    def _prose_share(self, question: str, m) -> Answer | None:
        """'服务采购占政府采购金额的百分比': a share of two figures stated in sentences (no table row named), each
        side named by its own words; the arithmetic is the executor's."""
        part_text, whole_text = m.group(1).strip(), m.group(2).strip()
        if not (strip_noise(part_text) and strip_noise(whole_text)):
            return None
        part, whole = self._resolve_pair(part_text, whole_text)
        if part is None or whole is None or part.source != "text" or whole.source != "text":
            return None
        cells = [Cell(key="", label=_display(_fact_label(f, self.facts)), measure="actual", fact=f) for f in (part, whole)]
        result = share_of(cells[0], cells[1], self.schema)
        if result is None:
            return None
        query = Query(question=question, operation="share")
        return compose(query, replace(result, stated=self._stated_share_fact(part, result.value)), self.schema, self.fact_answer)

    def _asks_prior_year(self, question: str) -> bool:
        year = self.facts.year
        # "去年" is left out: users reading last year's report say 去年 for the report's own year.
        return bool(year) and bool(re.search(rf"{year - 1}\s*年|上年|上一年|去年同期", question)) and not asks_change(question)

    def _stated_prior(self, question: str) -> Answer | None:
        year = self.facts.year
        subject = strip_noise(re.sub(rf"{year - 1}\s*年度?|上一?年度?|去年", "", question))
        best, best_cover = None, 0
        for fact in self.facts.facts:
            if fact.source != "text" or fact.unit not in ("万元", "元", "亿元") or not re.search(rf"{year - 1}年度?(决算数?)?$", compact(fact.row)):
                continue
            # "3. 公务接待费 2.44 万元，与 2022 年度 2.68 万元相比": the words naming this year's figure just
            # before it name the subject (not the sentence's other rows).
            topic = _prior_topic(compact(fact.quote), year - 1, fact.value) or clean_label(fact.table.split("›")[-1])
            cover = len(_covered(subject, [topic]))
            if cover > best_cover:
                best, best_cover = fact, cover
        if best is None or best_cover < max(3, len(subject) - 2):
            return None
        return Answer(
            kind="number",
            text=say("lookup.stated_prior", year=year - 1, subject=subject, value=_fmt(best.value), unit=best.unit,
                     clause=_clause(best)),
            value=best.value,
            unit=best.unit,
            citations=(_citation(best, self.facts),),
            route=Route("lookup", f"报告写明了{year - 1}年度的数字"),
        )

    def _prior_year(self, question: str, conversation: Conversation) -> Answer | None:
        """'上一年的机关运行经费' (a row the tables do not have): the figure a sentence states this year and the change
        it states for that same row; the arithmetic is the executor's (execute.prior_of)."""
        year = self.facts.year
        if not year or re.search(r"增加|减少|增长|下降|变化|变动", question):
            return None  # the change itself is stated: a lookup
        subject = re.sub(rf"{year - 1}\s*年度?|上一?年度?|去年同期", "", question)
        current = self._resolve(subject)
        if current is None or current.source != "text":
            return None  # a table row's last-year figure is planned (execute._prior)
        label = _NOT_A_NAME.sub("", _unquoted(_display(clean_label(current.row))))
        found = stated_change(self.facts.facts, [label], percent=False, fiscal="财政拨款" in subject) if label else None
        if found is None:
            return None
        fact, word, _ = found
        cells = [Cell(key="", label=_display(_fact_label(current, self.facts)), measure="actual", fact=current),
                 Cell(key="", label=label, measure="change", fact=fact)]
        result = prior_of(cells[0], cells[1], "少" if word in ("减少", "下降", "降低") else "多")
        if result is None:
            return None
        conversation.turns.append(Turn(question=question, value=result.value, unit=result.unit))
        return compose(Query(question=question, operation="prior"), result, self.schema, self.fact_answer)

    def _narrative(self, question: str, *, against: Answer | None = None) -> Answer:
        # issue 13: the sentences that answer, chosen by assistant/narrative from the retrieved passages.
        passages = self.retrieve(question) if self.retrieve is not None else []
        return answer_narrative(
            question, passages, intent=narrative_intent(question), text=self._report_text, phrase=self.phrase, against=against
        )

    @cached_property
    def _report_text(self) -> ReportText:
        """The report's sentences and 自评表 text cells, for narrative answers (issue 13)."""
        return ReportText.build(self.sections, self.facts.tables.values(), department=self.facts.department, year=self.facts.year)

    # --- helpers ---

    @cached_property
    def schema(self) -> ReportSchema:
        """The report's schema, built once per answerer (the service caches answerers per report)."""
        return build_schema(self.facts)

    def _read(self, text: str) -> Query:
        """The question as the plan reads it, parsed once per text (the sentence checks ask it several times)."""
        cache = self.__dict__.setdefault("_reads", {})
        if text not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[text] = parse(text, self.schema)
        return cache[text]

    def _table_fact(self, text: str) -> Fact | None:
        """The table cell a phrase names ('收支总计', '一般公共服务支出的基本支出'), read through the plan."""
        query = self._read(text)
        if len(query.subjects) != 1 or query.leftover:
            return None
        result = execute(query.with_(operation="value", years=()), self.schema)
        return result.cells[0].fact if result is not None and result.kind == "number" and result.cells else None

    def _resolve(self, text: str, *, named: bool = False) -> Fact | None:
        """The fact one side of a calculation names: a table cell, else the best-matching stated figure (`named`:
        one whose own words name at least half of the text)."""
        cell = self._table_fact(text)
        if cell is not None:
            return cell
        matches = find(text, self.facts, unit=None)
        # a change ("…比上年增加 1193.20 万元") is not the figure itself
        matches = [m for m in matches if m.subject_len >= 2 and m.score >= 5 and not _CHANGE_ROW.search(compact(m.fact.row))
                   and (not named or _names_enough(text, m.fact))]
        if not matches:
            return None
        return matches[0].fact

    def _resolve_pair(self, part_text: str, whole_text: str) -> tuple[Fact | None, Fact | None]:
        """Both sides of a share at once: figures stated together in one sentence belong together; each side's
        own words must name at least half of what the question calls it."""
        parts = [m for m in find(part_text, self.facts, unit=None) if m.subject_len >= 2 and m.score >= 5][:20]
        wholes = [m for m in find(whole_text, self.facts, unit=None) if m.subject_len >= 2 and m.score >= 5][:20]
        best, best_score = (None, None), float("-inf")
        parts = [m for m in parts if _names_enough(part_text, m.fact)]
        wholes = [m for m in wholes if _names_enough(whole_text, m.fact)]
        for i, p in enumerate(parts):
            for j, w in enumerate(wholes):
                if p.fact == w.fact or to_wanyuan(w.fact.value, w.fact.unit) <= 0 or compact(p.fact.row) == compact(w.fact.row):
                    continue  # "采购金额占采购金额": two figures of one name are not a part and its whole
                score = p.score + w.score - 0.01 * (i + j)
                if p.fact.source == w.fact.source == "text" and p.fact.quote == w.fact.quote:
                    score += 8.0
                elif p.fact.table == w.fact.table:
                    score += 3.0
                if to_wanyuan(p.fact.value, p.fact.unit) > to_wanyuan(w.fact.value, w.fact.unit):
                    score -= 6.0  # a part larger than its whole is rarely what is meant
                if score > best_score:
                    best, best_score = (p.fact, w.fact), score
        return best

    def _with_context(self, text: str, conversation: Conversation) -> str:
        """Fill in a follow-up from the previous turn: its subject, or its metric."""
        last = next((t for t in reversed(conversation.turns) if t.subject), None)
        if last is None:
            return text
        # "执行率呢" / "全年预算数呢" name only a column: the same subject. Anything else names its own.
        has_subject = _names_more_than_a_metric(text, self.facts)
        follow = bool(_FOLLOWUP_START.match(text)) or text.endswith(("呢", "呢?", "呢？")) or len(compact(text)) <= 8
        if not follow:
            return text
        leans = bool(_FOLLOWUP_START.match(text)) or text.endswith(("呢", "呢?", "呢？"))
        if not (leans or metric_of(text)):
            return text  # short, but naming no column and not leaning back ("宿舍楼有几栋"): a question of its own
        body = re.sub(r"^(那么|那|其中|它的|它|这个|该)", "", text).rstrip("?？。 ").removesuffix("呢")
        if has_subject:
            # "那维稳解困金呢": a new subject, the previous metric.
            if not metric_of(body) and last.metric_words:
                return body + last.metric_words
            if text.startswith("其中") and last.subject:
                return last.subject + body
            return body
        # "实际执行了多少" / "其中基本支出是多少": the previous subject, a new metric.
        return (last.subject or "") + body

    def _remember(self, conversation: Conversation, question: str, match: Match) -> None:
        q = compact(question)
        words = "".join(w for m in metric_of(q) for w in _metric_words_in(q, m))
        subject = match.subject if match.subject not in ("合计", "总计") else strip_noise(question)
        if not _names_more_than_a_metric(subject, self.facts):
            # The stated clause was only "年初预算": the subject is what the question named.
            subject = _without_metrics(strip_noise(question, department=self.facts.department, year=self.facts.year))
        conversation.turns.append(Turn(question=question, subject=subject, metric_words=words, fact=match.fact, value=match.fact.value, unit=match.fact.unit))

    def _explanation(self, fact: Fact) -> str:
        """A narrative sentence that gives the reason behind a table figure ('主要是…取得的收入')."""
        if fact.source != "table":
            return ""
        name = clean_label(fact.row)
        for other in self.facts.facts:
            if other.source != "text" or abs(other.value - fact.value) >= 0.005 or other.unit != fact.unit:
                continue
            subject = clean_label(other.row)
            # The sentence must be about the same row ("事业收入 36.85 万元…主要是…"), not just the same amount.
            if not name or not (name in subject or subject.endswith(name) or len(_covered(name, [subject])) >= len(name) - 1):
                continue
            quote = compact(other.quote)
            number = f"{other.value:,.2f}".replace(",", "")
            idx = quote.replace(",", "").find(number)
            tail = quote[idx:] if idx >= 0 else ""
            m = re.search(r"主要(?:是|用于)[^;。]*", tail)
            if m and len(m.group(0)) > 8 and not m.group(0).endswith(":"):
                return m.group(0).rstrip(",") + "。"
        return ""

    def _empty_cell(self, question: str) -> Answer | None:
        """A row the question names whose amounts are all blank in a numbered table: the report shows 0."""
        query = self._read(question)
        if query.operation != "value" or len(query.subjects) > 1 or set(query.measures) - {"actual"}:
            return None  # a blank row answers "how much" of itself; a difference, a share or a budget is another figure
        named = query.subjects[0].text if query.subjects else ""
        q = strip_noise(question, department=self.facts.department, year=self.facts.year)
        with_facts = {(f.table, clean_label(f.row)) for f in self.facts.facts if f.source == "table"}
        for table in self.facts.tables.values():
            if table.number is None:
                continue
            for row in table.rows[table.header_rows :]:
                for cell in row.cells:
                    label = clean_label(re.sub(r"^\d{3,7}\s*", "", cell))
                    after = q[q.find(label) + len(label):] if label in q else ""
                    if re.match(r"[\u4e00-\u9fff]", after) and not re.match(r"(花|用|支出|是|有|的|为|共|一共|总共|合计|决算|实际)", after) \
                            and label != named:
                        continue  # "医疗费补助": the blank row 医疗费 is the start of another name, not the row asked
                    if len(label) >= 3 and not re.search(r"\d", label) and label in q and (table.key, label) not in with_facts:
                        quote = " ".join(c for c in row.cells if c)
                        return Answer(
                            kind="number",
                            text=say("lookup.empty_cell", table=table.label, row=label),
                            value=0.0,
                            unit=table.unit,
                            citations=(Citation(label=table.label, page=row.page, quote=quote, row=label),),
                            route=Route("lookup", f"“{label}”在{table.key}中没有数字"),
                        )
        return None

    def _stated_absence(self, question: str) -> Answer | None:
        """'本单位当年无“三公”经费支出' answers 'how much' with 0, cited — it is not 'not found'."""
        q = strip_noise(question, department=self.facts.department, year=self.facts.year)
        best = None
        asked_funds = {f for f in FUND_TOTALS if f in q}
        for label, page, sentence in self._absence_statements:
            said = {f for f in FUND_TOTALS if f in compact(sentence)}
            if asked_funds and said and not asked_funds & said:
                continue  # "一般公共预算…收入" is never answered by "无政府性基金预算财政拨款收入支出"
            covered = sum(len(s) for s in common_substrings(q, compact(sentence), 2))
            if covered >= 4 and (best is None or covered > best[0]):
                best = (covered, label, page, sentence)
        if best is None:
            return None
        covered, label, page, sentence = best
        asked = re.sub(r"(花掉|用掉|花了|用了|支出了|花出去|多少钱|多少|钱|一共|总共|是)", "", _without_metrics(q))
        if covered < len(asked) - 2:
            return None  # "财政拨款花了多少" is not answered by "本单位无政府性基金预算财政拨款收支": most of what is asked must be named
        return Answer(
            kind="number",
            text=say("lookup.absence", sentence=sentence),
            value=0.0,
            unit="万元",
            citations=(Citation(label=label, page=page, quote=sentence),),
            route=Route("lookup", "报告明确写明当年无此项收支"),
        )

    @cached_property
    def _absence_statements(self) -> list[tuple[str, int | None, str]]:
        """Sentences stating that the unit had none of something (computed once per report)."""
        out = []
        for table in self.facts.tables.values():
            for note in table.notes:
                if re.search(r"(本单位|本部门).{0,4}无", note):
                    out.append((table.label, table.pages[-1] if table.pages else None, note.strip("。")))
        for section in self.sections:
            for sentence in re.split(r"[。\n]", section.text):
                if re.search(r"(本单位|本部门).{0,6}无", sentence):
                    out.append((section_label(section), section.page, sentence.strip()))
        return out

    def _other_year(self, text: str) -> Answer | None:
        year = self.facts.year
        if not year:
            return None
        years = {int(y) for y in _YEAR.findall(text)}
        if re.search(r"明年|下一年|下年度|下年", text):
            years.add(year + 1)
        other = {y for y in years if y not in (year, year - 1)}
        if other:
            y = sorted(other)[0]
            return self._not_found(say("not_found.other_year", year=year, other=y))
        return None

    def _not_found(self, reason: str) -> Answer:
        dept = self.facts.department or "本报告"
        return Answer(
            kind="not_found",
            text=say("not_found.answer", reason=reason, department=dept, year=self.facts.year or ""),
            route=Route("not_found", reason),
        )


_COMPARISON = re.compile(r"[少多了花]|实际|决算")


_CHANGE_TAIL = re.compile(r"(增加|减少|增长|下降|持平)$")  # "收入合计增加": the row named is before the change
_NARRATIVE = re.compile(r"(为什么|为啥|为何|原因|什么|哪些|怎么|如何|内容|用在|用于|情况|变化吗|包括|职能|职责|做了|措施|成效)")
_NARRATIVE_WORDS = re.compile(r"为什么|原因|什么|哪些|怎么|如何|内容|用在|用于|情况|变化|包括|主要|做了|措施|成效|用")


_NOT_A_NAME = re.compile(r"\d{4}\s*年度?|财政拨款|一般公共预算")




def _other_fund(fact: Fact, question: str) -> bool:
    """A question about one fund ("一般公共预算财政拨款结转结余") is not answered by another fund's sentence."""
    asked = {f for f in FUND_TOTALS if f in question}
    said = {f for f in FUND_TOTALS if f in compact(fact.row)} or {f for f in FUND_TOTALS if f in compact(fact.quote)}
    return bool(asked and said and not asked & said)


def _names_enough(text: str, fact: Fact) -> bool:
    """Whether a figure's own words name at least half of what the question calls it (a table cell, read through
    the plan, always does)."""
    words = strip_noise(text)
    return fact.source == "table" or 2 * len(_covered(words, [_unquoted(fact.row)])) >= len(words)


_CHANGE_ROW = re.compile(r"(增加|减少|增长|下降|持平)$")
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?(?:万元|元|亿元|%)")


def _prior_topic(quote: str, prior: int, value: float) -> str:
    """What a stated prior-year figure is of: the words before this year's figure that precedes it."""
    m = re.search(rf"{prior}年度?(决算数?)?为?{re.escape(f'{value:,.2f}')}|{prior}年度?(决算数?)?为?{re.escape(f'{value:.2f}')}"
                  rf"|{prior}年度?(决算数?)?为?{re.escape(f'{value:g}')}", quote)
    if not m:
        return ""
    figures = list(_AMOUNT.finditer(quote[: m.start()]))
    if not figures:
        return clean_label(quote[: m.start()])
    start = figures[-2].end() if len(figures) >= 2 else 0
    return clean_label(quote[start : figures[-1].start()])


def _stated_plan(fact: Fact) -> Plan:
    """How a figure stated in a sentence was found: no table cell, the sentence's own figure ("如何得出")."""
    cell = PlanCell(entity=_display(fact.row), measure="报告文字", value=fact.value, unit=fact.unit, table=fact.table,
                    page=fact.page)
    return Plan(operation="stated", subjects=(cell.entity,), measures=("报告文字",), cells=(cell,),
                steps=("表格中没有这一行，取报告文字中写明的数字",))


def _is_narrative(question: str) -> bool:
    """Asks why / what / which (a passage answers), not how much (a figure answers)."""
    return bool(_NARRATIVE.search(question)) and not ASKS_FIGURE.search(question)


def _without_metrics(text: str) -> str:
    """Text without the column words of budgets and execution (基本支出/项目支出 name totals of their own)."""
    for name, (words, _) in METRICS.items():
        if name in ("basic", "project"):
            continue
        for word in sorted(words, key=len, reverse=True):
            text = text.replace(word, "")
    return text


def _names_more_than_a_metric(question: str, facts: ReportFacts) -> bool:
    """Whether a question has words besides metric words (执行率, 全年预算数, 实际支出…) and particles."""
    q = _without_metrics(strip_noise(question, department=facts.department, year=facts.year))
    q = re.sub(r"(实际|支出|花|多少|数|金额|那么|那|呢|其中)", "", q)
    return len(q) >= 2


def zero_strength(question: str, answer: Answer) -> int:
    quote = answer.citations[0].quote if answer.citations else ""
    return sum(len(s) for s in common_substrings(compact(question), compact(quote), 2))


def _metric_words_in(q: str, metric: str) -> list[str]:
    return [w for w in METRICS[metric][0] if w in q][:1]


def _sibling(facts: ReportFacts, fact: Fact, column_word: str) -> Fact | None:
    return next(
        (f for f in facts.facts if f.table == fact.table and f.row == fact.row and column_word in f.column), None
    )




def _display(label: str) -> str:
    """A stated clause's subject without the year, the department or a list number."""
    text = re.sub(r"^\d+\.\s*", "", label.strip())
    text = re.sub(r"^\d{4}\s*年度?\s*", "", text)
    return re.sub(r"^(本部门|本单位|我单位|我局|我中心)", "", text) or label


def _clause(fact: Fact) -> str:
    """The part of the sentence that states a figure, with the sentence's opening words for context."""
    parts = re.split(r"(?<=;)|(?<=,)(?!\d)", fact.quote)  # not inside "4,473.10"
    number = f"{fact.value:,.2f}".rstrip("0").rstrip(".")
    plain = f"{fact.value:.2f}".rstrip("0").rstrip(".")
    def states(part: str) -> bool:
        flat = part.replace(" ", "")
        return number in flat or plain in flat.replace(",", "")

    row = compact(fact.row)[-6:]
    hit = next((i for i, p in enumerate(parts) if states(p) and row in compact(p)), None)
    if hit is None:
        hit = next((i for i, p in enumerate(parts) if states(p)), None)
    if hit is None:
        return fact.quote[:120]
    clause = parts[hit].rstrip(",;")
    if hit > 0:
        clause = parts[0].rstrip(",;") + "……" + clause
    return clause.strip()




def _plain(kind: str, text: str, route: str, reason: str) -> Answer:
    return Answer(kind=kind, text=text, route=Route(route, reason))
