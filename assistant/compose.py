"""Result → Answer: the sentence a reader sees, its citations, and the plan behind it (no internal lines)."""

from __future__ import annotations

from index.normalize import compact

import re
from decimal import ROUND_HALF_UP, Decimal

from assistant.execute import Cell, Result
from assistant.lookup import ReportFacts, clean_label
from assistant.model import Citation
from index.model import Fact
from assistant.model import Answer, Candidate, Plan, PlanCell, Route
from assistant.query import Query
from assistant.schema import FISCAL_KINDS, FUND_PREFIX, MEASURE_BY_ID, ReportSchema
from prompts import say


def plan_of(query: Query, result: Result, schema: ReportSchema) -> Plan:
    """The plan as the answer carries it (for --json and the UI's 如何得出)."""
    cells = result.cells or result.readings
    return Plan(
        operation=result.operation,
        subjects=tuple(schema.entities[c.key].label if c.key in schema.entities else c.label for c in cells),
        measures=tuple(_measure_name(c.measure) for c in cells),
        scope=query.scope,
        carried=query.carried,
        open=query.open_slots,
        cells=tuple(
            PlanCell(entity=c.label, measure=_measure_name(c.measure), value=c.fact.value, unit=c.fact.unit,
                     table=c.fact.table, page=c.fact.page)
            for c in cells
        ),
        steps=result.steps,
    )


def _measure_name(measure: str) -> str:
    """A measure as the report words it ('rate' → '执行率', 'fund:事业收入' → '事业收入'), for the plan a reader sees."""
    if measure in MEASURE_BY_ID:
        return MEASURE_BY_ID[measure].name
    if measure.startswith(FUND_PREFIX):
        return measure[len(FUND_PREFIX):]
    return _OTHER_MEASURES.get(measure, measure)


# What a reader sees for the plan's ids: the slots a follow-up took from earlier turns, and the scope read.
CARRIED_NAMES = {"subject": "所问的行", "measure": "所问的指标", "parent": "上一问的行（其中）", "operation": "上一问的运算",
                 "scope": "上一问的范围（财政拨款）"}
SCOPE_NAMES = {"fiscal": "财政拨款", "income": "收入"}


def name(cell: Cell, facts: ReportFacts) -> str:
    """How an answer names a cell: the row (or project) and, unless it is the row's 决算数, the measure."""
    measure = MEASURE_BY_ID.get(cell.measure)
    if not cell.key:
        return cell.label  # a figure the conversation computed ("A、B合计")
    if cell.fact.source == "text":
        return cell.label + (measure.name if measure else "")
    if cell.key in ("本年支出合计", "本年收入合计") and measure is not None:
        return cell.label if cell.measure == "actual" else measure.name  # 本年支出合计 × 项目支出 is 项目支出
    if clean_label(cell.fact.row) in ("合计", "总计", "小计") and measure is not None:
        # a table's 合计 row is the total it names (一般公共预算财政拨款支出), not "本年支出合计" again
        return cell.label if cell.measure == "actual" else f"{cell.label}{measure.name}"
    label = _fact_label(cell.fact, facts)
    if cell.measure in MEASURE_BY_ID and cell.measure != "actual":
        word = MEASURE_BY_ID[cell.measure].name
        if word not in label and word.removesuffix("数") not in label:
            label = f"{cell.label}{word}" if cell.label not in label else f"{label}（{word}）"
    elif cell.label not in label and cell.label not in ("本年支出合计", "本年收入合计"):
        label = f"{cell.label}（{label}）"
    return label


def compose(query: Query, result: Result, schema: ReportSchema, fact_answer) -> Answer:
    """The Answer for an executed plan. `fact_answer(fact, subject=)` words a single cell."""
    facts = schema.facts
    plan = plan_of(query, result, schema)
    kind = "lookup" if result.operation == "value" else "calculate"
    reason = _reason(query, result)
    route = Route(kind, reason, query)
    if result.kind == "clarify":
        candidates = []
        for cell in result.readings:
            label = name(cell, facts)
            if cell.fact.code:
                label += f"（{cell.fact.classification or '科目'} {cell.fact.code}）"
            candidates.append(Candidate(label=label, value=cell.fact.value, unit=cell.fact.unit, citation=_citation(cell.fact, facts)))
        parts = [f"{c.label}：{_fmt(c.value)}{c.unit}（{c.citation.label}）" for c in candidates]
        return Answer(kind="clarify", text=say("lookup.clarify", choices="；".join(parts)), route=Route("lookup", "同一名称对应不同的行，数值不同", query),
                      candidates=tuple(candidates[:6]), citations=tuple(c.citation for c in candidates[:6]), plan=plan)
    if result.kind == "refuse":
        # 如何得出 only where there is a plan to show: a refusal that read no cell has none
        return Answer(kind="text", text=say("plan.refuse", message=result.message), route=route,
                      citations=_unique_citations([c.fact for c in result.cells], facts), plan=plan if result.cells else None)
    if result.operation == "value":
        cell = result.cells[0]
        answer = fact_answer(cell.fact, subject=cell.label)
        text = answer.text
        if clean_label(cell.fact.row) in ("合计", "总计", "小计") and cell.key in schema.entities:
            text = text.replace(_fact_label(cell.fact, facts), name(cell, facts), 1)  # the table's 合计 is its total
        text += _other_scope(query, cell, schema)
        return Answer(kind="number", text=text + _reading(result.cells, facts), value=answer.value, unit=answer.unit,
                      citations=answer.citations, route=Route("lookup", reason, query), stated_value=answer.stated_value, plan=plan)
    formula = result.steps[0] if result.steps else ""
    stated = None
    if result.operation == "share":
        part, whole = result.cells
        formula = "；".join(result.steps)  # a share of an earlier total shows the total's arithmetic first
        text = say("calculate.share", part=name(part, facts), whole=name(whole, facts), value=f"{result.value:.2f}", formula=formula)
        if result.stated is not None:
            stated = result.stated.value
            if abs(stated - result.value) >= 0.005:
                text += _rounding_note(stated, result.value, result.stated)
    elif result.operation == "difference" and query.measures[:1] == ("carry_end",) and result.cells[0].measure == "budget":
        # "<项目>还剩多少没花": the part of its budget not executed
        text = say("calculate.remaining", project=_ranked_name(result.cells[0], schema), value=_fmt(result.value), formula=formula)
    elif result.operation == "ratio":
        a, b = result.cells
        text = say("plan.ratio", left=name(a, facts), right=name(b, facts), value=_fmt(result.value), formula=formula)
    elif result.operation == "difference":
        a, b = result.cells
        unit = result.unit
        av, bv = (a.wanyuan, b.wanyuan) if unit == "万元" else (a.fact.value, b.fact.value)
        word = result.direction
        text = say("plan.difference", left=name(a, facts), a=_fmt(av), right=name(b, facts), b=_fmt(bv), unit=unit,
                   word=word, value=_fmt(result.value), formula=formula)
    elif result.operation == "rank":
        top = result.cells[0]
        asked = re.search(r"(倒数)?第[二三四五六七八九十\d]+[高低多少大小]?|最[高低多少大小]", query.question)
        word = asked.group() if asked else "最低" if result.direction == "min" else "最高"  # the question's own word
        order = sorted(result.cells, key=lambda c: c.wanyuan if c.fact.unit in ("万元", "元", "亿元") else c.fact.value,
                       reverse=result.direction != "min")  # the order, whichever place was asked
        shown = order[: query.limit] if query.limit else order
        ranking = "；".join(f"{_ranked_name(c, schema)} {_fmt(c.fact.value)}{c.fact.unit}" for c in shown)
        text = say("calculate.top", count=len(shown), ranking=ranking) if query.limit else say("calculate.extreme", word=word, name=_ranked_name(top, schema), value=_fmt(top.fact.value), unit=top.fact.unit,
                   ranking=ranking)
    elif result.operation == "sum" and query.group:
        text = say("calculate.projects_sum", count=len(result.cells), word=_measure_name(result.cells[0].measure),
                   value=_fmt(result.value), formula=formula)
    elif result.operation == "rate" and query.group:
        _, spent, budget = result.steps
        text = say("calculate.projects_rate", count=len(result.cells) // 2, executed=_fmt(_total_of(spent)),
                   budget=_fmt(_total_of(budget)), value=f"{result.value:.2f}", formula=formula)
    elif result.operation == "sum":
        names = "、".join(name(c, facts) for c in result.cells)
        text = say("calculate.sum", names=names, value=_fmt(result.value), unit=result.unit, formula=formula)
    elif result.operation == "prior":
        current, change = result.cells
        year = (schema.year or 0) - 1
        text = say("calculate.prior_year", year=year, label=name(current, facts), value=_fmt(result.value), unit=result.unit,
                   current=_fmt(current.wanyuan if result.unit == "万元" else current.fact.value),
                   direction="减少" if result.direction == "少" else "增加",
                   change=_fmt(change.wanyuan if result.unit == "万元" else change.fact.value), formula=formula)
    elif result.operation == "change":
        cell = result.cells[0]
        word = ("减少", "增加") if result.unit != "%" else ("下降", "增长")  # as the report words an amount, a percent
        word = word[0] if result.direction == "少" else word[1]
        text = say("plan.change", label=cell.label, word=word, value=_fmt(result.value), unit=result.unit, quote=cell.fact.quote[:120])
    elif result.operation == "filter":
        # Both a count ("有几个") and a list ("有哪些") show the count, the rows met and how many were checked.
        shown = result.cells or result.readings  # none met: the rows checked, with their figures
        rows = "；".join(f"{_ranked_name(c, schema)} {_fmt(c.fact.value)}{c.fact.unit}" for c in shown)
        words = dict(checked=len(result.readings), group=query.group_name, criterion=result.message, rows=rows)
        text = say("plan.filter", count=int(result.value), **words) if result.cells else say("plan.filter_none", **words)
        checked = {c.key for c in result.readings}
        unstated = [_ranked_name_of(k, schema) for k in query.group if k not in checked]
        if unstated:  # rows of the group the report gives no such figure for: named, not counted either way
            text += say("plan.filter_unstated", count=len(unstated), group=query.group_name, rows="、".join(unstated))
    elif result.operation == "rate":
        first = result.cells[0]
        if first.measure == "rate":
            fact_text = fact_answer(first.fact, subject=first.label)
            return Answer(kind="number", text=fact_text.text, value=first.fact.value, unit="%",
                          citations=fact_text.citations, route=route, stated_value=fact_text.stated_value, plan=plan)
        spent, *budgets = result.cells
        budget_name = MEASURE_BY_ID[budgets[0].measure].name
        if len(budgets) > 1:  # the budget is the sum of the row's items' stated budgets (second step)
            budget_name = f"{budget_name}（其下各项之和）"
            formula = "；".join(result.steps)
        text = say("plan.rate_computed", label=spent.label, value=f"{result.value:.2f}", spent=_fmt(spent.wanyuan),
                   spent_name=MEASURE_BY_ID[spent.measure].name, budget=_fmt(sum(b.wanyuan for b in budgets)),
                   budget_name=budget_name, formula=formula)
    else:
        text = formula
    extra = result.stated
    text += _reading(result.cells, facts)
    return Answer(kind="number", text=text, value=result.value, unit=result.unit, formula=formula, stated_value=stated,
                  citations=_unique_citations([c.fact for c in result.cells], facts, extra=extra), route=route, plan=plan)


def _ranked_name(cell: Cell, schema: ReportSchema) -> str:
    """A ranked row as a reader knows it: a project by its name, a row by its label."""
    if schema.entities[cell.key].family != "project":
        return cell.label
    return f"“{cell.label}”" + ("" if cell.label.endswith("项目") else "项目")


def _ranked_name_of(key: str, schema: ReportSchema) -> str:
    entity = schema.entities[key]
    return f"“{entity.label}”" + ("" if entity.label.endswith("项目") else "项目") if entity.family == "project" else entity.label


def _total_of(formula: str) -> float:
    """The result of a 'a + b = c万元' step."""
    return float(formula.rpartition("=")[2].strip().removesuffix("万元").replace(",", ""))


_OTHER_MEASURES = {"change": "比上年变化"}


def _reason(query: Query, result: Result) -> str:
    cells = result.cells or result.readings
    what = "、".join(f"{c.label}·{_measure_name(c.measure)}" for c in cells[:3])
    words = {"value": "查表", "share": "占比 = 部分 ÷ 整体", "difference": "两数相减", "sum": "几项相加", "rate": "执行率",
             "filter": "按条件筛选", "rank": "排序找最高或最低", "ratio": "两数相除（倍数）", "change": "报告写明的与上年相比的变化",
             "prior": "上年数 = 本年数 − 报告写明的比上年增加数"}
    carried = f"（沿用上文：{'、'.join(CARRIED_NAMES.get(s, s) for s in query.carried)}）" if query.carried else ""
    return f"{words.get(result.operation, result.operation)}：{what}{carried}"


# --- wording shared with the stated-figure path ---

def _project_label(fact: Fact, facts: ReportFacts) -> str:
    project = facts.projects.get(fact.table, "")
    return f"“{project}”项目" if project else clean_label(fact.row)








def _fact_label(fact: Fact, facts: ReportFacts) -> str:
    """A readable name for a fact: project + column, row + column, or the stated clause."""
    column = fact.column.split(" › ")
    if fact.table in facts.projects:
        col = re.sub(r"[(（].*?[)）]", "", column[-1]) if column else ""
        return f"{_project_label(fact, facts)}{col}"
    if fact.source == "text":
        return fact.row
    row = clean_label(fact.row)
    last = re.sub(r"[(（]\s*[)）]", "", column[-1]) if column else ""  # "实际完成值()": an empty gloss
    if row in ("合计", "总计", "小计") or not row:
        return (column[0] if len(column) > 1 and last in ("合计", "小计", "决算数") else last) + ("合计" if row == "合计" and last not in ("合计",) else "")
    if last and last not in ("决算数", "金额", "合计", "小计", "本年支出合计", "本年收入合计") and last not in row:
        return f"{row}（{last}）"
    return row
def _other_scope(query: Query, cell: Cell, schema: ReportSchema) -> str:
    """No scope named: the all-funds figure answers; the 财政拨款 tables' figure for the same row, where it differs,
    is shown beside it (a reader asking "城乡社区支出" may mean either)."""
    if query.scope or query.tables or query.measures not in ((), ("actual",)) or cell.fact.table_kind in FISCAL_KINDS:
        return ""
    entity = schema.entities.get(cell.key)
    if entity is None or entity.family not in ("functional", "total"):
        return ""
    fiscal = schema.cell(cell.key, "actual", scope="fiscal")
    if fiscal is None or fiscal.source != "table" or abs(fiscal.value - cell.fact.value) < 0.005 or fiscal.unit != cell.fact.unit:
        return ""
    table = schema.facts.table(fiscal.table)
    return say("lookup.other_scope", table=table.label if table is not None else fiscal.table, value=_fmt(fiscal.value), unit=fiscal.unit)


def _reading(cells, facts: ReportFacts) -> str:
    """One line saying what was read — 表 › 行 › 列 (page) — so a reader sees a misreading at once."""
    seen: list[str] = []
    for cell in cells:
        fact = cell.fact
        if fact.source == "text":
            where = f"正文“{compact(fact.table.split('›')[-1])}”中的数字"
        else:
            table = facts.table(fact.table)
            column = " › ".join(clean_label(c) for c in fact.column.split(" › ") if c.strip()) or "数值"
            where = f"{table.label if table is not None else fact.table} › {clean_label(fact.row) or cell.label} › {column}"
        if fact.page:
            where += f"（第{fact.page}页）"
        if where not in seen and (cell.key or fact.source == "text" or fact.table):
            seen.append(where)
    return "\n读取：" + "；".join(seen[:6]) + ("等" if len(seen) > 6 else "") if seen else ""


def _citation(fact: Fact, facts: ReportFacts) -> Citation:
    table = facts.table(fact.table)
    label = table.label if table is not None else fact.table
    return Citation(label=label, page=fact.page, quote=fact.quote[:200], row=fact.row)
def _unique_citations(items: list[Fact], facts: ReportFacts, extra: Fact | None = None) -> tuple[Citation, ...]:
    out: list[Citation] = []
    for fact in items + ([extra] if extra else []):
        citation = _citation(fact, facts)
        if all((c.label, c.page) != (citation.label, citation.page) for c in out):
            out.append(citation)
    return tuple(out)
def _rounding_note(stated: float, computed: float, fact: Fact | None) -> str:
    """How the report's printed share relates to the computed one, at the printed precision."""
    printed = re.search(rf"{re.escape(_fmt(stated))}(\.\d+)?\s*%", fact.quote.replace(" ", "")) if fact else None
    decimals = len(printed.group(1)) - 1 if printed and printed.group(1) else len(_fmt(stated).partition(".")[2])
    rounded = float(Decimal(str(computed)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    if abs(rounded - stated) < 1e-9:
        return say("calculate.share_rounded", stated=_fmt(stated), decimals=decimals)
    return say("calculate.share_differs", stated=_fmt(stated), decimals=decimals, rounded=_fmt(rounded))
def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e12:
        return f"{int(value):,}" if abs(value) >= 10000 else str(int(value))
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if abs(value) >= 10000 else text.replace(",", "")
