"""The 部门决算 domain vocabulary as data: table kinds and their title patterns.

Every region titles the standard tables differently (武汉 "公开01表 收入支出决算总表", 上海 the bare
title, a university "表1:高等学校收支决算总表"). Code asks `kind_of(title)` and keys on the kind,
never on a printed table number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.normalize import compact


@dataclass(frozen=True)
class TableKind:
    """One standard table: its stable id, its name as a reader knows it, and how titles name it."""

    id: str
    name: str
    pattern: re.Pattern
    standard_number: int | None = None  # its place in the nine-table set (for ordering only)
    may_be_empty: bool = False  # a department can have none of it (三公, 政府性基金, 国有资本经营, 绩效)

    @property
    def is_performance(self) -> bool:
        return self.id in ("project_performance", "overall_performance")


# Order matters: the first pattern a title matches wins (财政拨款收入支出决算总表 before 收入支出决算总表).
TABLE_KINDS: tuple[TableKind, ...] = (
    TableKind("project_performance", "项目绩效自评表", re.compile(r"项目.*自评表$"), may_be_empty=True),
    TableKind("overall_performance", "整体绩效自评表", re.compile(r"(整体|部门).*自评表$"), may_be_empty=True),
    TableKind("three_public", "“三公”经费支出决算表", re.compile(r"三公.*经费"), 9, may_be_empty=True),
    TableKind("fiscal_total", "财政拨款收入支出决算总表", re.compile(r"财政拨款收入?支出?决算总表"), 4),
    TableKind("income_expenditure_total", "收入支出决算总表", re.compile(r"收入?支出?决算总表"), 1),
    TableKind("basic_expenditure_detail", "一般公共预算财政拨款基本支出决算表", re.compile(r"基本支出决算(明细)?表"), 6),
    TableKind("government_fund", "政府性基金预算财政拨款收入支出决算表", re.compile(r"政府性基金预算财政拨款(收入)?支出决算表"), 7, may_be_empty=True),
    TableKind("state_capital", "国有资本经营预算财政拨款收入支出决算表", re.compile(r"国有资本经营预算财政拨款(收入)?支出决算表"), 8, may_be_empty=True),
    TableKind("general_budget_expenditure", "一般公共预算财政拨款支出决算表", re.compile(r"一般公共预算财政拨款支出决算表"), 5),
    TableKind("income", "收入决算表", re.compile(r"收入决算表"), 2),
    TableKind("expenditure", "支出决算表", re.compile(r"支出决算表"), 3),
)
OTHER = TableKind("other", "其他表格", re.compile(r"(?!)"), may_be_empty=True)
_BY_ID = {k.id: k for k in TABLE_KINDS + (OTHER,)}


@lru_cache(maxsize=4096)
def kind_of(title: str) -> TableKind:
    """The kind of table a title names (OTHER when none matches): a layout's own kinds first."""
    key = compact(title)
    for kind in all_kinds():
        if kind.pattern.search(key):
            return kind
    return OTHER


def all_kinds() -> tuple[TableKind, ...]:
    """The kinds registered layouts print only themselves, then the common ones (first match wins)."""
    from index.layouts import layouts

    own = tuple(k for layout in layouts() for k in layout.kinds)
    return own + TABLE_KINDS


def registry_changed() -> None:
    """A layout was registered or removed: forget what titles were matched against."""
    kind_of.cache_clear()


def kind_by_id(kind_id: str) -> TableKind:
    """The TableKind with this id (OTHER for an unknown id)."""
    return _BY_ID.get(kind_id) or next((k for k in all_kinds() if k.id == kind_id), OTHER)


# Column headers that name a measure (what kind of figure), not an item of the table.
MEASURE_HEADERS: tuple[str, ...] = (
    "预算数", "决算数", "年初预算数", "全年预算数", "调整预算数", "执行数", "执行率", "金额", "合计数",
)


def is_measure_header(header: str) -> bool:
    """Whether a header cell names a measure ('预算数', '决算数') rather than an item."""
    return compact(header) in MEASURE_HEADERS


# 经济分类 classes that make up 人员经费 and 公用经费 in the 基本支出 table (财政部 部门决算 definitions).
ECONOMIC_GROUPS: dict[str, tuple[str, ...]] = {
    "人员经费": ("301", "303"),
    "公用经费": ("302", "307", "309", "310", "311", "312", "313", "399"),
}


def economic_group(label: str) -> tuple[str, ...]:
    """The class codes a '人员经费合计' / '公用经费合计' row sums; () for any other label."""
    key = compact(label).replace("合计", "").replace("小计", "")
    return ECONOMIC_GROUPS.get(key, ())


# How regions number the standard tables ("公开01表", "表1:") is each layout's own data (index/layouts/);
# the key keeps the report's own numbering.


@dataclass(frozen=True)
class Numbering:
    key: str  # "公开05表", "表1"
    number: int
    title: str  # the title with the numbering cut out ("" for a line that is only the number)


def table_numbering(line: str) -> Numbering | None:
    """The table number printed in a caption line, and the title without it."""
    from index.layouts import layouts

    for layout in layouts():
        for numbering in layout.numberings:
            m = numbering.pattern.search(line)
            if m:
                number = int(m.group(m.lastindex))
                title = (line[: m.start()] + " " + line[m.end() :]).strip()
                return Numbering(key=numbering.key.format(*m.groups()[:-1], number), number=number, title=title)
    return None


def standard_kinds() -> tuple[TableKind, ...]:
    """The nine tables every 部门决算 of the standard format publishes, in their usual order."""
    return tuple(sorted((k for k in TABLE_KINDS if k.standard_number), key=lambda k: k.standard_number))


# How a report says it has none of something: "本单位当年无“三公”经费支出", "故本表无数据",
# "无政府性基金…的，仍保留该表格式" (the template's instruction left in an empty table).
_ABSENCE = re.compile(
    r"(本单位|本部门|我单位|我部门|本局|本中心|单位|部门).{0,40}?(无|没有|未发生|未安排)"
    r"|故本表(无数据|为空|为空表)|本表(无数据|为空表)|仍保留该?表格?式|空表"
)


def states_absence(text: str) -> bool:
    """Whether a sentence or note states that the report has none of what a table or figure covers."""
    return bool(_ABSENCE.search(compact(text)))


# Column headers of the standard tables, as printed (compact). A header broken over two rows of the
# header block ("本年支出合" / "计") is re-joined when the pieces make one of these.
COLUMN_CONCEPTS: frozenset[str] = frozenset(
    """项目 科目名称 科目编码 功能分类科目编码 经济分类科目编码 行次 栏次 金额 决算数 预算数 年初预算数 全年预算数
    合计 小计 本年收入合计 本年支出合计 财政拨款收入 上级补助收入 事业收入 经营收入 附属单位上缴收入 其他收入
    基本支出 项目支出 上缴上级支出 经营支出 对附属单位补助支出 年初结转和结余 年末结转和结余 本年收入 本年支出
    使用非财政拨款结余 结余分配 人员经费 公用经费 一般公共预算财政拨款 政府性基金预算财政拨款
    国有资本经营预算财政拨款 因公出国(境)费 公务用车购置及运行维护费 公务用车购置及运行费 公务用车购置费
    公务用车运行维护费 公务用车运行费 公务接待费 执行数 执行率 全年执行数 分值 得分""".split()
)


def join_header_fragments(parts: tuple[str, ...]) -> tuple[str, ...]:
    """('本年支出合', '计') → ('本年支出合计',): header pieces that only together name a column."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        # The longest run of pieces from here that together (and only together) name a column.
        end = next(
            (k for k in range(len(parts), i + 1, -1) if "".join(parts[i:k]) in COLUMN_CONCEPTS
             and not all(p in COLUMN_CONCEPTS for p in parts[i:k])),
            i + 1,
        )
        out.append("".join(parts[i:end]))
        i = end
    return tuple(out)


# Units figures carry in tables and sentences: money, percent, counts, scores.
MONEY_UNITS: dict[str, float] = {"元": 1e-4, "千元": 0.1, "万元": 1.0, "亿元": 1e4}  # factor to 万元
UNITS: tuple[str, ...] = (
    "万元", "亿元", "千元", "元", "%", "人次", "人", "个工作日", "个", "辆", "条", "家", "台(套)", "台套", "台件", "台",
    "批次", "户", "万户", "万件", "件", "名", "项", "场", "次", "套", "篇", "天", "期", "平方米", "分",
)
# Longest first, so that "人次" wins over "人" and "万元" over "元".
UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))


def to_wanyuan(value: float, unit: str) -> float:
    """A money figure in 万元, whatever money unit it was printed in (other units unchanged)."""
    return value * MONEY_UNITS.get(unit, 1.0)


# Ordinals that open headings, by level: 第一部分 / 一、 / (一) / 1.  (the report's outline).
CN_NUMERAL = "一二三四五六七八九十"
HEADING_LEVELS: tuple[re.Pattern, ...] = (
    re.compile(rf"^第[{CN_NUMERAL}]+部分"),
    re.compile(rf"^[{CN_NUMERAL}]+、"),
    re.compile(rf"^[(（][{CN_NUMERAL}]+[)）]"),
    re.compile(r"^\d{1,2}[.、．](?!\d)"),
)
PART = HEADING_LEVELS[0]
ORDINAL_PREFIX = re.compile(rf"^(?:[{CN_NUMERAL}]+、|[(（][{CN_NUMERAL}]+[)）]|\d{{1,2}}[.、．](?!\d))\s*")


def heading_level(text: str) -> int | None:
    """0 for 第X部分, 1 for 一、, 2 for (一), 3 for 1. — else None."""
    for level, pattern in enumerate(HEADING_LEVELS):
        if pattern.match(text):
            return level
    return None


def strip_ordinal(label: str) -> str:
    """'十八、自然资源海洋气象等支出' → '自然资源海洋气象等支出'; '(一)机关运行经费' → '机关运行经费'."""
    return ORDINAL_PREFIX.sub("", label)


# Lines that open a heading, list item, note or table caption: never the wrapped tail of a paragraph.
_BLOCK_START = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、．](?!\d)|注[:：]|图\s*\d|单位[:：]|部门[:：]|\d{4}\s*年度.*表$)"
)


def starts_block(text: str) -> bool:
    """Whether a line opens a heading, list item, note or table caption (never a wrapped tail)."""
    if _BLOCK_START.match(text):
        return True
    from index.layouts import layouts

    # A caption opening with a layout's table number ("公开05表", "表1:").
    return any(m is not None and m.start() == 0 for layout in layouts() for m in [layout.numbering_of(text)])
