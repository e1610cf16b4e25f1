"""The report as a schema: rows are entities (with aliases, code, parent and children), columns are typed measures.

Built once per report from its facts (`build_schema`). A question is then planned against entity keys and
measure concepts instead of being matched fact by fact: "<row>的<measure>" is one cell lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from assistant.lookup import ReportFacts, clean_label, to_wanyuan
from index.model import Fact
from index.normalize import compact
from index.vocabulary import ECONOMIC_GROUPS, kind_of

# --- measures: vocabulary as data -------------------------------------------------------------------------

UnitType = str  # "money" | "percent" | "count" | "score"


@dataclass(frozen=True)
class Measure:
    """A column concept: its id, how answers name it, the column words that select it, the question words."""

    id: str
    name: str
    column_words: tuple[str, ...]
    question_words: tuple[str, ...]


# Order matters: the first concept whose column word a header contains wins (执行率 before 执行数).
MEASURES: tuple[Measure, ...] = (
    Measure("rate", "执行率", ("执行率",), ("预算执行率", "执行率", "完成率", "完成全年预算", "完成年初预算", "完成预算")),
    Measure("initial_budget", "年初预算数", ("年初预算",), ("年初预算",)),
    Measure("carry_start", "年初结转和结余", ("年初结转",), ("年初结转和结余", "年初结转结余", "年初结转", "上年结转")),
    Measure("carry_end", "年末结转和结余", ("年末结转",),
            ("年末结转和结余", "年末结转结余", "年底结转结余", "年末结转", "结转下年", "结转到下年", "年末结余", "年底结余", "还剩", "没用完", "没花完", "剩余",
             "没执行", "未执行", "未支付", "没支付", "没花", "结余了", "没用", "剩下")),
    Measure("target", "年初目标值", ("目标值",), ("目标值", "年初目标", "目标")),
    Measure("achieved", "实际完成值", ("完成值",), ("实际完成值", "完成值")),
    Measure("executed", "执行数", ("执行数",), ("执行数", "实际执行", "执行了")),
    Measure("budget", "全年预算数", ("全年预算", "预算数", "预算"), ("全年预算数", "全年预算", "调整后预算", "预算数", "预算")),
    Measure("basic", "基本支出", ("基本支出",), ("基本支出",)),
    Measure("project", "项目支出", ("项目支出",), ("项目支出", "用于项目", "花在项目上", "项目上")),
    Measure("actual", "决算数", ("决算数", "合计", "小计", "金额", "本年支出合计", "本年收入合计", "本年支出", "本年收入"),
            ("支出决算数", "决算数", "决算", "实际支出", "实际花", "花了", "花掉", "花出去", "花费", "花销", "用掉", "用去", "开支", "支出了", "用了")),
)
MEASURE_BY_ID = {m.id: m for m in MEASURES}
# Parts of a row's own total: "<row>的项目支出占比" divides by the same row's 决算数, not by its parent.
PART_MEASURES = ("basic", "project")
# Fund columns (财政拨款收入, 一般公共预算财政拨款, 事业收入…) keep their printed name as their measure id.
FUND_PREFIX = "fund:"

# A total row is named by its table: 合计 of the 支出决算表 is 本年支出合计.
TOTAL_NAMES: dict[str, tuple[str, ...]] = {
    "expenditure": ("本年支出合计", "本年支出", "支出合计", "支出总额", "总支出", "全年支出", "全部支出", "所有支出"),
    "income": ("本年收入合计", "本年收入", "收入合计", "收入总额", "总收入", "全年收入", "全部收入", "所有收入"),
    "general_budget_expenditure": ("一般公共预算财政拨款支出", "财政拨款支出合计", "财政拨款支出"),
    "government_fund": ("政府性基金预算财政拨款支出",),
    "state_capital": ("国有资本经营预算财政拨款支出",),
    "three_public": ("三公经费",),
}
# Rows one layout prints under another's name: the opening balance is "年初结转和结余" (武汉, 高等学校 2024) or
# "上年结转和结余" (高等学校 2023).
SAME_ROWS: tuple[tuple[str, ...], ...] = (("年初结转和结余", "上年结转和结余"),)
# A table whose 合计 row is another table's total read in a scope: the central format's 财政拨款支出决算表
# prints the 本年支出合计 of the 财政拨款 scope (asked as "财政拨款的基本支出", "财政拨款支出决算表的项目支出").
TOTAL_OF: dict[str, str] = {"fiscal_expenditure": "expenditure"}
# The 一般公共预算财政拨款 spending total: what a 财政拨款 scope, and budgets stated in its section, are read against.
FISCAL_TOTAL = TOTAL_NAMES["general_budget_expenditure"][0]
# The funds a question may name, each with its table's total row.
FUND_TOTALS = {"一般公共预算": FISCAL_TOTAL, "政府性基金": TOTAL_NAMES["government_fund"][0],
               "国有资本经营": TOTAL_NAMES["state_capital"][0]}
# Which table answers first when several hold the same entity × measure (the all-funds tables before the
# 财政拨款 ones; income last, since its rows repeat the expenditure classes).
# On a tie, the totals table, then the expenditure tables people ask about most, then income (by kind).
TABLE_PREFERENCE = (
    "income_expenditure_total", "expenditure", "general_budget_expenditure", "fiscal_expenditure", "fiscal_total", "income",
    "basic_expenditure_detail", "government_fund", "state_capital", "three_public",
)
KIND_ORDER = TABLE_PREFERENCE + ("overall_performance", "project_performance", "")


def _layout_scope_kinds(scope: str) -> tuple[str, ...]:
    """The tables a scope word names in the registered layouts ("财政拨款" is the central format's 表4)."""
    from index.layouts import layouts

    return tuple(k for layout in layouts() for k in layout.scope_kinds.get(scope, ()))


FISCAL_KINDS = ("general_budget_expenditure", "fiscal_total", "basic_expenditure_detail", "three_public") + _layout_scope_kinds("fiscal")
_TOTAL_ROWS = ("合计", "总计", "小计", "")
_GENERIC = set("项目 经费 支出 工作 建设 资金 单位 费用 情况 部门 年度 合计 收入 财政 拨款 预算 决算 本年 一般 公共 服务 管理".split())


# Tables whose name says what only they hold (a fund, 三公, the 基本支出 detail, 自评): named, no other table can be it.
_DISTINCT_KINDS = ("government_fund", "state_capital", "three_public", "basic_expenditure_detail",
                   "project_performance", "overall_performance")


def _bare_title(title: str) -> str:
    """A table's name without the words that decorate it ("决算", "明细"): "基本支出明细表" is 基本支出决算表."""
    return re.sub(r"决算|明细", "", title)


def _in_order(short: str, long: str) -> bool:
    """Whether short's characters appear in long in order ("收支总表" in "收入支出决算总表")."""
    chars = iter(long)
    return all(c in chars for c in short)


def in_scope(fact: Fact, scope: str) -> bool:
    """Whether a fact belongs to a scope a question names: 'fiscal' — a 财政拨款 table, or a figure stated in the
    财政拨款 section's sentences; 'income' — the 收入决算表."""
    if scope == "fiscal":
        return fact.table_kind in FISCAL_KINDS or (fact.source == "text" and "财政拨款" in fact.table)
    if scope == "income":
        return fact.table_kind == "income"
    return True


def unit_type(unit: str) -> UnitType:
    """money / percent / score / count, from a fact's unit."""
    if unit in ("万元", "元", "亿元"):
        return "money"
    if unit == "%":
        return "percent"
    if unit == "分":
        return "score"
    return "count"


def measure_named(text: str) -> str:
    """The measure some words name, most specific first ('年初预算' before '预算'), or ''."""
    return next((m.id for m in MEASURES if any(w in text for w in m.question_words)), "")


# Header words that only say "the figure of the column above" (本年支出 › 项目支出 › 小计, 事业收入 › 金额).
_SUBTOTAL_HEADERS = ("小计", "合计", "金额", "决算数")
_SIDE_HEADERS = ("收入", "支出", "项目", "收支")


def measure_of_column(column: str) -> str:
    """The measure a column header path selects: a concept id, or fund:<printed name> for any other column.

    The last segment names it ("本年支出 › 项目支出 › 其中：基本建设资金支出" → fund:基本建设资金支出), unless it only
    says "the total of the column above" (小计, 金额): then its parent does ("项目支出 › 小计" → project,
    "事业收入 › 金额" → fund:事业收入).
    """
    segments = [re.sub(r"[(（][^)）]*[)）]", "", clean_label(s)) for s in column.split(" › ") if s.strip()]
    segments = [re.sub(r"^其中[:：]?", "", s) for s in segments]
    if len(segments) >= 2 and segments[-1] in _SUBTOTAL_HEADERS and not _concept(segments[-2]) in ("", "actual"):
        segments = segments[:-1]
    elif len(segments) >= 2 and segments[-1] in _SUBTOTAL_HEADERS[:3] and _concept(segments[-2]) == "" and (
        segments[-2] not in _SIDE_HEADERS
    ):
        segments = segments[:-1]  # 事业收入 › 金额: the fund above (never the 收入 / 支出 side of a totals table)
    last = segments[-1] if segments else ""
    if not last:
        return "actual"
    return _concept(last) or FUND_PREFIX + last


def _concept(segment: str) -> str:
    for measure in MEASURES:
        if any(w in segment for w in measure.column_words):
            if measure.id == "budget" and "预算财政拨款" in segment:
                return ""  # 一般公共预算财政拨款 names a fund
            return measure.id
    return ""


# --- entities ---------------------------------------------------------------------------------------------


@dataclass
class Entity:
    """One row of the report as a reader names it, across the tables that print it."""

    key: str
    label: str
    code: str = ""
    classification: str = ""
    family: str = ""  # functional / economic / three_public / total / project / indicator / other
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    project: str = ""  # for a project's indicator rows

    @property
    def level(self) -> str:
        return {3: "类", 5: "款", 7: "项"}.get(len(self.code), "") if self.family == "functional" else ""


@dataclass
class ReportSchema:
    """Entities, measures and the cells that join them, for one report."""

    facts: ReportFacts
    entities: dict[str, Entity] = field(default_factory=dict)
    cells: dict[tuple[str, str], list[Fact]] = field(default_factory=dict)
    # Measures that only rename a printed column (基建支出, 项目支出中的基本建设资金支出): askable, never listed.
    alias_measures: set[str] = field(default_factory=set)

    @property
    def department(self) -> str:
        return self.facts.department

    @property
    def year(self) -> int | None:
        return self.facts.year

    def cell(self, key: str, measure: str, *, scope: str = "", table: str = "", tables: tuple[str, ...] = ()) -> Fact | None:
        """The fact for entity × measure: the scope's table first when the question names one, else `table`;
        only from `tables` when the question names the table to read."""
        facts = self.cells.get((key, measure), [])
        if tables:
            facts = [f for f in facts if f.table in tables]
        if not facts:
            return None
        if table and not scope:
            facts = sorted(facts, key=lambda f: f.table != table)
        # A scope the question names is where the figure must come from: a 财政拨款 figure is never the
        # all-funds table's, an income figure never the spending table's (no fallback to another table).
        if scope:
            facts = [f for f in facts if in_scope(f, scope)]
        return facts[0] if facts else None

    @cached_property
    def table_titles(self) -> dict[str, str]:
        """Each table's printed title, reduced to its words (no year, numbering or quotes) → the table's key."""
        out: dict[str, str] = {}
        for fact in self.facts.facts:
            if fact.source == "table" and fact.table not in out.values():
                title = re.sub(r"^[一二三四五六七八九十\d]+[、.．]|20\d{2}\s*年度?|[“”\"\s]|^表\s*\d+[:：]?|公开\d+表", "",
                               compact(fact.table_title or fact.table))
                out.setdefault(title, fact.table)
        return out

    def tables_named(self, phrase: str) -> tuple[str, ...]:
        """The table a question names ("支出决算表", "收支决算总表", "总表", "财政拨款那张表"), matched against the
        titles this report prints: the longest tail of the phrase whose characters appear in order in some title;
        of those titles, the ones containing it outright, else the shortest. () when no title fits."""
        words = re.sub(r"(这一行|那一行|这行)?(里头|里面|上面|当中|[里中内上,，])*$", "", compact(phrase)).replace("那张表", "表").replace("这张表", "表")
        words = re.sub(r"[“”\"]", "", words)
        titles = list(self.table_titles)
        kind = kind_of(words)
        words = _bare_title(words)
        if kind.id in _DISTINCT_KINDS:  # a table named by what only it holds: only a table of that kind can be it
            of_kind = {f.table for f in self.facts.facts if f.source == "table" and f.table_kind == kind.id}
            titles = [t for t in titles if self.table_titles[t] in of_kind]
            if not titles:
                return ()
        for start in range(0, max(len(words) - 1, 1)):
            tail = words[start:]
            fits = [t for t in titles if _in_order(tail, _bare_title(t))]
            if fits:
                exact = [t for t in fits if tail in _bare_title(t)]
                chosen = exact or fits
                shortest = min(len(t) for t in chosen)
                return tuple(self.table_titles[t] for t in chosen if len(t) == shortest)
        return ()

    @cached_property
    def lexicon(self) -> frozenset[str]:
        """The character pairs this report's own names use — rows and their aliases, table titles, the subjects and
        headings of its stated figures, measure words: what a question's unplaced words are checked against."""
        names = [a for e in self.entities.values() for a in e.aliases | {e.label}]
        names += list(self.table_titles) + [w for m in MEASURES for w in m.question_words]
        names += [f.row for f in self.facts.facts if f.source == "text"] + [f.table for f in self.facts.facts if f.source == "text"]
        pairs = set()
        for name in names:
            name = compact(name)
            pairs.update(name[i:i + 2] for i in range(len(name) - 1))
        return frozenset(p for p in pairs if re.fullmatch(r"[\u4e00-\u9fff]{2}", p))

    def measures_of(self, key: str) -> list[str]:
        return [m for (k, m) in self.cells if k == key and m not in self.alias_measures]

    @cached_property
    def alias_index(self) -> list[tuple[str, tuple[str, ...]]]:
        """(alias, entity keys) longest alias first, for scanning a question."""
        by_alias: dict[str, list[str]] = {}
        for entity in self.entities.values():
            for alias in entity.aliases:
                if len(alias) >= 2:
                    by_alias.setdefault(alias, []).append(entity.key)
        return sorted(((a, tuple(ks)) for a, ks in by_alias.items()), key=lambda p: -len(p[0]))

    def descendants(self, key: str) -> list[str]:
        out, stack = [], list(self.entities[key].children) if key in self.entities else []
        while stack:
            k = stack.pop(0)
            out.append(k)
            stack.extend(self.entities[k].children)
        return out

    @cached_property
    def by_label(self) -> dict[str, Entity]:
        """功能/经济分类 and total rows by their cleaned label (the first of a label printed twice), built once."""
        out: dict[str, Entity] = {}
        for entity in self.entities.values():
            if entity.family in ("functional", "economic", "total"):
                out.setdefault(clean_label(entity.label), entity)
        return out

    @cached_property
    def fund_columns(self) -> frozenset[str]:
        """The fund columns this report prints (事业收入, 财政拨款收入…), by name."""
        return frozenset(m[len(FUND_PREFIX):] for (_, m) in self.cells if m.startswith(FUND_PREFIX))

    def entity_of_row(self, row: str) -> Entity | None:
        """The tables' row a sentence's figure is about: the last level of "A(类)B(款)C(项)支出决算" (C), or, the levels
        unmarked ("A支出B事务C支出支出决算"), the longest row name the text ends with; None when no row is it."""
        path, item = row_item(row)
        entity = self.by_label.get(item) or self.by_label.get(item + "支出")
        if entity is None and not path:
            ends = [e for label, e in self.by_label.items()
                    if len(label) >= 4 and (item.endswith(compact(label)) or (item + "支出").endswith(compact(label)))]
            entity = max(ends, key=lambda e: len(compact(e.label)), default=None)
        return entity

    def rows_spelling(self, words: str) -> list[str]:
        """Rows whose name has every character of the longest piece of some words that any row spells, in order
        ("接手的结转结余" → "结转结余": 年初结转和结余 and 年末结转和结余): the rows a part of a name may mean."""
        words = compact(words)
        rows = [(key, compact(e.label)) for key, e in self.entities.items() if e.family not in ("indicator", "project")]
        for size in range(len(words), 2, -1):
            for start in range(len(words) - size + 1):
                piece = words[start:start + size]
                found = [key for key, label in rows if _in_order(piece, label)]
                if found:
                    return found
        return []

    def nearby(self, text: str, limit: int = 5) -> list[str]:
        """Entity labels that share the most characters with some text (for a 'not found' answer)."""
        words = {text[i : i + 2] for i in range(len(text) - 1)} - {"支出", "多少", "是多", "经费", "收入"}
        scored = []
        for entity in self.entities.values():
            if entity.family in ("indicator",) or entity.label in _TOTAL_ROWS:
                continue
            label = entity.label
            shared = sum(1 for w in words if w in label)
            if shared:
                scored.append((shared, label))
        scored.sort(key=lambda p: (-p[0], len(p[1])))
        seen: list[str] = []
        for _, label in scored:
            if label not in seen:
                seen.append(label)
        return seen[:limit]


_LEVELS = re.compile(r"([^()（）]+)[(（][类款项][)）]")
_ROW_TAIL = re.compile(r"(财政拨款|一般公共预算|年初|全年|调整后|预算数|预算|决算数|决算|支出|合计)+$")


def row_item(row: str) -> tuple[list[str], str]:
    """A sentence's row as the levels it passes through and the item its figure is about: "A(类)B(款)C(项)支出决算"
    → ([A, B, C], C); with the levels unmarked, ([], the row without its measure and scope words)."""
    text = compact(row)
    path = _LEVELS.findall(text)
    return path, path[-1] if path else _ROW_TAIL.sub("", text)


def build_schema(facts: ReportFacts) -> ReportSchema:
    """Entities and measures of one report from its table facts (and stated budgets of its 类 rows)."""
    schema = ReportSchema(facts=facts)
    by_label: dict[str, str] = {}  # a coded row's label → its key, for codeless rows naming the same class
    table_facts = sorted((f for f in facts.facts if f.source == "table"), key=lambda f: _kind_rank(f.table_kind))
    for fact in table_facts:  # coded rows first, so codeless rows can join them
        if fact.code and fact.table_kind not in ("project_performance", "overall_performance"):
            family = "economic" if fact.classification == "经济分类" or fact.code.startswith("3") else "functional"
            key = fact.code
            entity = _entity(schema, key, clean_label(fact.row), family)
            entity.code, entity.classification = fact.code, fact.classification
            by_label.setdefault((family, entity.label), key)
            _add(schema, key, measure_of_column(fact.column), fact)
    for fact in table_facts:
        if fact.code and fact.table_kind not in ("project_performance", "overall_performance"):
            continue
        key, measure = _place(schema, fact, by_label)
        if key:
            _add(schema, key, measure, fact)
    _column_aliases(schema)
    _link_parents(schema)
    _attach_stated(schema)
    for entity in schema.entities.values():
        entity.aliases |= _aliases(entity)
    _spending_aliases(schema)
    _project_aliases(schema)
    for cells in schema.cells.values():
        cells.sort(key=lambda f: _kind_rank(f.table_kind))
    return schema


def _column_aliases(schema: ReportSchema) -> None:
    """Other names of printed columns, from the layouts' vocabulary ("基建支出" for 基本建设资金支出): the same cells."""
    from index.layouts import layouts

    aliases: dict[str, set[str]] = {}
    for layout in layouts():
        for printed, names in layout.column_aliases.items():
            aliases.setdefault(re.sub(r"[(（][^)）]*[)）]", "", compact(printed)), set()).update(compact(n) for n in names)
    for (key, measure), facts in list(schema.cells.items()):
        if not measure.startswith(FUND_PREFIX):
            continue
        printed = measure.removeprefix(FUND_PREFIX)
        names = {printed} | aliases.get(printed, set())
        for name in names - {printed}:
            schema.cells.setdefault((key, FUND_PREFIX + name), list(facts))
            schema.alias_measures.add(FUND_PREFIX + name)
        # A sub-column is also named by its path: "项目支出中的基本建设资金支出" (本年支出 › 项目支出 › 其中：…).
        for fact in facts:
            parent = _parent_segment(fact.column)
            for name in names if parent else ():
                for joiner in _PATH_JOINERS:
                    schema.cells.setdefault((key, FUND_PREFIX + parent + joiner + name), [fact])
                    schema.alias_measures.add(FUND_PREFIX + parent + joiner + name)


# How a question joins a column to the column above it ("项目支出中的基本建设资金支出", "事业收入里的教育收费").
_PATH_JOINERS = ("中的", "里的", "当中的", "的", "中", "里")


def _parent_segment(column: str) -> str:
    """The printed column above a sub-column ("项目支出" over "其中：基本建设资金支出"), '' for a side heading."""
    segments = [re.sub(r"[(（][^)）]*[)）]", "", clean_label(s)) for s in column.split(" › ") if s.strip()]
    if len(segments) < 2 or not re.match(r"^其中", compact(column.split(" › ")[-1])):
        return ""
    parent = segments[-2]
    return "" if parent in _SIDE_HEADERS or parent in _SUBTOTAL_HEADERS else parent


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _entity(schema: ReportSchema, key: str, label: str, family: str) -> Entity:
    if key not in schema.entities:
        schema.entities[key] = Entity(key=key, label=label, family=family)
    return schema.entities[key]


def _add(schema: ReportSchema, key: str, measure: str, fact: Fact) -> None:
    cells = schema.cells.setdefault((key, measure), [])
    if all(f.table != fact.table for f in cells):  # one cell per table (a repeated header keeps the first)
        cells.append(fact)


def _place(schema: ReportSchema, fact: Fact, by_label: dict) -> tuple[str, str]:
    """Which entity and measure a codeless table fact belongs to."""
    kind = fact.table_kind
    row = clean_label(fact.row)
    measure = measure_of_column(fact.column)
    if kind == "project_performance":
        project = schema.facts.projects.get(fact.table, "")
        if not project:
            return "", ""
        if "资金总额" in row or row.endswith("总额"):
            _entity(schema, "p:" + project, project, "project")
            return "p:" + project, measure
        key = f"i:{project}:{row}"
        entity = _entity(schema, key, row, "indicator")
        entity.project, entity.parent = project, "p:" + project
        return key, measure
    if kind == "three_public":
        return _three_public(schema, fact)
    if kind == "overall_performance":
        _entity(schema, "o:" + row, row, "other")
        return "o:" + row, measure
    if row in _TOTAL_ROWS or row in ("人员经费合计", "公用经费合计"):
        if row in ("人员经费合计", "公用经费合计"):
            _entity(schema, row, row, "economic")
            return row, "actual"
        side = fact.column.split(" › ")[0]
        if row == "总计" or (row == "合计" and kind in ("income_expenditure_total", "fiscal_total")):
            # the balanced totals of the 收入支出决算总表: "总计" (武汉), "合计" (高等学校 表1)
            key = ("收入" if "收入" in side else "支出") + "总计"
            _entity(schema, key, key, "total")
            return key, "actual"
        names = TOTAL_NAMES.get(TOTAL_OF.get(kind, kind))
        if not names:
            return "", ""
        _entity(schema, names[0], names[0], "total")
        return names[0], measure
    for family in ("functional", "economic"):
        key = by_label.get((family, row))
        if key:
            return key, measure
    for names in TOTAL_NAMES.values():
        if row == names[0]:
            _entity(schema, row, row, "total")
            return row, measure
    if kind in ("income_expenditure_total", "fiscal_total") and fact.column.startswith("收入") and "收入" not in row and "结转" not in row \
            and "结余" not in row:  # "使用非财政拨款结余(含专用结余)" is a balance used, not an income
        row += "收入"  # 财政拨款收入支出决算总表 prints "一般公共预算财政拨款" on its income side
    _entity(schema, row, row, "other")
    return row, measure


def _three_public(schema: ReportSchema, fact: Fact) -> tuple[str, str]:
    """三公 tables print their items as columns: 预算数 › 公务用车购置及运行费 › 公务用车运行费."""
    segments = [clean_label(s) for s in fact.column.split(" › ") if s.strip()]
    # The measure is the last segment when it is one (… › 合计 › 预算数), else the segment that names it (预算数 › …).
    last = measure_of_column(segments[-1]) if segments else "actual"
    measure = last if last in ("budget", "actual") and segments[-1] not in ("合计", "小计") else next(
        (measure_of_column(s) for s in segments if s not in ("合计", "小计") and measure_of_column(s) in ("budget", "actual")), "actual")
    names = [s for s in segments if measure_of_column(s) not in ("budget", "actual") and "三公" not in s]
    row = clean_label(fact.row)
    total = TOTAL_NAMES["three_public"][0]
    _entity(schema, total, total, "three_public")
    if not names and "三公" not in row and row not in _TOTAL_ROWS:
        names = [row]  # a layout that prints the items as rows
    if not names:
        return total, measure
    item = names[-1]
    if item in ("小计", "合计") and len(names) >= 2:
        item = names[-2]
    elif item in ("小计", "合计"):
        return total, measure
    entity = _entity(schema, item, item, "three_public")
    parent = names[-2] if len(names) >= 2 and names[-2] not in ("小计", "合计") and names[-2] != item else total
    entity.parent = parent
    if parent != total:
        _entity(schema, parent, parent, "three_public").parent = total
    return item, measure


def _link_parents(schema: ReportSchema) -> None:
    """合计 › 类 › 款 › 项 by code prefix; 人员经费合计 › 301 › 30101; projects › indicators."""
    entities = schema.entities
    for entity in entities.values():
        if entity.parent is not None:
            continue
        if entity.code:
            for size in (5, 3):
                if len(entity.code) > size and entity.code[:size] in entities:
                    entity.parent = entity.code[:size]
                    break
            else:
                if entity.family == "functional" and "本年支出合计" in entities:
                    entity.parent = "本年支出合计"
                elif entity.family == "economic":
                    columns = {f.column.split(" › ")[0] for f in schema.cells.get((entity.key, "actual"), [])}
                    group = next((c + "合计" for c in columns if c + "合计" in entities), None)
                    if group is None and len(entity.code) == 3:  # a layout without 人员/公用 columns: by class code
                        group = next((g + "合计" for g, codes in ECONOMIC_GROUPS.items()
                                      if entity.code in codes and g + "合计" in entities), None)
                    entity.parent = group
    for entity in entities.values():
        if entity.parent and entity.parent in entities and entity.key not in entities[entity.parent].children:
            entities[entity.parent].children.append(entity.key)


_STATED_MEASURE = (("rate", ("完成年初预算的", "完成全年预算的", "完成预算的")), ("initial_budget", ("年初预算",)), ("budget", ("全年预算", "调整预算")), ("actual", ("支出决算",)))


def _attach_stated(schema: ReportSchema) -> None:
    """'一般公共服务支出(类) 年初预算为 680.17 万元，全年预算数 845.44 万元': stated budgets of a row."""
    labels = {e.label: e.key for e in schema.entities.values() if e.family in ("functional", "total")}
    for fact in schema.facts.facts:
        if fact.source != "text" or unit_type(fact.unit) not in ("money", "percent"):
            continue
        row = compact(fact.row)
        measure = next((m for m, words in _STATED_MEASURE if any(row.endswith(w) or row.endswith(w + "数") for w in words)), None)
        if measure is None or (measure == "rate") != (fact.unit == "%"):
            continue
        path = _LEVEL_PATH.findall(row)
        if path:  # "城乡社区支出(类)城乡社区规划与管理(款)城乡社区规划与管理(项)年初预算" (Shanghai layout)
            key = _by_path(schema, path)
            if key and (key, measure) not in schema.cells:
                schema.cells[(key, measure)] = [fact]
            continue
        subject = re.sub(r"^\d{4}年度?|^[\d.、]+", "", row)
        for _, words in _STATED_MEASURE:
            for w in words:
                subject = subject.removesuffix(w + "数").removesuffix(w)
        if len(clean_label(subject)) < 2:
            subject = fact.table.split("›")[-1]  # the heading names the row: "1. 一般公共服务支出(类)"
        name = clean_label(re.sub(r"^[\d.、\s]+", "", compact(subject)))
        key = labels.get(name) or labels.get(name.replace("支出", "") + "支出")
        if key and (key, measure) not in schema.cells:
            schema.cells[(key, measure)] = [fact]


_LEVEL_PATH = re.compile(r"([^()（）]+)[(（](类|款|项)[)）]")


def _by_path(schema: ReportSchema, path: list[tuple[str, str]]) -> str | None:
    """The functional row a 类 › 款 › 项 path of labels names, each step among the children of the last."""
    candidates = [e for e in schema.entities.values() if e.family == "functional" and not e.parent or e.parent == "本年支出合计"]
    key = None
    for label, level in path:
        name = clean_label(label)
        pool = [schema.entities[k] for k in schema.entities[key].children] if key else candidates
        found = [e for e in pool if e.level == level and clean_label(e.label) in (name, name + "支出", name.removesuffix("支出"))]
        if len(found) != 1:
            return _by_label(schema, *path[-1])
        key = found[0].key
    return key


def _by_label(schema: ReportSchema, label: str, level: str) -> str | None:
    """The one functional row with this label at this level (a path may misname a parent), or None."""
    name = clean_label(label)
    found = [e.key for e in schema.entities.values() if e.family == "functional" and e.level == level and clean_label(e.label) == name]
    return found[0] if len(found) == 1 else None


def _aliases(entity: Entity) -> set[str]:
    """How a question may name a row: its label, without a trailing 支出, its code, a total's other names."""
    label = entity.label
    out = {label}
    printed = re.sub(r"^其中[:：]", "", label)  # "其中:捐赠收入" is a row of its own, asked as "捐赠收入"
    if printed != label and len(printed) >= 2:
        out.add(printed)
        label = printed
    if entity.family == "other" and "(" in label:
        plain = re.sub(r"[(（][^)）]*[)）]", "", label)  # "使用非财政拨款结余(含专用结余)" → "使用非财政拨款结余"
        if len(plain) >= 4:
            out.add(plain)
    if entity.family in ("functional", "economic", "three_public"):
        if label.endswith("支出") and len(label) >= 6:
            out.add(label[:-2])
        elif entity.family in ("functional", "economic") and not label.endswith(("支出", "费")) and len(label) >= 2:
            out.add(label + "支出")  # "高中教育支出" is the row 高中教育 (not 教育支出 with 高中 left over)
        plain = re.sub(r"[(（][^)）]*[)）]", "", label)
        if plain != label and len(plain) >= 3:
            out.add(plain)
        if entity.family == "economic" and label.endswith("缴费") and len(label) >= 6:
            out.add(label[:-2])  # "公务员医疗补助缴费" is what "公务员医疗补助" names in the 经济分类 too
        elif entity.family == "economic" and label.endswith("费") and len(label) >= 3 and "(" not in label:
            out.add(label[:-1])  # "花在培训上的钱": 培训费; "差旅", "印刷", "会议"
        funded = re.sub(r"安排的(支出)?$", "", label)  # "彩票公益金安排的支出" is what 彩票公益金 paid for
        if funded != label and len(funded) >= 3:
            out.add(funded)
    if entity.code and len(entity.code) >= 3:
        out.add(entity.code)
    for names in TOTAL_NAMES.values():
        if label == names[0]:
            out.update(names)
    for names in SAME_ROWS:  # one row printed under different names by different layouts
        if label in names:
            out.update(names)
    if label in ("收入总计", "支出总计"):  # the balanced totals of the 收入支出决算总表 are one figure
        out.update(("收支总计", "收入支出总计", "收支总额"))
    if label in ("人员经费合计", "公用经费合计"):
        out.add(label.removesuffix("合计"))
    if entity.family == "three_public":
        out.add(label.replace("维护", ""))
        if label == TOTAL_NAMES["three_public"][0]:
            out.add("三公")  # "三公那块花了多少"
    if label in ("收入总计", "支出总计"):
        out.add("总计")  # the 总表's balanced 总计 (one figure on both sides)
    if entity.family == "indicator":
        return {label} if len(label) >= 4 else set()
    return out


def _spending_aliases(schema: ReportSchema) -> None:
    """"高中教育支出" names the 功能分类 row 高中教育 (no other row is printed with that name), never 教育支出."""
    labels: dict[str, int] = {}
    for e in schema.entities.values():
        labels[clean_label(e.label)] = labels.get(clean_label(e.label), 0) + 1
    for entity in schema.entities.values():
        if entity.family == "functional" and not entity.label.endswith("支出") and len(entity.label) >= 2:
            spoken = entity.label + "支出"
            # Only a name no other row shares (住房公积金 is a 功能分类 and a 经济分类 row: both stay readings).
            if spoken not in labels and labels.get(clean_label(entity.label), 0) == 1:
                entity.aliases.add(spoken)


def _project_aliases(schema: ReportSchema) -> None:
    """A project is named by any distinctive part of its name (政企云 → 政企云沟通畅联平台建设经费)."""
    projects = [e for e in schema.entities.values() if e.family == "project"]
    others = [e for e in schema.entities.values() if e.family != "project"]
    counts: dict[str, int] = {}
    pieces: dict[str, set[str]] = {}
    for entity in projects:
        name = compact(entity.label)
        subs = {name[i:j] for i in range(len(name)) for j in range(i + 3, len(name) + 1)}
        subs = {s for s in subs if not any(g in s and len(s) <= len(g) + 1 for g in _GENERIC) and not _only_generic(s)}
        pieces[entity.key] = subs
        for s in subs:
            counts[s] = counts.get(s, 0) + 1
    for entity in projects:
        labels = [e.label for e in others if e.project != entity.label]  # its own indicators may repeat its name
        entity.aliases |= {s for s in pieces[entity.key] if counts[s] == 1 and not any(s in label for label in labels)}


def _only_generic(text: str) -> bool:
    rest = text
    for g in _GENERIC:
        rest = rest.replace(g, "")
    return len(rest) < 2


def value_in_wanyuan(fact: Fact) -> float:
    return to_wanyuan(fact.value, fact.unit)
