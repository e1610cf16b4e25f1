"""Question → Query: which rows (entities), which measure, what operation, over which scope and years.

`parse(question, schema)` reads one question on its own; `conversation.carry_over` then fills the slots it
left open from earlier turns. Nothing here computes a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.lookup import _department_aliases, asked_unit, common_substrings
from assistant.schema import FISCAL_TOTAL, FUND_PREFIX, FUND_TOTALS, MEASURES, ReportSchema
from index.normalize import compact, normalize
from assistant.wording import (
    AFTER,
    ALL_PROJECTS,
    BOTH,
    CHANGE,
    CHANGE_BASE,
    CHANGE_PERCENT,
    CHANGE_WORDS,
    CN_DIGITS,
    CN_NUMBER,
    CN_UNITS,
    COLLOQUIAL,
    COMPARISONS,
    COMPLETION,
    DIFFERENCE,
    DRILL,
    EQUALS,
    EXTREME,
    FILTER,
    FISCAL_SCOPE,
    FOLLOW_UP,
    FUND_BEFORE,
    FUND_WORDS,
    INCOME_TOTAL,
    LEVEL_ASKED,
    LEVEL_MARK,
    LIST,
    LOWEST,
    NOISE,
    NOT_ROWS,
    NTH,
    ORGANISATION,
    OWN_BASE,
    PAYING_WORDS,
    PLACE,
    PRIOR,
    QUALIFIES,
    RANK,
    RATIO,
    READERS_LAST_YEAR,
    REFER,
    ROWS_NAMED,
    SHARE,
    SPEND_TOTAL,
    SUM,
    TABLE_NAME,
    TABLE_WORDS,
    TOP,
    TOTAL_BACK,
    WHOLE_BEFORE,
    WHOLE_FIRST,
    YEARS,
)

Operation = str  # value | share | difference | ratio | sum | rate | rank | filter | change | prior | years | unsupported



@dataclass(frozen=True)
class Mention:
    """A span of the question that names a row: the alias and every entity it may be."""

    text: str
    start: int
    keys: tuple[str, ...]
    after_share_word: bool = False  # named after 占 (the whole of a share)


@dataclass(frozen=True)
class Query:
    """A question as a plan: subjects, measures, operation, scope, years, and the slots left open."""

    question: str
    subjects: tuple[Mention, ...] = ()
    measures: tuple[str, ...] = ()  # measure ids in the order named; () = open
    operation: Operation = "value"
    scope: str = ""  # "fiscal" when the question names 财政拨款
    denominator: Mention | None = None  # the whole of a share, when named
    whole_measure: str = ""  # the whole's measure, when named after 占 ("占基本支出的比重")
    asked_unit: str = ""  # the unit the question's wording expects (几辆 → 辆, 比例 → %)
    years: tuple[int, ...] = ()
    tables: tuple[str, ...] = ()  # the table the question names ("支出决算表里…"): read only there
    table_named: str = ""  # the words naming it, as asked (a table this report lacks leaves `tables` empty)
    direction: str = ""  # 多 / 少 for a difference
    follow_up: bool = False  # reads as leaning on an earlier turn ("那…呢", "其中…", "它…", or very short)
    follow_form: bool = False  # worded as a follow-up ("那…呢", "其中…"), not just short
    drill_down: bool = False  # "其中X": X is a part of the last subject
    refers_back: str = ""  # "both" (两者), "it" (它); "unplaced"/"lacks": a follow-up with nothing to lean on
    group: tuple[str, ...] = ()  # the rows a rank, total or filter ranges over ("所有项目", "三公经费中哪项")
    group_name: str = ""  # how the answer names that group
    extreme: str = ""  # "max" / "min" for a rank
    limit: int = 0  # "前三": how many of the ranked rows the question asks for
    position: int = 0  # "第二高": the place asked for (1 = the top)
    leftover: str = ""  # content words the plan did not account for
    ignored: str = ""  # words the plan set aside as naming nothing in the report ("细分一下"): they may still point back
    carried: tuple[str, ...] = field(default=())  # slots filled from the conversation

    @property
    def open_slots(self) -> tuple[str, ...]:
        out = []
        if not self.subjects:
            out.append("subject")
        if not self.measures:
            out.append("measure")
        return tuple(out)

    def with_(self, **changes) -> "Query":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "subjects": [{"text": m.text, "start": m.start, "keys": list(m.keys)} for m in self.subjects],
            "measures": list(self.measures),
            "operation": self.operation,
            "scope": self.scope,
            "denominator": {"text": self.denominator.text, "keys": list(self.denominator.keys)} if self.denominator else None,
            "years": list(self.years),
            "tables": list(self.tables),
            "table_named": self.table_named,
            "open": list(self.open_slots),
            "carried": list(self.carried),
            "leftover": self.leftover,
            "group": self.group_name,
            "extreme": self.extreme,
        }


def parse(question: str, schema: ReportSchema) -> Query:
    """One question, on its own, as a Query against the report's schema."""
    q = _last_year_as_base(compact(normalize(question or "")), schema.year)
    years = tuple(sorted({int(y) for y in re.findall(r"(20\d{2})\s*年", q)}))
    text = re.sub(r"20\d{2}\s*年度?", "", q)
    if schema.department:
        for alias in _department_aliases(schema.department):
            text = text.replace(alias, "")
        text = text.replace(_abbreviation(text, schema.department), "", 1) if _abbreviation(text, schema.department) else text
        for place in place_names(schema.department):
            text = text.replace(place, "")
    text = text.replace("收、支", "收支")  # "收、支总计", as the reports write the balanced total
    table = TABLE_NAME.search(text)
    tables: tuple[str, ...] = ()
    if table:  # "支出决算表里…", "一般公共预算财政拨款支出决算表中": a table's name, not a measure — where to read
        fiscal_table = "财政拨款" in table.group()
        tables = schema.tables_named(table.group())
        text = text[: table.start()] + ("财政拨款" if fiscal_table else "") + text[table.end() :]
    levels = {m.start(): m.group(1) for m in LEVEL_MARK.finditer(text)}
    text = LEVEL_MARK.sub(lambda m: " " * len(m.group()), text)  # positions kept: a mark narrows the row before it
    # the unit itself, opening the question or its clause after a lead-in ("核实一个数：学校这一年的总支出…")
    text = re.sub(r"(^|[：:，,])(局里|单位|本单位|我局|本部门|部门|中心|我中心|该单位|学校|本校|我校|全校|学院)", r"\1", text)
    text = READERS_LAST_YEAR.sub("", text)
    follow_form = bool(FOLLOW_UP.search(text))
    follow_up = follow_form or len(NOISE.sub("", text)) <= 6
    drill = bool(DRILL.match(text))
    refer = "both" if BOTH.search(text) else "it" if REFER.match(text) else ""
    share_at = _share_position(text)
    measure_spans = _measure_spans(text, schema)
    mentions, _ = _mentions(text, schema, share_at, measure_spans)
    mentions = [_at_level(m, levels, schema) for m in mentions]
    mentions = _totals_as_columns(text, mentions, schema)
    if len([m for m in mentions if not m.after_share_word]) > 1:
        # '年初结转和结余', '事业收入', '预算执行率' are rows and measure words: beside another row, the measure
        # (the whole of a share is not beside it: '事业收入在本年收入中占多大比重').
        words = {text[s:e] for s, _, e in measure_spans}
        mentions = [m for m in mentions if m.text not in words] or mentions
    mentions = _fund_total(text, mentions, measure_spans, schema)
    mentions = _whole_first(text, mentions)
    rest = _blank(text, mentions)
    measures, rest = _measures(rest, schema)
    if ALL_PROJECTS.search(text) or RANK.search(text) or is_filter(text):
        # "这7个项目总体预算执行率", "哪个项目执行率最低", "预算执行率达到100%的项目": over a group, a measure word
        # names the measure, not the one row of the same name (整体绩效's 预算执行率).
        named = {text[s:e]: m for s, m, e in measure_spans}
        measures = list(dict.fromkeys([named[m.text] for m in mentions if m.text in named] + measures))
        mentions = [m for m in mentions if m.text not in named]
    whole_measures = tuple(dict.fromkeys(m for start, m, _ in sorted(measure_spans) if 0 <= share_at <= start and m in measures))
    scope = "fiscal" if FISCAL_SCOPE.search(text) and not any("财政拨款" in m.text for m in mentions) else ""
    if not scope and "收入" in _blank(text, mentions) and mentions and all(
            schema.entities[k].family == "functional" for m in mentions for k in m.keys):
        scope = "income"  # "彩票公益金收入": the 收入决算表's row, not the 支出决算表's
    operation = _operation(_blank(text, mentions), mentions, measures, refer)  # "三公经费变动率" names a row, no change
    denominator = None
    if operation == "share":
        wholes = [m for m in mentions if m.after_share_word]
        if wholes:
            denominator = wholes[0]
            mentions = [m for m in mentions if not m.after_share_word]
    if not mentions and measures in ([], ["actual"]) and operation in ("value", "share"):
        bare = NOISE.sub("", text)
        bare = bare.replace("钱", "")
        if SPEND_TOTAL.match(bare):
            mentions = [Mention("支出", 0, ("本年支出合计",))] if "本年支出合计" in schema.entities else []
            rest = ""
        elif INCOME_TOTAL.match(bare):
            mentions = [Mention("收入", 0, ("本年收入合计",))] if "本年收入合计" in schema.entities else []
            rest = ""
    if scope == "fiscal" and "一般公共预算" in q and FISCAL_TOTAL in schema.entities:
        # "一般公共预算拨款全年支出": that fund's total, not all 财政拨款 (the 财政拨款总表's 本年支出合计)
        mentions = [Mention(m.text, m.start, (FISCAL_TOTAL,), m.after_share_word) if m.keys == ("本年支出合计",) else m
                    for m in mentions]
    direction = ""
    m = DIFFERENCE.search(text)
    if m:
        word = m.group(1) or ""
        direction = "少" if word in ("少", "低", "减少", "节约") else "多"
    leftover = NOISE.sub("", rest)
    leftover = TABLE_WORDS.sub("", leftover)
    if mentions:
        leftover = FUND_WORDS.sub("", leftover)  # "政府性基金（彩票公益金）支出": the fund glosses the row named
    leftover = PAYING_WORDS.sub("", leftover)
    if scope == "income":
        leftover = leftover.replace("收入", "")
    if scope == "fiscal":  # the scope the question names, read as the scope
        leftover = re.sub(r"财政拨款|一般公共预算|财政资金|拨款", "", leftover)
    if any(schema.entities[k].family in ("project", "indicator") for m in mentions for k in m.keys) or ALL_PROJECTS.search(text):
        leftover = leftover.replace("项目", "")  # "政企云项目": the word a project's name is said with
    ignored = "".join(piece for piece in leftover.split()
                      if _LEFTOVER_WORDS.sub("", piece) and not names_something(piece, schema))  # "细分一下", "掏了"
    leftover = " ".join(piece for piece in leftover.split()
                        if names_something(piece, schema) and _LEFTOVER_WORDS.sub("", piece))
    leftover = _LEFTOVER_WORDS.sub("", leftover)
    mentions = _within_containers(mentions, schema, text)
    mentions = _named_twice(mentions, text)
    mentions = _unique(mentions)
    if len(mentions) == 1 and len(leftover) >= 2 and all(schema.entities[k].family == "project" for k in mentions[0].keys):
        indicator = _indicator_by_words(mentions[0], leftover, schema)  # "政府购岗购买了几个岗位"
        if indicator is not None:
            mentions, leftover = [indicator], ""
    if operation == "difference" and len(mentions) == 1 and len(leftover) >= 2:
        other = _elliptic_row(mentions[0], leftover, schema)  # "年末结转和结余比年初少了多少"
        if other is not None:
            mentions, leftover = mentions + [other], ""
    if scope == "fiscal" and tables and not any(m.startswith(FUND_PREFIX) for m in measures):
        # "收入表里住房改革的财政拨款那一栏": in a table named, the scope word is that table's column of the same name
        column = next((mid for (_, mid), facts in schema.cells.items() if mid.startswith(FUND_PREFIX) and "财政拨款" in mid
                       and any(f.table in tables for f in facts)), "")
        if column:
            measures, scope = [column] + [m for m in measures if m != "actual"], ""
    funds = [m for m in measures if m.startswith(FUND_PREFIX)]
    if funds and len(funds) < len(measures):
        # "一般公共预算财政拨款全年预算数": the fund names the scope, the other word the measure.
        measures = [m for m in measures if m not in funds]
        scope = "fiscal" if any("财政拨款" in f for f in funds) else scope
    if operation == "share" and whole_measures:
        plain = [m for m in whole_measures if not m.startswith(FUND_PREFIX)]
        whole_measures = tuple(plain) or whole_measures
        own = [m for start, m, _ in sorted(measure_spans) if start < share_at and m in measures and m not in whole_measures]
        same = [m for start, m, _ in sorted(measure_spans) if start < share_at and m in whole_measures]
        measures = own + [m for m in measures if m not in whole_measures and m not in own] + list(whole_measures)
        if same and not own:
            measures = [same[0]] + list(whole_measures)  # "A的基本支出占B基本支出": the part named in the same column
        elif not [m for m in measures if m not in whole_measures]:
            # "它占城乡社区支出项目支出的比例": a part with no measure of its own is read in the whole's column
            measures = [whole_measures[0] if denominator is not None else "actual"] + list(whole_measures)
    if operation == "share" and TOTAL_BACK.match(text):
        # "合计占项目支出的比例", "这两项合计占…": the total of earlier figures is the part
        refer = "total"
        mentions = [m for m in mentions if m.after_share_word]
    if refer == "both" and len(_unique(mentions)) >= 2:
        refer = ""  # "A、B这两项合计", "A和B两个项目": the rows named, not two earlier answers
    group, group_name = (), ""
    if operation in ("rank", "filter") or (operation in ("sum", "rate") and ALL_PROJECTS.search(text)):
        group, group_name, mentions = _group(text, mentions, schema, operation)
        if group and operation in ("sum", "rate") and not ALL_PROJECTS.search(text):
            group, group_name = (), ""
    return Query(
        question=question, subjects=tuple(_unique(mentions)), measures=tuple(measures), operation=operation, scope=scope,
        whole_measure=whole_measures[0] if operation == "share" and whole_measures else "",
        asked_unit=asked_unit(text) or ("%" if operation == "change" and asks_percent_change(text) else ""),
        denominator=denominator, years=years, tables=tables, table_named=table.group() if table else "",
        direction=direction, follow_up=follow_up, drill_down=drill,
        follow_form=follow_form,
        refers_back=refer, leftover=leftover, ignored=ignored, group=group, group_name=group_name,
        extreme=("min" if LOWEST.search(text) else "max") if operation == "rank" else "",
        limit=_limit(text) if operation == "rank" else 0,
        position=_position(_blank(text, mentions)) if operation == "rank" else 0,  # not "第二砖瓦厂"
    )


# Words of a question that say how to compute or where to look, not what: left over, they name nothing.
_LEFTOVER_WORDS = re.compile(r"\s+|(百分之几|百分之多少|里面|之中|当中|增加|减少|增长|下降|超出|超支|节约|几个百分点|百分点|几倍|多少倍|倍|相当于|那个|这个|那些|这些|还有|还|所占|多大|百分之|百分比|其中|那么|那|它|其|这个|该项|该|两者|二者|它们|合计|加起来|合起来|加在一起|相加|之和|总和|共计|加总|汇总|一共|总共|比例|在|比重|占|多|少|相差|差额|比|和|与|及|、|实际|支出|花|钱|万元|元|百分之几|百分比|几成|科目|这一项|这项|项(?!目)|类|款|有|是|多大|百分之多少|里|中|当中|情况|金额|数|总额|年度|本年|全年|今年|去年|上|当年|完成|预算|执行|率)")
# A piece of a question names something when it has a unit's or a place's word, a number, a concept a report may
# lack, or characters a report's own rows, tables and sentences use together (its bigrams); else it names nothing.
_NAMES_A_UNIT = re.compile(r"委员会|办公室|办事处|中心|大学|学院|学校|街道|支部|大队|中队|科室|处室|[局委厅院所站队馆署省市区县镇乡村]")
_DOMAIN_NOUNS = re.compile(r"人口|编制|中标|人数|面积|职工|人员|员工|资产|房屋|土地|车辆|工程|合同|供应商|工资|补贴|津贴|"
                           r"明年|后年|前年|下一?年|来年|往年|历年|今后|未来|季度|月份|上半年|下半年|[一二三四五六七八九十\d]+月")  # a time


def names_something(piece: str, schema: ReportSchema) -> bool:
    """Whether words no row, measure or operation accounted for still name something (then the question cannot be
    answered as asked) or are everyday words that name nothing ("掏了", "拢共"), to be ignored."""
    piece = compact(piece)
    if len(piece) < 2:
        return bool(re.search(r"\d", piece))
    if re.search(r"\d", piece) or _NAMES_A_UNIT.search(piece) or _DOMAIN_NOUNS.search(piece):
        return True
    return any(piece[i:i + 2] in schema.lexicon for i in range(len(piece) - 1))


def place_names(department: str) -> tuple[str, ...]:
    """The places in a department's name, alone and joined: 上海市普陀区规划和自然资源局 → 上海市普陀区, 上海市,
    普陀区. A question may name the department by its district ("普陀区规划资源局") and that names no row."""
    places: list[str] = []
    rest = department
    while True:
        m = PLACE.match(rest)
        if not m or len(m.group()) > 8 or len(m.group()) < 2:
            break
        places.append(m.group())
        rest = rest[m.end():]
    joined = ["".join(places[:i]) for i in range(len(places), 1, -1)]
    bare = [p[:-1] for p in places if p[-1] in "市区县" and len(p) >= 3]  # "普陀规划资源局", "汉阳区…" said as "汉阳…"
    return tuple(joined + sorted(places, key=len, reverse=True) + bare)


_COUNT_WORDS = re.compile(r"几[个位名人条家台项次辆件场套]?|多少[个位名人条家台项次辆件场套]?|人次|数量")


def _indicator_by_words(project: Mention, leftover: str, schema: ReportSchema) -> Mention | None:
    """'<项目>购买了几个岗位' → its indicator '购买岗位人员数量': of the project's 自评表 rows, the one whose label
    covers at least half of the words the question has left (and more of them than any other row)."""
    words = _COUNT_WORDS.sub("", leftover)
    if len(words) < 2:
        return None
    scored = sorted(
        ((sum(len(p) for p in common_substrings(words, schema.entities[child].label)), child)
         for key in project.keys for child in schema.entities[key].children),
        reverse=True,
    )
    if not scored or scored[0][0] * 2 < len(words) or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return Mention(project.text, project.start, (scored[0][1],))


def _elliptic_row(named: Mention, word: str, schema: ReportSchema) -> Mention | None:
    """'年末结转和结余比年初…': a comparison that names the second row by the word that differs (年初 for 年末),
    the rest of the name understood from the first. The row must exist under that name."""
    for key in named.keys:
        label = schema.entities[key].label
        if len(label) > len(word):
            guess = word + label[len(word):]
            keys = tuple(k for k, e in schema.entities.items() if e.label == guess and k != key)
            if keys:
                return Mention(word, -1, keys)
    return None


def _position(text: str) -> int:
    """'第二高' → 2, '倒数第三' → 3 (counted from the low end: see LOWEST); 0 when no place is named."""
    return _ordinal(NTH.search(text))


def _limit(text: str) -> int:
    """'前三', '前5': how many ranked rows are asked for (0: the top one, with the whole order)."""
    return _ordinal(TOP.search(text))


def _ordinal(m: re.Match | None) -> int:
    """The number a match's first group writes ('三' or '3'), or 0 without a match."""
    if not m:
        return 0
    word = m.group(1)
    return int(word) if word.isdigit() else "一二三四五六七八九十".index(word) + 1


def _group(text: str, mentions: list[Mention], schema: ReportSchema, operation: Operation) -> tuple[tuple[str, ...], str, list[Mention]]:
    """The rows a rank, a filter or a total over "all projects" ranges over, its name, and the mentions left.

    The projects ("哪个项目", "所有项目"); the parts of a row named as a container ("三公经费中哪项最多",
    "工资福利支出里哪一项最大"); the rows named ("A、B、C哪个最多"); the 类 or 款 asked for ("哪一类支出最多"); else the 类 of the spending."""
    entities = schema.entities
    if operation == "filter":
        return _filter_group(text, mentions, schema)
    if ALL_PROJECTS.search(text) or ("项目" in text and not mentions):
        keys = tuple(k for k, e in entities.items() if e.family == "project")
        if keys:
            return keys, "项目", [m for m in mentions if not all(entities[k].family == "project" for k in m.keys)]
    if len(mentions) >= 2 and operation == "rank":  # "住房保障支出、卫生健康支出哪个多": the rows named
        return tuple(m.keys[0] for m in mentions), "所列", []
    containers = [m for m in mentions if len(m.keys) == 1 and entities[m.keys[0]].children]
    if containers and operation == "rank":
        parent = containers[0]
        keys = tuple(entities[parent.keys[0]].children)
        if all(entities[k].family == "economic" and len(entities[k].code) == 3 for k in keys):
            # "公用经费明细里哪一项最多": 公用经费 › 302 › 30201…; its items are the rows under its classes
            keys = tuple(k for c in keys for k in (entities[c].children or [c]))
        return keys, entities[parent.keys[0]].label, [m for m in mentions if m is not parent]
    if "经济分类" in text:  # "基本支出里哪一项经济分类最多": the 经济分类 classes (301, 302, …)
        keys = tuple(k for k, e in entities.items() if e.family == "economic" and len(e.code) == 3)
        if keys:
            return keys, "经济分类", mentions
    level = LEVEL_ASKED.search(text)
    size = 5 if level and "款" in level.group() else 3
    keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == size)
    return keys, "类" if size == 3 else "款", mentions


# The rows a filter names: 项目 (not 项目支出, a measure); a 功能分类 level ("项级科目", "哪些款", "的类"; not 拨款,
# 分类, 款项, 几项 as a count); the 经济分类.
_PROJECT_WORD = re.compile(r"项目(?!支出)")
_LEVEL_WORD = re.compile(r"(?<![分拨贷罚存付借欠种门])([类款])(?!项)|(?<![一几事每某单])(项)|([类款项])级")
_ECONOMIC_WORD = re.compile(r"经济分类|经济科目")
_LEVEL_SIZE = {"类": 3, "款": 5, "项": 7}


def _filter_group(text: str, mentions: list[Mention], schema: ReportSchema) -> tuple[tuple[str, ...], str, list[Mention]]:
    """The rows a condition is checked on, as the words name them: the projects; the 类/款/项 of the 功能分类
    (under a row named as their container, if any: "城乡社区支出中超过1000万元的项"); the 经济分类 classes (or
    items, "经济分类款"); the parts of a row named ("工资福利支出里超过100万元的有哪些"). Named by nothing, the
    rows that state the measure asked: projects, else the lowest level with it (a rate), else the 类."""
    entities = schema.entities
    words = _blank(text, mentions)
    if _PROJECT_WORD.search(words):
        keys = tuple(k for k, e in entities.items() if e.family == "project")
        return keys, "项目", [m for m in mentions if not all(entities[k].family == "project" for k in m.keys)]
    level = _LEVEL_WORD.search(_PROJECT_WORD.sub("", words).replace("项目支出", ""))
    level_word = next((g for g in level.groups() if g), "") if level else ""
    size = _LEVEL_SIZE.get(level_word, 0)
    containers = [m for m in mentions if len(m.keys) == 1 and entities[m.keys[0]].children]
    if _ECONOMIC_WORD.search(words):
        size = 5 if size == 5 or size == 7 else 3
        keys = tuple(k for k, e in entities.items() if e.family == "economic" and len(e.code) == size)
        return keys, "经济分类" + ("款级科目" if size == 5 else "科目"), mentions
    if containers:
        parent = containers[0].keys[0]
        below = schema.descendants(parent)
        keys = tuple(k for k in below if len(entities[k].code) == size) if size else tuple(entities[parent].children)
        if not size and keys and all(entities[k].family == "economic" and len(entities[k].code) == 3 for k in keys):
            keys = tuple(k for c in keys for k in (entities[c].children or [c]))  # 公用经费: its 经济分类 items
        if keys:
            name = f"{entities[parent].label}下的" + (f"{level_word}级科目" if size else "科目")
            return keys, name, [m for m in mentions if m is not containers[0]]
    if size:
        keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == size)
        return keys, f"{level_word}级科目", mentions
    measure = (_measures(words, schema)[0] or [""])[0]
    if measure == "rate" or (not measure and (condition(text) or ("", 0, ""))[2] == "%"):
        projects = tuple(k for k, e in entities.items() if e.family == "project" and (k, "rate") in schema.cells)
        if projects:
            return projects, "项目", mentions
        for size, name in ((7, "项"), (5, "款"), (3, "类")):
            keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == size)
            if any((k, "rate") in schema.cells for k in keys):
                return keys, f"{name}级科目", mentions
    keys = tuple(k for k, e in entities.items() if e.family == "functional" and len(e.code) == 3)
    return keys, "类级科目", mentions


_FUND_TABLES = {fund: total for fund, total in FUND_TOTALS.items() if fund != "一般公共预算"}  # tables of their own


def _fund_total(text: str, mentions: list[Mention], measure_spans, schema: ReportSchema) -> list[Mention]:
    """'政府性基金预算年初结转和结余多少': a fund named with only a measure (here a 总表 row that is one) is the
    fund table's total row; the measure word then stays a measure."""
    fund = re.search(f"({'|'.join(_FUND_TABLES)})(预算)?", text)
    key = _FUND_TABLES[fund.group(1)] if fund else ""
    if not key or key not in schema.entities:
        return mentions
    words = {text[s:e] for s, _, e in measure_spans}
    if all(m.text in words or m.text in fund.group() for m in mentions):  # the fund's words blank "预算" too
        return [Mention(fund.group(), fund.start(), (key,))]
    return mentions


def _totals_as_columns(text: str, mentions: list[Mention], schema: ReportSchema) -> list[Mention]:
    """'城乡社区管理事务的本年支出合计': a table total named right after a row is that row's 合计 column, not a
    second row (it becomes the measure the row is read in: 决算数)."""
    out = []
    for i, m in enumerate(mentions):
        before = mentions[i - 1] if i else None
        joint = text[before.start + len(before.text) : m.start] if before else ""
        if before and all(schema.entities[k].family == "total" for k in m.keys) and re.fullmatch(r"\s*(这一?行|那一?行)?的?\s*", joint) \
                and not all(schema.entities[k].family == "total" for k in before.keys):
            continue
        out.append(m)
    return out


def _at_level(mention: Mention, levels: dict[int, str], schema: ReportSchema) -> Mention:
    """'城乡社区规划与管理（项）': of the rows a name may be, the one at the level written after it."""
    level = levels.get(mention.start + len(mention.text))
    if not level:
        return mention
    keys = tuple(k for k in mention.keys if schema.entities[k].level == level)
    return replace(mention, keys=keys) if keys else mention


def _whole_first(text: str, mentions: list[Mention]) -> list[Mention]:
    """'财政拨款支出中社会保障和就业支出占多少比例', 'B里A占几成': the whole named first, as the container of the part,
    and nothing after 占 but the share asked — the rows before 中 are the whole."""
    m = WHOLE_FIRST.search(text)
    if not m or any(x.after_share_word for x in mentions):
        return mentions
    inside = [x for x in mentions if x.start < m.end(1)]
    if not inside or len(inside) == len(mentions):
        return mentions
    return [replace(x, after_share_word=x.start < m.end(1)) for x in mentions]


def _share_position(text: str) -> int:
    """Where the whole of a share starts ('A占B的比例': after 占; 'A在B中所占比重': after 在), or -1."""
    inside = WHOLE_BEFORE.search(text)
    if inside:
        return inside.start(1)
    m = re.search(r"占(?!比)", text)
    return m.end() if m and SHARE.search(text) else -1


def _within_containers(mentions: list[Mention], schema: ReportSchema, text: str) -> list[Mention]:
    """'<项目>的<绩效指标>', '三公经费里公务接待费', '一般公共服务支出中的行政运行': a row named right before
    another that it contains qualifies it; it narrows the part to the readings under it and names no subject
    of its own. Joined by 比/和/与 instead ("行政运行比一般公共服务支出少多少"), the two are compared."""
    out = list(mentions)
    for container in mentions:
        below = {k for key in container.keys for k in schema.descendants(key)}
        for i, other in enumerate(out):
            inside = tuple(k for k in other.keys if k in below)
            same = set(other.keys) & set(container.keys)  # one row named twice ("21208城乡社区规划与管理")
            joint = text[container.start + len(container.text) : other.start]
            if other is not container and inside and not same and container.start < other.start and QUALIFIES.fullmatch(joint):
                out[i] = Mention(other.text, other.start, inside, other.after_share_word)
                out = [m for m in out if m is not container]
                break
    return out


def _named_twice(mentions: list[Mention], text: str) -> list[Mention]:
    """'2210201住房公积金支出': a code and a name side by side that may be one row are that row (the readings they
    share), not two rows."""
    out: list[Mention] = []
    for m in mentions:
        before = out[-1] if out else None
        if before is not None and not text[before.start + len(before.text): m.start].strip() \
                and set(before.keys) & set(m.keys) and (before.text.isdigit() or m.text.isdigit()):
            shared = tuple(k for k in before.keys if k in m.keys)
            out[-1] = Mention(before.text + m.text, before.start, shared, before.after_share_word)
            continue
        out.append(m)
    return out


def _unique(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if all(o.keys != m.keys for o in out):
            out.append(m)
    return out


def _blank(text: str, mentions: list[Mention]) -> str:
    for m in mentions:
        text = text[: m.start] + " " * len(m.text) + text[m.start + len(m.text) :]
    return text


def _measure_spans(text: str, schema: ReportSchema) -> list[tuple[int, str, int]]:
    """(start, measure, end) of each measure word, to keep a row's alias from cutting into one ('项目支出合计')."""
    spans = []
    funds = {mid for (_, mid) in schema.cells if mid.startswith(FUND_PREFIX)}
    pairs = [(w, m.id) for m in MEASURES for w in m.question_words] + [(f.removeprefix(FUND_PREFIX), f) for f in funds]
    for word, mid in pairs:
        if word:
            for m in re.finditer(re.escape(word), text):
                spans.append((m.start(), mid, m.end()))
    return spans


def _mentions(text: str, schema: ReportSchema, share_at: int, measure_spans=()) -> tuple[list[Mention], str]:
    """Rows named in the text, longest alias first, without overlaps; and the text left over.

    An alias that starts inside a measure word ('支出合计' in '项目支出合计') is not a mention; one that ends
    inside it shares a word with it ('其他支出' in '其他支出决算数') and is."""
    taken = [False] * len(text)
    found: list[Mention] = []
    for alias, keys in schema.alias_index:
        start = text.find(alias)
        while start >= 0:
            end = start + len(alias)
            digits = alias.isdigit()
            bounded = not digits or ((start == 0 or not text[start - 1].isdigit()) and (end == len(text) or not text[end].isdigit()))
            cuts = any(s < start < e < end for s, _, e in measure_spans)  # starts inside a measure word
            fund = FUND_BEFORE.search(text[:start])
            if fund and not any(fund.group(1) in schema.entities[k].label for k in keys):
                cuts = True  # "国有资本经营预算财政拨款支出": "财政拨款支出" here is not the 一般公共预算 total
            if bounded and not cuts and not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                found.append(Mention(alias, start, keys, after_share_word=0 <= share_at <= start))
            start = text.find(alias, start + 1)
    found.sort(key=lambda m: m.start)
    rest = "".join(" " if t else c for c, t in zip(text, taken))
    return found, rest


def _measures(text: str, schema: ReportSchema) -> tuple[list[str], str]:
    """Measures named in the text (fund columns by their printed name), in the order named."""
    words = [(w, m.id) for m in MEASURES for w in m.question_words]
    funds = {mid for (_, mid) in schema.cells if mid.startswith(FUND_PREFIX)}
    words += [(f.removeprefix(FUND_PREFIX), f) for f in funds]
    if not funds:  # a report without fund columns: "一般公共预算" still names a fund, never a budget column
        text = re.sub(r"(一般公共|政府性基金|国有资本经营)预算(?!财政拨款)", "", text)
    found: list[tuple[int, str]] = []
    # the 决算数 words last: "项目支出决算数" names the 项目支出 column's 决算数, not "支出决算数" of something 项目
    for word, mid in sorted(words, key=lambda p: (p[1] == "actual", -len(p[0]))):
        start = text.find(word)
        while start >= 0:  # every time it is said ("A的基本支出占B基本支出的比例")
            if mid == "budget" and (re.search(r"(一般公共|政府性基金|国有资本经营)预算财政拨款", text[max(0, start - 4) : start + 6])
                                    or re.search(r"(一般公共|政府性基金|国有资本经营)\s*$", text[:start])):
                start = text.find(word, start + 1)
                continue  # 一般公共预算财政拨款, 政府性基金预算 name a fund, not a budget
            found.append((start, mid))
            text = text[:start] + " " * len(word) + text[start + len(word) :]
            start = text.find(word, start + len(word))
    if "年初" in text and any(mid == "budget" for _, mid in found) and not any(mid == "initial_budget" for _, mid in found):
        # "年初安排了多少预算": 年初 and 预算 apart still name the 年初预算
        found = [(at, "initial_budget" if mid == "budget" else mid) for at, mid in found]
        text = text.replace("年初", "  ", 1)
    ordered: list[str] = []
    for _, mid in sorted(found):
        if mid not in ordered:
            ordered.append(mid)
    return ordered, text


def is_filter(text: str) -> bool:
    """'执行率低于90%的项目有哪些', '预算执行率达到100%的项目', '哪些款支出超过500万元': rows by a condition, counted
    or listed (a plan, not a passage)."""
    text = compact(text)
    found = _RANGE.search(_arabic(text)) or _condition_match(text)
    if found is None or NOT_ROWS.search(text):
        return False
    return bool(LIST.search(text) or ROWS_NAMED.search(text[found.end():]))


# "在90%到95%之间", "80%-95%", "100万元至500万元": a range, both ends included.
_RANGE = re.compile(r"(\d+(?:\.\d+)?)\s*(%|万元|元|亿元)?\s*(?:到|至|-|~|～|—)\s*(\d+(?:\.\d+)?)\s*(%|万元|元|亿元)?\s*(?:之间|以内|区间)?")


def range_condition(text: str) -> tuple[float, float, str] | None:
    """'执行率在90%到95%之间' → (90.0, 95.0, '%'); None without a range."""
    m = _RANGE.search(_arabic(compact(text)))
    if not m or not (m.group(2) or m.group(4)):
        return None
    low, high = sorted((float(m.group(1)), float(m.group(3))))
    return low, high, m.group(4) or m.group(2)


def computes(text: str) -> bool:
    """'A是B的几倍': arithmetic on figures, a plan (not a passage), whatever else the words suggest."""
    return bool(RATIO.search(text))


def lists_rows(text: str) -> bool:
    """'执行率低于90%的项目有哪些', '支出最多的前三个类是哪些': rows by a condition or by rank, a plan's list
    (not a passage, though it asks 哪些)."""
    return is_filter(text) or (bool(RANK.search(text)) and bool(re.search(r"科目|项目|类|款|哪|什么", text)))


def condition(text: str) -> tuple[str, float, str] | None:
    """'执行率低于90%' → ('<', 90.0, '%'); '100万元以上' → ('>=', 100.0, '万元'); '是100%' → ('=', 100.0, '%');
    '不到五百万' → ('<', 500.0, '万元')."""
    m = _condition_match(compact(text))
    if m is None:
        return None
    if m.group(1):
        op, number, unit = COMPARISONS[m.group(1)], float(m.group(2)), m.group(3) or ""
    else:
        number, unit, op = float(m.group(4)), m.group(5) or "", AFTER[m.group(6)]
    return op, number, {"万": "万元", "亿": "亿元"}.get(unit, unit)


def _condition_match(text: str) -> re.Match | None:
    """The first comparison with a number; an equality word only with its unit ('是100%', not '是2个')."""
    for m in FILTER.finditer(_arabic(text)):
        if m.group(1) in EQUALS and not m.group(3):
            continue
        return m
    return None


def _arabic(text: str) -> str:
    """'百分之九十五' → '95%', '五百万元' → '500万元' (the same length is not kept: match on the result only)."""
    def number(m: re.Match) -> str:
        if m.group(1) is not None:
            return f"{_cn_value(m.group(1)) if m.group(1) != '百' else 100}%"
        return str(_cn_value(m.group(2)))
    return CN_NUMBER.sub(number, text)


def _cn_value(word: str) -> int:
    """A Chinese numeral below 10000: '九十五' → 95, '五百' → 500, '十' → 10."""
    total, digit = 0, 0
    for ch in word:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (digit or 1) * CN_UNITS[ch]
            digit = 0
    return total + digit


def asks_change(text: str) -> bool:
    """Whether a question asks the change against last year: '比上年少了多少', '较2023年下降了百分之几', '增幅多少'."""
    text = compact(text)
    return bool(CHANGE.search(text) or (CHANGE_WORDS.search(text) and not OWN_BASE.search(CHANGE_BASE.sub("", text))))


def asks_percent_change(text: str) -> bool:
    """Whether a change question asks the stated percent ('增幅', '下降了百分之几') rather than the amount."""
    return asks_change(text) and bool(CHANGE_PERCENT.search(text))


def _last_year_as_base(text: str, year: int | None) -> str:
    """'较2023年下降了多少' in the 2024 report compares with last year: the year is the change's base, not a year
    asked about ("2023年的三公经费" still asks 2023)."""
    if not year:
        return text
    return re.sub(rf"(比|较|与|和|同|相较于?|相比|对比){year - 1}年度?", r"\1上年", text)


def _operation(text: str, mentions: list[Mention], measures: list[str], refer: str) -> Operation:
    if is_filter(text):
        return "filter"
    if YEARS.search(text):
        return "years"
    if asks_change(text):
        return "change"  # answered as the report states the change ("比 2023 年度减少 0.15 万元")
    if PRIOR.search(text):
        return "prior"  # last year's figure: this year's less the change the report states for that row
    if RANK.search(text):
        return "rank"
    if EXTREME.search(text) and "几" not in text[:2]:
        return "unsupported"
    if RATIO.search(text):
        return "ratio"
    if COMPLETION.search(text) and not re.search(r"占", text):
        return "rate"  # "完成年初预算的比例": a completion rate, not a share of something
    if SHARE.search(text):
        return "share"
    if DIFFERENCE.search(text):
        return "difference"
    if SUM.search(text) and (len(mentions) >= 2 or refer == "both"):
        return "sum"
    if refer == "both" and re.search(r"合计|一共|加|总", text):
        return "sum"
    if "rate" in measures or COMPLETION.search(text):
        return "rate"
    if ALL_PROJECTS.search(text) and SUM.search(text):
        return "sum"
    return "value"


def in_report_words(question: str, schema: ReportSchema) -> str:
    """The question with everyday words in the report's own words (wording.COLLOQUIAL); a word that some row of
    the report prints itself is kept, so a row is never renamed."""
    names = [alias for alias, _ in schema.alias_index]

    def swap(canonical: str):
        return lambda m: m.group() if any(m.group() in name for name in names) else canonical

    for pattern, canonical in COLLOQUIAL:
        question = pattern.sub(swap(canonical), question)
    return question


def without_unit_name(text: str, department: str, aliases) -> str:
    """'规土局城乡社区支出花了多少' → '城乡社区支出花了多少': a unit named at the start, by the structure of unit names
    (place, words, 局/委/办/中心/大学…), is the department asked about when it shares a word with the report's
    department (a character besides the unit word) and starts no row's name. Another unit's name stays (and is
    then not placed)."""
    m = ORGANISATION.match(text)
    if not m or not department:
        return text
    name = m.group(1)
    if name.endswith("大") and not department.endswith("大学"):
        return text  # "西大" says a university (西南大学), only of a university's report
    core = re.sub(r"大$", "", name) if name.endswith("大") else name
    core = re.sub(r"(委员会|办公室|办事处|中心|大学|学院|学校|街道|[局委办厅院所站队馆署])$", "", core)
    own = department
    for place in place_names(department):
        own = own.replace(place, "")
    if not core or not set(core) & set(own):
        return text
    if any(0 <= text.find(alias) < m.end() for alias, _ in aliases if len(alias) >= 2 and not alias.isdigit()):
        return text  # "社会保障和就业支出", "其中政府办公厅(室)…": a row's name is said there
    return text[m.end():]


# The unit described by what it is in charge of ("管规划和自然资源的那个局", "管企业服务的那家中心").
UNIT_BY_CHARGE = re.compile(
    r"管(?P<charge>[\u4e00-\u9fff]{2,12}?)的(?:那个|那家|那所|这个|这家)"
    r"(?:委员会|办公室|单位|部门|中心|大学|学院|学校|局|委|办|院|所|站|队)"
)


def without_unit_by_charge(text: str, department: str) -> str:
    """The question without a description of the department by its charge, when the charge's characters occur in
    the department's name in order (管市场监督管理的那个局 of 汉阳区市场监督管理局); another unit's stays."""
    return UNIT_BY_CHARGE.sub(lambda m: "" if _charge_of(m, department) else m.group(), text)


def other_unit_by_charge(text: str, department: str) -> str:
    """The words describing another unit by its charge (管教育的那个局, asked of a 市场监督管理局's report), or ''."""
    return next((m.group() for m in UNIT_BY_CHARGE.finditer(text) if not _charge_of(m, department)), "")


def _charge_of(m: re.Match, department: str) -> bool:
    return bool(department) and _subsequence(m.group("charge").replace("和", ""), department)


def _abbreviation(text: str, department: str) -> str:
    """The words naming the department in short: 规划资源局 → 规划和自然资源局 (same first and last character,
    its characters in order)."""
    core = min(_department_aliases(department), key=len, default="")
    found = abbreviation_of(text, core)
    if not found and core.endswith("大学") and core[0] + "大" in text:
        found = core[0] + "大"  # 西南大学 → 西大: a university said by its first character and 大
    return found


def abbreviation_of(text: str, core: str) -> str:
    """The piece of text that abbreviates a name: its characters in order, starting and ending like it."""
    if len(core) < 3:
        return ""
    for size in range(min(len(core), 8), 2, -1):
        for i in range(len(text) - size + 1):
            piece = text[i : i + size]
            if piece[0] == core[0] and piece[-1] == core[-1] and _subsequence(piece, core):
                return piece
    return ""


def _subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)
