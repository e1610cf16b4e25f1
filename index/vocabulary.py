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

    @property
    def is_performance(self) -> bool:
        return self.id in ("project_performance", "overall_performance")


# Order matters: the first pattern a title matches wins (财政拨款收入支出决算总表 before 收入支出决算总表).
TABLE_KINDS: tuple[TableKind, ...] = (
    TableKind("project_performance", "项目绩效自评表", re.compile(r"项目.*自评表$")),
    TableKind("overall_performance", "整体绩效自评表", re.compile(r"(整体|部门).*自评表$")),
    TableKind("three_public", "“三公”经费支出决算表", re.compile(r"三公.*经费"), 9),
    TableKind("fiscal_total", "财政拨款收入支出决算总表", re.compile(r"财政拨款收入?支出?决算总表"), 4),
    TableKind("income_expenditure_total", "收入支出决算总表", re.compile(r"收入?支出?决算总表"), 1),
    TableKind("basic_expenditure_detail", "一般公共预算财政拨款基本支出决算表", re.compile(r"基本支出决算(明细)?表"), 6),
    TableKind("government_fund", "政府性基金预算财政拨款收入支出决算表", re.compile(r"政府性基金预算财政拨款(收入)?支出决算表"), 7),
    TableKind("state_capital", "国有资本经营预算财政拨款收入支出决算表", re.compile(r"国有资本经营预算财政拨款(收入)?支出决算表"), 8),
    TableKind("general_budget_expenditure", "一般公共预算财政拨款支出决算表", re.compile(r"一般公共预算财政拨款支出决算表"), 5),
    TableKind("income", "收入决算表", re.compile(r"收入决算表"), 2),
    TableKind("expenditure", "支出决算表", re.compile(r"支出决算表"), 3),
)
OTHER = TableKind("other", "其他表格", re.compile(r"(?!)"))
_BY_ID = {k.id: k for k in TABLE_KINDS + (OTHER,)}


@lru_cache(maxsize=4096)
def kind_of(title: str) -> TableKind:
    """The kind of table a title names (OTHER when none matches)."""
    key = compact(title)
    for kind in TABLE_KINDS:
        if kind.pattern.search(key):
            return kind
    return OTHER


def kind_by_id(kind_id: str) -> TableKind:
    """The TableKind with this id (OTHER for an unknown id)."""
    return _BY_ID.get(kind_id, OTHER)


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


# How regions number the standard tables: "公开01表" (before or after the title, or on its own line),
# "表1:" / "表1：" / "附表1" before a university's titles. The key keeps the report's own numbering.
_NUMBERINGS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"[(（]?公开\s*0?(\d{1,2})\s*表[)）]?"), "公开{:02d}表"),
    (re.compile(r"^(附?)表\s*(\d{1,2})\s*(?:[:：、.．]\s*|\s+|(?=[^\d\s]))"), "{}表{}"),
)


@dataclass(frozen=True)
class Numbering:
    key: str  # "公开05表", "表1"
    number: int
    title: str  # the title with the numbering cut out ("" for a line that is only the number)


def table_numbering(line: str) -> Numbering | None:
    """The table number printed in a caption line, and the title without it."""
    for pattern, key in _NUMBERINGS:
        m = pattern.search(line)
        if m:
            number = int(m.group(m.lastindex))
            title = (line[: m.start()] + " " + line[m.end() :]).strip()
            return Numbering(key=key.format(*m.groups()[:-1], number), number=number, title=title)
    return None


def standard_kinds() -> tuple[TableKind, ...]:
    """The nine tables every 部门决算 of the standard format publishes, in their usual order."""
    return tuple(sorted((k for k in TABLE_KINDS if k.standard_number), key=lambda k: k.standard_number))
