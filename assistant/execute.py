"""Run a Query over the schema with typed arithmetic: money with money, percentages never summed.

`execute(query, schema, conversation)` returns a `Result` (the cells read, the arithmetic, the value), or None
when the plan cannot answer from table cells (the router then tries the report's stated figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant import calculator
from assistant.conversation import Conversation, Turn
from assistant.lookup import _unquoted, clean_label, to_wanyuan
from assistant.query import Mention, Query, condition, range_condition
from assistant.schema import FISCAL_TOTAL, FUND_PREFIX, MEASURE_BY_ID, PART_MEASURES, ReportSchema, in_scope, unit_type
from index.model import Fact

_SAME = 0.005  # two money figures within half a fen of a 万元 are the same figure


@dataclass(frozen=True)
class Cell:
    """One fact read by the plan, with the entity and measure it was read as."""

    key: str
    label: str
    measure: str
    fact: Fact

    @property
    def wanyuan(self) -> float:
        return to_wanyuan(self.fact.value, self.fact.unit)


@dataclass(frozen=True)
class Result:
    """What the executor found: a number (with its cells and steps), readings to choose from, or a refusal."""

    kind: str  # number | clarify | refuse | absent (the row has no such column: message = the measure)
    operation: str
    value: float | None = None
    unit: str = ""
    cells: tuple[Cell, ...] = ()
    steps: tuple[str, ...] = ()
    stated: Fact | None = None  # the report's own figure for a computed share or rate
    readings: tuple[Cell, ...] = ()
    message: str = ""
    direction: str = ""


def execute(query: Query, schema: ReportSchema, conversation: Conversation | None = None) -> Result | None:
    """The answer to a planned question, or None when the table cells cannot answer it."""
    conversation = conversation or Conversation()
    if schema.year and query.years and set(query.years) == {schema.year - 1} and query.operation in ("value", "prior"):
        query = query.with_(operation="prior", years=())  # "2022年度收支总计" in the 2023 report: last year's figure
    if query.operation in ("unsupported", "years") or (query.years and schema.year and set(query.years) - {schema.year}):
        return None
    if query.refers_back == "unplaced":
        return Result(kind="refuse", operation=query.operation, message="上一个问题没有在报告中找到对应的项目，请说明要问的是哪一项")
    if query.refers_back == "row_or_department" and query.subjects and query.measures:
        row = _one(query, schema, query.subjects[0], query.measures[0])
        department = _default_subject(query.with_(subjects=()), schema)
        whole = _one(query, schema, department, query.measures[0]) if department is not None else None
        if isinstance(row, Cell) and isinstance(whole, Cell) and abs(row.wanyuan - whole.wanyuan) >= _SAME:
            return Result(kind="clarify", operation="value", readings=(row, whole))  # the last row's, or the department's
        query = query.with_(refers_back="")
    if query.refers_back == "unlinked":
        return Result(kind="refuse", operation=query.operation, message="上一个回答取自报告文字，对应不到表中的某一行，请说明要问的是哪一项")
    if query.refers_back == "lacks":
        return Result(kind="refuse", operation=query.operation, message="上一个问到的项目在报告中没有所问的这个数，请说明要问的是哪一项")
    if query.refers_back == "both" and query.operation in ("sum", "difference"):
        return _earlier_figures(query, conversation)
    if query.refers_back in ("total", "both") and query.operation == "share":
        return _share_of_total(query, schema, conversation)
    if query.operation == "filter":
        return _filter(query, schema)
    if query.operation == "change":
        return _change(query, schema)
    if query.operation == "prior":
        return _prior(query, schema)
    if query.operation == "rank" and query.group:
        return _rank(query, schema)
    if query.group and query.operation in ("sum", "rate"):
        return _group_total(query, schema)
    if len(query.leftover) >= 2:
        return None  # the question names something the schema does not have: the stated figures may
    subjects = list(query.subjects)
    measures = list(query.measures)
    if not subjects:
        default = _default_subject(query, schema)
        if default is None:
            return None
        subjects = [default]
        if default.keys[0] in ("年末结转和结余", "年初结转和结余"):
            measures = ["actual"]  # the 总表's row, read in its 决算数 column
    result = _run(query, schema, subjects, measures)
    if result is None or result.kind != "number":
        return result
    if query.asked_unit and not _fits(query.asked_unit, result.unit):
        return None  # "几个岗位" asks a count; a money cell does not answer it
    return result


def _fits(asked: str, unit: str) -> bool:
    if asked == "%":
        return unit == "%"
    if asked == "分":
        return unit == "分"
    return unit_type(unit) == "count"


def _run(query: Query, schema: ReportSchema, subjects: list[Mention], measures: list[str]) -> Result | None:
    op = query.operation
    if op == "share":
        return _share(query, schema, subjects[0], measures[0] if measures else "actual")
    if op in ("difference", "ratio"):
        return _difference(query, schema, subjects, measures)
    if op == "sum":
        return _sum(query, schema, subjects, measures[0] if measures else "actual")
    if op == "rate":
        return _rate(query, schema, subjects[0])
    if len(subjects) > 1:
        return None  # several rows, one value asked: not a plan this executor knows
    # "…的决算数里基本支出": of two measures named for one value, the specific one (决算数 is every column's kind)
    measure = next((m for m in measures if m != "actual"), "actual") if measures else "actual"
    keys = subjects[0].keys
    if measure == "carry_end" and len(keys) == 1 and schema.entities[keys[0]].family == "project":
        # "政企云项目还剩多少钱没花": a project's 自评表 has no 结余 column; what is left is 预算数 − 执行数.
        return _difference(query, schema, subjects, ["budget", "executed"])
    return _value(query, schema, subjects[0], measure)


def _default_subject(query: Query, schema: ReportSchema) -> Mention | None:
    """A measure named alone ('基本支出是多少', '项目支出占比') is the department total's; '结转到下年的资金'
    is the 总表's 年末结转和结余 row."""
    for measure, row in (("carry_end", "年末结转和结余"), ("carry_start", "年初结转和结余")):
        if query.measures[:1] == (measure,) and row in schema.entities and not query.leftover:
            return Mention(row, 0, (row,))
    if query.scope == "fiscal" and set(query.measures) <= {"actual"} and not query.leftover:
        # "财政拨款一共花了多少": all 财政拨款 (the 财政拨款总表's 本年支出合计); "一般公共预算拨款…": that fund's total
        key = FISCAL_TOTAL if "一般公共预算" in query.question else "本年支出合计"
        return Mention(schema.entities[key].label, 0, (key,)) if key in schema.entities else None
    if not set(query.measures) & {"basic", "project", "initial_budget", "budget"}:
        return None
    if query.leftover:
        return None  # the question names something the schema does not have
    key = FISCAL_TOTAL if query.scope == "fiscal" else "本年支出合计"
    if key not in schema.entities:
        key = "本年支出合计"
    budgets = [m for m in query.measures if m in ("budget", "initial_budget")]
    fiscal = FISCAL_TOTAL
    if budgets and fiscal in schema.entities and not any((key, m) in schema.cells for m in budgets) \
            and all((fiscal, m) in schema.cells for m in budgets):
        key = fiscal  # "支出决算占全年预算的比例": the budget a report states is its 财政拨款 spending's
    return Mention(schema.entities[key].label, 0, (key,)) if key in schema.entities else None


def _measure_for(schema: ReportSchema, key: str, measure: str) -> str:
    """The measure as this entity has it: rows of the 基本支出 detail are all 基本支出 (their 决算数)."""
    entity = schema.entities[key]
    if measure == "basic" and entity.family == "economic":
        return "actual"
    if measure == "actual" and entity.family == "project":
        return "executed"
    if measure == "actual" and (entity.family == "indicator" or (key, "actual") not in schema.cells) \
            and ((key, "achieved") in schema.cells or (key, "target") in schema.cells):
        # a 自评表 indicator (a project's or the 整体绩效's): what was done, else the plan
        return "achieved" if (key, "achieved") in schema.cells else "target"
    return measure


def _read(schema: ReportSchema, key: str, measure: str, scope: str, table: str = "", tables: tuple[str, ...] = ()) -> Cell | None:
    measure = _measure_for(schema, key, measure)
    if measure.startswith(FUND_PREFIX):
        fact = schema.cell(key, measure, table=table, tables=tables)  # a fund column ("财政拨款收入") is its own scope
        if fact is None and "财政拨款" in measure:
            fact = schema.cell(key, "actual", scope="fiscal", tables=tables)  # a 财政拨款 table's 决算数
    else:
        fact = schema.cell(key, measure, scope=scope, table=table, tables=tables)
    if fact is None:
        return None
    return Cell(key=key, label=schema.entities[key].label, measure=measure, fact=fact)


def _resolve(query: Query, schema: ReportSchema, mention: Mention, measure: str, others: list[Mention]) -> list[Cell]:
    """The cells a mention may mean: one, or several readings with different values."""
    cells = [c for c in (_read(schema, k, measure, query.scope, tables=query.tables) for k in mention.keys) if c is not None]
    if len(cells) <= 1:
        return cells
    if all(abs(c.wanyuan - cells[0].wanyuan) < _SAME for c in cells):
        return cells[:1]  # same figure under several codes: one answer
    families = {schema.entities[k].family for m in others if m is not mention and len(m.keys) == 1 for k in m.keys}
    same_family = [c for c in cells if schema.entities[c.key].family in families]
    if len(same_family) == 1:
        return same_family  # "差旅费、培训费和公务接待费": the reading in the others' table family
    return cells


def _value(query: Query, schema: ReportSchema, mention: Mention, measure: str) -> Result | None:
    cells = _resolve(query, schema, mention, measure, list(query.subjects))
    if not cells and query.measures and measure in MEASURE_BY_ID and measure != "actual" and not query.asked_unit:
        # "城乡社区支出的全年预算": the row and the column are both known and the report has no such cell. The
        # router may still find the figure stated for that row in a sentence; it never takes another's.
        return Result(kind="absent", operation="value", message=measure, readings=tuple(
            Cell(key=k, label=schema.entities[k].label, measure=m, fact=schema.cells[(k, m)][0])
            for k in mention.keys[:1] for m in schema.measures_of(k)))
    if not cells:
        return None
    if len(cells) > 1:
        return Result(kind="clarify", operation="value", readings=tuple(cells))
    cell = cells[0]
    return Result(kind="number", operation="value", value=cell.fact.value, unit=cell.fact.unit, cells=(cell,))


def _one(query: Query, schema: ReportSchema, mention: Mention, measure: str) -> Cell | Result | None:
    cells = _resolve(query, schema, mention, measure, list(query.subjects))
    if not cells:
        return None
    if len(cells) > 1:
        return Result(kind="clarify", operation=query.operation, readings=tuple(cells))
    return cells[0]


def _share(query: Query, schema: ReportSchema, mention: Mention, measure: str) -> Result | None:
    if not query.scope and query.denominator is not None and FISCAL_TOTAL in query.denominator.keys:
        query = query.with_(scope="fiscal")  # "A在一般公共预算财政拨款支出中的比重": A's 财政拨款 figure over it
    part = _one(query, schema, mention, measure)
    if not isinstance(part, Cell):
        return part
    if unit_type(part.fact.unit) != "money":
        return None
    own_budget = _read(schema, part.key, query.whole_measure, query.scope, tables=query.tables) \
        if query.denominator is None and query.whole_measure in ("budget", "initial_budget") else None
    if own_budget is not None:
        whole = own_budget  # "三公经费实际花的占预算百分之多少": of its own budget (what it completed)
    elif query.denominator is None and query.whole_measure:
        total = _default_subject(query.with_(measures=(query.whole_measure,), leftover=""), schema)
        whole = _one(query, schema, total, query.whole_measure) if total else None
    elif query.denominator is not None:
        whole_measure = query.whole_measure or (
            measure if measure not in PART_MEASURES and not measure.startswith(FUND_PREFIX) else "actual")
        whole = _one(query, schema, query.denominator, whole_measure)
        if isinstance(whole, Cell) and whole.key == part.key and whole.measure == part.measure:
            whole = _one(query, schema, query.denominator, "actual")
    elif measure in PART_MEASURES or measure.startswith(FUND_PREFIX):
        whole = _read(schema, part.key, "actual", query.scope, part.fact.table, query.tables)  # 项目支出占比: of the row's total
    else:
        parent = schema.entities[part.key].parent
        whole = _read(schema, parent, part.measure, query.scope, part.fact.table, query.tables) if parent else None
        if whole is None and _stating_scope(part) and FISCAL_TOTAL in schema.entities:
            # "住房保障支出的年初预算占比": a budget stated in the 财政拨款 section is a share of that section's
            # total budget, stated in the same words ("一般公共预算财政拨款支出年初预算为 743.02 万元").
            whole = _read(schema, FISCAL_TOTAL, part.measure, "fiscal")
    if not isinstance(whole, Cell):
        return whole
    return share_of(part, whole, schema)


def share_of(part: Cell, whole: Cell, schema: ReportSchema) -> Result | None:
    """part ÷ whole, both money. A part of its own whole above 100% is a misreading, never an answer."""
    if unit_type(part.fact.unit) != "money" or unit_type(whole.fact.unit) != "money":
        return None
    if whole.wanyuan <= 0 or (whole.key == part.key and whole.measure == part.measure and whole.fact is part.fact):
        return None
    calc = calculator.share(part.wanyuan, whole.wanyuan)
    if calc.value > 100.0 + 1e-9 and _contains(schema, whole, part):
        return None
    return Result(
        kind="number", operation="share", value=calc.value, unit="%", cells=(part, whole), steps=(calc.formula,),
        stated=_stated_share(schema, part, calc.value, whole) if part.key in schema.entities else None,
    )


def _contains(schema: ReportSchema, whole: Cell, part: Cell) -> bool:
    """Whether the whole is, by the schema or by its measure, what the part is a part of: an ancestor row, the same
    row (a column's part of its total), or any row when the whole is a total — its share cannot pass 100%."""
    if not whole.key or not part.key:
        return True  # figures stated in prose, named as part and whole
    if whole.key == part.key:
        return True
    entity = schema.entities.get(part.key)
    while entity is not None and entity.parent:
        if entity.parent == whole.key:
            return True
        entity = schema.entities.get(entity.parent)
    return schema.entities[whole.key].family == "total" if whole.key in schema.entities else False


def _difference(query: Query, schema: ReportSchema, subjects: list[Mention], measures: list[str]) -> Result | None:
    if len(subjects) >= 2:
        measure = measures[0] if measures else "actual"
        pair = [_one(query, schema, m, measure) for m in subjects[:2]]
    else:
        if not measures:
            return None
        if len(measures) == 1:
            measures = ["actual", measures[0]] if measures[0] != "actual" else measures
        if len(measures) < 2:
            return None
        both = tuple(k for k in subjects[0].keys
                     if all((k, _measure_for(schema, k, m)) in schema.cells for m in measures[:2]))
        if len(both) == 1:  # "公务接待费决算比预算少花了多少": the reading that has both columns (the 三公 table's)
            subjects = [replace(subjects[0], keys=both)]
        pair = [_one(query, schema, subjects[0], m) for m in measures[:2]]
        stated = [c for c in pair if isinstance(c, Cell) and _stating_scope(c)]
        if stated and not query.scope:  # "决算比年初预算少了多少": the 决算 the budget sentence compares with
            fiscal = query.with_(scope="fiscal")
            pair = [c if c in stated else _one(fiscal, schema, subjects[0], m) for c, m in zip(pair, measures[:2])]
    for side in pair:
        if not isinstance(side, Cell):
            return side
    a, b = pair
    if a.fact is b.fact:
        return None
    if unit_type(a.fact.unit) != unit_type(b.fact.unit):
        return Result(kind="refuse", operation=query.operation, message="两个数字的单位类型不同，不能相比")
    unit = "万元" if unit_type(a.fact.unit) == "money" else a.fact.unit
    x, y = (a.wanyuan, b.wanyuan) if unit == "万元" else (a.fact.value, b.fact.value)
    if query.operation == "ratio":
        if not y:
            return Result(kind="refuse", operation="ratio", cells=(a, b), message="作为比较基数的数字为0，不能求倍数")
        calc = calculator.ratio(x, y)
        return Result(kind="number", operation="ratio", value=calc.value, unit="倍", cells=(a, b), steps=(calc.formula,))
    calc = calculator.difference(x, y, unit)
    direction = "多" if calc.value >= 0 else "少"
    return Result(
        kind="number", operation="difference", value=round(abs(calc.value), 4), unit=unit, cells=(a, b),
        steps=(calc.formula,), direction=direction,
    )


def _sum(query: Query, schema: ReportSchema, subjects: list[Mention], measure: str) -> Result | None:
    cells = []
    for mention in subjects:
        cell = _one(query, schema, mention, measure)
        if not isinstance(cell, Cell):
            return cell
        cells.append(cell)
    return _typed_total(cells, "sum")


def _typed_total(cells: list[Cell], operation: str) -> Result:
    types = {unit_type(c.fact.unit) for c in cells}
    if "percent" in types:
        return Result(kind="refuse", operation=operation, cells=tuple(cells),
                      message="这几个数字是百分比（比率），百分比相加没有意义")
    if len(types) > 1:
        return Result(kind="refuse", operation=operation, cells=tuple(cells), message="这几个数字的单位类型不同，不能相加")
    money = types == {"money"}
    unit = "万元" if money else cells[0].fact.unit
    values = [c.wanyuan if money else c.fact.value for c in cells]
    calc = calculator.total(values, unit)
    return Result(kind="number", operation=operation, value=calc.value, unit=unit, cells=tuple(cells), steps=(calc.formula,))


def _earlier_figures(query: Query, conversation: Conversation) -> Result:
    """'两者合计' / '两者相差': the last two figures the conversation gave."""
    figures = [t for t in conversation.figures() if t.fact is not None][-2:]
    if len(figures) < 2:
        return Result(kind="refuse", operation=query.operation,
                      message="前面只给出了一个数字，请说明要计算的是哪两项")
    cells = [Cell(key=t.subject_key or t.fact.row, label=_turn_label(t), measure=t.measure or "", fact=_figure(t)) for t in figures]
    if query.operation == "sum":
        return _typed_total(cells, "sum")
    a, b = cells
    if unit_type(a.fact.unit) != unit_type(b.fact.unit):
        return Result(kind="refuse", operation="difference", message="两个数字的单位类型不同，不能相减")
    unit = "万元" if unit_type(a.fact.unit) == "money" else a.fact.unit
    x, y = (a.wanyuan, b.wanyuan) if unit == "万元" else (a.fact.value, b.fact.value)
    calc = calculator.difference(x, y, unit)
    return Result(kind="number", operation="difference", value=round(abs(calc.value), 4), unit=unit, cells=(a, b),
                  steps=(calc.formula,), direction="多" if calc.value >= 0 else "少")


def _share_of_total(query: Query, schema: ReportSchema, conversation: Conversation) -> Result | None:
    """'两者一共多少' → '合计占本年支出合计的比例': the earlier total (or the last two figures, added) over the whole."""
    total = next((t for t in reversed(conversation.turns) if t.query is not None and t.query.operation == "sum"
                  and t.value is not None), None)
    if total is not None and query.refers_back == "total":
        part = Cell(key="", label=total.subject, measure="actual", fact=_figure(total))
        steps = total.parts
    else:
        added = _earlier_figures(query.with_(operation="sum"), conversation)
        if added.kind != "number":
            return added
        label = "、".join(c.label for c in added.cells) + "合计"
        part = Cell(key="", label=label, measure="actual", fact=replace(added.cells[0].fact, value=added.value, unit=added.unit))
        steps = added.steps
    if unit_type(part.fact.unit) != "money":
        return Result(kind="refuse", operation="share", message="合计不是金额，不能求占比")
    if query.denominator is not None:
        whole = _one(query, schema, query.denominator, "actual")
    else:
        measure = query.whole_measure or (query.measures[-1] if query.measures else "actual")
        total_row = _default_subject(query.with_(measures=(measure,), leftover=""), schema)
        whole = _one(query, schema, total_row, measure) if total_row else None
    if not isinstance(whole, Cell):
        return whole
    result = share_of(part, whole, schema)
    return replace(result, steps=tuple(steps) + result.steps, stated=None) if result is not None else None


def _figure(turn: Turn) -> Fact:
    """The turn's figure as a fact (a computed share keeps its own value and unit)."""
    return replace(turn.fact, value=turn.value, unit=turn.unit) if turn.value is not None else turn.fact


def _turn_label(turn: Turn) -> str:
    return clean_label(turn.subject or turn.fact.row)


def _rate(query: Query, schema: ReportSchema, mention: Mention) -> Result | None:
    """执行率: as the report states it (with executed ÷ budget beside), else 决算 ÷ 全年预算 (or the budget named)."""
    stated = _one(query, schema, mention, "rate")
    if isinstance(stated, Result):
        return stated
    base = "initial_budget" if "initial_budget" in query.measures or "年初" in query.question else "budget"
    # The reading that has both a spent and a budget figure (公务接待费: the 三公 table's, not the 基本支出 row).
    keys = [stated.key] if stated else [k for k in mention.keys if (k, base) in schema.cells]
    if not keys and len(mention.keys) == 1:
        parts = _item_budgets(schema, mention.keys[0], base)
        if parts:  # "卫生健康支出（类）完成年初预算的百分比": its 项 state their budgets, it does not
            return _rate_of_items(query, schema, mention.keys[0], parts)
    if len(keys) != 1:
        return None
    key = keys[0]
    budget = _read(schema, key, base, query.scope)
    scope = query.scope or _stating_scope(stated) or _stating_scope(budget)
    spent = _read(schema, key, "executed", scope) or _read(schema, key, "actual", scope)
    if stated is not None and (base == "budget" or "年初" in stated.fact.row):
        steps = ()
        if spent and budget and budget.wanyuan:
            steps = (calculator.rate(spent.wanyuan, budget.wanyuan).formula,)
        cells = (stated,) + tuple(c for c in (spent, budget) if c)
        return Result(kind="number", operation="rate", value=stated.fact.value, unit="%", cells=cells, steps=steps)
    if spent is None or budget is None or not budget.wanyuan or spent.measure == budget.measure:
        return None
    calc = calculator.rate(spent.wanyuan, budget.wanyuan)
    return Result(kind="number", operation="rate", value=calc.value, unit="%", cells=(spent, budget), steps=(calc.formula,))


def _item_budgets(schema: ReportSchema, key: str, base: str) -> list[Cell]:
    """The stated budgets of every 项 under a 类 or 款 that states none itself, or [] if any 项 lacks one."""
    leaves = [k for k in schema.descendants(key) if not schema.entities[k].children]
    cells = [_read(schema, k, base, "") for k in leaves]
    return cells if leaves and all(cells) else []


def _rate_of_items(query: Query, schema: ReportSchema, key: str, budgets: list[Cell]) -> Result | None:
    """A row's 完成预算 from its items: its spending ÷ the sum of its items' stated budgets, both steps shown."""
    total = calculator.total([c.wanyuan for c in budgets], "万元")
    spent = _read(schema, key, "actual", query.scope or _stating_scope(budgets[0]))
    if spent is None or not total.value:
        return None
    calc = calculator.rate(spent.wanyuan, total.value)
    budget_name = MEASURE_BY_ID[budgets[0].measure].name
    return Result(kind="number", operation="rate", value=calc.value, unit="%", cells=(spent, *budgets),
                  steps=(calc.formula, f"{budget_name}为其下各项之和：{total.formula}"))


def _stating_scope(cell: Cell | None) -> str:
    """A budget or rate stated in the 财政拨款 section's sentences is measured against the 财政拨款 figures."""
    return "fiscal" if cell is not None and cell.fact.source == "text" and in_scope(cell.fact, "fiscal") else ""


def _stated_share(schema: ReportSchema, part: Cell, computed: float, whole: Cell | None = None) -> Fact | None:
    """The report's own printed share ('基本支出 531.51 万元，占本年支出 65.7%'), if any.

    A printed share off by more than rounding counts only when its sentence names the same whole
    (4.73% of 财政拨款支出 is not a misprint of 4.72% of all spending)."""
    label = schema.entities[part.key].label
    names = [n for n in (label, MEASURE_BY_ID[part.measure].name if part.measure in MEASURE_BY_ID else "") if n]
    if part.measure in PART_MEASURES and schema.entities[part.key].family == "total":
        names = [MEASURE_BY_ID[part.measure].name]  # the total's 基本支出 is stated as "基本支出"
    for name in names:
        if name in ("决算数",):
            continue
        for fact in schema.facts.facts:
            if fact.source == "text" and fact.unit == "%" and abs(fact.value - computed) < 1.0:
                quote = clean_label(fact.quote)
                # the name, then 占, then this very figure: "事业收入 36.85 万元，占本年收入 0.76%" (not the next
                # clause's "经营收入 0.00 万元，占本年收入 0.00%")
                near = re.compile(rf"{re.escape(clean_label(name))}[^;；。]{{0,25}}?占[^;；。占]{{0,20}}?"
                                  rf"(?<![\d.]){re.escape(f'{fact.value:g}')}(\.?0*)?%")
                if near.search(quote) and (_same_printed(fact.value, computed) or _names_whole(schema, whole, quote)):
                    return fact
    return None


_COMPARE = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
_CONDITION_WORDS = {"<": "低于", "<=": "不超过", ">": "高于", ">=": "不低于", "=": "为", "between": "在"}
_TO_WANYUAN = {"万元": 1.0, "元": 0.0001, "亿元": 10000.0, "": 1.0}  # a bare number beside money is the report's 万元


def _filter(query: Query, schema: ReportSchema) -> Result:
    """'执行率低于90%的项目有哪些', '支出超过500万元的款有几个': the group's rows whose measure meets the condition,
    counted and listed, with every row checked kept as readings. A group without that measure, or a condition in
    another unit than the measure's, is said so (never another table's figure)."""
    between = range_condition(query.question)
    cond = ("between", between[0], between[2]) if between else condition(query.question)
    if cond is None:
        return Result(kind="refuse", operation="filter", message="没有读出筛选条件，请写明比较的数字，例如“执行率低于90%”")
    op, threshold, unit = cond
    measure = query.measures[0] if query.measures else ("rate" if unit == "%" else "actual")
    pool = _group_cells(query, schema, measure)
    unit_text = unit or ('%' if measure == 'rate' else '万元')
    criterion = f"{_condition_measure(measure, pool)}{_CONDITION_WORDS[op]}{_threshold_text(threshold)}{unit_text}"
    if op == "between":
        criterion += f"到{_threshold_text(between[1])}{unit_text}之间"
    if not pool:
        return Result(kind="refuse", operation="filter", message=f"报告没有列出各{query.group_name or '科目'}的{_measure_word(measure)}，不能按“{criterion}”筛选")
    kinds = {unit_type(c.fact.unit) for c in pool}
    wanted = "percent" if unit == "%" else "money" if unit else kinds.pop() if len(kinds) == 1 else ""
    pool = [c for c in pool if unit_type(c.fact.unit) == wanted]
    if not pool:
        return Result(kind="refuse", operation="filter",
                      message=f"条件“{criterion}”与{_measure_word(measure)}的单位不同，不能比较")
    if wanted == "money":
        limit = threshold * _TO_WANYUAN.get(unit, 1.0)
        value = lambda c: c.wanyuan  # noqa: E731
        same = _SAME
    else:
        limit, value, same = threshold, (lambda c: c.fact.value), 0.005
    if op == "between":
        high = between[1] * (_TO_WANYUAN.get(unit, 1.0) if wanted == "money" else 1.0)
        meets = lambda v: limit - same < v < high + same  # noqa: E731  (both ends included)
    else:
        meets = (lambda v: abs(v - limit) < same) if op == "=" else (lambda v: _COMPARE[op](v, limit))
    chosen = tuple(c for c in pool if meets(value(c)))
    return Result(kind="number", operation="filter", value=float(len(chosen)), unit="个", cells=chosen,
                  readings=tuple(pool), message=criterion,
                  steps=(f"{len(pool)}个{query.group_name}中{criterion}的{len(chosen)}个",))


def _condition_measure(measure: str, cells: list[Cell]) -> str:
    """The measure as the rows state it: a rate the 情况说明 words "完成年初预算的 94.43%" is that, not 执行率."""
    rows = {re.sub(r"[的数]$", "", c.fact.row)[-6:] for c in cells if c.fact.source == "text"}
    if measure == "rate" and cells and len(rows) == 1 and all(c.fact.source == "text" for c in cells):
        return rows.pop() + "的比例"
    return _measure_word(measure)


def _threshold_text(value: float) -> str:
    """A threshold as the question wrote it: 95.0 → '95', 92.5 → '92.5'."""
    return f"{value:g}"


def _group_cells(query: Query, schema: ReportSchema, measure: str) -> list[Cell]:
    """The group's cells for one measure (rows without that cell are left out)."""
    cells = (_read(schema, key, measure, query.scope, tables=query.tables) for key in query.group)
    return [c for c in cells if c is not None]


def _rank(query: Query, schema: ReportSchema) -> Result | None:
    """'哪个项目执行率最低', '三公经费中哪项最多', '支出最多的前三类': the group ordered by the measure asked."""
    measure = query.measures[0] if query.measures else "actual"
    cells = _group_cells(query, schema, measure)
    if len(cells) < 2:
        return None
    types = {unit_type(c.fact.unit) for c in cells}
    if len(types) > 1:
        return Result(kind="refuse", operation="rank", cells=tuple(cells), message="这些数字的单位类型不同，不能排序")
    key = (lambda c: c.wanyuan) if types == {"money"} else (lambda c: c.fact.value)
    ordered = sorted(cells, key=key, reverse=query.extreme != "min")
    if query.position > len(ordered):
        return Result(kind="refuse", operation="rank", cells=tuple(ordered), message=f"只有{len(ordered)}个可以排序")
    top = ordered[query.position - 1] if query.position else ordered[0]
    word = ("倒数" if query.extreme == "min" else "") + f"第{query.position}" if query.position else \
        "最低" if query.extreme == "min" else "最高"
    if query.position:  # the row asked for first (the answer, and what a follow-up means), then the order
        ordered = [top] + [c for c in ordered if c is not top]
    return Result(kind="number", operation="rank", value=top.fact.value, unit=top.fact.unit, cells=tuple(ordered),
                  steps=(f"{len(ordered)}个{query.group_name}按{_measure_word(measure)}排序，{word}的是{top.label}",),
                  direction=query.extreme)


def _group_total(query: Query, schema: ReportSchema) -> Result | None:
    """'所有项目预算数合计', '这几个项目总体执行率': a sum over the group, or its summed 执行数 ÷ summed 预算数."""
    if query.operation == "sum":
        measure = query.measures[0] if query.measures else "actual"
        cells = _group_cells(query, schema, measure)
        return _typed_total(cells, "sum") if len(cells) >= 2 else None
    pairs = [(s, b) for s, b in ((_read(schema, k, "executed", query.scope) or _read(schema, k, "actual", query.scope),
                                  _read(schema, k, "budget", query.scope)) for k in query.group) if s and b]
    if len(pairs) < 2:
        return None
    spent = calculator.total([s.wanyuan for s, _ in pairs], "万元")
    budget = calculator.total([b.wanyuan for _, b in pairs], "万元")
    calc = calculator.rate(spent.value, budget.value)
    return Result(kind="number", operation="rate", value=calc.value, unit="%",
                  cells=tuple(c for pair in pairs for c in pair), steps=(calc.formula, spent.formula, budget.formula))


def _measure_word(measure: str) -> str:
    return MEASURE_BY_ID[measure].name if measure in MEASURE_BY_ID else measure.removeprefix(FUND_PREFIX)


_STATED_CHANGE = re.compile(r"(增加|减少|增长|下降|降低|上升)$")
_TEMPLATE_GLOSS = re.compile(r"[(（][^()（）]*[)）]$")  # "下降（增长）27.78%": the template's other word, left in
_CLAUSE = re.compile(r"[,;:。]")
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?(?:万元|元|亿元|%)")
# The words of a clause that measure the row already in view: its year or last year's, its budget and 决算,
# the change itself. What is left names another row ("公务用车运行费 23.68 万元，…相比减少 2.37 万元").
_SAME_ROW = re.compile(r"20\d{2}年度?|上一?年?度|上一?年|去年|相比|同比|[与较比]|增加|减少|增长|下降|持平|各|财政拨款|一般公共预算"
                       r"|年初预算|全年预算|预算|支出决算|决算|完成|支出|[数为是的了共计达约]|其中|\(.*?\)")


def _change(query: Query, schema: ReportSchema) -> Result | None:
    """'比上年少了多少': the change the report states for that row ("比 2023 年度减少 0.15 万元"), never computed."""
    if len(query.subjects) != 1:
        return None
    names = {k: _sentence_names(schema, k) for k in query.subjects[0].keys}
    said = query.subjects[0].text
    # "一般公共预算财政拨款支出比上年增长…": not the shorter "财政拨款支出" of the 政府性基金 sentence
    labels = sorted((n for n in set().union(*names.values()) if len(n) >= len(said) or n == said), key=len, reverse=True) \
        or sorted(set().union(*names.values()), key=len, reverse=True)
    found = stated_change(schema.facts.facts, labels, percent=query.asked_unit == "%", fiscal=query.scope == "fiscal")
    if found is None:
        return None
    fact, word, label = found
    key = next(k for k, own in names.items() if label in own)
    cell = Cell(key=key, label=label, measure="change", fact=fact)  # the row as the sentence names it
    direction = "少" if word in ("减少", "下降", "降低") else "多"
    return Result(kind="number", operation="change", value=fact.value, unit=fact.unit, cells=(cell,), direction=direction)


def _prior(query: Query, schema: ReportSchema) -> Result | None:
    """'上一年的X是多少': X this year less the change the report states for that same row, both cited; no change
    stated for the row, no figure (the router then looks for a figure of that year stated in a sentence)."""
    if len(query.subjects) != 1 or len(query.leftover) >= 2:
        return None
    measure = next((m for m in query.measures if m != "actual"), "actual")
    now = _value(query.with_(operation="value"), schema, query.subjects[0], measure)
    if now is None or now.kind != "number" or measure != "actual":
        return None  # a stated change is of the row's own figure, not of one of its columns (项目支出…)
    current = now.cells[0]
    names = sorted(_sentence_names(schema, current.key), key=len, reverse=True)  # "支出合计增加…" names 本年支出合计
    found = stated_change(schema.facts.facts, names, percent=False, fiscal=query.scope == "fiscal")
    if found is None:
        return None
    fact, word, label = found
    return prior_of(current, Cell(key=current.key, label=label, measure="change", fact=fact),
                    "少" if word in ("减少", "下降", "降低") else "多")


def prior_of(current: Cell, change: Cell, direction: str) -> Result | None:
    """Last year's figure: this year's less the stated increase (plus the stated decrease), typed."""
    if unit_type(current.fact.unit) != unit_type(change.fact.unit):
        return None
    money = unit_type(current.fact.unit) == "money"
    unit = "万元" if money else current.fact.unit
    this_year = current.wanyuan if money else current.fact.value
    delta = (change.wanyuan if money else change.fact.value) * (-1 if direction == "少" else 1)
    calc = calculator.prior_year(this_year, delta, unit)
    if calc.value < 0:
        return None  # last year's amount cannot be negative
    return Result(kind="number", operation="prior", value=calc.value, unit=unit, cells=(current, change),
                  steps=(calc.formula,), direction=direction)


def _sentence_names(schema: ReportSchema, key: str) -> set[str]:
    """How a sentence may name a row: its label and aliases, without quotation marks ("“三公”经费")."""
    entity = schema.entities[key]
    return {_unquoted(clean_label(a)) for a in entity.aliases | {entity.label} if len(a) >= 3 and not a.isdigit()}


def stated_change(facts, labels: list[str], *, percent: bool, fiscal: bool = False) -> tuple[Fact, str, str] | None:
    """The change a sentence states for the row named by one of `labels`: the fact, its word (增加/减少/…), the label.

    A change belongs to the row its own clause names ("收入合计增加 374.97 万元"), else to the last row named
    before it in the sentence ("机关运行经费支出 383.17 万元，比上年减少 19.68 万元"); a figure of another row
    between them makes it that row's. Of several, the one in the scope asked (财政拨款 or the whole)."""
    labels = [_joined(label) for label in labels]
    best, best_rank = None, None
    for fact in facts:
        if fact.source != "text" or (fact.unit == "%") != percent:
            continue
        row = _TEMPLATE_GLOSS.sub("", _joined(fact.row))
        m = _STATED_CHANGE.search(row)
        before = _before_figure(fact, row)
        if not m or not before:
            continue
        own_clause = _last_clause_start(before, len(before))
        for label in labels:
            at = before.rfind(label)
            if at < 0 or _another_row_between(before[at + len(label) :]):
                continue
            if at < own_clause and _names_a_row(before[own_clause:]):
                continue  # "…持平；公务接待费支出决算减少 0.15 万元": the change's own clause names its row
            clause = before[_last_clause_start(before, at) : at + len(label)]
            in_scope = ("财政拨款" in clause) == (fiscal or "财政拨款" in label)
            rank = (at < own_clause, not in_scope, len(before) - at - len(label), -len(label))
            if best_rank is None or rank < best_rank:
                best, best_rank = (fact, m.group(1), label), rank
    return best


def _before_figure(fact: Fact, row: str) -> str:
    """The sentence up to the fact's own figure (its clause may repeat: "下降 9.10%…下降 8.96%")."""
    quote = _joined(fact.quote)
    for m in re.finditer(re.escape(row), quote):
        figure = re.match(r"[(（][^()（）]*[)）]|", quote[m.end() :]).group()  # the gloss left out of the row
        number = re.match(r"\d[\d,]*(?:\.\d+)?", quote[m.end() + len(figure) :])
        if number and abs(float(number.group().replace(",", "")) - fact.value) < 1e-9:
            return quote[: m.end()]
    return ""


def _joined(text: str) -> str:
    """Text to find a row's name in: no quotation marks, no 、 ("收、支总计" names 收支总计)."""
    return _unquoted(text).replace("、", "")


def _last_clause_start(text: str, at: int) -> int:
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, at)]
    return starts[-1] if starts else 0


def _another_row_between(text: str) -> bool:
    """Whether a clause with a figure between a row's name and its change names another row."""
    for clause in _CLAUSE.split(text):
        end = 0
        for figure in _FIGURE.finditer(clause):
            if _names_a_row(clause[end : figure.start()]):
                return True
            end = figure.end()
    return False


def _names_a_row(words: str) -> bool:
    return len(_SAME_ROW.sub("", _FIGURE.sub("", words))) >= 2


def _names_whole(schema: ReportSchema, whole: Cell | None, quote: str) -> bool:
    if whole is None or whole.key not in schema.entities:
        return False
    entity = schema.entities[whole.key]
    return any(len(a) >= 3 and not a.isdigit() and f"占{a}" in quote.replace("的", "") for a in entity.aliases | {entity.label})


def _same_printed(stated: float, computed: float) -> bool:
    """The computed share rounds to the printed one at the printed precision (1.33 printed as 1.3)."""
    decimals = len(f"{stated:g}".partition(".")[2])
    return abs(round(computed, decimals) - stated) < 1e-9
